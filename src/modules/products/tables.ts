import type { MigrationSet } from '../../platform/db/migrate.js';
import { catalogueIndexVersion } from './index-version.js';
import { searchMigration } from '../../platform/search/search-index.js';

export const productStatuses = ['draft', 'published', 'unpublished'] as const;
export type ProductStatus = (typeof productStatuses)[number];

export interface ProductTable {
  id: string;
  companyId: string;
  status: ProductStatus;
  titleZh: string | null;
  titleEn: string | null;
  /** A leaf of the standard category tree. */
  categoryId: string;
  /** JSON object: attribute key of the category's template → value. */
  attributes: string;
  /** JSON array of { name, value } the supplier added. */
  customAttributes: string;
  moq: number;
  unit: string;
  currency: 'CNY' | 'USD';
  /** JSON array of { minQty, price } (price as a decimal string), ascending by quantity. */
  priceTiers: string;
  priceNegotiable: number;
  leadTimeDays: number | null;
  packaging: string | null;
  port: string | null;
  /** JSON array of Incoterms 2020 codes. */
  incoterms: string;
  hsCode: string | null;
  /** JSON array of certification names. */
  certifications: string;
  /** Sanitised HTML. */
  description: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface ProductImageTable {
  id: string;
  productId: string;
  fileId: string;
  thumbFileId: string;
  position: number;
  width: number;
  height: number;
}

export interface ProductSearchTable {
  docId: number;
  docKey: string;
  titleTokens: string;
  facets: string;
  boost: number;
}

/** Which analyser built the catalogue's indexes: a new version means a rebuild. */
export interface SearchStateTable {
  name: string;
  analyzerVersion: string;
  builtAt: string;
}

export interface ProductsTables {
  searchState: SearchStateTable;
  product: ProductTable;
  productImage: ProductImageTable;
  productSearch: ProductSearchTable;
  companySearch: ProductSearchTable;
}

const time = 'varchar(32)';

export const productsMigrations: MigrationSet = {
  '20261129T1000_products': {
    async up(db) {
      await db.schema
        .createTable('product')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('company_id', 'varchar(36)', (c) => c.notNull().references('company.id').onDelete('cascade'))
        .addColumn('status', 'varchar(12)', (c) => c.notNull())
        .addColumn('title_zh', 'varchar(200)')
        .addColumn('title_en', 'varchar(200)')
        .addColumn('category_id', 'varchar(80)', (c) => c.notNull())
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('custom_attributes', 'text', (c) => c.notNull())
        .addColumn('moq', 'integer', (c) => c.notNull())
        .addColumn('unit', 'varchar(20)', (c) => c.notNull())
        .addColumn('currency', 'varchar(3)', (c) => c.notNull())
        .addColumn('price_tiers', 'text', (c) => c.notNull())
        .addColumn('price_negotiable', 'integer', (c) => c.notNull())
        .addColumn('lead_time_days', 'integer')
        .addColumn('packaging', 'varchar(500)')
        .addColumn('port', 'varchar(100)')
        .addColumn('incoterms', 'text', (c) => c.notNull())
        .addColumn('hs_code', 'varchar(10)')
        .addColumn('certifications', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('published_at', time)
        .execute();
      await db.schema.createIndex('product_company').on('product').columns(['company_id', 'status', 'updated_at']).execute();
      await db.schema
        .createTable('product_image')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('product_id', 'varchar(36)', (c) => c.notNull().references('product.id').onDelete('cascade'))
        .addColumn('file_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('thumb_file_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('product_image_product').on('product_image').columns(['product_id', 'position']).execute();
    },
  },
  '20261129T1001_product_search': searchMigration('product'),
  '20261129T1002_company_search': searchMigration('company'),
  '20261129T1003_search_state': {
    async up(db) {
      await db.schema
        .createTable('search_state')
        .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('analyzer_version', 'varchar(40)', (c) => c.notNull())
        .addColumn('built_at', time, (c) => c.notNull())
        .execute();
      // The indexes are empty now, so they are current for the analyser that is running.
      await db.insertInto('search_state').values({ name: 'catalogue', analyzer_version: catalogueIndexVersion, built_at: new Date().toISOString() }).execute();
    },
  },
};
