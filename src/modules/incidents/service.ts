import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { cutoffBefore } from '../../platform/privacy/retention-period.js';
import type { AuditService } from '../audit/index.js';
import type { NoticesService } from '../notices/index.js';
import { createIncidentJobs } from './jobs.js';
import * as repo from './repo.js';
import type { IncidentInput, UpdateInput } from './schema.js';
import type { IncidentScope, IncidentStatus } from './tables.js';

export const incidentsPageSize = 20;
/** How many unknown login names or emails a refusal names. */
const unknownShown = 20;

const officerRoles: readonly string[] = ['privacy-officer', 'admin'];

/** Only privacy officers and administrators write and publish incident notices. */
export function canManageIncidents(auth: AuthState | null): auth is AuthState {
  return auth !== null && officerRoles.includes(auth.role);
}

export interface IncidentsDeps {
  db: Kysely<Database>;
  publicUrl: string;
  privacyEmail: string;
  /** The data-map categories of personal information an incident may involve. */
  categories: readonly string[];
  translator: (locale: Locale) => Translate;
  notices: Pick<NoticesService, 'notify'>;
  /** Records who published an incident, in the staff audit log. */
  audit: Pick<AuditService, 'record'>;
  onMailQueued?: () => void;
  warn?: (message: string, details: Record<string, unknown>) => void;
  clock?: () => Date;
  /** Accounts told per batch (tests make it small). */
  batchSize?: number;
}

/** An incident with its updates, as staff and the public pages read it. */
export interface IncidentView {
  id: string;
  status: IncidentStatus;
  titleZh: string;
  titleEn: string;
  summaryZh: string;
  summaryEn: string;
  foundOn: string;
  categories: string[];
  consequencesZh: string;
  consequencesEn: string;
  measuresZh: string;
  measuresEn: string;
  selfHelpZh: string;
  selfHelpEn: string;
  contact: string;
  scope: IncidentScope;
  createdAt: string;
  publishedAt: string | null;
  updates: { id: string; bodyZh: string; bodyEn: string; createdAt: string }[];
}

/** How far the notices of an incident and of each update have gone. */
export interface DeliveryProgress {
  told: number;
  affected: number;
  done: boolean;
  updates: { id: string; told: number; done: boolean }[];
}

function paging(total: number, page: number) {
  const pages = Math.max(1, Math.ceil(total / incidentsPageSize));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  return { pages, page: current, offset: (current - 1) * incidentsPageSize };
}

