import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuthState } from '../../platform/http/context.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import type { DataMap, LegalBasis, PersonalDataProvider } from '../../platform/privacy/data-map.js';
import { AppError } from '../../platform/http/errors.js';
import type { AccountsService } from '../accounts/index.js';
import type { CompaniesService } from '../companies/index.js';
import type { Telemetry } from '../telemetry/index.js';

/** What one provider holds about the person: each kind of record and how many there are. */
export interface HeldSummary {
  provider: string;
  counts: Record<string, number>;
  total: number;
}

/** The meaning of one personal field in the download, from the data map. */
export interface FieldMeaning {
  field: string;
  category: string;
  purpose: string;
  basis: LegalBasis;
  retention: string;
  isSensitive: boolean;
}

/** The download: everything every module holds about the person, and what each field is for. */
export interface PersonalDataDocument {
  format: 'silkline.personal-data.v1';
  generatedAt: string;
  accountId: string;
  statementUrl: string;
  fields: FieldMeaning[];
  records: Record<string, Record<string, unknown[]>>;
}

/** What stops a person from cancelling their account until they deal with it. */
export type CancellationBlocker =
  /** They own a company that has other members: someone must be left in charge of it. */
  | { code: 'company-owner'; companyId: string; companyName: string }
  /** They are the only administrator: nobody could grant staff roles without them. */
  | { code: 'last-admin' };

/** What cancelling the account would do now, as the cancellation page explains it. */
export interface CancellationPreview {
  blockers: CancellationBlocker[];
  /** Companies where the person is the only member: they close with the account. */
  closing: { companyId: string; companyName: string }[];
  /** Companies with other members: the person's membership ends. */
  leaving: { companyId: string; companyName: string }[];
}

export interface PrivacyDeps {
  db: Kysely<Database>;
  providers: () => readonly PersonalDataProvider[];
  dataMap: DataMap;
  accounts: Pick<AccountsService, 'confirmPassword' | 'getProfile' | 'isLastAdmin'>;
  companies: Pick<CompaniesService, 'closeCompany' | 'membershipsForCancellation'>;
  telemetry: Pick<Telemetry, 'subjectRef'>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  /** One line per cancellation, without personal data. */
  info: (message: string, details: Record<string, unknown>) => void;
  warn: (message: string, details: Record<string, unknown>) => void;
  onMailQueued?: () => void;
  clock?: () => Date;
}

/** The message key of a blocker, as the page and the 409 refusal show it. */
export function blockerMessage(blocker: CancellationBlocker): string {
  return blocker.code === 'company-owner' ? 'privacy.cancel.blocker.companyOwner' : 'privacy.cancel.blocker.lastAdmin';
}

/** The personal columns of the map, in table and column order, as the download explains them. */
function fieldMeanings(dataMap: DataMap): FieldMeaning[] {
  return Object.entries(dataMap)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([table, columns]) =>
      Object.entries(columns)
        .filter(([, c]) => c.personal)
        .map(([column, c]) => ({ field: `${table}.${column}`, category: c.category, purpose: c.purpose, basis: c.basis, retention: c.retention, isSensitive: c.sensitive })),
    );
}

/**
 * The person's own rights over their personal information (statement items S13, S18, S19; PIPL
 * arts. 45, 47): a summary of what each module holds, a download of all of it as JSON, and the
 * cancellation of the account with erasure everywhere — all run over the registered providers
 * without knowing their tables.
 */
