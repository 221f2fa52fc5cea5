import type { Insertable, Updateable } from 'kysely';
import type { Database } from '../../database.js';
import { toCount, type Executor } from '../../platform/db/client.js';
import type { RfqQuoteTable, RfqTable } from './tables.js';

type Db = Executor<Database>;

/** Who is asking, as the visibility rules need it. */
export interface Viewer {
  accountId: string;
  /** Industries the viewer's verified companies publish products in. */
  industries: readonly string[];
  /** Every company the viewer is a member of. */
  companyIds: readonly string[];
}

/** A board filter: an industry (root) or one leaf category. */
export type CategoryFilter = { industryId: string } | { categoryId: string } | undefined;

export function insertRfq(db: Db, row: Insertable<RfqTable>) {
  return db.insertInto('rfq').values(row).execute();
}

export function updateRfq(db: Db, id: string, changes: Updateable<RfqTable>) {
  return db.updateTable('rfq').set(changes).where('id', '=', id).execute();
}

/**
 * Takes the request's row lock for the rest of the transaction (PostgreSQL; SQLite transactions
 * already run one at a time), so quote counts and decisions never race.
 */
export function lockRfq(db: Db, id: string) {
  return db.updateTable('rfq').set((eb) => ({ quoteCount: eb.ref('quoteCount') })).where('id', '=', id).execute();
}

export function findRfq(db: Db, id: string) {
  return db.selectFrom('rfq').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The request if the account posted it; undefined for anyone else. */
export function findOwnRfq(db: Db, id: string, accountId: string) {
  return db.selectFrom('rfq').selectAll().where('id', '=', id).where('buyerAccountId', '=', accountId).executeTakeFirst();
}

/**
 * The request if the viewer may see it: they posted it, or it is open in an industry their
 * verified companies publish in, or one of their companies quoted on it. Undefined otherwise.
 */
export function findVisibleRfq(db: Db, id: string, viewer: Viewer) {
  return db
    .selectFrom('rfq')
    .selectAll()
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('buyerAccountId', '=', viewer.accountId),
        ...(viewer.industries.length > 0 ? [eb.and([eb('industryId', 'in', viewer.industries), eb('status', '=', 'open')])] : []),
        ...(viewer.companyIds.length > 0
          ? [eb.exists(eb.selectFrom('rfqQuote').select('rfqQuote.id').whereRef('rfqQuote.rfqId', '=', 'rfq.id').where('rfqQuote.companyId', 'in', viewer.companyIds))]
          : []),
      ]),
    )
    .executeTakeFirst();
}

