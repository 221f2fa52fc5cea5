import type { MigrationSet } from '../../platform/db/migrate.js';
import type { ConsentMethod, Purpose } from './purposes.js';

/** One line of the append-only consent ledger. */
export interface ConsentRecordTable {
  id: string;
  /** The account, when the choice was made signed in (or attached at sign-in); null otherwise. */
  subject: string | null;
  /** The random id of an anonymous browser (cookie `consent_id`), when it had one. */
  consentId: string | null;
  statementVersion: string;
  purpose: Purpose;
  granted: number;
  method: ConsentMethod;
  createdAt: string;
  ipPrefix: string;
  browserClass: string;
}

export interface ConsentTables {
  consentRecord: ConsentRecordTable;
}

export const consentMigrations: MigrationSet = {
  '20261129T0500_consent': {
    async up(db) {
      await db.schema
        .createTable('consent_record')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('subject', 'varchar(36)')
        .addColumn('consent_id', 'varchar(36)')
        .addColumn('statement_version', 'varchar(64)', (c) => c.notNull())
        .addColumn('purpose', 'varchar(20)', (c) => c.notNull())
        .addColumn('granted', 'integer', (c) => c.notNull())
        .addColumn('method', 'varchar(10)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('ip_prefix', 'varchar(45)', (c) => c.notNull())
        .addColumn('browser_class', 'varchar(40)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('consent_record_subject').on('consent_record').columns(['subject', 'created_at']).execute();
      await db.schema.createIndex('consent_record_consent_id').on('consent_record').columns(['consent_id', 'created_at']).execute();
    },
  },
};
