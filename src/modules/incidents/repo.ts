import type { Insertable, Updateable } from 'kysely';
import type { Database } from '../../database.js';
import { toCount, type Executor } from '../../platform/db/client.js';
import type { IncidentStatus, IncidentTable } from './tables.js';

type Db = Executor<Database>;

const incidentColumns = [
  'id', 'status', 'titleZh', 'titleEn', 'summaryZh', 'summaryEn', 'foundOn', 'categories', 'consequencesZh', 'consequencesEn',
  'measuresZh', 'measuresEn', 'selfHelpZh', 'selfHelpEn', 'contact', 'scope', 'createdAt', 'updatedAt', 'publishedAt', 'notifiedAt',
] as const;
const count = (n: string | number | bigint) => toCount(n);

export async function insertIncident(db: Db, row: Insertable<IncidentTable>): Promise<void> {
  await db.insertInto('incident').values(row).execute();
}

export function findIncident(db: Db, id: string) {
  return db.selectFrom('incident').select(incidentColumns).where('id', '=', id).executeTakeFirst();
}

/** Changes an incident only while it is in the given status; answers whether it did. */
export async function updateIncidentIn(db: Db, id: string, status: IncidentStatus, changes: Updateable<IncidentTable>): Promise<boolean> {
  const result = await db.updateTable('incident').set(changes).where('id', '=', id).where('status', '=', status).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countIncidents(db: Db, status?: IncidentStatus): Promise<number> {
  let query = db.selectFrom('incident').select((eb) => eb.fn.countAll().as('n'));
  if (status) query = query.where('status', '=', status);
  return count((await query.executeTakeFirstOrThrow()).n);
}

/** One page of every incident, newest first (staff). */
export function listIncidents(db: Db, limit: number, offset: number) {
  return db.selectFrom('incident').select(['id', 'status', 'titleZh', 'titleEn', 'foundOn', 'createdAt', 'publishedAt']).orderBy('createdAt', 'desc').orderBy('id').limit(limit).offset(offset).execute();
}

/** One page of the published incidents, newest first (the public announcements). */
export function listPublished(db: Db, limit: number, offset: number) {
  return db
    .selectFrom('incident')
    .select(['id', 'titleZh', 'titleEn', 'foundOn', 'publishedAt'])
    .where('status', '=', 'published')
    .orderBy('publishedAt', 'desc')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export function listUpdates(db: Db, incidentId: string) {
  return db.selectFrom('incidentUpdate').select(['id', 'bodyZh', 'bodyEn', 'createdAt', 'notifiedAt']).where('incidentId', '=', incidentId).orderBy('createdAt').orderBy('id').execute();
}

export async function insertUpdate(db: Db, row: { id: string; incidentId: string; bodyZh: string; bodyEn: string; createdAt: string }): Promise<void> {
  await db.insertInto('incidentUpdate').values({ ...row, notifyCursor: '', notifiedAt: null }).execute();
}

/** Replaces the accounts a draft lists. */
export async function replaceListedAccounts(db: Db, incidentId: string, accountIds: string[]): Promise<void> {
  await db.deleteFrom('incidentAccount').where('incidentId', '=', incidentId).execute();
  for (let i = 0; i < accountIds.length; i += 200) {
    await db.insertInto('incidentAccount').values(accountIds.slice(i, i + 200).map((accountId) => ({ incidentId, accountId }))).execute();
  }
}

/** The login names of the accounts a draft lists, for its edit form. */
export async function listedLoginNames(db: Db, incidentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('incidentAccount as i')
    .innerJoin('account as a', 'a.id', 'i.accountId')
    .select('a.loginName')
    .where('i.incidentId', '=', incidentId)
    .orderBy('a.loginName')
    .execute();
  return rows.map((r) => r.loginName);
}

/** Accounts whose login name (any case) or email is one of the given values. */
export function findAccountsByIdentifiers(db: Db, values: string[]) {
  if (values.length === 0) return Promise.resolve([]);
  const lower = values.map((v) => v.toLowerCase());
  return db.selectFrom('account').select(['id', 'loginNameKey', 'email']).where((eb) => eb.or([eb('loginNameKey', 'in', lower), eb('email', 'in', lower)])).execute();
}

export async function countListed(db: Db, incidentId: string): Promise<number> {
  return count((await db.selectFrom('incidentAccount').select((eb) => eb.fn.countAll().as('n')).where('incidentId', '=', incidentId).executeTakeFirstOrThrow()).n);
}

export async function countVerifiedAccounts(db: Db): Promise<number> {
  return count((await db.selectFrom('account').select((eb) => eb.fn.countAll().as('n')).where('emailVerifiedAt', 'is not', null).executeTakeFirstOrThrow()).n);
}

/** How many people were told of an incident ('') or of one of its updates, by update id. */
export async function countDeliveries(db: Db, incidentId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('incidentDelivery')
    .select((eb) => ['updateId', eb.fn.countAll<string | number>().as('n')])
    .where('incidentId', '=', incidentId)
    .groupBy('updateId')
    .execute();
  return new Map(rows.map((r) => [r.updateId, count(r.n)]));
}

// ——— Delivery ———

/** Published incidents whose notices have not all gone out. */
export function listIncidentsToNotify(db: Db) {
  return db.selectFrom('incident').select(['id', 'scope']).where('status', '=', 'published').where('notifiedAt', 'is', null).orderBy('publishedAt').execute();
}

/** Updates whose notices have not all gone out, of incidents whose own notices all have. */
export function listUpdatesToNotify(db: Db) {
  return db
    .selectFrom('incidentUpdate as u')
    .innerJoin('incident as i', 'i.id', 'u.incidentId')
    .select(['u.id', 'u.incidentId'])
    .where('u.notifiedAt', 'is', null)
    .where('i.notifiedAt', 'is not', null)
    .orderBy('u.createdAt')
    .execute();
}

export type Recipient = { id: string; email: string; emailVerifiedAt: string | null };

/** The next accounts with a verified address after a cursor, in id order (scope `all`). */
export function verifiedAccountsAfter(db: Db, cursor: string, limit: number): Promise<Recipient[]> {
  return db.selectFrom('account').select(['id', 'email', 'emailVerifiedAt']).where('id', '>', cursor).where('emailVerifiedAt', 'is not', null).orderBy('id').limit(limit).execute();
}

/** The next listed accounts of an incident after a cursor, in id order (scope `listed`). */
export function listedAccountsAfter(db: Db, incidentId: string, cursor: string, limit: number): Promise<Recipient[]> {
  return db
    .selectFrom('incidentAccount as i')
    .innerJoin('account as a', 'a.id', 'i.accountId')
    .select(['a.id', 'a.email', 'a.emailVerifiedAt'])
    .where('i.incidentId', '=', incidentId)
    .where('a.id', '>', cursor)
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

/** The next accounts told of an incident itself after a cursor: those an update goes to. */
export function toldAccountsAfter(db: Db, incidentId: string, cursor: string, limit: number): Promise<Recipient[]> {
  return db
    .selectFrom('incidentDelivery as d')
    .innerJoin('account as a', 'a.id', 'd.accountId')
    .select(['a.id', 'a.email', 'a.emailVerifiedAt'])
    .where('d.incidentId', '=', incidentId)
    .where('d.updateId', '=', '')
    .where('a.id', '>', cursor)
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

export function findCursor(db: Db, table: 'incident' | 'incidentUpdate', id: string) {
  return db.selectFrom(table).select(['notifyCursor', 'notifiedAt']).where('id', '=', id).executeTakeFirst();
}

/**
 * Moves a notice cursor, but only from where this worker found it and while it is not done:
 * answers false when another instance moved it first.
 */
export async function advanceCursor(db: Db, table: 'incident' | 'incidentUpdate', id: string, from: string, to: string, notifiedAt: string | null): Promise<boolean> {
  const result = await db
    .updateTable(table)
    .set({ notifyCursor: to, notifiedAt })
    .where('id', '=', id)
    .where('notifyCursor', '=', from)
    .where('notifiedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records that a person was told unless they were; answers whether it was recorded. */
export async function insertDelivery(db: Db, row: { incidentId: string; updateId: string; accountId: string; createdAt: string }): Promise<boolean> {
  const result = await db.insertInto('incidentDelivery').values(row).onConflict((oc) => oc.columns(['incidentId', 'updateId', 'accountId']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

// ——— Personal data and retention ———

/** What a person was told, and when, for their export. */
export function listDeliveriesOf(db: Db, accountId: string) {
  return db
    .selectFrom('incidentDelivery as d')
    .innerJoin('incident as i', 'i.id', 'd.incidentId')
    .select(['d.incidentId', 'd.updateId', 'i.titleZh', 'i.titleEn', 'd.createdAt'])
    .where('d.accountId', '=', accountId)
    .orderBy('d.createdAt')
    .execute();
}

export function listListingsOf(db: Db, accountId: string) {
  return db
    .selectFrom('incidentAccount as l')
    .innerJoin('incident as i', 'i.id', 'l.incidentId')
    .select(['l.incidentId', 'i.titleZh', 'i.titleEn', 'i.status'])
    .where('l.accountId', '=', accountId)
    .execute();
}

/** Deletes a person's delivery and listing rows; answers how many went. */
export async function deleteRowsOf(db: Db, accountId: string): Promise<number> {
  const deliveries = await db.deleteFrom('incidentDelivery').where('accountId', '=', accountId).executeTakeFirst();
  const listings = await db.deleteFrom('incidentAccount').where('accountId', '=', accountId).executeTakeFirst();
  return Number(deliveries.numDeletedRows) + Number(listings.numDeletedRows);
}

/** Deletes who was listed and told for incidents published before the instant; answers how many rows. */
export async function deleteLinksPublishedBefore(db: Db, before: string): Promise<number> {
  const old = db.selectFrom('incident').select('id').where('status', '=', 'published').where('publishedAt', '<', before);
  const deliveries = await db.deleteFrom('incidentDelivery').where('incidentId', 'in', old).executeTakeFirst();
  const listings = await db.deleteFrom('incidentAccount').where('incidentId', 'in', old).executeTakeFirst();
  return Number(deliveries.numDeletedRows) + Number(listings.numDeletedRows);
}
