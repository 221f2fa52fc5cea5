import type { MigrationSet } from '../../platform/db/migrate.js';

/** What a person may ask about (PIPL arts. 44–50, plus complaints); each has `privacyRequests.topic.<topic>`. */
export const privacyTopics = ['access', 'correction', 'deletion', 'account-cancellation', 'withdraw-consent', 'complaint', 'other'] as const;
export type PrivacyTopic = (typeof privacyTopics)[number];

export const privacyRequestStatuses = ['open', 'answered', 'closed'] as const;
export type PrivacyRequestStatus = (typeof privacyRequestStatuses)[number];

export interface PrivacyRequestTable {
  id: string;
  /** What the person quotes in correspondence, e.g. `PR-7KQ2M9XD`. */
  reference: string;
  /** The signed-in account that sent it; null for visitors and after the account is gone. */
  accountId: string | null;
  /** Where replies go: the account email when signed in, else the address given. */
  email: string;
  topic: PrivacyTopic;
  message: string;
  locale: string;
  status: PrivacyRequestStatus;
  /** `YYYY-MM-DD`, 15 PRC working days after the day it was received in Asia/Shanghai. */
  dueOn: string;
  createdAt: string;
  answeredAt: string | null;
  closedAt: string | null;
  /** The officer who last answered or closed it. */
  handledBy: string | null;
}

export interface PrivacyRequestReplyTable {
  id: string;
  requestId: string;
  authorId: string | null;
  body: string;
  sentAt: string;
}

export interface PrivacyRequestsTables {
  privacyRequest: PrivacyRequestTable;
  privacyRequestReply: PrivacyRequestReplyTable;
}

const time = 'varchar(32)';

export const privacyRequestsMigrations: MigrationSet = {
  '20261129T0450_privacy_request': {
    async up(db) {
      await db.schema
        .createTable('privacy_request')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('reference', 'varchar(20)', (c) => c.notNull().unique())
        .addColumn('account_id', 'varchar(36)', (c) => c.references('account.id').onDelete('set null'))
        .addColumn('email', 'varchar(320)', (c) => c.notNull())
        .addColumn('topic', 'varchar(40)', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('locale', 'varchar(10)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('due_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('answered_at', time)
        .addColumn('closed_at', time)
        .addColumn('handled_by', 'varchar(36)', (c) => c.references('account.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('privacy_request_status_due').on('privacy_request').columns(['status', 'due_on']).execute();
      await db.schema.createIndex('privacy_request_account').on('privacy_request').column('account_id').execute();
      await db.schema
        .createTable('privacy_request_reply')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('request_id', 'varchar(36)', (c) => c.notNull().references('privacy_request.id').onDelete('cascade'))
        .addColumn('author_id', 'varchar(36)', (c) => c.references('account.id').onDelete('set null'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('sent_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('privacy_request_reply_request').on('privacy_request_reply').columns(['request_id', 'sent_at']).execute();
    },
  },
};
