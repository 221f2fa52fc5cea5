import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';
import { parseParams } from './service.js';

const lifetime = 'account-lifetime';

export const noticesDataMap: DataMap = {
  notice: {
    id: technical('identifies a notice', lifetime),
    account_id: personal('account.identifier', 'show a notice to the account it is for', 'contract', lifetime),
    kind: personal('notices', 'what the notice tells the person (e.g. their company was verified)', 'contract', lifetime),
    params: personal('notices', 'the details of a notice, such as a company name or a rejection reason', 'contract', lifetime),
    link: technical('the page a notice is about', lifetime),
    created_at: technical('ordering', lifetime),
    read_at: personal('notices', 'show which notices the person has read', 'contract', lifetime),
  },
};

/** Access, export and erasure of a person's in-site notices. */
export function noticesProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'notices',
    describe: () => noticesDataMap,
    async export(subjectId) {
      const rows = await db
        .selectFrom('notice')
        .select(['kind', 'params', 'link', 'createdAt', 'readAt'])
        .where('accountId', '=', subjectId)
        .orderBy('createdAt')
        .execute();
      return { provider: 'notices', records: { notices: rows.map((r) => ({ ...r, params: parseParams(r.params) })) } };
    },
    async erase(subjectId) {
      const result = await db.deleteFrom('notice').where('accountId', '=', subjectId).executeTakeFirst();
      return { erased: Number(result.numDeletedRows) };
    },
  };
}
