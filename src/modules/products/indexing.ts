import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Executor } from '../../platform/db/client.js';
import { indexTokens } from '../../platform/search/analyzer.js';
import { catalogueIndexVersion } from './index-version.js';
import { createSearchIndex, type SearchDocument, type SearchIndex } from '../../platform/search/search-index.js';
import { richTextToPlain } from '../../platform/text/rich-text.js';
import { ancestorIds, categoryPath } from '../catalogue/index.js';
import type { CompaniesService, IndexedCompany } from '../companies/index.js';
import { moqBucket } from './schema.js';
import type { ProductTable } from './tables.js';

type Db = Executor<Database>;

/** Description text beyond this many characters adds little to finding a product. */
const descriptionChars = 2000;

function parseJson<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

/** A product is public while it is published and its company is verified. */
export function isProductPublic(product: Pick<ProductTable, 'status'>, company: Pick<IndexedCompany, 'verified'> | undefined): boolean {
  return product.status === 'published' && company?.verified === true;
}

/** The province facet value: the province code, or `intl` for companies outside China. */
export function provinceFacet(company: Pick<IndexedCompany, 'country' | 'provinceCode'>): string {
  return company.country === 'CN' && company.provinceCode ? company.provinceCode : 'intl';
}

/**
 * Everything a product is found by: titles, category names in both languages, attribute values,
 * certifications, the company's names and the start of the description.
 */
export function productDocument(product: ProductTable, company: IndexedCompany, imageCount: number): SearchDocument {
  const attributes = parseJson<Record<string, string>>(product.attributes, {});
  const custom = parseJson<{ name: string; value: string }[]>(product.customAttributes, []);
  const certifications = parseJson<string[]>(product.certifications, []);
  const tiers = parseJson<unknown[]>(product.priceTiers, []);
  const title = [product.titleZh, product.titleEn].filter(Boolean).join(' ');
  const text = [
    title,
    ...categoryPath(product.categoryId).flatMap((c) => [c.zh, c.en]),
    ...Object.values(attributes),
    ...custom.flatMap((a) => [a.name, a.value]),
    ...certifications,
    product.hsCode ?? '',
    company.nameZh,
    company.nameEn ?? '',
    richTextToPlain(product.description).slice(0, descriptionChars),
  ].join(' \n ');
  // The static rank: photos, prices and filled-in attributes make a listing worth showing first.
  const boost = Math.min(imageCount, 3) * 15 + (tiers.length > 0 ? 15 : 0) + Math.min(Object.keys(attributes).length, 5) * 4 + (product.description ? 10 : 0);
  return {
    key: product.id,
    tokens: indexTokens(text),
    titleTokens: indexTokens(title),
    facets: { c: ancestorIds(product.categoryId), p: [provinceFacet(company)], m: [moqBucket(product.moq)], co: [product.companyId] },
    boost,
  };
}

/** A company is found by its names, main products, place and description. */
export function companyDocument(company: IndexedCompany): SearchDocument {
  const names = [company.nameZh, company.nameEn ?? ''].join(' ');
  const text = [names, ...company.mainProducts, company.description.slice(0, descriptionChars)].join(' \n ');
  return {
    key: company.id,
    tokens: indexTokens(text),
    titleTokens: indexTokens(`${names} ${company.mainProducts.join(' ')}`),
    facets: { p: [provinceFacet(company)], v: [company.verified ? '1' : '0'] },
    boost: (company.verified ? 50 : 0) + (company.logoFileId ? 10 : 0) + Math.min(company.mainProducts.length, 5) * 4,
  };
}

/** The two indexes of the catalogue and the functions that keep them in step with their rows. */
export function createCatalogueIndex(engine: 'sqlite' | 'postgres', companies: Pick<CompaniesService, 'findForIndex'>) {
  const products: SearchIndex = createSearchIndex('product', engine);
  const companyIndex: SearchIndex = createSearchIndex('company', engine);

  async function imageCount(db: Db, productId: string): Promise<number> {
    const row = await db.selectFrom('productImage').select((eb) => eb.fn.countAll<number>().as('n')).where('productId', '=', productId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Puts the product in the index when it is public and takes it out otherwise. */
  async function syncProduct(db: Db, productId: string, company?: IndexedCompany): Promise<void> {
    const product = await db.selectFrom('product').selectAll().where('id', '=', productId).executeTakeFirst();
    if (!product) return products.remove(db, productId);
    const owner = company ?? (await companies.findForIndex(db, product.companyId));
    if (!owner || !isProductPublic(product, owner)) return products.remove(db, productId);
    await products.put(db, productDocument(product, owner, await imageCount(db, productId)));
  }

  /** Re-indexes a company and all its products (after its name, place or status changed). */
  async function syncCompany(db: Db, companyId: string): Promise<void> {
    const company = await companies.findForIndex(db, companyId);
    if (company?.isPublic) await companyIndex.put(db, companyDocument(company));
    else await companyIndex.remove(db, companyId);
    const ids = await db.selectFrom('product').select('id').where('companyId', '=', companyId).execute();
    for (const { id } of ids) await syncProduct(db, id, company);
  }

  /**
   * Rebuilds both indexes from the rows, company by company (each in its own transaction, so
   * the site keeps answering), and records the analyser version that built them.
   */
  async function rebuild(db: Kysely<Database>): Promise<{ companies: number }> {
    let after = '';
    let count = 0;
    for (;;) {
      const batch = await db.selectFrom('company').select('id').where('id', '>', after).orderBy('id').limit(200).execute();
      if (batch.length === 0) break;
      for (const { id } of batch) await db.transaction().execute((trx) => syncCompany(trx, id));
      count += batch.length;
      after = batch.at(-1)!.id;
    }
    await markCurrent(db);
    return { companies: count };
  }

  async function markCurrent(db: Db): Promise<void> {
    const builtAt = new Date().toISOString();
    const updated = await db.updateTable('searchState').set({ analyzerVersion: catalogueIndexVersion, builtAt }).where('name', '=', 'catalogue').executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await db.insertInto('searchState').values({ name: 'catalogue', analyzerVersion: catalogueIndexVersion, builtAt }).execute();
  }

  /**
   * Whether the indexes were built by this analyser version; if not they need `rebuild` (tokens
   * of old and new rules would not meet). The migration records the version of a new database.
   */
  async function isCurrent(db: Kysely<Database>): Promise<boolean> {
    const state = await db.selectFrom('searchState').select('analyzerVersion').where('name', '=', 'catalogue').executeTakeFirst();
    return state?.analyzerVersion === catalogueIndexVersion;
  }

  return { products, companies: companyIndex, syncProduct, syncCompany, rebuild, isCurrent };
}

export type CatalogueIndex = ReturnType<typeof createCatalogueIndex>;
