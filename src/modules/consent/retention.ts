import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { cutoffBefore, inBatches } from '../../platform/privacy/retention-period.js';
import { consentCookieMaxAge } from './purposes.js';

/** How long the ledger proves a consent after it could last be relied on (the declared retention). */
export const proofYears = 3;

/**
 * Enforces the ledger's retention, 'account-lifetime + 3 years (proof of consent)', in batches.
 * Answers how many rows were cut off a person and how many were deleted.
 *
 * Why these rules. The ledger is the proof that processing was lawful (PIPL arts. 14–15 put the
 * burden on us), so a line must outlive the consent it records by the proof period, and no more.
 * 1. Lines of an existing account stay: a withdrawn choice still proves what earlier processing
 *    rested on, for as long as the account lasts.
 * 2. Lines whose account is gone are cut off the person (subject and browser id set to null), the
 *    one change erasure makes to the ledger. Erasure normally does this as the account goes; this
 *    finishes an erasure that stopped half-way. We keep no record of when an account went, so
 *    waiting "3 years after the account" is impossible to do exactly; anonymising at once keeps
 *    the proof in the form erasure keeps it and never holds the link longer than declared.
 * 3. Lines cut off a person are deleted 3 years after they were written. The account ended after
 *    the line was written, so this is never later than the declared end; they no longer prove
 *    anything about anyone, so deleting them sooner loses no proof a person could be shown.
 * 4. An anonymous browser has no account: its "lifetime" is that of its choice, which its cookie
 *    carries for 12 months after the latest line. So a browser's whole ledger goes together,
 *    3 years after that: when its latest line is older than 12 months + 3 years. Deleting line by
 *    line instead would remove the proof of a choice still in force.
 */
export async function deleteExpiredConsents(db: Kysely<Database>, at: Date = new Date()): Promise<{ anonymised: number; deleted: number }> {
  const proofCutoff = cutoffBefore(at, { years: proofYears });
  const browserCutoff = cutoffBefore(new Date(at.getTime() - consentCookieMaxAge * 1000), { years: proofYears });

  const anonymised = await inBatches(async (limit) => {
    const result = await db
      .updateTable('consentRecord')
      .set({ subject: null, consentId: null })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('consentRecord as c')
          .select('c.id')
          .where('c.subject', 'is not', null)
          .where((w) => w.not(w.exists(w.selectFrom('account').select('account.id').whereRef('account.id', '=', 'c.subject'))))
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  });

  const cutOff = await inBatches(async (limit) => {
    const result = await db
      .deleteFrom('consentRecord')
      .where('id', 'in', (eb) =>
        eb.selectFrom('consentRecord').select('id').where('subject', 'is', null).where('consentId', 'is', null).where('createdAt', '<', proofCutoff).limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });

  let browserLines = 0;
  await inBatches(async (limit) => {
    const ids = (
      await db
        .selectFrom('consentRecord')
        .select('consentId')
        .where('subject', 'is', null)
        .where('consentId', 'is not', null)
        .groupBy('consentId')
        .having((eb) => eb.fn.max('createdAt'), '<', browserCutoff)
        .limit(limit)
        .execute()
    ).flatMap((r) => (r.consentId ? [r.consentId] : []));
    if (ids.length === 0) return 0;
    const result = await db.deleteFrom('consentRecord').where('subject', 'is', null).where('consentId', 'in', ids).executeTakeFirst();
    browserLines += Number(result.numDeletedRows);
    return ids.length;
  });

  return { anonymised, deleted: cutOff + browserLines };
}
