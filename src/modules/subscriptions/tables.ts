import type { MigrationSet } from '../../platform/db/migrate.js';

/** How often a subscription's new products are emailed; each has `subscriptions.frequency.<value>`. */
export const alertFrequencies = ['off', 'daily', 'weekly'] as const;
export type AlertFrequency = (typeof alertFrequencies)[number];

/** A paused subscription sends no alerts and feeds neither the home page nor recommendations. */
export const subscriptionStatuses = ['active', 'paused'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

/**
 * A saved set of criteria over published products (statement item S4): at least one of a
 * keyword, a category, a supplier province, or one company.
 */
export interface SubscriptionTable {
  id: string;
  accountId: string;
  /** The person's own name for it; a summary of the criteria when they gave none. */
  name: string;
  keyword: string | null;
  /** A category of any level (an industry matches everything under it). */
  categoryId: string | null;
  /** A province code, or `intl` for suppliers outside mainland China (the search facet `p`). */
  provinceCode: string | null;
  /** Not a foreign key: a company that is no longer public simply matches nothing. */
  companyId: string | null;
  status: SubscriptionStatus;
  alertFrequency: AlertFrequency;
  /** The language the person last used with it, so alerts are written in it. */
  locale: string;
  /** When the person last looked at the matches; later products count as new. */
  seenAt: string;
  /** Products listed after this go into the next alert. */
  alertedAt: string;
  /** When the next alert is due; null while alerts are off or the subscription is paused. */
  alertDueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SubscriptionsTables {
  subscription: SubscriptionTable;
}

const time = 'varchar(32)';

export const subscriptionsMigrations: MigrationSet = {
  '20261129T1600_subscriptions': {
    async up(db) {
      await db.schema
        .createTable('subscription')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(36)', (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('name', 'varchar(120)', (c) => c.notNull())
        .addColumn('keyword', 'varchar(200)')
        .addColumn('category_id', 'varchar(80)')
        .addColumn('province_code', 'varchar(12)')
        .addColumn('company_id', 'varchar(36)')
        .addColumn('status', 'varchar(8)', (c) => c.notNull())
        .addColumn('alert_frequency', 'varchar(8)', (c) => c.notNull())
        .addColumn('locale', 'varchar(10)', (c) => c.notNull())
        .addColumn('seen_at', time, (c) => c.notNull())
        .addColumn('alerted_at', time, (c) => c.notNull())
        .addColumn('alert_due_at', time)
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('subscription_account').on('subscription').columns(['account_id', 'created_at']).execute();
      await db.schema.createIndex('subscription_alert_due').on('subscription').column('alert_due_at').execute();
    },
  },
};
