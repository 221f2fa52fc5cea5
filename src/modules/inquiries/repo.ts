import { sql, type ExpressionBuilder, type Insertable } from 'kysely';
import type { Database } from '../../database.js';
import { toCount, type Executor } from '../../platform/db/client.js';
import type {
  HandlerMode,
  InquiryAttachmentTable,
  InquiryMessageTable,
  InquiryReportTable,
  InquiryThreadTable,
  MessagePreferenceTable,
  Side,
} from './tables.js';

type Db = Executor<Database>;

export const threadColumns = [
  't.id', 't.companyId', 't.buyerAccountId', 't.buyerName', 't.productId', 't.productTitle', 't.subject', 't.quantity', 't.unit',
  't.targetPrice', 't.targetCurrency', 't.origin', 't.originId', 't.status', 't.createdAt', 't.lastMessageAt', 't.lastBuyerMessageAt',
  't.lastSupplierMessageAt', 't.closedAt',
] as const;

/**
 * The companies whose inquiries the account handles: it is a member, and the company lets every
 * member handle them (the default), or the account is the owner, or it is one of the named members.
 */
export function handledCompanyIds(db: Db, accountId: string) {
  return db
    .selectFrom('companyMember as m')
    .leftJoin('inquiryHandlerSetting as s', 's.companyId', 'm.companyId')
    .select('m.companyId')
    .where('m.accountId', '=', accountId)
    .where((eb) =>
      eb.or([
        eb('s.mode', 'is', null),
        eb('s.mode', '=', 'all'),
        eb('m.role', '=', 'owner'),
        eb.exists(eb.selectFrom('inquiryHandler as h').select('h.accountId').whereRef('h.companyId', '=', 'm.companyId').where('h.accountId', '=', accountId)),
      ]),
    );
}

type ThreadScope = ExpressionBuilder<Database & { t: InquiryThreadTable }, 't'>;

/** Threads the account is part of on one side: its own inquiries, or those its companies let it handle. */
function onSide(eb: ThreadScope, db: Db, accountId: string, side: Side) {
  if (side === 'buyer') return eb('t.buyerAccountId', '=', accountId);
  return eb.and([
    eb('t.companyId', 'in', handledCompanyIds(db, accountId)),
    eb.or([eb('t.buyerAccountId', 'is', null), eb('t.buyerAccountId', '!=', accountId)]),
  ]);
}

/** A thread only if the account is part of it (authorisation lives in the query), with the company's names. */
export function findThreadFor(db: Db, threadId: string, accountId: string) {
  return db
    .selectFrom('inquiryThread as t')
    .innerJoin('company as c', 'c.id', 't.companyId')
    .leftJoin('inquiryParticipant as p', (join) => join.onRef('p.threadId', '=', 't.id').on('p.accountId', '=', accountId))
    .select([...threadColumns, 'c.nameZh as companyNameZh', 'c.nameEn as companyNameEn', 'p.lastReadAt', 'p.archivedAt'])
    .where('t.id', '=', threadId)
    .where((eb) => eb.or([onSide(eb, db, accountId, 'buyer'), onSide(eb, db, accountId, 'supplier')]))
    .executeTakeFirst();
}

/** A thread whatever who asks: for staff looking at a reported thread, and for callers inside a transaction. */
export function findThread(db: Db, threadId: string) {
  return db
    .selectFrom('inquiryThread as t')
    .innerJoin('company as c', 'c.id', 't.companyId')
    .select([...threadColumns, 'c.nameZh as companyNameZh', 'c.nameEn as companyNameEn'])
    .where('t.id', '=', threadId)
    .executeTakeFirst();
}

export interface ThreadFilter {
  side: Side;
  archived: boolean;
  /** Text to look for in the subject, the product title and the messages; empty for all. */
  q: string;
}

