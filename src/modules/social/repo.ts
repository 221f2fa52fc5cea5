import type { Insertable } from 'kysely';
import type { Database } from '../../database.js';
import { toCount, type Executor } from '../../platform/db/client.js';
import type { Target } from './schema.js';
import type { ShareChannel, ShareLinkTable, TargetType } from './tables.js';

type Db = Executor<Database>;

/** Adds the follow unless it exists; answers whether a row was added. */
export async function insertFollow(db: Db, row: { id: string; accountId: string; target: Target; createdAt: string }): Promise<boolean> {
  const result = await db
    .insertInto('follow')
    .values({ id: row.id, accountId: row.accountId, targetType: row.target.type, targetId: row.target.id, createdAt: row.createdAt })
    .onConflict((oc) => oc.columns(['accountId', 'targetType', 'targetId']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes the follow; answers whether there was one. */
export async function deleteFollow(db: Db, accountId: string, target: Target): Promise<boolean> {
  const result = await db
    .deleteFrom('follow')
    .where('accountId', '=', accountId)
    .where('targetType', '=', target.type)
    .where('targetId', '=', target.id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function isFollowing(db: Db, accountId: string, target: Target): Promise<boolean> {
  const row = await db
    .selectFrom('follow')
    .select('id')
    .where('accountId', '=', accountId)
    .where('targetType', '=', target.type)
    .where('targetId', '=', target.id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countFollowers(db: Db, target: Target): Promise<number> {
  const row = await db
    .selectFrom('follow')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('targetType', '=', target.type)
    .where('targetId', '=', target.id)
    .executeTakeFirstOrThrow();
  return toCount(row.n);
}

/** How many follows of any kind the account has. */
export async function countFollows(db: Db, accountId: string, type?: TargetType): Promise<number> {
  let query = db.selectFrom('follow').select((eb) => eb.fn.countAll().as('n')).where('accountId', '=', accountId);
  if (type) query = query.where('targetType', '=', type);
  return toCount((await query.executeTakeFirstOrThrow()).n);
}

/** One page of the account's follows of one kind, newest first. Only ever the account's own rows. */
export function listFollows(db: Db, accountId: string, type: TargetType, limit: number, offset: number) {
  return db
    .selectFrom('follow')
    .select(['targetId', 'createdAt'])
    .where('accountId', '=', accountId)
    .where('targetType', '=', type)
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** The person's reusable token for a target and channel (copied links and QR codes). */
export function findReusableShare(db: Db, sharerId: string, target: Target, channel: ShareChannel) {
  return db
    .selectFrom('shareLink')
    .select(['id', 'token'])
    .where('sharerId', '=', sharerId)
    .where('targetType', '=', target.type)
    .where('targetId', '=', target.id)
    .where('channel', '=', channel)
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst();
}

export async function insertShare(db: Db, row: Insertable<ShareLinkTable>): Promise<void> {
  await db.insertInto('shareLink').values(row).execute();
}

export function findShareByToken(db: Db, token: string) {
  return db.selectFrom('shareLink').select(['id', 'sharerId', 'targetType', 'targetId', 'channel', 'createdAt']).where('token', '=', token).executeTakeFirst();
}

/** Emails the person shared since the instant, oldest first (for the daily limit and its retry time). */
export function listEmailSharesSince(db: Db, sharerId: string, since: string) {
  return db
    .selectFrom('shareLink')
    .select('createdAt')
    .where('sharerId', '=', sharerId)
    .where('channel', '=', 'email')
    .where('createdAt', '>', since)
    .orderBy('createdAt')
    .execute();
}

/** Deletes shared links made before the instant; answers how many. */
export async function deleteSharesBefore(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('shareLink').where('createdAt', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