export function createPrivacyService(deps: PrivacyDeps) {
  const clock = deps.clock ?? (() => new Date());
  const exportAll = async (accountId: string) => Promise.all(deps.providers().map((p) => p.export(accountId)));

  async function preview(accountId: string): Promise<CancellationPreview> {
    const memberships = await deps.companies.membershipsForCancellation(accountId);
    const blockers: CancellationBlocker[] = memberships
      .filter((m) => m.role === 'owner' && m.otherMembers > 0)
      .map((m) => ({ code: 'company-owner', companyId: m.companyId, companyName: m.nameZh }));
    if (await deps.accounts.isLastAdmin(accountId)) blockers.push({ code: 'last-admin' });
    const named = (m: (typeof memberships)[number]) => ({ companyId: m.companyId, companyName: m.nameZh });
    return {
      blockers,
      closing: memberships.filter((m) => m.otherMembers === 0).map(named),
      leaving: memberships.filter((m) => m.otherMembers > 0).map(named),
    };
  }

  return {
    /** What cancelling the signed-in person's account would do now, and what stops it. */
    cancellationPreview: (auth: AuthState): Promise<CancellationPreview> => preview(auth.accountId),

    /**
     * Cancels the account at once (statement S13, S18, S19; PIPL art. 47): after the password,
     * and only when nothing blocks it, closes the companies the person alone runs, runs every
     * provider's erasure in the registered order, and mails a confirmation to the address the
     * account had. The caller ends the session cookie.
     */
    async cancelAccount(auth: AuthState, password: string, locale: Locale): Promise<void> {
      const { accountId } = auth;
      await deps.accounts.confirmPassword(auth, password);
      const { blockers, closing } = await preview(accountId);
      const [blocker] = blockers;
      if (blocker) {
        throw new AppError('CONFLICT', { messageKey: blockerMessage(blocker), params: blocker.code === 'company-owner' ? { company: blocker.companyName } : {} });
      }
      // 1. The address is read before erasure takes it away; the mail goes out after.
      const { email } = await deps.accounts.getProfile(accountId);
      // The log may name the account only pseudonymously; its service-log rows go with it.
      const ref = deps.telemetry.subjectRef(accountId);
      try {
        // 2. Companies first: closing reads nothing of the account, and the memberships that
        //    the companies provider then deletes are what marked them as the person's.
        for (const company of closing) await deps.companies.closeCompany(undefined, company.companyId);
        // 3. In the registered order: some providers find records by the account's address.
        for (const provider of deps.providers()) await provider.erase(accountId);
      } catch (error) {
        deps.warn('account cancellation failed part-way', { ref });
        throw error;
      }
      // 4. Without a subject, so no later erasure removes it; and without the person's name,
      //    so it holds nothing of theirs but the address it goes to.
      const t = deps.translator(locale);
      await enqueueMail(deps.db, {
        to: email,
        kind: 'account-cancelled',
        subject: t('privacy.mail.cancelled.subject'),
        text: t('privacy.mail.cancelled.body', { link: `${deps.publicUrl}/privacy/contact` }),
      });
      deps.onMailQueued?.();
      deps.info('account cancelled', { ref, closedCompanies: closing.length });
    },

    /** How many records of each kind every module holds about the signed-in person; modules holding nothing are left out. */
    async summary(auth: AuthState): Promise<HeldSummary[]> {
      return (await exportAll(auth.accountId))
        .map(({ provider, records }) => {
          const counts = Object.fromEntries(Object.entries(records).map(([kind, list]) => [kind, list.length]));
          return { provider, counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
        })
        .filter((s) => s.total > 0)
        .sort((a, b) => a.provider.localeCompare(b.provider));
    },

    /** After the password is confirmed, everything held about the person, and a mail saying it was downloaded. */
    async download(auth: AuthState, password: string, locale: Locale): Promise<PersonalDataDocument> {
      await deps.accounts.confirmPassword(auth, password);
      const exports = await exportAll(auth.accountId);
      const document: PersonalDataDocument = {
        format: 'silkline.personal-data.v1',
        generatedAt: clock().toISOString(),
        accountId: auth.accountId,
        statementUrl: `${deps.publicUrl}/legal`,
        fields: fieldMeanings(deps.dataMap),
        records: Object.fromEntries(exports.sort((a, b) => a.provider.localeCompare(b.provider)).map((e) => [e.provider, e.records])),
      };
      // Said by mail, so that a download the person did not make does not go unnoticed.
      const profile = await deps.accounts.getProfile(auth.accountId);
      const t = deps.translator(locale);
      await enqueueMail(deps.db, {
        to: profile.email,
        subjectId: auth.accountId,
        kind: 'personal-data-exported',
        subject: t('privacy.mail.exported.subject'),
        text: t('privacy.mail.exported.body', { name: profile.contactPerson, link: `${deps.publicUrl}/account/sessions` }),
      });
      deps.onMailQueued?.();
      return document;
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
