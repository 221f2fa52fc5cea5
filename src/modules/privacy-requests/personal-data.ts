import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';

// Kept as a record that each rights request was received and handled on time (PIPL arts. 50 and
// 54–56: the handler must be able to show how requests were dealt with).
const retention = '3y after closing';
const basis = 'legal-duty';

export const privacyRequestsDataMap: DataMap = {
  privacy_request: {
    id: technical('identifies a privacy request', retention),
    reference: technical('the reference quoted in correspondence', retention),
    account_id: personal('account.identifier', 'link a request to the account that sent it, for access and erasure', basis, retention, { optional: true }),
    email: personal('account.contact', 'send the acknowledgement and the answer to a privacy request', basis, retention),
    topic: personal('privacy.requests', 'route a request to the right procedure (access, deletion, complaint…)', basis, retention),
    message: personal('privacy.requests', 'understand and answer what the person asks', basis, retention),
    locale: technical('the language to answer in', retention),
    status: technical('handling state', retention),
    due_on: technical('the legal deadline to answer (15 working days)', retention),
    created_at: technical('when the request was received', retention),
    answered_at: technical('when the request was first answered', retention),
    closed_at: technical('when the request was closed; starts the retention period', retention),
    handled_by: technical('the staff account that handled it (accountability)', retention),
  },
  privacy_request_reply: {
    id: technical('identifies a reply', retention),
    request_id: technical('the request a reply answers', retention),
    author_id: technical('the staff account that wrote the reply', retention),
    body: personal('privacy.requests', 'the answer sent to the person, kept as a record of handling', basis, retention),
    sent_at: technical('when the reply was sent', retention),
  },
};

/** Access, export and erasure of the privacy requests a person sent while signed in. */
export function privacyRequestsProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'privacy-requests',
    describe: () => privacyRequestsDataMap,
    async export(subjectId) {
      const requests = await db
        .selectFrom('privacyRequest')
        .select(['id', 'reference', 'email', 'topic', 'message', 'status', 'dueOn', 'createdAt', 'answeredAt', 'closedAt'])
        .where('accountId', '=', subjectId)
        .orderBy('createdAt')
        .execute();
      const replies = requests.length === 0 ? [] : await db
        .selectFrom('privacyRequestReply')
        .innerJoin('privacyRequest', 'privacyRequest.id', 'privacyRequestReply.requestId')
        .select(['privacyRequest.reference as reference', 'privacyRequestReply.body as body', 'privacyRequestReply.sentAt as sentAt'])
        .where('privacyRequest.accountId', '=', subjectId)
        .orderBy('privacyRequestReply.sentAt')
        .execute();
      return {
        provider: 'privacy-requests',
        records: { requests: requests.map(({ id: _id, ...r }) => r), replies },
      };
    },
    /**
     * Anonymises rather than deletes: the fact that a request was made, when, about what and
     * whether it was answered in time is the handler's record of compliance, so reference, topic,
     * status and dates stay; the contents (message, address, replies) and the link to the
     * account go.
     */
    async erase(subjectId) {
      return db.transaction().execute(async (trx) => {
        const ids = (await trx.selectFrom('privacyRequest').select('id').where('accountId', '=', subjectId).execute()).map((r) => r.id);
        if (ids.length === 0) return { erased: 0 };
        await trx.updateTable('privacyRequestReply').set({ body: '' }).where('requestId', 'in', ids).execute();
        await trx.updateTable('privacyRequest').set({ accountId: null, email: '', message: '' }).where('id', 'in', ids).execute();
        return { erased: ids.length };
      });
    },
  };
}
