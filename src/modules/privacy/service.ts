import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuthState } from '../../platform/http/context.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import type { DataMap, LegalBasis, PersonalDataProvider } from '../../platform/privacy/data-map.js';
import type { AccountsService } from '../accounts/index.js';

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

export interface PrivacyDeps {
  db: Kysely<Database>;
  providers: () => readonly PersonalDataProvider[];
  dataMap: DataMap;
  accounts: Pick<AccountsService, 'confirmPassword' | 'getProfile'>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  onMailQueued?: () => void;
  clock?: () => Date;
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
 * The person's own access to their personal information (statement item S18; PIPL arts. 45):
 * a summary of what each module holds, and a download of all of it as JSON, run over the
 * registered providers without knowing their tables.
 */
export function createPrivacyService(deps: PrivacyDeps) {
  const clock = deps.clock ?? (() => new Date());
  const exportAll = async (accountId: string) => Promise.all(deps.providers().map((p) => p.export(accountId)));

  return {
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
