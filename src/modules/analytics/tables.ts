import type { MigrationSet } from '../../platform/db/migrate.js';

/** Page views counted per Beijing day and page: aggregated, about no one. */
export interface AnalyticsPageCountTable {
  /** `YYYY-MM-DD`, Asia/Shanghai. */
  day: string;
  path: string;
  views: number;
}

/** One counted page view of a browser that consented to analytics. */
export interface AnalyticsVisitTable {
  id: string;
  /** The random id in the browser's `sl_an` cookie; never an account. */
  visitId: string;
  day: string;
  path: string;
  /** The same-site page the view came from, when there was one. */
  referrerPath: string | null;
}

export interface AnalyticsTables {
  analyticsPageCount: AnalyticsPageCountTable;
  analyticsVisit: AnalyticsVisitTable;
}

export const analyticsMigrations: MigrationSet = {
  '20261129T1510_analytics': {
    async up(db) {
      await db.schema
        .createTable('analytics_page_count')
        .addColumn('day', 'varchar(10)', (c) => c.notNull())
        .addColumn('path', 'varchar(200)', (c) => c.notNull())
        .addColumn('views', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_page_count_pk', ['day', 'path'])
        .execute();
      await db.schema
        .createTable('analytics_visit')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('visit_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('day', 'varchar(10)', (c) => c.notNull())
        .addColumn('path', 'varchar(200)', (c) => c.notNull())
        .addColumn('referrer_path', 'varchar(200)')
        .execute();
      await db.schema.createIndex('analytics_visit_day').on('analytics_visit').column('day').execute();
      await db.schema.createIndex('analytics_visit_visit_id').on('analytics_visit').column('visit_id').execute();
    },
  },
};
