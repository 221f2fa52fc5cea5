import type { MigrationSet } from '../../platform/db/migrate.js';

/**
 * `open`: takes quotes until its deadline (after it, it is shown as expired); `awarded`: the buyer
 * accepted a quote; `closed`: the buyer's account is gone, so nobody can decide any more.
 */
export const rfqStatuses = ['open', 'awarded', 'closed'] as const;
export type RfqStatus = (typeof rfqStatuses)[number];

/** `sent`: waiting for the buyer (the supplier may revise it); then accepted or declined. */
export const quoteStatuses = ['sent', 'accepted', 'declined'] as const;
export type QuoteStatus = (typeof quoteStatuses)[number];

/** A buying request (询盘 / RFQ) posted by a buyer. */
export interface RfqTable {
  id: string;
  /** The buyer who posted it; null once their account is erased (shown as a deleted user). */
  buyerAccountId: string | null;
  productName: string;
  /** A leaf of the standard category tree. */
  categoryId: string;
  /** The industry (root) of the category: suppliers publishing in it see the request. */
  industryId: string;
  quantity: number;
  /** One of the product units (`piece`, `ton` …). */
  unit: string;
  specifications: string;
  /** Country, city or port of destination, as the buyer wrote it. */
  destination: string;
  /** `YYYY-MM-DD`: the last day (Asia/Shanghai) quotes are taken. */
  deadline: string;
  /** The instant the deadline day ends in Asia/Shanghai; no quotes from then on. */
  expiresAt: string;
  status: RfqStatus;
  /** How many companies quoted; at most `maxQuotes`, counted under the row lock. */
  quoteCount: number;
  acceptedQuoteId: string | null;
  /** The inquiry thread opened with the chosen supplier. */
  threadId: string | null;
  createdAt: string;
  updatedAt: string;
  /** When the buyer accepted a quote or the request was closed; starts the retention period. */
  decidedAt: string | null;
}

/** A supplier company's quote on a buying request; one per company, revised in place. */
export interface RfqQuoteTable {
  id: string;
  rfqId: string;
  companyId: string;
  /** The member who sent or last revised it; null once their account is erased. */
  sentBy: string | null;
  currency: 'CNY' | 'USD';
  /** JSON array of { minQty, price } (price as a decimal string), ascending by quantity. */
  priceTiers: string;
  leadTimeDays: number;
  /** `YYYY-MM-DD`: the last day the offer holds. */
  validUntil: string;
  message: string;
  /** The sender's language, for the mail that tells them of the buyer's decision. */
  locale: string;
  status: QuoteStatus;
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
}

export interface RfqTables {
  rfq: RfqTable;
  rfqQuote: RfqQuoteTable;
}

const time = 'varchar(32)';

export const rfqMigrations: MigrationSet = {
  '20261129T1300_rfq': {
    async up(db) {
      await db.schema
        .createTable('rfq')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('buyer_account_id', 'varchar(36)', (c) => c.references('account.id').onDelete('set null'))
        .addColumn('product_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('category_id', 'varchar(80)', (c) => c.notNull())
        .addColumn('industry_id', 'varchar(80)', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('unit', 'varchar(20)', (c) => c.notNull())
        .addColumn('specifications', 'text', (c) => c.notNull())
        .addColumn('destination', 'varchar(200)', (c) => c.notNull())
        .addColumn('deadline', 'varchar(10)', (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('status', 'varchar(12)', (c) => c.notNull())
        .addColumn('quote_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('accepted_quote_id', 'varchar(36)')
        .addColumn('thread_id', 'varchar(36)')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('decided_at', time)
        .execute();
      await db.schema.createIndex('rfq_board').on('rfq').columns(['industry_id', 'status', 'created_at']).execute();
      await db.schema.createIndex('rfq_buyer').on('rfq').columns(['buyer_account_id', 'created_at']).execute();
      await db.schema
        .createTable('rfq_quote')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('rfq_id', 'varchar(36)', (c) => c.notNull().references('rfq.id').onDelete('cascade'))
        .addColumn('company_id', 'varchar(36)', (c) => c.notNull().references('company.id'))
        .addColumn('sent_by', 'varchar(36)', (c) => c.references('account.id').onDelete('set null'))
        .addColumn('currency', 'varchar(3)', (c) => c.notNull())
        .addColumn('price_tiers', 'text', (c) => c.notNull())
        .addColumn('lead_time_days', 'integer', (c) => c.notNull())
        .addColumn('valid_until', 'varchar(10)', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('locale', 'varchar(10)', (c) => c.notNull())
        .addColumn('status', 'varchar(12)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('decided_at', time)
        .addUniqueConstraint('rfq_quote_one_per_company', ['rfq_id', 'company_id'])
        .execute();
      await db.schema.createIndex('rfq_quote_company').on('rfq_quote').column('company_id').execute();
      await db.schema.createIndex('rfq_quote_sent_by').on('rfq_quote').column('sent_by').execute();
    },
  },
};
