import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { cutoffBefore, inBatches } from '../../platform/privacy/retention-period.js';

/** How long a closed request is kept as the record of its handling (the declared retention). */
export const requestRetentionYears = 3;

/**
 * Deletes privacy requests closed more than 3 years ago, with their replies, in batches; answers
 * how many requests went. Open and answered requests stay whatever their age: the period starts
 * at closing. A function of the module rather than of its service, so the retention registry can
 * run it with the database alone.
 * @example await deleteExpiredPrivacyRequests(db, new Date())
 */
export function deleteExpiredPrivacyRequests(db: Kysely<Database>, at: Date = new Date()): Promise<number> {
  const before = cutoffBefore(at, { years: requestRetentionYears });
  return inBatches(async (limit) => {
    const ids = (
      await db.selectFrom('privacyRequest').select('id').where('status', '=', 'closed').where('closedAt', '<', before).limit(limit).execute()
    ).map((r) => r.id);
    if (ids.length === 0) return 0;
    // Replies first, so the order holds with or without the cascade of the foreign key.
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('privacyRequestReply').where('requestId', 'in', ids).execute();
      await trx.deleteFrom('privacyRequest').where('id', 'in', ids).execute();
    });
    return ids.length;
  });
}
