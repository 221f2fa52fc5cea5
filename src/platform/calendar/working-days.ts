/*
 * Working-day arithmetic on the mainland China (PRC) calendar, for legal periods such as
 * "within 15 working days" (工作日) and "within 30 days" (日).
 *
 * A day is a calendar date in Asia/Shanghai. It is a working day when the State Council's
 * arrangement for its year makes it one (调休上班), is not one when the arrangement gives it off
 * (放假), and otherwise when it is Monday to Friday. The arrangements come from prc-holidays.json,
 * one notice per year, each published late in the year before.
 *
 * Years without an arrangement (before 2024, or next year before its notice is out) fall back
 * to weekends only rather than throwing: a deadline must still be computable on 30 December for
 * a request made that day. The fallback ignores public holidays, so it can land a deadline on a
 * day off; callers that state a deadline to a person check `isCovered(year)` for the years the
 * period spans and warn or log when it is false. Add the next year's notice to the JSON when the
 * State Council publishes it (usually October–December).
 *
 * A Date is read in Asia/Shanghai with a fixed +08:00 offset (China has had no daylight saving
 * since 1991). All results are `YYYY-MM-DD` strings.
 */
import data from './prc-holidays.json' with { type: 'json' };

/** A calendar date in Asia/Shanghai: `YYYY-MM-DD`, or an instant read in Asia/Shanghai. */
export type CalendarDate = string | Date;

interface Name {
  zh: string;
  en: string;
}

interface YearArrangement {
  notice: string | null;
  published: string;
  holidays: { name: Name; from: string; to: string }[];
  workdays: { name: Name; date: string }[];
}

const arrangements: Record<string, YearArrangement> = data.years;

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
// Ten years of days: far beyond any legal period, and bounds the day-by-day loops.
const MAX_DAYS = 3_660;

const daysOff = new Set<number>();
const daysOn = new Set<number>();
for (const arrangement of Object.values(arrangements)) {
  for (const holiday of arrangement.holidays) {
    for (let day = toDayNumber(holiday.from); day <= toDayNumber(holiday.to); day++) daysOff.add(day);
  }
  for (const workday of arrangement.workdays) daysOn.add(toDayNumber(workday.date));
}

/**
 * Whether the holiday data covers a year; when false, that year's days count as working days
 * Monday to Friday, public holidays ignored.
 * @example isCovered(2025) // true
 */
export function isCovered(year: number): boolean {
  return Object.hasOwn(arrangements, String(year));
}

/** The years the holiday data covers, ascending. */
export function coveredYears(): number[] {
  return Object.keys(arrangements)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Whether a date is a working day in mainland China.
 * @example isWorkingDay('2025-09-28') // true: a Sunday worked for National Day
 */
export function isWorkingDay(date: CalendarDate): boolean {
  return isWorkingDayNumber(toDayNumber(date));
}

/**
 * The deadline n working days after a start date: the n-th working day after it, the start day
 * itself not counted (whether or not it is a working day). n = 0 gives the start date.
 * @example addWorkingDays('2025-09-26', 15) // '2025-10-23'
 */
export function addWorkingDays(start: CalendarDate, n: number): string {
  checkCount(n);
  let day = toDayNumber(start);
  for (let counted = 0; counted < n; ) {
    day++;
    if (isWorkingDayNumber(day)) counted++;
  }
  return fromDayNumber(day);
}

/**
 * The working days after a and up to b, b included, so that
 * `workingDaysBetween(a, addWorkingDays(a, n)) === n`; negative when b is before a, with
 * `workingDaysBetween(b, a) === -workingDaysBetween(a, b)`.
 * @example workingDaysBetween('2025-09-26', '2025-10-23') // 15
 */
export function workingDaysBetween(a: CalendarDate, b: CalendarDate): number {
  const from = toDayNumber(a);
  const to = toDayNumber(b);
  if (to < from) return -workingDaysBetween(b, a);
  checkCount(to - from);
  let count = 0;
  for (let day = from + 1; day <= to; day++) if (isWorkingDayNumber(day)) count++;
  return count;
}

/**
 * The date n calendar days after (or, n negative, before) a start date, holidays counted.
 * @example addCalendarDays('2024-02-28', 30) // '2024-03-29'
 */
export function addCalendarDays(start: CalendarDate, n: number): string {
  checkCount(Math.abs(n));
  return fromDayNumber(toDayNumber(start) + n);
}

/**
 * The date itself when it is a working day, else the next working day: for a period whose last
 * day falls on a day off and moves to the day after (e.g. Civil Code art. 203).
 * @example firstWorkingDayFrom('2025-10-01') // '2025-10-09'
 */
export function firstWorkingDayFrom(date: CalendarDate): string {
  let day = toDayNumber(date);
  while (!isWorkingDayNumber(day)) day++;
  return fromDayNumber(day);
}

function isWorkingDayNumber(day: number): boolean {
  if (daysOn.has(day)) return true;
  if (daysOff.has(day)) return false;
  // Day 0, 1970-01-01, was a Thursday; weekday 0 is Sunday, 6 Saturday.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday !== 0 && weekday !== 6;
}

/** Days since 1970-01-01 of the Asia/Shanghai calendar date. */
function toDayNumber(date: CalendarDate): number {
  if (date instanceof Date) {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
    return Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(year, month - 1, day);
    // Date.UTC rolls 2025-02-29 over to 03-01: a date that does not round-trip does not exist.
    if (fromDayNumber(ms / MS_PER_DAY) === date) return ms / MS_PER_DAY;
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

function fromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function checkCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_DAYS) {
    throw new RangeError(`Expected a whole number of days from 0 to ${MAX_DAYS}, got ${n}`);
  }
}
