import { createHmac, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Executor } from '../../platform/db/client.js';
import type { MigrationSet } from '../../platform/db/migrate.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';
import { cutoffBefore, inBatches } from '../../platform/privacy/retention-period.js';

/**
 * Service logs (S8): browse, click-to-view, follow and share events. Stored with a pseudonymous
 * subject reference (a keyed hash of the account id), the event, its target and the time —
 * nothing else.
 */
export const serviceEvents = [
  'contact.view',
  'rfq.posted',
  'quote.sent',
  'inquiry.sent',
  'follow.added',
  'follow.removed',
  'share.created',
  'share.emailed',
  // A visit through a shared link; recorded only with the visitor's consent to analytics.
  'share.visited',
] as const;
export type ServiceEvent = (typeof serviceEvents)[number];

export interface ServiceEventTable {
  id: string;
  subjectRef: string;
  event: ServiceEvent;
  targetType: string;
  targetId: string;
  createdAt: string;
}

export interface TelemetryTables {
  serviceEvent: ServiceEventTable;
}

export const telemetryMigrations: MigrationSet = {
  '20261129T0300_service_event': {
    async up(db) {
      await db.schema
        .createTable('service_event')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('subject_ref', 'varchar(64)', (c) => c.notNull())
        .addColumn('event', 'varchar(40)', (c) => c.notNull())
        .addColumn('target_type', 'varchar(40)', (c) => c.notNull())
        .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('service_event_subject').on('service_event').column('subject_ref').execute();
      await db.schema.createIndex('service_event_target').on('service_event').columns(['target_type', 'target_id']).execute();
    },
  },
};

export const telemetryDataMap: DataMap = {
  service_event: {
    id: technical('identifies an event', '6 months'),
    subject_ref: personal('service-log', 'service logs: who did what, pseudonymously (keyed hash)', 'contract', '6 months', { sensitive: true }),
    event: personal('service-log', 'service logs: browse, click-to-view, follow, share', 'contract', '6 months', { sensitive: true }),
    target_type: technical('what the event was about', '6 months'),
    target_id: personal('service-log', 'what the person looked at', 'contract', '6 months', { sensitive: true }),
    created_at: technical('when', '6 months'),
  },
};

/** Writes service-log events under a pseudonymous subject reference. */
export function createTelemetry(db: Kysely<Database>, secret: string) {
  const subjectRef = (accountId: string) => createHmac('sha256', secret).update(`subject:${accountId}`).digest('hex');
  return {
    subjectRef,
    /** Records one event; the one function every service-log feature calls. */
    async record(handle: Executor<Database>, accountId: string, event: ServiceEvent, target: { type: string; id: string }) {
      await handle
        .insertInto('serviceEvent')
        .values({ id: randomUUID(), subjectRef: subjectRef(accountId), event, targetType: target.type, targetId: target.id, createdAt: new Date().toISOString() })
        .execute();
    },
    /** Deletes service-log events older than 6 months (their declared retention), in batches; answers how many. */
    async deleteExpired(at: Date = new Date()): Promise<number> {
      const before = cutoffBefore(at, { months: 6 });
      return inBatches(async (limit) => {
        const result = await db
          .deleteFrom('serviceEvent')
          .where('id', 'in', (eb) => eb.selectFrom('serviceEvent').select('id').where('createdAt', '<', before).limit(limit))
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
    },
    provider(): PersonalDataProvider {
      return {
        name: 'telemetry',
        describe: () => telemetryDataMap,
        async export(subjectId) {
          const events = await db
            .selectFrom('serviceEvent')
            .select(['event', 'targetType', 'targetId', 'createdAt'])
            .where('subjectRef', '=', subjectRef(subjectId))
            .orderBy('createdAt')
            .execute();
          return { provider: 'telemetry', records: { events } };
        },
        async erase(subjectId) {
          const result = await db.deleteFrom('serviceEvent').where('subjectRef', '=', subjectRef(subjectId)).executeTakeFirst();
          return { erased: Number(result.numDeletedRows) };
        },
      };
    },
  };
}

export type Telemetry = ReturnType<typeof createTelemetry>;
