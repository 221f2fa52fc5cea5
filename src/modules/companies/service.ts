import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Executor } from '../../platform/db/client.js';
import type { Telemetry } from '../telemetry/index.js';
import type { NoticesService } from '../notices/index.js';
import type { AuditRecorder } from '../audit/index.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import { cutoffBefore, inBatches } from '../../platform/privacy/retention-period.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { closeCompany, listMembershipsForCancellation, type MembershipForCancellation } from './close-company.js';
import * as repo from './repo.js';
import type { CompanyInfo, CompanyRegistration, ContactInfo } from './schema.js';
import { parseList, toIndexed, toPublic, toView, type CompanyContact, type CompanyView, type IndexedCompany, type PublicCompany } from './present.js';
import type { CompanyTable, MemberRole } from './tables.js';

export { companyCard, toView, type CompanyCard, type CompanyContact, type CompanyView, type IndexedCompany, type PublicCompany } from './present.js';

export interface CompaniesDeps {
  db: Kysely<Database>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  telemetry: Telemetry;
  notices: Pick<NoticesService, 'notify'>;
  /** Deletes the licence file of a company that closes. */
  files: Pick<FileStore, 'delete'>;
  audit: AuditRecorder;
  onMailQueued?: () => void;
  clock?: () => Date;
}

const editors: MemberRole[] = ['owner', 'admin'];
const reviewers = new Set(['reviewer', 'admin']);

/**
 * Told, inside the changing transaction, that a company's public face (name, place, status,
 * description) may have changed; the catalogue keeps its search index in step this way.
 */
export type CompanyChangeListener = (db: Executor<Database>, companyId: string) => Promise<void>;

/** Is the account allowed to review companies? One line, used by pages and API alike. */
export function canReview(auth: AuthState | null): auth is AuthState {
  return auth !== null && reviewers.has(auth.role);
}