/** Makes the incidents service: drafts, publication, public announcements and the notices job. */
export function createIncidentsService(deps: IncidentsDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const jobs = createIncidentJobs({ ...deps, clock });

  function assertOfficer(auth: AuthState): void {
    if (!canManageIncidents(auth)) throw new AppError('FORBIDDEN');
  }

  async function load(id: string): Promise<IncidentView> {
    const row = await repo.findIncident(db, id);
    if (!row) throw new AppError('NOT_FOUND');
    const updates = (await repo.listUpdates(db, id)).map(({ id: updateId, bodyZh, bodyEn, createdAt }) => ({ id: updateId, bodyZh, bodyEn, createdAt }));
    const { notifiedAt: _notifiedAt, updatedAt: _updatedAt, ...rest } = row;
    return { ...rest, categories: JSON.parse(row.categories) as string[], updates };
  }

  /**
   * Checks what the service knows beyond the schema — the categories are the data map's, every
   * listed login name or email is an account — and answers the row values and the account ids.
   * Nothing is stored when one is unknown: the refusal names them.
   */
  async function resolve(input: IncidentInput) {
    const unknownCategories = input.categories.filter((c) => !deps.categories.includes(c));
    if (unknownCategories.length > 0) throw new AppError('VALIDATION_FAILED', { fields: { categories: 'incidents.error.categories' } });
    let accountIds: string[] = [];
    if (input.scope === 'listed') {
      const found = await repo.findAccountsByIdentifiers(db, input.accounts);
      const known = new Set(found.flatMap((a) => [a.loginNameKey, a.email.toLowerCase()]));
      const unknown = input.accounts.filter((line) => !known.has(line.toLowerCase()));
      if (unknown.length > 0) {
        const shown = unknown.slice(0, unknownShown).join(', ');
        throw new AppError('VALIDATION_FAILED', {
          fields: { accounts: 'incidents.error.unknownAccounts' },
          params: { count: unknown.length, list: unknown.length > unknownShown ? `${shown} …` : shown },
        });
      }
      accountIds = [...new Set(found.map((a) => a.id))];
    }
    const { accounts: _accounts, categories, contact, ...texts } = input;
    return { values: { ...texts, categories: JSON.stringify(categories), contact: contact || deps.privacyEmail }, accountIds };
  }

  return {
    /** One page of every incident, newest first; officers only. */
    async list(auth: AuthState, page: number) {
      assertOfficer(auth);
      const total = await repo.countIncidents(db);
      const at = paging(total, page);
      return { items: await repo.listIncidents(db, incidentsPageSize, at.offset), page: at.page, pages: at.pages, total };
    },

    /** An incident in any status with its updates; officers only. */
    async get(auth: AuthState, id: string): Promise<IncidentView> {
      assertOfficer(auth);
      return load(id);
    },

    /** The login names a draft lists, one per line, for its edit form; officers only. */
    async listedAccounts(auth: AuthState, id: string): Promise<string[]> {
      assertOfficer(auth);
      return repo.listedLoginNames(db, id);
    },

    /** Starts a draft; every listed account must be known, else nothing is stored. */
    async create(auth: AuthState, input: IncidentInput): Promise<{ id: string }> {
      assertOfficer(auth);
      const { values, accountIds } = await resolve(input);
      const id = randomUUID();
      const now = clock().toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.insertIncident(trx, { id, status: 'draft', ...values, createdAt: now, updatedAt: now, publishedAt: null, notifyCursor: '', notifiedAt: null });
        await repo.replaceListedAccounts(trx, id, accountIds);
      });
      return { id };
    },

    /** Rewrites a draft; CONFLICT once it is published, which is final. */
    async update(auth: AuthState, id: string, input: IncidentInput): Promise<void> {
      assertOfficer(auth);
      const { values, accountIds } = await resolve(input);
      await db.transaction().execute(async (trx) => {
        if (!(await repo.updateIncidentIn(trx, id, 'draft', { ...values, updatedAt: clock().toISOString() }))) {
          if (!(await repo.findIncident(trx, id))) throw new AppError('NOT_FOUND');
          throw new AppError('CONFLICT', { messageKey: 'incidents.error.published' });
        }
        await repo.replaceListedAccounts(trx, id, accountIds);
      });
    },

    /**
     * Publishes a draft for good: the announcement is public from now on, and the notices to the
     * affected people start going out in the background.
     */
    async publish(auth: AuthState, id: string): Promise<void> {
      assertOfficer(auth);
      const now = clock().toISOString();
      const published = await db.transaction().execute(async (trx) => {
        if (!(await repo.updateIncidentIn(trx, id, 'draft', { status: 'published', publishedAt: now, updatedAt: now }))) return false;
        // Publishing tells people that their personal information was involved: who did it is on record.
        await deps.audit.record(trx, { actor: auth, action: 'incident.publish', target: { type: 'incident', id }, purpose: 'breach-notice' });
        return true;
      });
      if (!published) {
        await load(id);
        throw new AppError('CONFLICT', { messageKey: 'incidents.error.published' });
      }
      jobs.startNotices();
    },

    /** Appends a follow-up to a published incident; it is public at once and told to the same people. */
    async addUpdate(auth: AuthState, id: string, input: UpdateInput): Promise<{ id: string }> {
      assertOfficer(auth);
      const incident = await load(id);
      if (incident.status !== 'published') throw new AppError('CONFLICT', { messageKey: 'incidents.error.notPublished' });
      const updateId = randomUUID();
      await repo.insertUpdate(db, { id: updateId, incidentId: id, ...input, createdAt: clock().toISOString() });
      jobs.startNotices();
      return { id: updateId };
    },

    /** How many affected people have been told, of how many; officers only. */
    async progress(auth: AuthState, id: string): Promise<DeliveryProgress> {
      assertOfficer(auth);
      const row = await repo.findIncident(db, id);
      if (!row) throw new AppError('NOT_FOUND');
      const told = await repo.countDeliveries(db, id);
      const done = row.notifiedAt !== null;
      const affected = row.scope === 'listed' ? await repo.countListed(db, id) : done ? (told.get('') ?? 0) : await repo.countVerifiedAccounts(db);
      const updates = (await repo.listUpdates(db, id)).map((u) => ({ id: u.id, told: told.get(u.id) ?? 0, done: u.notifiedAt !== null }));
      return { told: told.get('') ?? 0, affected, done, updates };
    },

    /** One page of the published incidents, newest first: the public announcements. */
    async announcements(page: number) {
      const total = await repo.countIncidents(db, 'published');
      const at = paging(total, page);
      return { items: (await repo.listPublished(db, incidentsPageSize, at.offset)).map((r) => ({ ...r, publishedAt: r.publishedAt ?? '' })), page: at.page, pages: at.pages, total };
    },

    /** A published incident with its updates; drafts are not found. */
    async announcement(id: string): Promise<IncidentView & { publishedAt: string }> {
      const incident = await load(id);
      if (incident.status !== 'published' || !incident.publishedAt) throw new AppError('NOT_FOUND');
      return { ...incident, publishedAt: incident.publishedAt };
    },

    /** The categories an incident may name, from the data map. */
    categories: (): readonly string[] => deps.categories,
    /** The contact used when staff leave it empty. */
    defaultContact: (): string => deps.privacyEmail,

    /** Sends the notices that are due, in batches; answers how many people were told. */
    sendNotices: (): Promise<number> => jobs.sendNotices(),
    /** Waits for notices started in the background (at shutdown, and in tests). */
    drainNotices: (): Promise<void> => jobs.drain(),
    /** Deletes who was listed and told, 3 years after an incident's publication; answers how many rows. */
    deleteExpired: (at: Date = clock()): Promise<number> => repo.deleteLinksPublishedBefore(db, cutoffBefore(at, { years: 3 })),
  };
}

export type IncidentsService = ReturnType<typeof createIncidentsService>;
