import type { MigrationSet } from '../../platform/db/migrate.js';

/** The kinds of notice the site sends; each has a text `notices.kind.<kind>` in the catalogs. */
export const noticeKinds = ['company.verified', 'company.rejected', 'rfq.quote.received', 'rfq.quote.accepted', 'rfq.quote.declined', 'rfq.closed', 'survey.invited', 'incident.published', 'incident.updated'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

export interface NoticeTable {
  id: string;
  accountId: string;
  kind: NoticeKind;
  /** The placeholders of the kind's text, as a JSON object of strings. */
  params: string;
  /** A same-site path the notice is about. */
  link: string;
  createdAt: string;
  readAt: string | null;
}

export interface NoticesTables {
  notice: NoticeTable;
}

const time = 'varchar(32)';

export const noticesMigrations: MigrationSet = {
  '20261129T0400_notice': {
    async up(db) {
      await db.schema
        .createTable('notice')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(36)', (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('kind', 'varchar(40)', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('link', 'varchar(500)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('read_at', time)
        .execute();
      await db.schema.createIndex('notice_account_created').on('notice').columns(['account_id', 'created_at']).execute();
    },
  },
};
