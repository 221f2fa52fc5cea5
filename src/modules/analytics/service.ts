import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { addCalendarDays } from '../../platform/calendar/working-days.js';
import { pagePath } from './page-path.js';
import * as repo from './repo.js';

/** Visit events are kept 6 months (the data map says so); the main timer enforces it hourly. */
export const visitRetentionDays = 183;
/** Daily page counts, about no one, are kept 2 years for year-on-year comparison. */
export const countRetentionDays = 731;
/** How many days the staff report covers. */
export const reportDays = 30;

export interface AnalyticsDeps {
  db: Kysely<Database>;
  clock?: () => Date;
}

/** One page view as the beacon reports it; the visit id is null when the browser has none. */
export interface PageView {
  path: string;
  referrerPath?: string;
  visitId: string | null;
}

/** Makes the analytics service: first-party page counting for browsers that consented to it. */
export function createAnalyticsService(deps: AnalyticsDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());

  return {
    /**
     * Counts one page view: the page's count of the (Beijing) day and, when the browser has a
     * visit id, the visit event. The caller has checked consent. Answers whether it counted;
     * a path that is not a page is not counted.
     * @example await analytics.countView({ path: '/companies', visitId })
     */
    async countView(view: PageView): Promise<boolean> {
      const path = pagePath(view.path);
      if (!path) return false;
      const referrerPath = view.referrerPath ? pagePath(view.referrerPath) : null;
      const day = addCalendarDays(clock(), 0);
      await db.transaction().execute(async (trx) => {
        await repo.addPageView(trx, day, path);
        if (view.visitId) await repo.insertVisit(trx, { visitId: view.visitId, day, path, referrerPath });
      });
      return true;
    },

    /** The last 30 days for staff: views and distinct visits per day, and the most viewed pages. */
    async report() {
      const since = addCalendarDays(clock(), -(reportDays - 1));
      const [days, pages] = await Promise.all([repo.listDailyTotals(db, since), repo.listTopPages(db, since, 20)]);
      return { since, days, pages };
    },

    /** Deletes the visit events of one browser, once it no longer consents; answers how many. */
    async forgetVisit(visitId: string): Promise<number> {
      return repo.deleteVisitsOf(db, visitId);
    },

    /** Deletes visit events older than 6 months and page counts older than 2 years. */
    async deleteExpired(at: Date = clock()): Promise<{ visits: number; counts: number }> {
      const now = at;
      const visits = await repo.deleteVisitsBefore(db, addCalendarDays(now, -visitRetentionDays));
      const counts = await repo.deleteCountsBefore(db, addCalendarDays(now, -countRetentionDays));
      return { visits, counts };
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