/** `%text%` for LIKE, with the pattern's own wildcards escaped. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function listBase(db: Db, accountId: string, filter: ThreadFilter) {
  let query = db
    .selectFrom('inquiryThread as t')
    .innerJoin('company as c', 'c.id', 't.companyId')
    .leftJoin('inquiryParticipant as p', (join) => join.onRef('p.threadId', '=', 't.id').on('p.accountId', '=', accountId))
    .where((eb) => onSide(eb, db, accountId, filter.side))
    .where('p.archivedAt', filter.archived ? 'is not' : 'is', null);
  if (filter.q) {
    const pattern = containing(filter.q);
    // LIKE is case-sensitive on PostgreSQL and not on SQLite: both sides are lowered. The escape
    // character is named, since SQLite has none by default.
    const like = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    query = query.where((eb) =>
      eb.or([
        like('t.subject'),
        like('t.productTitle'),
        eb.exists(eb.selectFrom('inquiryMessage as m').select('m.id').whereRef('m.threadId', '=', 't.id').where(like('m.body'))),
      ]),
    );
  }
  return query;
}

export async function countThreads(db: Db, accountId: string, filter: ThreadFilter): Promise<number> {
  const row = await listBase(db, accountId, filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return toCount(row.n);
}

/** One page of the account's threads on one side, most recently active first, with their unread state. */
export function listThreads(db: Db, accountId: string, filter: ThreadFilter, limit: number, offset: number) {
  const otherSide = filter.side === 'buyer' ? 't.lastSupplierMessageAt' : 't.lastBuyerMessageAt';
  return listBase(db, accountId, filter)
    .select([...threadColumns, 'c.nameZh as companyNameZh', 'c.nameEn as companyNameEn', 'p.lastReadAt', 'p.archivedAt'])
    .select((eb) => eb.case().when(otherSide, '>', eb.fn.coalesce('p.lastReadAt', eb.val(''))).then(1).else(0).end().as('unread'))
    .orderBy('t.lastMessageAt', 'desc')
    .orderBy('t.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** How many of the account's threads on one side have a message from the other side it has not read. */
export async function countUnread(db: Db, accountId: string, side: Side): Promise<number> {
  const otherSide = side === 'buyer' ? 't.lastSupplierMessageAt' : 't.lastBuyerMessageAt';
  const row = await db
    .selectFrom('inquiryThread as t')
    .leftJoin('inquiryParticipant as p', (join) => join.onRef('p.threadId', '=', 't.id').on('p.accountId', '=', accountId))
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => onSide(eb, db, accountId, side))
    .where((eb) => eb(otherSide, '>', eb.fn.coalesce('p.lastReadAt', eb.val(''))))
    .executeTakeFirstOrThrow();
  return toCount(row.n);
}

export function insertThread(db: Db, thread: Insertable<InquiryThreadTable>) {
  return db.insertInto('inquiryThread').values(thread).execute();
}

export function insertMessage(db: Db, message: Insertable<InquiryMessageTable>) {
  return db.insertInto('inquiryMessage').values(message).execute();
}

export function insertAttachment(db: Db, attachment: Insertable<InquiryAttachmentTable>) {
  return db.insertInto('inquiryAttachment').values(attachment).execute();
}

/** Records a new message on the thread: its time, the side's time, and the status it leads to. */
export function touchThread(db: Db, threadId: string, side: Side, at: string) {
  return db
    .updateTable('inquiryThread')
    .set({
      lastMessageAt: at,
      ...(side === 'buyer' ? { lastBuyerMessageAt: at } : { lastSupplierMessageAt: at, status: 'replied' as const }),
    })
    .where('id', '=', threadId)
    .where('status', '!=', 'closed')
    .executeTakeFirst();
}

/** A new message brings an archived thread back to everyone's inbox. */
export function unarchiveForAll(db: Db, threadId: string) {
  return db.updateTable('inquiryParticipant').set({ archivedAt: null }).where('threadId', '=', threadId).execute();
}

export function closeThread(db: Db, threadId: string, at: string) {
  return db.updateTable('inquiryThread').set({ status: 'closed', closedAt: at }).where('id', '=', threadId).where('status', '!=', 'closed').execute();
}

/** Sets one participant's own state of a thread, making the row the first time. */
export function upsertParticipant(db: Db, threadId: string, accountId: string, changes: { lastReadAt?: string; archivedAt?: string | null }) {
  return db
    .insertInto('inquiryParticipant')
    .values({ threadId, accountId, lastReadAt: changes.lastReadAt ?? null, archivedAt: changes.archivedAt ?? null })
    .onConflict((oc) => oc.columns(['threadId', 'accountId']).doUpdateSet(changes))
    .execute();
}

export function listMessages(db: Db, threadId: string) {
  return db
    .selectFrom('inquiryMessage')
    .select(['id', 'authorAccountId', 'side', 'authorName', 'body', 'createdAt'])
    .where('threadId', '=', threadId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

export function listAttachments(db: Db, threadId: string) {
  return db
    .selectFrom('inquiryAttachment')
    .select(['id', 'messageId', 'fileName', 'mime', 'size'])
    .where('threadId', '=', threadId)
    .orderBy('createdAt')
    .orderBy('position')
    .execute();
}

/** An attachment's file, only for someone who is part of its thread. */
export function findAttachmentFor(db: Db, threadId: string, attachmentId: string, accountId: string) {
  return db
    .selectFrom('inquiryAttachment as a')
    .innerJoin('inquiryThread as t', 't.id', 'a.threadId')
    .select(['a.fileId', 'a.fileName', 'a.mime'])
    .where('a.id', '=', attachmentId)
    .where('a.threadId', '=', threadId)
    .where((eb) => eb.or([onSide(eb, db, accountId, 'buyer'), onSide(eb, db, accountId, 'supplier')]))
    .executeTakeFirst();
}

/** The buyer's inquiries since an instant: for the daily limit. */
export async function countInquiriesSince(db: Db, buyerAccountId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('inquiryThread')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('buyerAccountId', '=', buyerAccountId)
    .where('origin', '=', 'inquiry')
    .where('createdAt', '>', since)
    .executeTakeFirstOrThrow();
  return toCount(row.n);
}

/** The other companies the buyer sent the same text to since an instant: for refusing mass mailings. */
export async function companiesWithSameText(db: Db, buyerAccountId: string, bodyHash: string, since: string, exceptCompanyId: string): Promise<number> {
  const row = await db
    .selectFrom('inquiryThread')
    .select((eb) => eb.fn.count('companyId').distinct().as('n'))
    .where('buyerAccountId', '=', buyerAccountId)
    .where('bodyHash', '=', bodyHash)
    .where('createdAt', '>', since)
    .where('companyId', '!=', exceptCompanyId)
    .executeTakeFirstOrThrow();
  return toCount(row.n);
}

/** The account's contact person and email. */
export function findAccount(db: Db, accountId: string) {
  return db.selectFrom('account').select(['id', 'contactPerson', 'email']).where('id', '=', accountId).executeTakeFirst();
}

/** A product's company and titles, read with the caller's executor. */
export function findProduct(db: Db, productId: string) {
  return db.selectFrom('product').select(['id', 'companyId', 'titleZh', 'titleEn']).where('id', '=', productId).executeTakeFirst();
}

export function findMembership(db: Db, companyId: string, accountId: string) {
  return db.selectFrom('companyMember').select(['role']).where('companyId', '=', companyId).where('accountId', '=', accountId).executeTakeFirst();
}

/** The members of a company who handle its inquiries, with their address and notice preference. */
export function listHandlers(db: Db, companyId: string) {
  return db
    .selectFrom('companyMember as m')
    .innerJoin('account as a', 'a.id', 'm.accountId')
    .leftJoin('inquiryHandlerSetting as s', 's.companyId', 'm.companyId')
    .leftJoin('messagePreference as mp', 'mp.accountId', 'm.accountId')
    .select(['m.accountId', 'a.email', 'a.contactPerson', 'mp.frequency', 'mp.locale'])
    .where('m.companyId', '=', companyId)
    .where((eb) =>
      eb.or([
        eb('s.mode', 'is', null),
        eb('s.mode', '=', 'all'),
        eb('m.role', '=', 'owner'),
        eb.exists(eb.selectFrom('inquiryHandler as h').select('h.accountId').whereRef('h.companyId', '=', 'm.companyId').whereRef('h.accountId', '=', 'm.accountId')),
      ]),
    )
    .orderBy('m.joinedAt')
    .execute();
}

/** An account's address and notice preference. */
export function findRecipient(db: Db, accountId: string) {
  return db
    .selectFrom('account as a')
    .leftJoin('messagePreference as mp', 'mp.accountId', 'a.id')
    .select(['a.id as accountId', 'a.email', 'a.contactPerson', 'mp.frequency', 'mp.locale'])
    .where('a.id', '=', accountId)
    .executeTakeFirst();
}

/** Every member of the company with their role and whether they are named as a handler. */
export function listMembersWithHandling(db: Db, companyId: string) {
  return db
    .selectFrom('companyMember as m')
    .innerJoin('account as a', 'a.id', 'm.accountId')
    .leftJoin('inquiryHandler as h', (join) => join.onRef('h.companyId', '=', 'm.companyId').onRef('h.accountId', '=', 'm.accountId'))
    .select(['m.accountId', 'a.contactPerson', 'm.role', 'h.accountId as namedId'])
    .where('m.companyId', '=', companyId)
    .orderBy('m.joinedAt')
    .orderBy('m.accountId')
    .execute();
}

export function findHandlerSetting(db: Db, companyId: string) {
  return db.selectFrom('inquiryHandlerSetting').select(['mode', 'updatedAt']).where('companyId', '=', companyId).executeTakeFirst();
}

/** Replaces who handles a company's inquiries. */
export async function replaceHandlers(db: Db, companyId: string, mode: HandlerMode, accountIds: string[], by: string, at: string) {
  await db
    .insertInto('inquiryHandlerSetting')
    .values({ companyId, mode, updatedAt: at, updatedBy: by })
    .onConflict((oc) => oc.column('companyId').doUpdateSet({ mode, updatedAt: at, updatedBy: by }))
    .execute();
  await db.deleteFrom('inquiryHandler').where('companyId', '=', companyId).execute();
  if (accountIds.length > 0) await db.insertInto('inquiryHandler').values(accountIds.map((accountId) => ({ companyId, accountId }))).execute();
}

export function findPreference(db: Db, accountId: string) {
  return db.selectFrom('messagePreference').select(['frequency', 'locale', 'digestOn', 'digestSince']).where('accountId', '=', accountId).executeTakeFirst();
}

/** Sets a person's notice preference and language, making the row the first time. */
export function upsertPreference(db: Db, row: Pick<MessagePreferenceTable, 'accountId' | 'frequency' | 'locale' | 'updatedAt'>, changes: Partial<Pick<MessagePreferenceTable, 'frequency' | 'locale'>>) {
  return db
    .insertInto('messagePreference')
    .values({ ...row, digestOn: null, digestSince: row.updatedAt })
    .onConflict((oc) => oc.column('accountId').doUpdateSet({ ...changes, updatedAt: row.updatedAt }))
    .execute();
}

/** People who asked for a daily digest and have not had today's. */
export function listDigestDue(db: Db, today: string, limit: number) {
  return db
    .selectFrom('messagePreference as mp')
    .innerJoin('account as a', 'a.id', 'mp.accountId')
    .select(['mp.accountId', 'a.email', 'mp.locale', 'mp.digestSince'])
    .where('mp.frequency', '=', 'daily')
    .where((eb) => eb.or([eb('mp.digestOn', 'is', null), eb('mp.digestOn', '<', today)]))
    .orderBy('mp.accountId')
    .limit(limit)
    .execute();
}

/** Takes today's digest for the person; false when another run already did. */
export async function claimDigest(db: Db, accountId: string, today: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('messagePreference')
    .set({ digestOn: today, digestSince: at })
    .where('accountId', '=', accountId)
    .where((eb) => eb.or([eb('digestOn', 'is', null), eb('digestOn', '<', today)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Per thread, the unread messages from the other side written after an instant, for a digest. */
export async function unreadSince(db: Db, accountId: string, since: string, until: string) {
  const side = async (s: Side) =>
    db
      .selectFrom('inquiryThread as t')
      .innerJoin('inquiryMessage as m', 'm.threadId', 't.id')
      .leftJoin('inquiryParticipant as p', (join) => join.onRef('p.threadId', '=', 't.id').on('p.accountId', '=', accountId))
      .select(['t.id', 't.subject'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where((eb) => onSide(eb, db, accountId, s))
      .where('m.side', '!=', s)
      .where('m.createdAt', '>', since)
      .where('m.createdAt', '<=', until)
      .where((eb) => eb('m.createdAt', '>', eb.fn.coalesce('p.lastReadAt', eb.val(''))))
      .groupBy(['t.id', 't.subject'])
      .execute();
  const rows = [...(await side('buyer')), ...(await side('supplier'))];
  return rows.map((r) => ({ threadId: r.id, subject: r.subject, count: toCount(r.n) }));
}

export function insertReport(db: Db, report: Insertable<InquiryReportTable>) {
  return db.insertInto('inquiryReport').values(report).execute();
}

/** The reporter's unhandled report of a thread, so reporting twice makes one entry in the queue. */
export function findOpenReport(db: Db, threadId: string, reporterAccountId: string) {
  return db
    .selectFrom('inquiryReport')
    .select(['id'])
    .where('threadId', '=', threadId)
    .where('reporterAccountId', '=', reporterAccountId)
    .where('handledAt', 'is', null)
    .executeTakeFirst();
}

const reportColumns = [
  'r.id', 'r.threadId', 'r.side', 'r.reason', 'r.details', 'r.createdAt', 'r.handledAt', 't.subject', 't.companyId', 'c.nameZh as companyNameZh',
] as const;

function openReports(db: Db) {
  return db
    .selectFrom('inquiryReport as r')
    .innerJoin('inquiryThread as t', 't.id', 'r.threadId')
    .innerJoin('company as c', 'c.id', 't.companyId')
    .where('r.handledAt', 'is', null);
}

export async function countOpenReports(db: Db): Promise<number> {
  return toCount((await openReports(db).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

export function listOpenReports(db: Db, limit: number, offset: number) {
  return openReports(db).select(reportColumns).orderBy('r.createdAt').orderBy('r.id').limit(limit).offset(offset).execute();
}

export function findReport(db: Db, reportId: string) {
  return db
    .selectFrom('inquiryReport as r')
    .innerJoin('inquiryThread as t', 't.id', 'r.threadId')
    .innerJoin('company as c', 'c.id', 't.companyId')
    .select(reportColumns)
    .where('r.id', '=', reportId)
    .executeTakeFirst();
}

export function markReportHandled(db: Db, reportId: string, by: string, at: string) {
  return db.updateTable('inquiryReport').set({ handledAt: at, handledBy: by }).where('id', '=', reportId).where('handledAt', 'is', null).execute();
}

/** Threads whose last activity (or closing) is older than an instant: past their retention. */
export function listExpiredThreads(db: Db, before: string, limit: number) {
  return db
    .selectFrom('inquiryThread')
    .select('id')
    .where((eb) => eb(eb.fn.coalesce('closedAt', 'lastMessageAt'), '<', before))
    .limit(limit)
    .execute();
}

export function listFileIdsOfThreads(db: Db, threadIds: string[]) {
  return db.selectFrom('inquiryAttachment').select('fileId').where('threadId', 'in', threadIds).execute();
}

export function deleteThreads(db: Db, threadIds: string[]) {
  return db.deleteFrom('inquiryThread').where('id', 'in', threadIds).executeTakeFirst();
}

/** Deletes up to `limit` reports made before an instant; answers how many. */
export async function deleteReportsBefore(db: Db, before: string, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('inquiryReport')
    .where('id', 'in', (eb) => eb.selectFrom('inquiryReport').select('id').where('createdAt', '<', before).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
