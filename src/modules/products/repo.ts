import type { Insertable, Updateable } from 'kysely';
import type { Database } from '../../database.js';
import type { Executor } from '../../platform/db/client.js';
import type { ProductImageTable, ProductStatus, ProductTable } from './tables.js';

type Db = Executor<Database>;

export function insertProduct(db: Db, product: Insertable<ProductTable>) {
  return db.insertInto('product').values(product).execute();
}

export function updateProduct(db: Db, companyId: string, id: string, changes: Updateable<ProductTable>) {
  return db.updateTable('product').set(changes).where('id', '=', id).where('companyId', '=', companyId).execute();
}

/** Takes every published product of a company out of publication (its company closed). */
export function unpublishCompanyProducts(db: Db, companyId: string, at: string) {
  return db.updateTable('product').set({ status: 'unpublished', updatedAt: at }).where('companyId', '=', companyId).where('status', '=', 'published').execute();
}

export function deleteProduct(db: Db, companyId: string, id: string) {
  return db.deleteFrom('product').where('id', '=', id).where('companyId', '=', companyId).execute();
}

/** The product when it belongs to the company; the company check is part of the query. */
export function findOwnedProduct(db: Db, companyId: string, id: string) {
  return db.selectFrom('product').selectAll().where('id', '=', id).where('companyId', '=', companyId).executeTakeFirst();
}

export function findProduct(db: Db, id: string) {
  return db.selectFrom('product').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findProducts(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('product').selectAll().where('id', 'in', ids).execute();
}

export function listCompanyProducts(db: Db, companyId: string, status: ProductStatus | undefined, limit: number, offset: number) {
  let query = db.selectFrom('product').selectAll().where('companyId', '=', companyId);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('updatedAt', 'desc').orderBy('id').limit(limit).offset(offset).execute();
}

export async function countCompanyProducts(db: Db, companyId: string, status: ProductStatus | undefined) {
  let query = db.selectFrom('product').select((eb) => eb.fn.countAll<number>().as('n')).where('companyId', '=', companyId);
  if (status) query = query.where('status', '=', status);
  return Number((await query.executeTakeFirst())?.n ?? 0);
}

export function listImages(db: Db, productId: string) {
  return db.selectFrom('productImage').selectAll().where('productId', '=', productId).orderBy('position').execute();
}

/** The first image of each product, for cards. */
export function listCovers(db: Db, productIds: readonly string[]) {
  if (productIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('productImage')
    .select(['productId', 'thumbFileId', 'fileId', 'position'])
    .where('productId', 'in', productIds)
    .orderBy('position')
    .execute();
}

export function insertImage(db: Db, image: Insertable<ProductImageTable>) {
  return db.insertInto('productImage').values(image).execute();
}

export function deleteImage(db: Db, productId: string, id: string) {
  return db.deleteFrom('productImage').where('id', '=', id).where('productId', '=', productId).execute();
}

export function setImagePosition(db: Db, productId: string, id: string, position: number) {
  return db.updateTable('productImage').set({ position }).where('id', '=', id).where('productId', '=', productId).execute();
}

/** Public products in search-document order (first indexed first), for sitemaps. */
export function listIndexedProducts(db: Db, afterDocId: number, limit: number) {
  return db
    .selectFrom('productSearch')
    .innerJoin('product', 'product.id', 'productSearch.docKey')
    .select(['productSearch.docId', 'product.id', 'product.updatedAt'])
    .where('productSearch.docId', '>', afterDocId)
    .orderBy('productSearch.docId')
    .limit(limit)
    .execute();
}

export async function countIndexedProducts(db: Db) {
  const row = await db
    .selectFrom('productSearch')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('docId').as('maxId')])
    .executeTakeFirst();
  return { count: Number(row?.n ?? 0), maxDocId: Number(row?.maxId ?? 0) };
}
