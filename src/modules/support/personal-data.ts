import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';
import { anonymousSender } from './service.js';

// Communications sent to the site are kept to handle them (statement item S5), and for a while
// after, so a follow-up or a dispute about what was said can be answered; then deleted.
const retention = '3y after closing';
// Answering a message the person chose to send us is what they asked for.
const basis = 'contract';

export const supportDataMap: DataMap = {
  support_ticket: {
    id: technical('identifies a support ticket', retention),
    reference: technical('the reference quoted in correspondence', retention),
    account_id: personal('account.identifier', 'show a signed-in sender their own tickets, and find them for access and erasure', basis, retention, { optional: true }),
    email: personal('account.contact', 'send the acknowledgement and the answers to a message sent to the site', basis, retention),
    name: personal('account.contact', 'address the sender by the name they gave', basis, retention, { optional: true }),
    channel: technical('whether it came through the contact form or by email', retention),
    sent_to: technical('which of the site’s own addresses a mail was sent to', retention),
    topic: technical('route a ticket to the right people', retention),
    subject: personal('communications', 'the subject line of a mail sent to the site', basis, retention, { optional: true }),
    locale: technical('the language to answer in', retention),
    status: technical('handling state', retention),
    due_on: technical('the date to answer by (2 working days)', retention),
    created_at: technical('when the ticket was opened', retention),
    updated_at: technical('when the last message was added', retention),
    answered_at: technical('when the ticket was first answered', retention),
    closed_at: technical('when the ticket was closed; starts the retention period', retention),
    handled_by: technical('the staff account that handled it (accountability)', retention),
  },
  support_message: {
    id: technical('identifies a message', retention),
    ticket_id: technical('the ticket a message belongs to', retention),
    direction: technical('whether the sender or staff wrote it', retention),
    author_id: technical('the staff account that wrote a reply', retention),
    body: personal('communications', 'understand and answer what the sender wrote; the answers given', basis, retention),
    attachment_count: technical('how many attachments an inbound mail had (they are not stored)', retention),
    attachment_names: personal('communications', 'tell staff which files a mail had, since the files are not stored', basis, retention, { optional: true }),
    mail_message_id: technical('store a mail delivered twice only once', retention),
    created_at: technical('when a message was received or sent', retention),
  },
};

/** The tickets of a subject: sent from the account, or from or to the account's email address. */
async function ticketsOf(db: Kysely<Database>, subjectId: string) {
  const account = await db.selectFrom('account').select('email').where('id', '=', subjectId).executeTakeFirst();
  return db
    .selectFrom('supportTicket')
    .select(['id', 'reference', 'email', 'name', 'channel', 'topic', 'subject', 'status', 'dueOn', 'createdAt', 'closedAt'])
    .where((eb) => (account ? eb.or([eb('accountId', '=', subjectId), eb('email', '=', account.email)]) : eb('accountId', '=', subjectId)))
    .orderBy('createdAt')
    .execute();
}

/** Access, export and erasure of the messages a person sent to the site and the answers they got. */
export function supportProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'support',
    describe: () => supportDataMap,
    async export(subjectId) {
      const tickets = await ticketsOf(db, subjectId);
      const ids = tickets.map((t) => t.id);
      const messages = ids.length === 0 ? [] : await db
        .selectFrom('supportMessage')
        .innerJoin('supportTicket', 'supportTicket.id', 'supportMessage.ticketId')
        .select(['supportTicket.reference as reference', 'supportMessage.direction as direction', 'supportMessage.body as body',
          'supportMessage.attachmentNames as attachmentNames', 'supportMessage.createdAt as createdAt'])
        .where('supportMessage.ticketId', 'in', ids)
        .orderBy('supportMessage.createdAt')
        .execute();
      return {
        provider: 'support',
        records: {
          tickets: tickets.map(({ id: _id, ...t }) => t),
          messages: messages.map(({ attachmentNames, ...m }) => ({ ...m, attachments: JSON.parse(attachmentNames) as unknown })),
        },
      };
    },
    /**
     * Anonymises rather than deletes. No law requires the words of a support conversation to
     * outlive the person's erasure, so every text goes: the sender's address (replaced by an
     * anonymous label), name, mail subject, the message bodies both ways and the attachment
     * names. What stays until the ticket's own retention ends is the record that a message was
     * received and answered on time: reference, channel, topic, status, dates and each message's
     * direction and time. Tickets still open are closed, since nobody is left to answer.
     */
    async erase(subjectId) {
      return db.transaction().execute(async (trx) => {
        const ids = (await ticketsOf(trx, subjectId)).map((t) => t.id);
        if (ids.length === 0) return { erased: 0 };
        const at = new Date().toISOString();
        await trx.updateTable('supportMessage').set({ body: '', attachmentNames: '[]', mailMessageId: null }).where('ticketId', 'in', ids).execute();
        await trx.updateTable('supportTicket').set({ accountId: null, email: anonymousSender, name: null, subject: null }).where('id', 'in', ids).execute();
        await trx.updateTable('supportTicket').set({ status: 'closed', closedAt: at }).where('id', 'in', ids).where('status', '!=', 'closed').execute();
        return { erased: ids.length };
      });
    },
  };
}
