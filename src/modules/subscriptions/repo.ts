import type { Insertable, Updateable } from 'kysely';
import type { Database } from '../../database.js';
import { toCount, type Executor } from '../../platform/db/client.js';
import type { SubscriptionTable } from './tables.js';

type Db = Executor<Database>;

export async function insertSubscription(db: Db, row: Insertable<SubscriptionTable>): Promise<void> {
  await db.insertInto('subscription').values(row).execute();
}

/** The account's subscription with this id; nothing for anyone else's. */
export function findOwned(db: Db, accountId: string, id: string) {
  return db.selectFrom('subscription').selectAll().where('id', '=', id).where('accountId', '=', accountId).executeTakeFirst();
}

/** A subscription by id alone: only for the signed unsubscribe link, which proves who may act. */
export function findById(db: Db, id: string) {
  return db.selectFrom('subscription').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Changes the account's own subscription; answers whether there was one. */
export async function updateOwned(db: Db, accountId: string, id: string, changes: Updateable<SubscriptionTable>): Promise<boolean> {
  const result = await db.updateTable('subscription').set(changes).where('id', '=', id).where('accountId', '=', accountId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes the account's own subscription; answers whether there was one. */
export async function deleteOwned(db: Db, accountId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('subscription').where('id', '=', id).where('accountId', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countForAccount(db: Db, accountId: string): Promise<number> {
  const row = await db.selectFrom('subscription').select((eb) => eb.fn.countAll().as('n')).where('accountId', '=', accountId).executeTakeFirstOrThrow();
  return toCount(row.n);
}

/** The account's subscriptions, oldest first (a person has at most a few dozen). */
export function listForAccount(db: Db, accountId: string, status?: SubscriptionTable['status']) {
  let query = db.selectFrom('subscription').selectAll().where('accountId', '=', accountId);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('createdAt').orderBy('id').execute();
}

/** Turns alerts off from the signed link; answers whether anything changed. */
export async function turnAlertsOff(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('subscription')
    .set({ alertFrequency: 'off', alertDueAt: null, updatedAt: at })
    .where('id', '=', id)
    .where('alertFrequency', '!=', 'off')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Accounts with an alert due, with their address; one page at a time by account id. */
export function listDueAccounts(db: Db, at: string, after: string, limit: number) {
  return db
    .selectFrom('subscription as s')
    .innerJoin('account as a', 'a.id', 's.accountId')
    .select(['s.accountId', 'a.email'])
    .where('s.alertDueAt', '<=', at)
    .where('s.status', '=', 'active')
    .where('s.alertFrequency', '!=', 'off')
    .where('s.accountId', '>', after)
    .groupBy(['s.accountId', 'a.email'])
    .orderBy('s.accountId')
    .limit(limit)
    .execute();
}

/** The account's subscriptions with an alert due. */
export function listDue(db: Db, accountId: string, at: string) {
  return db
    .selectFrom('subscription')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('alertDueAt', '<=', at)
    .where('status', '=', 'active')
    .where('alertFrequency', '!=', 'off')
    .orderBy('createdAt')
    .execute();
}

/**
 * Takes a due alert: moves its due time on, only if no other run (on any instance) took it
 * first, which the unchanged due time proves. Answers whether this run took it.
 */
export async function claimAlert(db: Db, id: string, dueAt: string, next: { alertedAt: string; alertDueAt: string }): Promise<boolean> {
  const result = await db.updateTable('subscription').set(next).where('id', '=', id).where('alertDueAt', '=', dueAt).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Whether the person has any subscription at all (an account-wide unsubscribe link needs one). */
export async function hasSubscriptions(db: Db, accountId: string): Promise<boolean> {
  return (await db.selectFrom('subscription').select('id').where('accountId', '=', accountId).limit(1).executeTakeFirst()) !== undefined;
}

/** Whether any of the person's subscriptions still sends alerts. */
export async function hasAlertsOn(db: Db, accountId: string): Promise<boolean> {
  const row = await db.selectFrom('subscription').select('id').where('accountId', '=', accountId).where('alertFrequency', '!=', 'off').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Turns off the alerts of every subscription of the person; answers how many were on. */
export async function turnAllAlertsOff(db: Db, accountId: string, at: string): Promise<number> {
  const result = await db
    .updateTable('subscription')
    .set({ alertFrequency: 'off', alertDueAt: null, updatedAt: at })
    .where('accountId', '=', accountId)
    .where('alertFrequency', '!=', 'off')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
