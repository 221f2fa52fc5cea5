import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';
import * as repo from './repo.js';

// After a personal-information security incident the law (PIPL art. 57) requires telling each
// affected person; who was affected and who was told are kept as proof, then deleted.
const listPurpose = 'know who a personal information security incident affects';
const deliveryPurpose = 'tell each person affected by a personal information security incident once and keep proof of it';
export const incidentLinkRetention = '3 years after publication';

const announcement = (what: string) => technical(`${what} of a personal information security incident announcement, written by staff`);

export const incidentsDataMap: DataMap = {
  incident: {
    id: technical('identifies an incident'),
    status: technical('whether an incident is a draft or published'),
    title_zh: announcement('the title, in Chinese,'),
    title_en: announcement('the title, in English,'),
    summary_zh: announcement('what happened, in Chinese,'),
    summary_en: announcement('what happened, in English,'),
    found_on: technical('the day the incident was found'),
    categories: technical('the categories of personal information involved, as data-map keys'),
    consequences_zh: announcement('the possible consequences, in Chinese,'),
    consequences_en: announcement('the possible consequences, in English,'),
    measures_zh: announcement('the measures taken, in Chinese,'),
    measures_en: announcement('the measures taken, in English,'),
    self_help_zh: announcement('what people can do themselves, in Chinese,'),
    self_help_en: announcement('what people can do themselves, in English,'),
    contact: technical('how to reach the personal information protection contact (a role address)'),
    scope: technical('whether every account or a list of accounts is affected'),
    created_at: technical('when the draft was started'),
    updated_at: technical('when the incident last changed'),
    published_at: technical('when the announcement was published; starts the retention of who was told'),
    notify_cursor: technical('how far the notices have gone through the affected accounts'),
    notified_at: technical('when every affected account was told'),
  },
  incident_account: {
    incident_id: personal('account.identifier', listPurpose, 'legal-duty', incidentLinkRetention),
    account_id: personal('account.identifier', listPurpose, 'legal-duty', incidentLinkRetention),
  },
  incident_update: {
    id: technical('identifies an update'),
    incident_id: technical('the incident an update follows'),
    body_zh: technical('the follow-up staff wrote, in Chinese'),
    body_en: technical('the follow-up staff wrote, in English'),
    created_at: technical('when the update was published'),
    notify_cursor: technical('how far the notices of the update have gone'),
    notified_at: technical('when everyone told of the incident was told of the update'),
  },
  incident_delivery: {
    incident_id: personal('account.identifier', deliveryPurpose, 'legal-duty', incidentLinkRetention),
    update_id: technical('whether the person was told of the incident or of an update', incidentLinkRetention),
    account_id: personal('account.identifier', deliveryPurpose, 'legal-duty', incidentLinkRetention),
    created_at: technical('when the person was told', incidentLinkRetention),
  },
};

/** Export (which incidents the person was told of, and when) and erasure of their rows. */
export function incidentsProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'incidents',
    describe: () => incidentsDataMap,
    async export(subjectId) {
      const [told, listed] = await Promise.all([repo.listDeliveriesOf(db, subjectId), repo.listListingsOf(db, subjectId)]);
      return {
        provider: 'incidents',
        records: {
          told: told.map((r) => ({ incidentId: r.incidentId, about: r.updateId ? 'update' : 'incident', updateId: r.updateId || null, titleZh: r.titleZh, titleEn: r.titleEn, toldAt: r.createdAt })),
          listed,
        },
      };
    },
    async erase(subjectId) {
      return { erased: await db.transaction().execute((trx) => repo.deleteRowsOf(trx, subjectId)) };
    },
  };
}
