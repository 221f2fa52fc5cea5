import type { MigrationSet } from '../../platform/db/migrate.js';

/** An incident notice's life: a draft staff may change, then published for good. */
export const incidentStatuses = ['draft', 'published'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** Who is affected: every account, or the accounts staff listed. */
export const incidentScopes = ['all', 'listed'] as const;
export type IncidentScope = (typeof incidentScopes)[number];

/**
 * A personal-information security incident (PIPL art. 57, statement item S16), written by staff
 * in both languages. Once published it is a public announcement and never changes; follow-ups
 * are `incident_update` rows.
 */
export interface IncidentTable {
  id: string;
  status: IncidentStatus;
  titleZh: string;
  titleEn: string;
  /** What happened. */
  summaryZh: string;
  summaryEn: string;
  /** The day the incident was found, `YYYY-MM-DD` (Asia/Shanghai). */
  foundOn: string;
  /** The data-map categories involved, as a JSON array of category keys. */
  categories: string;
  consequencesZh: string;
  consequencesEn: string;
  measuresZh: string;
  measuresEn: string;
  /** What people can do themselves to reduce the harm. */
  selfHelpZh: string;
  selfHelpEn: string;
  /** How to reach the personal-information protection contact. */
  contact: string;
  scope: IncidentScope;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /** The last account id the notices have reached, in id order; '' before the first batch. */
  notifyCursor: string;
  /** When every affected account was told; null while notices go out. */
  notifiedAt: string | null;
}

/** The accounts a `listed` incident affects, resolved from the login names and emails staff gave. */
export interface IncidentAccountTable {
  incidentId: string;
  accountId: string;
}

/** A follow-up appended to a published incident, announced like the incident itself. */
export interface IncidentUpdateTable {
  id: string;
  incidentId: string;
  bodyZh: string;
  bodyEn: string;
  createdAt: string;
  notifyCursor: string;
  notifiedAt: string | null;
}

/** Who was told of an incident ('' update) or of one of its updates, so that nobody is told twice. */
export interface IncidentDeliveryTable {
  incidentId: string;
  /** '' for the incident itself, else the update's id. */
  updateId: string;
  accountId: string;
  createdAt: string;
}

export interface IncidentsTables {
  incident: IncidentTable;
  incidentAccount: IncidentAccountTable;
  incidentUpdate: IncidentUpdateTable;
  incidentDelivery: IncidentDeliveryTable;
}

const time = 'varchar(32)';
const id = 'varchar(36)';

export const incidentsMigrations: MigrationSet = {
  '20261129T1900_incidents': {
    async up(db) {
      await db.schema
        .createTable('incident')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('status', 'varchar(10)', (c) => c.notNull())
        .addColumn('title_zh', 'varchar(200)', (c) => c.notNull())
        .addColumn('title_en', 'varchar(200)', (c) => c.notNull())
        .addColumn('summary_zh', 'text', (c) => c.notNull())
        .addColumn('summary_en', 'text', (c) => c.notNull())
        .addColumn('found_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('consequences_zh', 'text', (c) => c.notNull())
        .addColumn('consequences_en', 'text', (c) => c.notNull())
        .addColumn('measures_zh', 'text', (c) => c.notNull())
        .addColumn('measures_en', 'text', (c) => c.notNull())
        .addColumn('self_help_zh', 'text', (c) => c.notNull())
        .addColumn('self_help_en', 'text', (c) => c.notNull())
        .addColumn('contact', 'varchar(200)', (c) => c.notNull())
        .addColumn('scope', 'varchar(8)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('published_at', time)
        .addColumn('notify_cursor', id, (c) => c.notNull().defaultTo(''))
        .addColumn('notified_at', time)
        .execute();
      await db.schema.createIndex('incident_status_published').on('incident').columns(['status', 'published_at']).execute();
      await db.schema
        .createTable('incident_account')
        .addColumn('incident_id', id, (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('account_id', id, (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('incident_account_pk', ['incident_id', 'account_id'])
        .execute();
      await db.schema.createIndex('incident_account_account').on('incident_account').column('account_id').execute();
      await db.schema
        .createTable('incident_update')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('incident_id', id, (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('body_zh', 'text', (c) => c.notNull())
        .addColumn('body_en', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('notify_cursor', id, (c) => c.notNull().defaultTo(''))
        .addColumn('notified_at', time)
        .execute();
      await db.schema.createIndex('incident_update_incident').on('incident_update').columns(['incident_id', 'created_at']).execute();
      await db.schema
        .createTable('incident_delivery')
        .addColumn('incident_id', id, (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('update_id', id, (c) => c.notNull())
        .addColumn('account_id', id, (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('created_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_delivery_pk', ['incident_id', 'update_id', 'account_id'])
        .execute();
      await db.schema.createIndex('incident_delivery_account').on('incident_delivery').column('account_id').execute();
    },
  },
};