export function listBuyerRfqs(db: Db, accountId: string, limit: number, offset: number) {
  return db
    .selectFrom('rfq')
    .selectAll()
    .where('buyerAccountId', '=', accountId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countBuyerRfqs(db: Db, accountId: string, since?: string): Promise<number> {
  let query = db.selectFrom('rfq').select((eb) => eb.fn.countAll().as('n')).where('buyerAccountId', '=', accountId);
  if (since) query = query.where('createdAt', '>=', since);
  return toCount((await query.executeTakeFirstOrThrow()).n);
}

/** Open, unexpired requests in the viewer's industries that others posted. */
function boardQuery(db: Db, viewer: Viewer, now: string, filter: CategoryFilter) {
  let query = db
    .selectFrom('rfq')
    .where('industryId', 'in', viewer.industries)
    .where('status', '=', 'open')
    .where('expiresAt', '>', now)
    .where('buyerAccountId', '!=', viewer.accountId);
  if (filter && 'industryId' in filter) query = query.where('industryId', '=', filter.industryId);
  if (filter && 'categoryId' in filter) query = query.where('categoryId', '=', filter.categoryId);
  return query;
}

export function listBoard(db: Db, viewer: Viewer, now: string, filter: CategoryFilter, limit: number, offset: number) {
  return boardQuery(db, viewer, now, filter)
    .selectAll()
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countBoard(db: Db, viewer: Viewer, now: string, filter: CategoryFilter): Promise<number> {
  return toCount((await boardQuery(db, viewer, now, filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

/** The leaf categories a company lists published products in, for the companies given. */
export function listPublishedCategories(db: Db, companyIds: readonly string[]) {
  if (companyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('product')
    .select(['companyId', 'categoryId'])
    .distinct()
    .where('companyId', 'in', companyIds)
    .where('status', '=', 'published')
    .execute();
}

export function insertQuote(db: Db, row: Insertable<RfqQuoteTable>) {
  return db.insertInto('rfqQuote').values(row).execute();
}

export function updateQuote(db: Db, id: string, changes: Updateable<RfqQuoteTable>) {
  return db.updateTable('rfqQuote').set(changes).where('id', '=', id).execute();
}

export function findCompanyQuote(db: Db, rfqId: string, companyId: string) {
  return db.selectFrom('rfqQuote').selectAll().where('rfqId', '=', rfqId).where('companyId', '=', companyId).executeTakeFirst();
}

/** Every quote on a request, but only for the buyer who posted it. */
export function listQuotesForBuyer(db: Db, rfqId: string, accountId: string) {
  return db
    .selectFrom('rfqQuote')
    .innerJoin('rfq', 'rfq.id', 'rfqQuote.rfqId')
    .selectAll('rfqQuote')
    .where('rfqQuote.rfqId', '=', rfqId)
    .where('rfq.buyerAccountId', '=', accountId)
    .orderBy('rfqQuote.createdAt')
    .execute();
}

/** The quotes of the given companies on a request (a supplier sees only its own). */
export function listQuotesOfCompanies(db: Db, rfqId: string, companyIds: readonly string[]) {
  if (companyIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('rfqQuote').selectAll().where('rfqId', '=', rfqId).where('companyId', 'in', companyIds).orderBy('createdAt').execute();
}

/** Of the given requests, those one of the companies quoted on. */
export async function listQuotedRfqIds(db: Db, rfqIds: readonly string[], companyIds: readonly string[]): Promise<Set<string>> {
  if (rfqIds.length === 0 || companyIds.length === 0) return new Set();
  const rows = await db.selectFrom('rfqQuote').select('rfqId').where('rfqId', 'in', rfqIds).where('companyId', 'in', companyIds).execute();
  return new Set(rows.map((r) => r.rfqId));
}

/** The quote if it is on the account's own request; undefined otherwise. */
export function findQuoteForBuyer(db: Db, rfqId: string, quoteId: string, accountId: string) {
  return db
    .selectFrom('rfqQuote')
    .innerJoin('rfq', 'rfq.id', 'rfqQuote.rfqId')
    .selectAll('rfqQuote')
    .where('rfqQuote.id', '=', quoteId)
    .where('rfqQuote.rfqId', '=', rfqId)
    .where('rfq.buyerAccountId', '=', accountId)
    .executeTakeFirst();
}

/**
 * Who hears of a decision on a company's quote: the member who sent it while they are still a
 * member, else the company's owners.
 */
export async function listQuoteRecipients(db: Db, companyId: string, sentBy: string | null) {
  const members = db
    .selectFrom('companyMember')
    .innerJoin('account', 'account.id', 'companyMember.accountId')
    .select(['account.id', 'account.email', 'account.contactPerson'])
    .where('companyMember.companyId', '=', companyId);
  const sender = sentBy ? await members.where('account.id', '=', sentBy).execute() : [];
  return sender.length > 0 ? sender : members.where('companyMember.role', '=', 'owner').execute();
}

/**
 * Requests completed before an instant: decided (awarded or closed) then, or still open with
 * their deadline passed then.
 */
export function listCompletedBefore(db: Db, before: string, limit: number) {
  return db
    .selectFrom('rfq')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '!=', 'open'), eb('decidedAt', '<', before)]),
        eb.and([eb('status', '=', 'open'), eb('expiresAt', '<', before)]),
      ]),
    )
    .limit(limit)
    .execute();
}

/** Deletes requests with their quotes (quotes first, so no engine relies on the cascade). */
export async function deleteRfqs(db: Db, ids: string[]): Promise<void> {
  await db.deleteFrom('rfqQuote').where('rfqId', 'in', ids).execute();
  await db.deleteFrom('rfq').where('id', 'in', ids).execute();
}
