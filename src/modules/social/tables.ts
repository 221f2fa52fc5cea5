import type { MigrationSet } from '../../platform/db/migrate.js';

/** What can be followed and shared; each has `social.type.<type>`. */
export const targetTypes = ['company', 'product'] as const;
export type TargetType = (typeof targetTypes)[number];

/** How a link was shared: copied, scanned from the QR code, or emailed to a colleague. */
export const shareChannels = ['link', 'qr', 'email'] as const;
export type ShareChannel = (typeof shareChannels)[number];

/** A company or product a person follows; one row per person and target. */
export interface FollowTable {
  id: string;
  accountId: string;
  targetType: TargetType;
  /** A company or product id; not a foreign key, as it points at one of two tables. */
  targetId: string;
  createdAt: string;
}

/**
 * A shared link: the random token in `?s=` that attributes later visits to whoever shared what,
 * and how. Copied links and QR codes reuse one token per person, target and channel; each email
 * gets its own. The recipient of an email is never stored here.
 */
export interface ShareLinkTable {
  id: string;
  token: string;
  sharerId: string;
  targetType: TargetType;
  targetId: string;
  channel: ShareChannel;
  createdAt: string;
}

export interface SocialTables {
  follow: FollowTable;
  shareLink: ShareLinkTable;
}

const time = 'varchar(32)';

export const socialMigrations: MigrationSet = {
  '20261129T1400_social': {
    async up(db) {
      await db.schema
        .createTable('follow')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(36)', (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
        .addColumn('target_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addUniqueConstraint('follow_account_target', ['account_id', 'target_type', 'target_id'])
        .execute();
      await db.schema.createIndex('follow_target').on('follow').columns(['target_type', 'target_id']).execute();
      await db.schema.createIndex('follow_account_list').on('follow').columns(['account_id', 'target_type', 'created_at']).execute();
      await db.schema
        .createTable('share_link')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('token', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('sharer_id', 'varchar(36)', (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
        .addColumn('target_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('channel', 'varchar(8)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('share_link_sharer').on('share_link').columns(['sharer_id', 'channel', 'created_at']).execute();
      await db.schema.createIndex('share_link_created').on('share_link').column('created_at').execute();
    },
  },
};
