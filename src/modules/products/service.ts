import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { queryTokens } from '../../platform/search/analyzer.js';
import type { FacetCount } from '../../platform/search/search-index.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { makeThumbnail, type AcceptedUpload } from '../../platform/storage/uploads.js';
import { sanitizeRichText } from '../../platform/text/rich-text.js';
import { categoryPath, findCategory, isLeafCategory } from '../catalogue/index.js';
import { companyCard, type CompaniesService, type CompanyCard, type IndexedCompany } from '../companies/index.js';
import { createCatalogueIndex, isProductPublic, type CatalogueIndex } from './indexing.js';
import * as repo from './repo.js';
import { maxImages, type PriceTier, type ProductInput, type SearchParams } from './schema.js';
import type { ProductImageTable, ProductStatus, ProductTable } from './tables.js';

export interface ProductsDeps {
  db: Kysely<Database>;
  engine: 'sqlite' | 'postgres';
  companies: Pick<CompaniesService, 'getForMember' | 'findForIndex' | 'findManyForIndex' | 'onCompanyChanged'>;
  files: FileStore;
  clock?: () => Date;
}

export interface ProductImage {
  id: string;
  fileId: string;
  thumbFileId: string;
  width: number;
  height: number;
}

/** A product as its supplier edits it and as the public page shows it; never a raw row. */
export interface ProductView {
  id: string;
  companyId: string;
  status: ProductStatus;
  titleZh: string | null;
  titleEn: string | null;
  categoryId: string;
  attributes: Record<string, string>;
  customAttributes: { name: string; value: string }[];
  moq: number;
  unit: string;
  currency: 'CNY' | 'USD';
  priceTiers: PriceTier[];
  priceNegotiable: boolean;
  leadTimeDays: number | null;
  packaging: string | null;
  port: string | null;
  incoterms: string[];
  hsCode: string | null;
  certifications: string[];
  description: string;
  images: ProductImage[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

/** What a list or a search result shows of a product. */
export interface ProductCard {
  id: string;
  titleZh: string | null;
  titleEn: string | null;
  categoryId: string;
  thumbFileId: string | null;
  moq: number;
  unit: string;
  currency: 'CNY' | 'USD';
  priceMin: string | null;
  priceMax: string | null;
  priceNegotiable: boolean;
  company: { id: string; nameZh: string; nameEn: string | null; verified: boolean; verifiedAt: string | null; verifiedChecks: string[]; provinceCode: string | null; country: string };
  /** When it became public: published, or its company verified, whichever came last. */
  listedAt: string;
}

/** Saved criteria over public products (subscriptions); every one given must match. */
export interface ProductCriteria {
  keyword: string | null;
  categoryId: string | null;
  /** A province code or `intl`, as the search facet `p`. */
  provinceCode: string | null;
  companyId: string | null;
}

export type { CompanyCard };

export interface PublicProduct {
  product: ProductView;
  company: IndexedCompany;
  related: ProductCard[];
}

export interface SearchPage<T> {
  items: T[];
  total: number;
  totalIsLowerBound: boolean;
  facets: Record<string, FacetCount[]>;
  facetsAreSampled: boolean;
  page: number;
  pages: number;
  /** The analysed query was empty although text was typed (only punctuation, say). */
  isUnsearchable: boolean;
}

export const pageSize = 20;

function parseJson<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

function toView(row: ProductTable, images: ProductImageTable[]): ProductView {
  return {
    id: row.id,
    companyId: row.companyId,
    status: row.status,
    titleZh: row.titleZh,
    titleEn: row.titleEn,
    categoryId: row.categoryId,
    attributes: parseJson(row.attributes, {}),
    customAttributes: parseJson(row.customAttributes, []),
    moq: row.moq,
    unit: row.unit,
    currency: row.currency,
    priceTiers: parseJson(row.priceTiers, []),
    priceNegotiable: row.priceNegotiable === 1,
    leadTimeDays: row.leadTimeDays,
    packaging: row.packaging,
    port: row.port,
    incoterms: parseJson(row.incoterms, []),
    hsCode: row.hsCode,
    certifications: parseJson(row.certifications, []),
    description: row.description,
    images: images.map((i) => ({ id: i.id, fileId: i.fileId, thumbFileId: i.thumbFileId, width: i.width, height: i.height })),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    publishedAt: row.publishedAt,
  };
}

/**
 * Checks attribute values against the leaf's template: known keys only, options from the list,
 * numbers as numbers. Field errors name the attribute (`attr.power`).
 */
function checkAttributes(categoryId: string, attributes: Record<string, string>): Record<string, string> {
  const template = findCategory(categoryId)?.attributes ?? [];
  const errors: Record<string, string> = {};
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!value) continue;
    const attribute = template.find((a) => a.key === key);
    if (!attribute) errors[`attr.${key}`] = 'products.error.attributeUnknown';
    else if (value.length > 100) errors[`attr.${key}`] = 'products.error.attributeTooLong';
    else if (attribute.type === 'select' && !attribute.options?.some((o) => o.value === value)) errors[`attr.${key}`] = 'products.error.attributeOption';
    else if (attribute.type === 'number' && !/^-?\d{1,12}(\.\d{1,4})?$/.test(value)) errors[`attr.${key}`] = 'products.error.attributeNumber';
    else kept[key] = value;
  }
  if (Object.keys(errors).length > 0) throw new AppError('VALIDATION_FAILED', { fields: errors });
  return kept;
}

