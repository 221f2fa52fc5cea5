import type { MigrationSet } from '../../platform/db/migrate.js';

/** The documents Silkline publishes; each has its own version numbers. */
export const legalDocuments = ['privacy', 'terms'] as const;
export type LegalDocument = (typeof legalDocuments)[number];

/** One published version of a document. Never updated once written, except the notification bookkeeping and erasure of the publisher. */
export interface LegalVersionTable {
  id: string;
  document: LegalDocument;
  /** 1, 2, 3… per document. */
  number: number;
  /** SHA-256 (hex) of the canonical text of every locale with the version's dates; what consents are stamped with. */
  contentHash: string;
  /** A material change: announced to everyone at least 7 days ahead, and it pauses consents given before it. */
  isMaterial: number;
  /** `YYYY-MM-DD`: the version takes effect at 00:00 Asia/Shanghai that day. */
  effectiveOn: string;
  /** The instant of `effectiveOn` 00:00 Asia/Shanghai, for comparisons. */
  effectiveAt: string;
  /** `YYYY-MM-DD` (Asia/Shanghai): the last-modified date shown at the top of the document. */
  modifiedOn: string;
  publishedAt: string;
  /** The privacy officer who published it; null for the first version and after erasure. */
  publishedBy: string | null;
  /** JSON array of the data categories the generated section lists (empty for terms). */
  dataCategories: string;
  /** Material changes: the last account id mailed so far ('' before the first batch). */
  notifyCursor: string;
  /** When every account had been mailed; null while mailing (or for changes that mail nobody). */
  notifiedAt: string | null;
}

/** The frozen text and page of one locale of a version. */
export interface LegalTextTable {
  versionId: string;
  locale: string;
  /** What the officer wrote (placeholders unresolved): the starting point of the next draft. */
  source: string;
  /** The full text as published: placeholders resolved and the generated data section included. */
  body: string;
  /** The exact bytes (UTF-8) of the standalone page, served unchanged forever. */
  html: string;
}

/** A privacy officer's unpublished edit of one locale of a document. */
export interface LegalDraftTable {
  document: LegalDocument;
  locale: string;
  source: string;
  updatedAt: string;
  updatedBy: string | null;
}

export interface LegalTables {
  legalVersion: LegalVersionTable;
  legalText: LegalTextTable;
  legalDraft: LegalDraftTable;
}

const time = 'varchar(32)';

export const legalMigrations: MigrationSet = {
  '20261129T0700_legal_documents': {
    async up(db) {
      await db.schema
        .createTable('legal_version')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('document', 'varchar(16)', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('content_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('is_material', 'integer', (c) => c.notNull())
        .addColumn('effective_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('effective_at', time, (c) => c.notNull())
        .addColumn('modified_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('published_at', time, (c) => c.notNull())
        .addColumn('published_by', 'varchar(36)', (c) => c.references('account.id').onDelete('set null'))
        .addColumn('data_categories', 'text', (c) => c.notNull())
        .addColumn('notify_cursor', 'varchar(36)', (c) => c.notNull())
        .addColumn('notified_at', time)
        .addUniqueConstraint('legal_version_document_number', ['document', 'number'])
        .execute();
      await db.schema
        .createTable('legal_text')
        .addColumn('version_id', 'varchar(36)', (c) => c.notNull().references('legal_version.id').onDelete('cascade'))
        .addColumn('locale', 'varchar(10)', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('html', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('legal_text_pk', ['version_id', 'locale'])
        .execute();
      await db.schema
        .createTable('legal_draft')
        .addColumn('document', 'varchar(16)', (c) => c.notNull())
        .addColumn('locale', 'varchar(10)', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('updated_by', 'varchar(36)', (c) => c.references('account.id').onDelete('set null'))
        .addPrimaryKeyConstraint('legal_draft_pk', ['document', 'locale'])
        .execute();
    },
  },
};
