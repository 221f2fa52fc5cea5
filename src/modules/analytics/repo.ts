import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Executor } from '../../platform/db/client.js';
import { toCount } from '../../platform/db/client.js';
import type { Database } from '../../database.js';

type Handle = Executor<Database>;

/** Adds one view to a page's count of the day; the same upsert on SQLite and PostgreSQL. */
export async function addPageView(handle: Handle, day: string, path: string): Promise<void> {
  await handle
    .insertInto('analyticsPageCount')
    .values({ day, path, views: 1 })
    .onConflict((oc) => oc.columns(['day', 'path']).doUpdateSet((eb) => ({ views: eb(eb.ref('analyticsPageCount.views'), '+', 1) })))
    .execute();
}

export async function insertVisit(handle: Handle, visit: { visitId: string; day: string; path: string; referrerPath: string | null }): Promise<void> {
  await handle.insertInto('analyticsVisit').values({ id: randomUUID(), ...visit }).execute();
}

/** Views and distinct visits per day, from `since` on, newest first. */
export async function listDailyTotals(db: Kysely<Database>, since: string) {
  const [views, visits] = await Promise.all([
    db.selectFrom('analyticsPageCount').select(['day', (eb) => eb.fn.sum<string | number>('views').as('views')]).where('day', '>=', since).groupBy('day').execute(),
    db.selectFrom('analyticsVisit').select(['day', (eb) => eb.fn.count<string | number>('visitId').distinct().as('visits')]).where('day', '>=', since).groupBy('day').execute(),
  ]);
  const visitsByDay = new Map(visits.map((v) => [v.day, toCount(v.visits)]));
  return views
    .map((v) => ({ day: v.day, views: toCount(v.views), visits: visitsByDay.get(v.day) ?? 0 }))
    .sort((a, b) => b.day.localeCompare(a.day));
}

/** The most viewed pages from `since` on. */
export async function listTopPages(db: Kysely<Database>, since: string, limit: number) {
  const rows = await db
    .selectFrom('analyticsPageCount')
    .select(['path', (eb) => eb.fn.sum<string | number>('views').as('views')])
    .where('day', '>=', since)
    .groupBy('path')
    .orderBy('views', 'desc')
    .orderBy('path')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ path: r.path, views: toCount(r.views) }));
}

export async function deleteVisitsBefore(handle: Handle, day: string): Promise<number> {
  const result = await handle.deleteFrom('analyticsVisit').where('day', '<', day).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteCountsBefore(handle: Handle, day: string): Promise<number> {
  const result = await handle.deleteFrom('analyticsPageCount').where('day', '<', day).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteVisitsOf(handle: Handle, visitId: string): Promise<number> {
  const result = await handle.deleteFrom('analyticsVisit').where('visitId', '=', visitId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
