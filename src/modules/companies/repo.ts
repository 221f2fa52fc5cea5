import type { Insertable, Updateable } from 'kysely';
import type { Database } from '../../database.js';
import type { Executor } from '../../platform/db/client.js';
import type { CompanyStatus, CompanyTable, MemberRole } from './tables.js';

type Db = Executor<Database>;

export function insertCompany(db: Db, company: Insertable<CompanyTable>) {
  return db.insertInto('company').values(company).execute();
}

export function findCompanyByCode(db: Db, creditCode: string) {
  return db.selectFrom('company').select(['id', 'nameZh', 'status']).where('creditCode', '=', creditCode).executeTakeFirst();
}

export function findCompany(db: Db, id: string) {
  return db.selectFrom('company').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findCompanies(db: Db, ids: readonly string[]) {
  return db.selectFrom('company').selectAll().where('id', 'in', ids).execute();
}

/** The company with the account's role in it; undefined when the account is not a member. */
export function findCompanyForMember(db: Db, id: string, accountId: string) {
  return db
    .selectFrom('company')
    .innerJoin('companyMember', 'companyMember.companyId', 'company.id')
    .selectAll('company')
    .select('companyMember.role as memberRole')
    .where('company.id', '=', id)
    .where('companyMember.accountId', '=', accountId)
    .executeTakeFirst();
}

export function listCompaniesOfMember(db: Db, accountId: string) {
  return db
    .selectFrom('company')
    .innerJoin('companyMember', 'companyMember.companyId', 'company.id')
    .select(['company.id', 'company.nameZh', 'company.nameEn', 'company.status', 'companyMember.role'])
    .where('companyMember.accountId', '=', accountId)
    .orderBy('company.createdAt')
    .execute();
}

export function updateCompany(db: Db, id: string, changes: Updateable<CompanyTable>) {
  return db.updateTable('company').set(changes).where('id', '=', id).execute();
}

export function insertMember(db: Db, companyId: string, accountId: string, role: MemberRole, joinedAt: string) {
  return db.insertInto('companyMember').values({ companyId, accountId, role, joinedAt }).execute();
}

export function listMemberEmails(db: Db, companyId: string) {
  return db
    .selectFrom('companyMember')
    .innerJoin('account', 'account.id', 'companyMember.accountId')
    .select(['account.id', 'account.email', 'account.contactPerson', 'companyMember.role'])
    .where('companyMember.companyId', '=', companyId)
    .execute();
}

export function listByStatus(db: Db, status: CompanyStatus, limit: number, offset: number) {
  return db
    .selectFrom('company')
    .select(['id', 'nameZh', 'nameEn', 'creditCode', 'provinceCode', 'cityCode', 'submittedAt', 'updatedAt'])
    .where('status', '=', status)
    .orderBy('submittedAt')
    .limit(limit)
    .offset(offset)
    .execute();
}

export interface DirectoryFilter {
  provinceCode?: string;
  verifiedOnly?: boolean;
  product?: string;
}

/** Companies are public once submitted for review; drafts and rejected ones stay private. */
export const publicStatuses: CompanyStatus[] = ['submitted', 'verified'];

function directoryQuery(db: Db, filter: DirectoryFilter) {
  let query = db.selectFrom('company').where('status', 'in', filter.verifiedOnly ? ['verified'] : publicStatuses);
  if (filter.provinceCode) query = query.where('provinceCode', '=', filter.provinceCode);
  // Tags are stored as a JSON array, so a quoted tag matches whole tags only.
  if (filter.product) query = query.where('mainProducts', 'like', `%${JSON.stringify(filter.product).replace(/[%_\\]/g, '')}%`);
  return query;
}

/** One page of the public directory, verified companies first. */
export function listDirectory(db: Db, filter: DirectoryFilter, limit: number, offset: number) {
  return directoryQuery(db, filter)
    .select(['id', 'nameZh', 'nameEn', 'provinceCode', 'cityCode', 'mainProducts', 'status', 'verifiedAt'])
    .orderBy('status', 'desc')
    .orderBy('updatedAt', 'desc')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countDirectory(db: Db, filter: DirectoryFilter): Promise<number> {
  const row = await directoryQuery(db, filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function insertReview(db: Db, review: Insertable<Database['companyReview']>) {
  return db.insertInto('companyReview').values(review).execute();
}

export function insertLicenceView(db: Db, view: Insertable<Database['licenceView']>) {
  return db.insertInto('licenceView').values(view).execute();
}

/** Deletes up to `limit` verification reviews made before an instant; answers how many. */
export async function deleteReviewsBefore(db: Db, before: string, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('companyReview')
    .where('id', 'in', (eb) => eb.selectFrom('companyReview').select('id').where('createdAt', '<', before).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes up to `limit` records of licence views made before an instant; answers how many. */
export async function deleteLicenceViewsBefore(db: Db, before: string, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('licenceView')
    .where('id', 'in', (eb) => eb.selectFrom('licenceView').select('id').where('viewedAt', '<', before).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
