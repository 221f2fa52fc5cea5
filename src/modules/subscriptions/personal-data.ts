import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';

// Subscriptions are a feature the person asks for (contract); each lasts until the person
// deletes it or the account goes (the foreign key cascades).
const retention = 'until the subscription is deleted';
const matching = 'show a person new products matching what they subscribed to';
const alerts = 'email a person new products matching their subscriptions as often as they chose';
const optional = { optional: true };

export const subscriptionsDataMap: DataMap = {
  subscription: {
    id: technical('identifies a subscription', retention),
    account_id: personal('account.identifier', 'link a subscription to the person who made it', 'contract', retention),
    name: personal('subscriptions.criteria', matching, 'contract', retention, optional),
    keyword: personal('subscriptions.criteria', matching, 'contract', retention, optional),
    category_id: personal('subscriptions.criteria', matching, 'contract', retention, optional),
    province_code: personal('subscriptions.criteria', matching, 'contract', retention, optional),
    company_id: personal('subscriptions.criteria', matching, 'contract', retention, optional),
    status: personal('subscriptions.criteria', matching, 'contract', retention),
    seen_at: personal('subscriptions.criteria', 'count the new products since the person last looked', 'contract', retention),
    alert_frequency: personal('subscriptions.alerts', alerts, 'contract', retention),
    locale: personal('subscriptions.alerts', alerts, 'contract', retention),
    alerted_at: technical('which products the next alert lists', retention),
    alert_due_at: technical('when the next alert is due', retention),
    created_at: technical('when the subscription was made, to list them in order', retention),
    updated_at: technical('when the subscription last changed', retention),
  },
};

/**
 * Access, export and erasure of a person's subscriptions. They are no trade record, so erasure
 * deletes them; alerts already sent are the mail provider's to erase.
 */
export function subscriptionsProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'subscriptions',
    describe: () => subscriptionsDataMap,
    async export(subjectId) {
      const subscriptions = await db
        .selectFrom('subscription')
        .select(['name', 'keyword', 'categoryId', 'provinceCode', 'companyId', 'status', 'alertFrequency', 'locale', 'seenAt', 'createdAt', 'updatedAt'])
        .where('accountId', '=', subjectId)
        .orderBy('createdAt')
        .execute();
      return { provider: 'subscriptions', records: { subscriptions } };
    },
    async erase(subjectId) {
      const result = await db.deleteFrom('subscription').where('accountId', '=', subjectId).executeTakeFirst();
      return { erased: Number(result.numDeletedRows) };
    },
  };
}
