/**
 * Small helpers for enforcing declared retention periods: the cut-off instant of a period, and a
 * loop that deletes in bounded batches so a large backlog never holds one long transaction.
 */

/** A retention period in calendar units (UTC), e.g. `{ years: 3 }` or `{ hours: 24 }`. */
export interface Period {
  years?: number;
  months?: number;
  days?: number;
  hours?: number;
}

/**
 * The instant `period` before `at`, as an ISO string to compare with stored `…At` columns. Years
 * and months are calendar ones (3 years before 2026-06-01 is 2023-06-01).
 * @example cutoffBefore(new Date('2026-06-01T00:00:00Z'), { years: 3 }) // '2023-06-01T00:00:00.000Z'
 */
export function cutoffBefore(at: Date, period: Period): string {
  const cutoff = new Date(at.getTime());
  if (period.years) cutoff.setUTCFullYear(cutoff.getUTCFullYear() - period.years);
  if (period.months) cutoff.setUTCMonth(cutoff.getUTCMonth() - period.months);
  if (period.days) cutoff.setUTCDate(cutoff.getUTCDate() - period.days);
  if (period.hours) cutoff.setTime(cutoff.getTime() - period.hours * 3_600_000);
  return cutoff.toISOString();
}

/** Rows one retention batch deletes at most. */
export const retentionBatchSize = 500;

/**
 * Runs `deleteBatch` until it deletes fewer rows than a batch; answers the total deleted.
 * @example await inBatches((limit) => repo.deleteEventsBefore(db, cutoff, limit))
 */
export async function inBatches(deleteBatch: (limit: number) => Promise<number>, limit = retentionBatchSize): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(limit);
    total += deleted;
    if (deleted < limit) return total;
  }
}
