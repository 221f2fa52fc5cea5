/** Dates of legal documents: calendar days in Asia/Shanghai (UTC+8, no daylight saving). */

const shanghaiOffsetMs = 8 * 3_600_000;
const dayMs = 86_400_000;

/** The day an instant falls on in Asia/Shanghai, as `YYYY-MM-DD`. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + shanghaiOffsetMs).toISOString().slice(0, 10);
}

/** Whether a value is a real calendar day written `YYYY-MM-DD` (so 2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
}

/** The instant a day begins in Asia/Shanghai. */
export function shanghaiMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - shanghaiOffsetMs);
}

/** A calendar day plus some days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}
