import { categoryPath, findCategory } from '../catalogue/index.js';

/** At most this many companies quote on one request. */
export const maxQuotes = 20;
/** A buyer posts at most this many requests in any 24 hours. */
export const maxRequestsPerDay = 10;
/** The deadline is at least tomorrow and at most this many days ahead (Asia/Shanghai). */
export const maxDeadlineDays = 90;
/** A quote holds at most this many days ahead. */
export const maxValidityDays = 365;
export const pageSize = 20;

const dayMs = 86_400_000;
const shanghaiOffsetMs = 8 * 3_600_000;

/** The day an instant falls on in Asia/Shanghai, as `YYYY-MM-DD`. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + shanghaiOffsetMs).toISOString().slice(0, 10);
}

/** A calendar day plus some days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/**
 * The instant a day ends in Asia/Shanghai (the next day's midnight there), as an ISO string: a
 * request with that deadline takes quotes until then.
 * @example endOfShanghaiDay('2026-12-10') // '2026-12-10T16:00:00.000Z'
 */
export function endOfShanghaiDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + dayMs - shanghaiOffsetMs).toISOString();
}

/**
 * The industry (root of the category tree) of a known category; undefined for an unknown id.
 * Suppliers see the requests of the industries they publish products in.
 * @example industryOf('lighting.led-high-bay') // 'lighting'
 */
export function industryOf(categoryId: string): string | undefined {
  return findCategory(categoryId) ? categoryPath(categoryId)[0]?.id : undefined;
}
