import { sql } from 'kysely';
import type { MigrationSet } from '../../platform/db/migrate.js';

/**
 * What staff do with personal data that gets recorded. A fixed list: an entry with any other
 * action is refused, so a typo cannot slip an unnamed act into the log. Each has
 * `audit.action.<action>` in the catalogs.
 */
export const auditActions = [
  'licence.view',
  'company.view',
  'company.review',
  'privacy-request.view',
  'privacy-request.reply',
  'support-ticket.view',
  'support-ticket.reply',
  'inquiry-report.view',
  'survey-results.view',
  'survey-results.export',
  'incident.publish',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Why staff opened the data: the purpose each entry states, as a code with `audit.purpose.<code>` words. */
export const auditPurposes = [
  'company-verification',
  'rights-request',
  'support-request',
  'abuse-report',
  'survey-analysis',
  'breach-notice',
] as const;
export type AuditPurpose = (typeof auditPurposes)[number];

export interface AuditEntryTable {
  /** Position in the chain: 1, 2, 3 … with no gaps; the primary key, so a race fails instead of forking. */
  seq: number;
  recordedAt: string;
  actorId: string;
  actorRole: string;
  action: AuditAction;
  targetType: string;
  targetId: string;
  purpose: AuditPurpose;
  /** The hash of the entry before (of the checkpoint for the first entry kept). */
  prevHash: string;
  /** SHA-256 over the entry's canonical serialisation with `prevHash`; see `entryHash`. */
  hash: string;
}

/**
 * The chain's one head row: the newest entry (every append locks and moves it, so appends are
 * one at a time on both engines) and the checkpoint where the kept chain starts after retention
 * deleted the oldest entries.
 */
export interface AuditChainTable {
  id: string;
  lastSeq: number;
  lastHash: string;
  /** The oldest entry that should still exist. */
  firstSeq: number;
  /** The hash the oldest kept entry must name as its previous one (of the last entry deleted). */
  anchorHash: string;
  updatedAt: string;
}

export interface AuditTables {
  auditEntry: AuditEntryTable;
  auditChain: AuditChainTable;
}

/** The hash before the first entry ever recorded. */
export const genesisHash = '0'.repeat(64);
export const chainId = 'main';

export const auditMigrations: MigrationSet = {
  '20261129T1910_audit': {
    async up(db) {
      await db.schema
        .createTable('audit_entry')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('actor_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('actor_role', 'varchar(20)', (c) => c.notNull())
        .addColumn('action', 'varchar(40)', (c) => c.notNull())
        .addColumn('target_type', 'varchar(40)', (c) => c.notNull())
        .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('purpose', 'varchar(40)', (c) => c.notNull())
        .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('hash', 'varchar(64)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_entry_actor').on('audit_entry').columns(['actor_id', 'seq']).execute();
      await db.schema.createIndex('audit_entry_action').on('audit_entry').columns(['action', 'seq']).execute();
      await db.schema
        .createTable('audit_chain')
        .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .addColumn('last_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('first_seq', 'integer', (c) => c.notNull())
        .addColumn('anchor_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await sql`insert into audit_chain (id, last_seq, last_hash, first_seq, anchor_hash, updated_at)
        values (${chainId}, 0, ${genesisHash}, 1, ${genesisHash}, ${new Date().toISOString()})`.execute(db);
    },
  },
};
