import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/client.js';
import type { Database } from '../../database.js';
import type { AccountTable, AccountSessionTable, AccountTokenTable, TokenPurpose } from './tables.js';

type Db = Executor<Database>;

export function insertAccount(db: Db, account: Insertable<AccountTable>) {
  return db.insertInto('account').values(account).execute();
}

export function findAccountById(db: Db, id: string) {
  return db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAccountByLoginKey(db: Db, loginNameKey: string) {
  return db.selectFrom('account').selectAll().where('loginNameKey', '=', loginNameKey).executeTakeFirst();
}

export function findAccountByEmail(db: Db, email: string) {
  return db.selectFrom('account').selectAll().where('email', '=', email).executeTakeFirst();
}

export function updateAccount(db: Db, id: string, changes: Updateable<AccountTable>) {
  return db.updateTable('account').set(changes).where('id', '=', id).execute();
}

export function insertSession(db: Db, session: Insertable<AccountSessionTable>) {
  return db.insertInto('accountSession').values(session).execute();
}

/** The live session with the little of its account the request needs. */
export function findLiveSession(db: Db, id: string, now: string) {
  return db
    .selectFrom('accountSession')
    .innerJoin('account', 'account.id', 'accountSession.accountId')
    .select([
      'accountSession.id',
      'accountSession.accountId',
      'accountSession.createdAt',
      'accountSession.lastSeenAt',
      'account.role',
      'account.contactPerson',
      'account.loginName',
    ])
    .where('accountSession.id', '=', id)
    .where('accountSession.expiresAt', '>', now)
    .executeTakeFirst();
}

export function touchSession(db: Db, id: string, lastSeenAt: string, expiresAt: string) {
  return db.updateTable('accountSession').set({ lastSeenAt, expiresAt }).where('id', '=', id).execute();
}

export function listSessions(db: Db, accountId: string, now: string) {
  return db
    .selectFrom('accountSession')
    .select(['id', 'browser', 'os', 'ipPrefix', 'createdAt', 'lastSeenAt'])
    .where('accountId', '=', accountId)
    .where('expiresAt', '>', now)
    .orderBy('lastSeenAt', 'desc')
    .execute();
}

/** Deletes one session, only if it belongs to the account. */
export async function deleteSession(db: Db, accountId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('accountSession')
    .where('id', '=', id)
    .where('accountId', '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteSessionsExcept(db: Db, accountId: string, keepId: string | null): Promise<number> {
  let query = db.deleteFrom('accountSession').where('accountId', '=', accountId);
  if (keepId) query = query.where('id', '!=', keepId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function deleteExpiredSessions(db: Db, now: string) {
  return db.deleteFrom('accountSession').where('expiresAt', '<=', now).execute();
}

/**
 * Forgets pending email addresses whose verification link was sent before `sentBefore`: with no
 * newer link for that address, the change can no longer be confirmed. Answers how many.
 */
export async function clearStalePendingEmails(db: Db, sentBefore: string): Promise<number> {
  const result = await db
    .updateTable('account')
    .set({ pendingEmail: null })
    .where('pendingEmail', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('accountToken')
              .select('accountToken.id')
              .whereRef('accountToken.accountId', '=', 'account.id')
              .whereRef('accountToken.email', '=', 'account.pendingEmail')
              .where('accountToken.purpose', '=', 'verify-email')
              .where('accountToken.createdAt', '>=', sentBefore),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function insertToken(db: Db, token: Insertable<AccountTokenTable>) {
  return db.insertInto('accountToken').values(token).execute();
}

export function findUsableToken(db: Db, id: string, purpose: TokenPurpose, now: string) {
  return db
    .selectFrom('accountToken')
    .selectAll()
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', now)
    .executeTakeFirst();
}

/** Marks a token used; false when another request used it first. */
export async function useToken(db: Db, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('accountToken')
    .set({ usedAt: now })
    .where('id', '=', id)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Retires the account's unused tokens of a purpose, so only the newest link works. */
export function retireTokens(db: Db, accountId: string, purpose: TokenPurpose, now: string) {
  return db
    .updateTable('accountToken')
    .set({ usedAt: now })
    .where('accountId', '=', accountId)
    .where('purpose', '=', purpose)
    .where('usedAt', 'is', null)
    .execute();
}

export function findThrottle(db: Db, key: string) {
  return db.selectFrom('signInThrottle').selectAll().where('key', '=', key).executeTakeFirst();
}

export function saveThrottle(db: Db, key: string, failures: number, lastFailureAt: string, lockedUntil: string | null) {
  return db
    .insertInto('signInThrottle')
    .values({ key, failures, lastFailureAt, lockedUntil })
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures, lastFailureAt, lockedUntil }))
    .execute();
}

export function clearThrottle(db: Db, key: string) {
  return db.deleteFrom('signInThrottle').where('key', '=', key).execute();
}

export function deleteStaleThrottles(db: Db, before: string) {
  return db.deleteFrom('signInThrottle').where('lastFailureAt', '<', before).execute();
}