/** Makes the companies service: registration, shop management, verification and public pages. */
export function createCompaniesService(deps: CompaniesDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))().toISOString();
  const listeners: CompanyChangeListener[] = [];
  const changed = async (trx: Executor<Database>, id: string) => {
    for (const listener of listeners) await listener(trx, id);
  };

  /** The company if the account may edit it; NOT_FOUND otherwise, so ids of others' companies reveal nothing. */
  async function getEditable(auth: AuthState, id: string) {
    const row = await repo.findCompanyForMember(db, id, auth.accountId);
    if (!row) throw new AppError('NOT_FOUND');
    if (!editors.includes(row.memberRole)) throw new AppError('FORBIDDEN', { messageKey: 'companies.error.notEditor' });
    return row;
  }

  async function notifyMembers(companyId: string, kind: string, subjectKey: string, bodyKey: string, params: Record<string, string>, locale: Locale) {
    const t = deps.translator(locale);
    const members = await repo.listMemberEmails(db, companyId);
    await db.transaction().execute(async (trx) => {
      for (const member of members) {
        await enqueueMail(trx, {
          to: member.email,
          subjectId: member.id,
          kind,
          subject: t(subjectKey, params),
          text: t(bodyKey, { ...params, name: member.contactPerson, link: `${deps.publicUrl}/shop/${companyId}` }),
        });
      }
    });
    deps.onMailQueued?.();
  }

  return {
    /** Adds a listener told of every change to a company's public face. */
    onCompanyChanged(listener: CompanyChangeListener): void {
      listeners.push(listener);
    },

    /** Closes a company nobody is left to run, keeping its row for trade records; see `closeCompany`. */
    closeCompany(trx: Executor<Database> | undefined, companyId: string): Promise<{ closed: boolean }> {
      return closeCompany({ db, files: deps.files, now, changed }, trx, companyId);
    },

    /** The account's companies and how many other members each has; see `listMembershipsForCancellation`. */
    membershipsForCancellation(accountId: string): Promise<MembershipForCancellation[]> {
      return listMembershipsForCancellation(db, accountId);
    },

    /** What other modules index and show of a company, read with their executor; undefined if unknown. */
    async findForIndex(executor: Executor<Database>, id: string): Promise<IndexedCompany | undefined> {
      const row = await repo.findCompany(executor, id);
      return row ? toIndexed(row) : undefined;
    },

    /** Several companies as `findForIndex` reads one, in one query (search results, lists of cards). */
    async findManyForIndex(executor: Executor<Database>, ids: readonly string[]): Promise<Map<string, IndexedCompany>> {
      if (ids.length === 0) return new Map();
      const rows = await repo.findCompanies(executor, [...new Set(ids)]);
      return new Map(rows.map((row) => [row.id, toIndexed(row)]));
    },

    /** Registers a company; the registering account becomes its owner. One company per credit code. */
    async register(auth: AuthState, input: CompanyRegistration, ownContactPerson: string): Promise<{ id: string }> {
      const at = now();
      const id = randomUUID();
      const isSomeoneElse = input.contactPerson !== ownContactPerson;
      if (isSomeoneElse && !input.contactAuthorised) {
        throw new AppError('VALIDATION_FAILED', { fields: { contactAuthorised: 'companies.error.contactAuthorisation' } });
      }
      await db.transaction().execute(async (trx) => {
        if (await repo.findCompanyByCode(trx, input.creditCode)) {
          throw new AppError('CONFLICT', { messageKey: 'companies.error.creditCodeTaken', fields: { creditCode: 'companies.error.creditCodeTaken' } });
        }
        await repo.insertCompany(trx, {
          id,
          ...companyColumns(input),
          ...contactColumns(input, isSomeoneElse ? at : null),
          licenceFileId: null,
          logoFileId: null,
          status: 'draft',
          rejectionReason: null,
          submittedAt: null,
          verifiedAt: null,
          verifiedChecks: null,
          createdBy: auth.accountId,
          createdAt: at,
          updatedAt: at,
        });
        await repo.insertMember(trx, id, auth.accountId, 'owner', at);
      });
      return { id };
    },

    /**
     * Asks the owner and admins of an already registered company to invite the account: they get
     * an email with the requester's name and address. Silent when the code is unknown, so codes
     * cannot be probed this way.
     */
    async requestToJoin(auth: AuthState, creditCode: string, locale: Locale): Promise<void> {
      const company = await repo.findCompanyByCode(db, creditCode);
      if (!company) return;
      const members = await repo.listMemberEmails(db, company.id);
      if (members.some((m) => m.id === auth.accountId)) return;
      const requester = await db.selectFrom('account').select(['contactPerson', 'email']).where('id', '=', auth.accountId).executeTakeFirstOrThrow();
      const t = deps.translator(locale);
      await db.transaction().execute(async (trx) => {
        for (const member of members.filter((m) => m.role !== 'member')) {
          await enqueueMail(trx, {
            to: member.email,
            subjectId: member.id,
            kind: 'company-join-request',
            subject: t('companies.mail.join.subject', { company: company.nameZh }),
            text: t('companies.mail.join.body', {
              name: member.contactPerson,
              requester: requester.contactPerson,
              email: requester.email,
              company: company.nameZh,
              link: `${deps.publicUrl}/shop/${company.id}/members`,
            }),
          });
        }
      });
      deps.onMailQueued?.();
    },

    async listMine(auth: AuthState) {
      return repo.listCompaniesOfMember(db, auth.accountId);
    },

    /** The company as its member sees it; NOT_FOUND for anyone else. */
    async getForMember(auth: AuthState, id: string): Promise<CompanyView> {
      const row = await repo.findCompanyForMember(db, id, auth.accountId);
      if (!row) throw new AppError('NOT_FOUND');
      return toView(row);
    },

    /**
     * Corrects or supplements 公司信息; takes effect at once. Changing the credit code of a
     * submitted or verified company sends it back to review.
     */
    async updateInfo(auth: AuthState, id: string, input: CompanyInfo): Promise<CompanyView> {
      const row = await getEditable(auth, id);
      const codeChanged = input.creditCode !== row.creditCode;
      await db.transaction().execute(async (trx) => {
        if (codeChanged && (await repo.findCompanyByCode(trx, input.creditCode))) {
          throw new AppError('CONFLICT', { messageKey: 'companies.error.creditCodeTaken', fields: { creditCode: 'companies.error.creditCodeTaken' } });
        }
        await repo.updateCompany(trx, id, {
          ...companyColumns(input),
          ...(codeChanged ? backToReview(row.status) : {}),
          updatedAt: now(),
        });
        await changed(trx, id);
      });
      return this.getForMember(auth, id);
    },

    /** Corrects or supplements 联系信息; takes effect at once. */
    async updateContact(auth: AuthState, id: string, input: ContactInfo, ownContactPerson: string): Promise<CompanyView> {
      const row = await getEditable(auth, id);
      const isSomeoneElse = input.contactPerson !== ownContactPerson;
      if (isSomeoneElse && input.contactPerson !== row.contactPerson && !input.contactAuthorised) {
        throw new AppError('VALIDATION_FAILED', { fields: { contactAuthorised: 'companies.error.contactAuthorisation' } });
      }
      const authorisedAt = isSomeoneElse ? (input.contactPerson === row.contactPerson ? row.contactAuthorisedAt : now()) : null;
      await repo.updateCompany(db, id, { ...contactColumns(input, authorisedAt), updatedAt: now() });
      return this.getForMember(auth, id);
    },

    /** Sends a draft or rejected company to the reviewers; a licence is needed first. */
    async submitForReview(auth: AuthState, id: string): Promise<CompanyView> {
      const row = await getEditable(auth, id);
      if (!row.licenceFileId) throw new AppError('VALIDATION_FAILED', { messageKey: 'companies.error.licenceRequired', fields: { licence: 'companies.error.licenceRequired' } });
      if (row.status !== 'draft' && row.status !== 'rejected') throw new AppError('CONFLICT', { messageKey: 'companies.error.notSubmittable' });
      await db.transaction().execute(async (trx) => {
        await repo.updateCompany(trx, id, { status: 'submitted', submittedAt: now(), rejectionReason: null, updatedAt: now() });
        await changed(trx, id);
      });
      return this.getForMember(auth, id);
    },

    /** Attaches a stored public logo image; returns the one it replaces. */
    async setLogo(auth: AuthState, id: string, fileId: string): Promise<{ previous: string | null }> {
      const row = await getEditable(auth, id);
      await db.transaction().execute(async (trx) => {
        await repo.updateCompany(trx, id, { logoFileId: fileId, updatedAt: now() });
        await changed(trx, id);
      });
      return { previous: row.logoFileId };
    },

    /** Attaches a stored licence file; a verified company goes back to review. */
    async setLicence(auth: AuthState, id: string, fileId: string): Promise<{ previous: string | null }> {
      const row = await getEditable(auth, id);
      await db.transaction().execute(async (trx) => {
        await repo.updateCompany(trx, id, { licenceFileId: fileId, ...backToReview(row.status), updatedAt: now() });
        await changed(trx, id);
      });
      return { previous: row.licenceFileId };
    },

    /**
     * The licence file id for someone allowed to see it (a member, or a reviewer — whose view is
     * recorded). NOT_FOUND for anyone else.
     */
    async licenceFor(auth: AuthState, id: string): Promise<string> {
      const member = await repo.findCompanyForMember(db, id, auth.accountId);
      const row = member ?? (canReview(auth) ? await repo.findCompany(db, id) : undefined);
      if (!row?.licenceFileId) throw new AppError('NOT_FOUND');
      if (!member) {
        await db.transaction().execute(async (trx) => {
          await repo.insertLicenceView(trx, { id: randomUUID(), companyId: id, viewerId: auth.accountId, viewerRole: auth.role, viewedAt: now() });
          await deps.audit.record(trx, { actor: auth, action: 'licence.view', target: { type: 'company', id }, purpose: 'company-verification' });
        });
      }
      return row.licenceFileId;
    },

    /** The reviewer queue: submitted companies, oldest first. */
    async reviewQueue(auth: AuthState, page: number) {
      if (!canReview(auth)) throw new AppError('FORBIDDEN');
      return repo.listByStatus(db, 'submitted', 50, (page - 1) * 50);
    },

    /** The company as a reviewer sees it, with its licence file id (opening the file is what gets recorded). */
    async getForReview(auth: AuthState, id: string): Promise<CompanyView & { licenceFileId: string | null }> {
      if (!canReview(auth)) throw new AppError('FORBIDDEN');
      const row = await repo.findCompany(db, id);
      // A closed company has nobody to verify: its contact data is gone and it is never reviewed again.
      if (!row || row.status === 'closed') throw new AppError('NOT_FOUND');
      // The review page shows the contact person's name, email and mobile: on record before it is shown.
      await deps.audit.record(db, { actor: auth, action: 'company.view', target: { type: 'company', id }, purpose: 'company-verification' });
      return { ...toView(row), licenceFileId: row.licenceFileId };
    },

    /** Approves or rejects a submitted company and tells its members by email. */
    async decide(
      auth: AuthState,
      id: string,
      decision: { decision: 'approve'; checks: string[] } | { decision: 'reject'; reason: string },
      locale: Locale,
    ): Promise<CompanyView> {
      if (!canReview(auth)) throw new AppError('FORBIDDEN');
      const row = await repo.findCompany(db, id);
      if (!row) throw new AppError('NOT_FOUND');
      if (row.status !== 'submitted') throw new AppError('CONFLICT', { messageKey: 'companies.error.notInReview' });
      const at = now();
      await db.transaction().execute(async (trx) => {
        await repo.insertReview(trx, {
          id: randomUUID(),
          companyId: id,
          reviewerId: auth.accountId,
          decision: decision.decision,
          reason: decision.decision === 'reject' ? decision.reason : null,
          checks: decision.decision === 'approve' ? JSON.stringify(decision.checks) : null,
          createdAt: at,
        });
        await repo.updateCompany(
          trx,
          id,
          decision.decision === 'approve'
            ? { status: 'verified', verifiedAt: at, verifiedChecks: JSON.stringify(decision.checks), rejectionReason: null, updatedAt: at }
            : { status: 'rejected', rejectionReason: decision.reason, verifiedAt: null, verifiedChecks: null, updatedAt: at },
        );
        await changed(trx, id);
        // Every member is told in the site as well as by email.
        for (const member of await repo.listMemberEmails(trx, id)) {
          await deps.notices.notify(
            trx,
            member.id,
            decision.decision === 'approve'
              ? { kind: 'company.verified', params: { company: row.nameZh }, link: `/shop/${id}/verification` }
              : { kind: 'company.rejected', params: { company: row.nameZh, reason: decision.reason }, link: `/shop/${id}/verification` },
          );
        }
        await deps.audit.record(trx, { actor: auth, action: 'company.review', target: { type: 'company', id }, purpose: 'company-verification' });
      });
      const params = { company: row.nameZh, reason: decision.decision === 'reject' ? decision.reason : '' };
      if (decision.decision === 'approve') {
        await notifyMembers(id, 'company-verified', 'companies.mail.verified.subject', 'companies.mail.verified.body', params, locale);
      } else {
        await notifyMembers(id, 'company-rejected', 'companies.mail.rejected.subject', 'companies.mail.rejected.body', params, locale);
      }
      return toView((await repo.findCompany(db, id))!);
    },

    /** The public profile of a submitted or verified company; drafts and rejected ones are not public. */
    async getPublic(id: string): Promise<PublicCompany> {
      const row = await repo.findCompany(db, id);
      if (!row || !repo.publicStatuses.includes(row.status)) throw new AppError('NOT_FOUND');
      return toPublic(row);
    },

    /** Contact details for a signed-in viewer of a public company. */
    async revealContact(id: string): Promise<CompanyContact> {
      const row = await repo.findCompany(db, id);
      if (!row || !repo.publicStatuses.includes(row.status)) throw new AppError('NOT_FOUND');
      return { contactPerson: row.contactPerson, contactEmail: row.contactEmail, contactMobile: row.contactMobile, phone: row.phone, fax: row.fax };
    },

    /** Records that a signed-in viewer revealed a company's contact details (a click-to-view event). */
    async recordContactView(auth: AuthState, id: string): Promise<void> {
      await this.getPublic(id);
      await deps.telemetry.record(db, auth.accountId, 'contact.view', { type: 'company', id });
    },

    async directory(filter: repo.DirectoryFilter, page: number, pageSize = 20) {
      const [rows, total] = await Promise.all([
        repo.listDirectory(db, filter, pageSize, (page - 1) * pageSize),
        repo.countDirectory(db, filter),
      ]);
      return {
        items: rows.map((r) => ({ ...r, mainProducts: parseList(r.mainProducts), verified: r.status === 'verified' })),
        total,
        page,
        pages: Math.max(1, Math.ceil(total / pageSize)),
      };
    },

    /**
     * Deletes verification reviews and records of licence views older than 3 years (their
     * declared retention), in batches; the company's current status and badge stay on the company.
     */
    async deleteExpired(at: Date = new Date(now())): Promise<{ reviews: number; licenceViews: number }> {
      const before = cutoffBefore(at, { years: 3 });
      const reviews = await inBatches((limit) => repo.deleteReviewsBefore(db, before, limit));
      const licenceViews = await inBatches((limit) => repo.deleteLicenceViewsBefore(db, before, limit));
      return { reviews, licenceViews };
    },
  };
}

function companyColumns(input: CompanyInfo) {
  return {
    nameZh: input.nameZh,
    nameEn: input.nameEn,
    creditCode: input.creditCode,
    country: input.country,
    provinceCode: input.country === 'CN' ? input.provinceCode : null,
    cityCode: input.country === 'CN' ? input.cityCode : null,
    districtCode: input.country === 'CN' ? input.districtCode : null,
    street: input.street,
    mainProducts: JSON.stringify(input.mainProducts),
    description: input.description,
  };
}

function contactColumns(input: ContactInfo, authorisedAt: string | null) {
  return {
    contactPerson: input.contactPerson,
    contactEmail: input.contactEmail,
    contactMobile: input.contactMobile,
    phone: input.phone,
    fax: input.fax,
    contactAuthorisedAt: authorisedAt,
  };
}

/** A submitted or verified company whose identity changed goes back to the reviewers. */
function backToReview(status: CompanyTable['status']) {
  return status === 'verified' || status === 'submitted'
    ? { status: 'submitted' as const, verifiedAt: null, verifiedChecks: null, submittedAt: new Date().toISOString() }
    : {};
}

export type CompaniesService = ReturnType<typeof createCompaniesService>;
