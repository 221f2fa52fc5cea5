import { describe, expect, it } from 'vitest';
import data from './prc-holidays.json' with { type: 'json' };
import {
  addCalendarDays,
  addWorkingDays,
  coveredYears,
  firstWorkingDayFrom,
  isCovered,
  isWorkingDay,
  workingDaysBetween,
} from './working-days.js';

/** 0 = Sunday … 6 = Saturday. */
const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('prc-holidays.json', () => {
  const years = Object.entries(data.years);

  it('covers 2024, 2025 and 2026', () => {
    expect(coveredYears()).toEqual([2024, 2025, 2026]);
  });

  it('lists only Saturdays and Sundays of their own year as adjusted working days', () => {
    for (const [year, arrangement] of years) {
      for (const { date } of arrangement.workdays) {
        expect(date.startsWith(`${year}-`), date).toBe(true);
        expect([0, 6], date).toContain(weekday(date));
      }
    }
  });

  it('lists holiday ranges inside their own year, in order, none overlapping an adjusted working day', () => {
    for (const [year, arrangement] of years) {
      const workdays = arrangement.workdays.map((w) => w.date);
      for (const { from, to } of arrangement.holidays) {
        expect(from.startsWith(`${year}-`) && to.startsWith(`${year}-`), from).toBe(true);
        expect(from <= to, from).toBe(true);
        expect(workdays.some((d) => d >= from && d <= to), from).toBe(false);
      }
    }
  });

  it('names every entry in Chinese and English', () => {
    for (const [, arrangement] of years) {
      for (const { name } of [...arrangement.holidays, ...arrangement.workdays]) {
        expect(name.zh.length * name.en.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2025-03-10', true, 'an ordinary Monday'],
    ['2025-03-14', true, 'an ordinary Friday'],
    ['2025-03-15', false, 'an ordinary Saturday'],
    ['2025-03-16', false, 'an ordinary Sunday'],
    ['2025-01-01', false, "New Year's Day"],
    ['2025-01-26', true, 'a Sunday worked before Spring Festival'],
    ['2025-02-08', true, 'a Saturday worked after Spring Festival'],
    ['2025-01-28', false, "Spring Festival Eve, a Tuesday off"],
    ['2025-02-04', false, 'the last day of Spring Festival, a Tuesday off'],
    ['2025-04-27', true, 'a Sunday worked for Labour Day'],
    ['2025-05-05', false, 'a Monday off for Labour Day'],
    ['2025-09-28', true, 'a Sunday worked for National Day'],
    ['2025-10-08', false, 'a Wednesday off for National Day'],
    ['2025-10-11', true, 'a Saturday worked for National Day'],
    ['2024-02-18', true, 'a Sunday worked after Spring Festival 2024'],
    ['2024-05-11', true, 'a Saturday worked after Labour Day 2024'],
    ['2024-09-14', true, 'a Saturday worked for Mid-Autumn 2024'],
    ['2024-09-16', false, 'a Monday off for Mid-Autumn 2024'],
    ['2026-01-02', false, 'a Friday off for New Year 2026'],
    ['2026-01-04', true, 'a Sunday worked for New Year 2026'],
    ['2026-02-23', false, 'the last day of Spring Festival 2026, a Monday'],
    ['2026-02-28', true, 'a Saturday worked after Spring Festival 2026'],
    ['2024-02-29', true, 'a leap day on a Thursday'],
  ])('%s is %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('reads a Date in Asia/Shanghai, not UTC', () => {
    // 2025-09-30 23:30 UTC is already 2025-10-01 07:30 in Shanghai, a day off.
    expect(isWorkingDay(new Date('2025-09-30T23:30:00Z'))).toBe(false);
    // 2025-10-08 16:00 UTC is 2025-10-09 00:00 in Shanghai, the first day back.
    expect(isWorkingDay(new Date('2025-10-08T16:00:00Z'))).toBe(true);
    expect(isWorkingDay(new Date('2025-10-09T00:00:00+08:00'))).toBe(true);
  });

  it.each(['2025-02-29', '2025-13-01', '2025-1-5', '20250105', '', '2025-01-05T00:00'])(
    'rejects %j as not a calendar date',
    (date) => {
      expect(() => isWorkingDay(date)).toThrow(RangeError);
    },
  );

  it('rejects an invalid Date', () => {
    expect(() => isWorkingDay(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('counts 15 working days across Golden Week 2025, with the Sunday and Saturday worked', () => {
    // Fri 9/26 → Sun 9/28 (1), 9/29 (2), 9/30 (3), 10/1–10/8 off, 10/9 (4), 10/10 (5),
    // Sat 10/11 (6), 10/13–10/17 (7–11), 10/20–10/23 (12–15).
    expect(addWorkingDays('2025-09-26', 15)).toBe('2025-10-23');
  });

  it('steps over Spring Festival 2025 and onto the Saturday worked after it', () => {
    // Fri 1/24 → Sun 1/26 (1), Mon 1/27 (2), 1/28–2/4 off, 2/5 (3), 2/6 (4), 2/7 (5), Sat 2/8 (6).
    expect(addWorkingDays('2025-01-24', 5)).toBe('2025-02-07');
    expect(addWorkingDays('2025-01-24', 6)).toBe('2025-02-08');
  });

  it('counts an ordinary week as five working days', () => {
    expect(addWorkingDays('2025-03-10', 5)).toBe('2025-03-17');
    expect(addWorkingDays('2025-03-12', 2)).toBe('2025-03-14');
  });

  it('does not count the start day, even when it falls on a weekend', () => {
    expect(addWorkingDays('2025-03-15', 1)).toBe('2025-03-17');
    expect(addWorkingDays('2025-03-16', 1)).toBe('2025-03-17');
    expect(addWorkingDays('2025-03-14', 1)).toBe('2025-03-17');
  });

  it('gives the start date for zero working days', () => {
    expect(addWorkingDays('2025-03-15', 0)).toBe('2025-03-15');
  });

  it('crosses a leap day', () => {
    expect(addWorkingDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addWorkingDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addWorkingDays('2025-02-27', 2)).toBe('2025-03-03');
  });

  it('crosses year boundaries, skipping New Year and taking the Sunday worked in 2026', () => {
    expect(addWorkingDays('2024-12-31', 1)).toBe('2025-01-02');
    expect(addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
  });

  it('accepts a Date read in Asia/Shanghai', () => {
    // 2025-09-25 17:00 UTC is Friday 2025-09-26 01:00 in Shanghai.
    expect(addWorkingDays(new Date('2025-09-25T17:00:00Z'), 15)).toBe('2025-10-23');
  });

  it.each([-1, 1.5, Number.NaN, 10_000])('rejects %s working days', (n) => {
    expect(() => addWorkingDays('2025-01-01', n)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('undoes addWorkingDays', () => {
    for (const [start, n] of [
      ['2025-09-26', 15],
      ['2025-01-24', 6],
      ['2024-12-31', 1],
      ['2025-12-31', 1],
      ['2024-01-01', 250],
    ] as const) {
      expect(workingDaysBetween(start, addWorkingDays(start, n))).toBe(n);
    }
  });

  it('is zero from a day to itself', () => {
    expect(workingDaysBetween('2025-10-01', '2025-10-01')).toBe(0);
    expect(workingDaysBetween('2025-03-10', '2025-03-10')).toBe(0);
  });

  it('is antisymmetric: swapping the dates negates the count', () => {
    expect(workingDaysBetween('2025-10-23', '2025-09-26')).toBe(-15);
    expect(workingDaysBetween('2025-03-16', '2025-03-10')).toBe(-workingDaysBetween('2025-03-10', '2025-03-16'));
  });

  it('counts nothing across a stretch of days off', () => {
    expect(workingDaysBetween('2025-09-30', '2025-10-08')).toBe(0);
    expect(workingDaysBetween('2025-03-14', '2025-03-16')).toBe(0);
  });

  it('counts the working days of whole years', () => {
    // Counted by hand from the notices: weekdays − weekdays off + weekend days worked.
    // 2024: 262 − 19 + 8 = 251. 2025: 261 − 18 + 5 = 248. 2026: 261 − 19 + 6 = 248.
    expect(workingDaysBetween('2023-12-31', '2024-12-31')).toBe(251);
    expect(workingDaysBetween('2024-12-31', '2025-12-31')).toBe(248);
    expect(workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248);
  });
});

describe('addCalendarDays', () => {
  it('counts every day, holidays included', () => {
    expect(addCalendarDays('2025-09-26', 30)).toBe('2025-10-26');
    expect(addCalendarDays('2025-10-01', -1)).toBe('2025-09-30');
  });

  it('knows leap years', () => {
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addCalendarDays('2024-02-29', 366)).toBe('2025-03-01');
  });

  it('crosses a year boundary', () => {
    expect(addCalendarDays('2025-12-15', 30)).toBe('2026-01-14');
  });
});

describe('firstWorkingDayFrom', () => {
  it('keeps a working day and moves a day off to the next working day', () => {
    expect(firstWorkingDayFrom('2025-10-09')).toBe('2025-10-09');
    expect(firstWorkingDayFrom('2025-10-01')).toBe('2025-10-09');
    expect(firstWorkingDayFrom('2025-03-15')).toBe('2025-03-17');
  });
});

describe('years the data does not cover', () => {
  it('reports which years are covered', () => {
    expect(isCovered(2023)).toBe(false);
    expect(isCovered(2024)).toBe(true);
    expect(isCovered(2026)).toBe(true);
    expect(isCovered(2027)).toBe(false);
  });

  it('falls back to Monday to Friday, ignoring public holidays', () => {
    // 2027-01-01 is a Friday and will surely be a day off, but no notice is loaded yet.
    expect(isWorkingDay('2027-01-01')).toBe(true);
    expect(isWorkingDay('2027-01-02')).toBe(false);
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isWorkingDay('2023-10-02')).toBe(true);
  });

  it('handles a leap day in an uncovered year', () => {
    expect(isWorkingDay('2028-02-29')).toBe(true);
    expect(addWorkingDays('2028-02-25', 2)).toBe('2028-02-29');
  });
});