function productColumns(input: ProductInput) {
  if (!isLeafCategory(input.categoryId)) throw new AppError('VALIDATION_FAILED', { fields: { categoryId: 'products.error.category' } });
  return {
    titleZh: input.titleZh,
    titleEn: input.titleEn,
    categoryId: input.categoryId,
    attributes: JSON.stringify(checkAttributes(input.categoryId, input.attributes)),
    customAttributes: JSON.stringify(input.customAttributes),
    moq: input.moq,
    unit: input.unit,
    currency: input.currency,
    priceTiers: JSON.stringify(input.priceNegotiable && input.priceTiers.length === 0 ? [] : input.priceTiers),
    priceNegotiable: input.priceNegotiable ? 1 : 0,
    leadTimeDays: input.leadTimeDays,
    packaging: input.packaging,
    port: input.port,
    incoterms: JSON.stringify(input.incoterms),
    hsCode: input.hsCode,
    certifications: JSON.stringify(input.certifications),
    description: sanitizeRichText(input.description),
  };
}

/** Makes the products service: suppliers' listings, public pages, category browsing and search. */
export function createProductsService(deps: ProductsDeps) {
  const { db, files } = deps;
  const now = () => (deps.clock ?? (() => new Date()))().toISOString();
  const index: CatalogueIndex = createCatalogueIndex(deps.engine, deps.companies);
  deps.companies.onCompanyChanged(async (trx, companyId) => {
    // A closed company will not be verified again: its products are unpublished for good rather
    // than merely hidden, so nothing would reappear if the row were ever reused.
    if ((await deps.companies.findForIndex(trx, companyId))?.status === 'closed') await repo.unpublishCompanyProducts(trx, companyId, now());
    await index.syncCompany(trx, companyId);
  });

  /** The product of a company the account belongs to; NOT_FOUND for anyone else. */
  async function getOwned(auth: AuthState, companyId: string, productId: string): Promise<ProductTable> {
    await deps.companies.getForMember(auth, companyId);
    const row = await repo.findOwnedProduct(db, companyId, productId);
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  async function cards(ids: readonly string[]): Promise<ProductCard[]> {
    const [rows, covers] = await Promise.all([repo.findProducts(db, ids), repo.listCovers(db, ids)]);
    const cover = new Map<string, string>();
    for (const c of covers) if (!cover.has(c.productId)) cover.set(c.productId, c.thumbFileId);
    const companies = await deps.companies.findManyForIndex(db, rows.map((r) => r.companyId));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      const company = row ? companies.get(row.companyId) : undefined;
      if (!row || !company || !isProductPublic(row, company)) return [];
      const tiers = parseJson<PriceTier[]>(row.priceTiers, []);
      const prices = tiers.map((t) => Number(t.price));
      return [
        {
          id: row.id,
          titleZh: row.titleZh,
          titleEn: row.titleEn,
          categoryId: row.categoryId,
          thumbFileId: cover.get(row.id) ?? null,
          moq: row.moq,
          unit: row.unit,
          currency: row.currency,
          priceMin: prices.length ? String(Math.min(...prices)) : null,
          priceMax: prices.length ? String(Math.max(...prices)) : null,
          priceNegotiable: row.priceNegotiable === 1,
          listedAt: [row.publishedAt ?? row.updatedAt, company.verifiedAt ?? ''].sort().at(-1)!,
          company: {
            id: company.id,
            nameZh: company.nameZh,
            nameEn: company.nameEn,
            verified: company.verified,
            verifiedAt: company.verifiedAt,
            verifiedChecks: company.verifiedChecks,
            provinceCode: company.provinceCode,
            country: company.country,
          },
        },
      ];
    });
  }

  async function companyCards(ids: readonly string[]): Promise<CompanyCard[]> {
    const found = await deps.companies.findManyForIndex(db, ids);
    return ids.flatMap((id) => {
      const c = found.get(id);
      return c?.isPublic ? [companyCard(c)] : [];
    });
  }

  return {
    index,

    /** The company as its member sees it (for the shop pages' navigation). */
    getCompany(auth: AuthState, companyId: string) {
      return deps.companies.getForMember(auth, companyId);
    },

    /** A company's own products, newest change first, for its members. */
    async listForCompany(auth: AuthState, companyId: string, status: ProductStatus | undefined, page: number) {
      const company = await deps.companies.getForMember(auth, companyId);
      const [rows, total] = await Promise.all([
        repo.listCompanyProducts(db, companyId, status, pageSize, (page - 1) * pageSize),
        repo.countCompanyProducts(db, companyId, status),
      ]);
      const covers = await repo.listCovers(db, rows.map((r) => r.id));
      return {
        company,
        items: rows.map((r) => ({ ...toView(r, []), thumbFileId: covers.find((c) => c.productId === r.id)?.thumbFileId ?? null })),
        total,
        page,
        pages: Math.max(1, Math.ceil(total / pageSize)),
      };
    },

    /** A product for editing by a member of its company. */
    async getForEdit(auth: AuthState, companyId: string, productId: string): Promise<ProductView> {
      const row = await getOwned(auth, companyId, productId);
      return toView(row, await repo.listImages(db, productId));
    },

    /** Saves a new product as a draft. */
    async create(auth: AuthState, companyId: string, input: ProductInput): Promise<{ id: string }> {
      await deps.companies.getForMember(auth, companyId);
      const columns = productColumns(input);
      const id = randomUUID();
      const at = now();
      await repo.insertProduct(db, { id, companyId, status: 'draft', ...columns, createdBy: auth.accountId, createdAt: at, updatedAt: at, publishedAt: null });
      return { id };
    },

    /** Replaces a product's details; a published product stays published and its index entry follows. */
    async update(auth: AuthState, companyId: string, productId: string, input: ProductInput): Promise<void> {
      await getOwned(auth, companyId, productId);
      const columns = productColumns(input);
      await db.transaction().execute(async (trx) => {
        await repo.updateProduct(trx, companyId, productId, { ...columns, updatedAt: now() });
        await index.syncProduct(trx, productId);
      });
    },

    /** Publishes or unpublishes; a published product is public once its company is verified. */
    async setStatus(auth: AuthState, companyId: string, productId: string, status: 'published' | 'unpublished'): Promise<void> {
      const row = await getOwned(auth, companyId, productId);
      if (row.status === status) return;
      if (status === 'unpublished' && row.status === 'draft') throw new AppError('CONFLICT', { messageKey: 'products.error.notPublished' });
      const at = now();
      await db.transaction().execute(async (trx) => {
        await repo.updateProduct(trx, companyId, productId, { status, updatedAt: at, ...(status === 'published' ? { publishedAt: at } : {}) });
        await index.syncProduct(trx, productId);
      });
    },

    /** Deletes a product with its images and index entry. */
    async remove(auth: AuthState, companyId: string, productId: string): Promise<void> {
      await getOwned(auth, companyId, productId);
      const images = await repo.listImages(db, productId);
      await db.transaction().execute(async (trx) => {
        await index.products.remove(trx, productId);
        await repo.deleteProduct(trx, companyId, productId);
      });
      for (const image of images) {
        await files.delete(image.fileId);
        await files.delete(image.thumbFileId);
      }
    },

    /** Adds a cleaned image (see acceptUpload) and its thumbnail; at most ten per product. */
    async addImage(auth: AuthState, companyId: string, productId: string, upload: AcceptedUpload): Promise<void> {
      await getOwned(auth, companyId, productId);
      const existing = await repo.listImages(db, productId);
      if (existing.length >= maxImages) throw new AppError('CONFLICT', { messageKey: 'products.error.tooManyImages', params: { max: maxImages } });
      const thumb = await makeThumbnail(upload.bytes, 400);
      const stored = await files.put(upload, { visibility: 'public' });
      const storedThumb = await files.put(thumb, { visibility: 'public' });
      try {
        await db.transaction().execute(async (trx) => {
          await repo.insertImage(trx, {
            id: randomUUID(),
            productId,
            fileId: stored.id,
            thumbFileId: storedThumb.id,
            position: (existing.at(-1)?.position ?? -1) + 1,
            width: upload.width ?? 0,
            height: upload.height ?? 0,
          });
          await repo.updateProduct(trx, companyId, productId, { updatedAt: now() });
          await index.syncProduct(trx, productId);
        });
      } catch (error) {
        await files.delete(stored.id);
        await files.delete(storedThumb.id);
        throw error;
      }
    },

    /** Removes one image of the product. */
    async removeImage(auth: AuthState, companyId: string, productId: string, imageId: string): Promise<void> {
      await getOwned(auth, companyId, productId);
      const image = (await repo.listImages(db, productId)).find((i) => i.id === imageId);
      if (!image) throw new AppError('NOT_FOUND');
      await db.transaction().execute(async (trx) => {
        await repo.deleteImage(trx, productId, imageId);
        await index.syncProduct(trx, productId);
      });
      await files.delete(image.fileId);
      await files.delete(image.thumbFileId);
    },

    /** Makes an image the first one (the cover shown in lists). */
    async makeCover(auth: AuthState, companyId: string, productId: string, imageId: string): Promise<void> {
      await getOwned(auth, companyId, productId);
      const images = await repo.listImages(db, productId);
      if (!images.some((i) => i.id === imageId)) throw new AppError('NOT_FOUND');
      const ordered = [images.find((i) => i.id === imageId)!, ...images.filter((i) => i.id !== imageId)];
      await db.transaction().execute(async (trx) => {
        for (const [position, image] of ordered.entries()) await repo.setImagePosition(trx, productId, image.id, position);
      });
    },

    /** A public product with its company and related products; NOT_FOUND unless it is public. */
    async getPublic(productId: string): Promise<PublicProduct> {
      const row = await repo.findProduct(db, productId);
      const company = row ? await deps.companies.findForIndex(db, row.companyId) : undefined;
      if (!row || !company || !isProductPublic(row, company)) throw new AppError('NOT_FOUND');
      const found = await index.products.search(db, { tokens: [], filters: { c: row.categoryId }, sort: 'newest', offset: 0, limit: 9 });
      const related = await cards(found.keys.filter((id) => id !== productId).slice(0, 8));
      return { product: toView(row, await repo.listImages(db, productId)), company, related };
    },

    /** A company's public products, newest first, for its profile page. */
    async companyProducts(companyId: string, limit = 12): Promise<{ items: ProductCard[]; total: number }> {
      const found = await index.products.search(db, { tokens: [], filters: { co: companyId }, sort: 'newest', offset: 0, limit });
      return { items: await cards(found.keys), total: found.total };
    },

    /**
     * Public products matching saved criteria, newest listed first, with how many match; an
     * unsearchable keyword or an unknown category matches nothing.
     */
    async findMatching(criteria: ProductCriteria, offset: number, limit: number): Promise<{ items: ProductCard[]; total: number }> {
      const tokens = criteria.keyword ? queryTokens(criteria.keyword) : [];
      if (criteria.keyword && tokens.length === 0) return { items: [], total: 0 };
      if (criteria.categoryId && !findCategory(criteria.categoryId)) return { items: [], total: 0 };
      const filters = { c: criteria.categoryId ?? undefined, p: criteria.provinceCode ?? undefined, co: criteria.companyId ?? undefined };
      const found = await index.products.search(db, { tokens, filters, sort: 'newest', offset, limit });
      return { items: await cards(found.keys), total: found.total };
    },

    /** The cards of the given products in that order; those not public (any more) are left out. */
    findCards(ids: readonly string[]): Promise<ProductCard[]> {
      return ids.length === 0 ? Promise.resolve([]) : cards(ids);
    },

    /** Products or companies matching a query with facets; any query string is safe. */
    async search(params: SearchParams): Promise<SearchPage<ProductCard> | SearchPage<CompanyCard>> {
      const tokens = queryTokens(params.q);
      const isUnsearchable = params.q.trim() !== '' && tokens.length === 0;
      const offset = (params.page - 1) * pageSize;
      const empty = { items: [], total: 0, totalIsLowerBound: false, facets: {}, facetsAreSampled: false, page: params.page, pages: 1, isUnsearchable };
      if (isUnsearchable) return empty;
      if (params.category && !findCategory(params.category)) return empty;
      if (params.type === 'companies') {
        const found = await index.companies.search(db, {
          tokens,
          filters: { p: params.province, v: params.verified },
          sort: params.sort,
          offset,
          limit: pageSize,
          facets: ['p', 'v'],
        });
        return { ...found, items: await companyCards(found.keys), page: params.page, pages: Math.max(1, Math.ceil(found.reachable / pageSize)), isUnsearchable };
      }
      const found = await index.products.search(db, {
        tokens,
        filters: { c: params.category, p: params.province, m: params.moq },
        sort: params.sort,
        offset,
        limit: pageSize,
        facets: ['c', 'p', 'm'],
      });
      return { ...found, items: await cards(found.keys), page: params.page, pages: Math.max(1, Math.ceil(found.reachable / pageSize)), isUnsearchable };
    },

    /** The category with its path, for category pages; NOT_FOUND for an unknown id. */
    getCategoryPath(categoryId: string) {
      if (!findCategory(categoryId)) throw new AppError('NOT_FOUND');
      return categoryPath(categoryId);
    },

    /** How many product sitemap chunks there are, and the URLs of one chunk. */
    sitemap: {
      chunkSize: 50_000,
      async chunkCount(): Promise<number> {
        const { maxDocId } = await repo.countIndexedProducts(db);
        return Math.max(1, Math.ceil(maxDocId / this.chunkSize));
      },
      async chunk(n: number): Promise<{ id: string; updatedAt: string }[]> {
        const rows = await repo.listIndexedProducts(db, n * this.chunkSize, this.chunkSize);
        return rows.filter((r) => Number(r.docId) <= (n + 1) * this.chunkSize).map((r) => ({ id: r.id, updatedAt: r.updatedAt }));
      },
    },
  };
}

export type ProductsService = ReturnType<typeof createProductsService>;
