import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { locales, makeTranslator, type Catalog, type Locale } from '../../platform/i18n/i18n.js';
import type { DataMap } from '../../platform/privacy/data-map.js';
import { createAnnouncer } from './announcements.js';
import { dataCategories, generateDataSection, insertDataSection, missingDataTexts } from './data-section.js';
import { addDays, shanghaiDate, shanghaiMidnight } from './dates.js';
import { compareSections, type SectionChange } from './diff.js';
import { comparePath, renderStoredPage, type VersionFacts } from './render.js';
import * as repo from './repo.js';
import type { DraftInput, PublishInput } from './schema.js';
import { legalDocuments, type LegalDocument } from './tables.js';

/** The days a material change is announced before it takes effect. */
export const materialNoticeDays = 7;
/**
 * The dates of the first versions, published from the texts in `content/` when a database has
 * none: fixed, so the first version's hash is the same wherever the same texts are installed.
 */
export const firstVersionDate = '2026-11-29';

const dayMs = 86_400_000;
const officerRoles = ['privacy-officer', 'admin'] as const;

/** May the account draft and publish legal documents? One line, for pages and service alike. */
export function canEditLegalDocuments(auth: AuthState | null): auth is AuthState {
  return auth !== null && (officerRoles as readonly string[]).includes(auth.role);
}

/** A published version as pages and other modules see it (its texts are read separately). */
export interface VersionView extends VersionFacts {
  id: string;
  effectiveAt: string;
  publishedAt: string;
  /** The data categories the generated section lists (privacy only). */
  dataCategories: string[];
}

/** A document's draft: what the officer is editing in each language, and whether it is saved. */
export interface DraftView {
  document: LegalDocument;
  sources: Record<Locale, string>;
  /** When the draft was last saved; null while it is just the newest version's text. */
  savedAt: string | null;
  basedOn: number;
}

/** A coming material change, for the site-wide banner. */
export interface ComingChange {
  document: LegalDocument;
  number: number;
  effectiveOn: string;
  href: string;
}

export interface LegalDeps {
  db: Kysely<Database>;
  /** The data map the privacy statement's generated section is made from. */
  dataMap: DataMap;
  catalog: Catalog;
  privacyEmail: string;
  publicUrl: string;
  onMailQueued?: () => void;
  warn?: (message: string, details: Record<string, unknown>) => void;
  clock?: () => Date;
  /** How long versions read from the database are trusted (other instances may publish). */
  refreshMs?: number;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The text the content hash covers: the version's facts and its full text in every language. */
function canonicalContent(facts: Omit<VersionFacts, 'contentHash'>, bodies: Record<Locale, string>): string {
  return [
    'silkline-legal-document',
    `document: ${facts.document}`,
    `version: ${facts.number}`,
    `effective: ${facts.effectiveOn}`,
    `modified: ${facts.modifiedOn}`,
    `material: ${facts.isMaterial ? 'yes' : 'no'}`,
    ...locales.flatMap((locale) => [`--- ${locale}`, bodies[locale]]),
  ].join('\n');
}

/** The text an installation starts with, from `content/<document>.<locale>.md`. */
function contentSource(document: LegalDocument, locale: Locale): string {
  return readFileSync(new URL(`./content/${document}.${locale}.md`, import.meta.url), 'utf8').replace(/\r\n?/g, '\n').trim();
}

type VersionRow = Awaited<ReturnType<typeof repo.listVersions>>[number];

function toView(row: VersionRow): VersionView {
  return {
    id: row.id,
    document: row.document,
    number: Number(row.number),
    contentHash: row.contentHash,
    isMaterial: Number(row.isMaterial) === 1,
    effectiveOn: row.effectiveOn,
    effectiveAt: row.effectiveAt,
    modifiedOn: row.modifiedOn,
    publishedAt: row.publishedAt,
    dataCategories: JSON.parse(row.dataCategories) as string[],
  };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed/.test(e.message ?? '');
}

/**
 * Makes the legal documents service: immutable published versions of the privacy statement and
 * the terms, officers' drafts, comparisons, the announcement of material changes, and the
 * statement version consents are stamped with.
 */
export function createLegalService(deps: LegalDeps) {
  const { db, dataMap, catalog } = deps;
  const clock = deps.clock ?? (() => new Date());
  const refreshMs = deps.refreshMs ?? 10_000;
  const translator = (locale: Locale) => makeTranslator(catalog, locale);
  let versions: VersionView[] = [];
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | null = null;
  const announcer = createAnnouncer({ db, translator, clock, publicUrl: deps.publicUrl, privacyEmail: deps.privacyEmail, onMailQueued: deps.onMailQueued, warn: deps.warn });

  async function load(): Promise<void> {
    versions = (await repo.listVersions(db)).map(toView);
    loadedAt = Date.now();
  }

  function ofDocument(document: LegalDocument): VersionView[] {
    return versions.filter((v) => v.document === document);
  }

  /** Versions that have taken effect; the first always stands, even before its date. */
  function effective(document: LegalDocument): VersionView[] {
    const all = ofDocument(document);
    if (all.length === 0) throw new Error(`No ${document} version is loaded: start the legal service first`);
    const now = clock().toISOString();
    const taken = all.filter((v) => v.effectiveAt <= now);
    return taken.length > 0 ? taken : [all[0]!];
  }

  function inEffect(document: LegalDocument): VersionView {
    return effective(document).at(-1)!;
  }

  function findVersion(document: LegalDocument, number: number): VersionView {
    const version = ofDocument(document).find((v) => v.number === number);
    if (!version) throw new AppError('NOT_FOUND');
    return version;
  }

  function assertOfficer(auth: AuthState): void {
    if (!canEditLegalDocuments(auth)) throw new AppError('FORBIDDEN');
  }

  /** The full text of one language as it would be published: placeholders resolved, data section in. */
  function composeBody(document: LegalDocument, source: string, locale: Locale): string {
    const resolved = source.replaceAll('{privacyEmail}', deps.privacyEmail);
    return document === 'privacy' ? insertDataSection(resolved, generateDataSection(dataMap, translator(locale))) : resolved;
  }

  /** Everything stored for a new version: its texts and pages in every language and its hash. */
  function buildVersion(document: LegalDocument, number: number, sources: Record<Locale, string>, dates: { effectiveOn: string; modifiedOn: string }, isMaterial: boolean) {
    const bodies = Object.fromEntries(locales.map((locale) => [locale, composeBody(document, sources[locale], locale)])) as Record<Locale, string>;
    const base = { document, number, effectiveOn: dates.effectiveOn, modifiedOn: dates.modifiedOn, isMaterial };
    const facts: VersionFacts = { ...base, contentHash: sha256(canonicalContent(base, bodies)) };
    const texts = locales.map((locale) => ({
      locale,
      source: sources[locale],
      body: bodies[locale],
      html: renderStoredPage(facts, locale, bodies[locale], translator(locale)),
    }));
    return { facts, bodies, texts, categories: document === 'privacy' ? dataCategories(dataMap) : [] };
  }

  /** Publishes the first version of each document that has none; safe when instances race. */
  async function publishFirstVersions(): Promise<void> {
    await load();
    for (const document of legalDocuments) {
      if (ofDocument(document).length > 0) continue;
      const sources = Object.fromEntries(locales.map((locale) => [locale, contentSource(document, locale)])) as Record<Locale, string>;
      const built = buildVersion(document, 1, sources, { effectiveOn: firstVersionDate, modifiedOn: firstVersionDate }, false);
      const at = shanghaiMidnight(firstVersionDate).toISOString();
      const id = randomUUID();
      try {
        await db.transaction().execute((trx) =>
          repo.insertVersion(
            trx,
            {
              id,
              document,
              number: 1,
              contentHash: built.facts.contentHash,
              isMaterial: 0,
              effectiveOn: firstVersionDate,
              effectiveAt: at,
              modifiedOn: firstVersionDate,
              publishedAt: at,
              publishedBy: null,
              dataCategories: JSON.stringify(built.categories),
              notifyCursor: '',
              notifiedAt: null,
            },
            built.texts.map((text) => ({ ...text, versionId: id })),
          ),
        );
      } catch (error) {
        // Another instance published it first.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    await load();
  }

  function comingChanges(): ComingChange[] {
    const now = clock().toISOString();
    return legalDocuments.flatMap((document) => {
      const current = inEffect(document);
      return ofDocument(document)
        .filter((v) => v.isMaterial && v.effectiveAt > now)
        .map((v) => ({ document, number: v.number, effectiveOn: v.effectiveOn, href: comparePath(document, current.number, v.number) }));
    });
  }

  /** The earliest effective date a material change published now may have. */
  function earliestMaterialDate(now: Date): string {
    const earliest = new Date(now.getTime() + materialNoticeDays * dayMs);
    const day = shanghaiDate(earliest);
    return shanghaiMidnight(day) < earliest ? addDays(day, 1) : day;
  }

  /** The sources a draft starts from: the saved draft, else the newest version's text. */
  async function draftSources(document: LegalDocument): Promise<DraftView> {
    const latest = ofDocument(document).at(-1)!;
    const [drafts, published] = await Promise.all([repo.listDrafts(db, document), repo.listTexts(db, latest.id)]);
    const sources = {} as Record<Locale, string>;
    for (const locale of locales) {
      sources[locale] = drafts.find((d) => d.locale === locale)?.source ?? published.find((p) => p.locale === locale)?.source ?? '';
    }
    const savedAt = drafts.reduce<string | null>((max, d) => (max === null || d.updatedAt > max ? d.updatedAt : max), null);
    return { document, sources, savedAt, basedOn: latest.number };
  }

  return {
    /** Publishes the first versions when the database has none, loads the versions and resumes unfinished announcements. */
    async start(): Promise<void> {
      await publishFirstVersions();
      for (const pending of await repo.listUnannounced(db)) {
        const version = versions.find((v) => v.id === pending.id);
        if (version) announcer.start(version);
      }
    },

    /** Reads the versions again when the copy in memory is older than `refreshMs`. */
    async refreshIfStale(): Promise<void> {
      if (Date.now() - loadedAt < refreshMs) return;
      loading ??= load().finally(() => {
        loading = null;
      });
      await loading;
    },

    /** Waits for announcements being mailed (at shutdown, and in tests). */
    drain: () => announcer.drain(),

    /** The content hash of the privacy statement in effect: what consents are stamped with. */
    statementVersion(): string {
      return inEffect('privacy').contentHash;
    },

    /**
     * The statement versions under which a consent still stands: the one in effect and those
     * before it back to the last material change in effect. Consents given earlier are paused.
     */
    acceptedStatementVersions(): string[] {
      const taken = effective('privacy');
      const lastMaterial = taken.filter((v) => v.isMaterial).at(-1)?.number ?? 1;
      return taken.filter((v) => v.number >= lastMaterial).map((v) => v.contentHash);
    },

    /** The material change of the privacy statement in effect (after the first version), for the consent banner. */
    statementChange(): { effectiveOn: string; href: string } | null {
      const change = effective('privacy').filter((v) => v.isMaterial && v.number > 1).at(-1);
      return change ? { effectiveOn: change.effectiveOn, href: comparePath('privacy', change.number - 1, change.number) } : null;
    },

    /** Material changes published but not yet in effect: announced site-wide until they are. */
    comingChanges,

    /** Changes whenever what the site-wide banners say changes, so cached pages can be dropped. */
    bannerState(): string {
      return JSON.stringify([legalDocuments.map((d) => inEffect(d).id), comingChanges().map((c) => `${c.document}${c.number}`)]);
    },

    /** Every version of a document, newest first, with which one is in effect. */
    versions(document: LegalDocument): { items: VersionView[]; inEffect: number } {
      return { items: [...ofDocument(document)].reverse(), inEffect: inEffect(document).number };
    },

    /** The version in effect in one language, and versions published to take effect later. */
    async current(document: LegalDocument, locale: Locale): Promise<{ version: VersionView; body: string; coming: VersionView[] }> {
      const version = inEffect(document);
      const text = await repo.findText(db, document, version.number, locale);
      if (!text) throw new AppError('NOT_FOUND');
      return { version, body: text.body, coming: ofDocument(document).filter((v) => v.number > version.number) };
    },

    /** The exact bytes of a version's page in one language, as stored at publication. */
    async storedPage(document: LegalDocument, number: number, locale: Locale): Promise<{ html: string; contentHash: string }> {
      const page = await repo.findStoredPage(db, document, number, locale);
      if (!page) throw new AppError('NOT_FOUND');
      return page;
    },

    /** Two versions compared section by section in one language; by default the newest and the one before. */
    async compare(document: LegalDocument, locale: Locale, range: { from?: number; to?: number }) {
      const all = ofDocument(document);
      const to = findVersion(document, range.to ?? all.at(-1)!.number);
      const from = findVersion(document, range.from ?? Math.max(1, to.number - 1));
      const [before, after] = await Promise.all([repo.findText(db, document, from.number, locale), repo.findText(db, document, to.number, locale)]);
      if (!before || !after) throw new AppError('NOT_FOUND');
      const sections: SectionChange[] = compareSections(before.body, after.body, locale);
      return { from, to, sections, numbers: all.map((v) => v.number) };
    },

    /** What the data map and the statement in effect lack: texts for its values, and categories. */
    coverage(): { missingTexts: string[]; missingCategories: string[] } {
      const listed = new Set(inEffect('privacy').dataCategories);
      return { missingTexts: missingDataTexts(dataMap, catalog), missingCategories: dataCategories(dataMap).filter((c) => !listed.has(c)) };
    },

    /** A document's draft in both languages; officers only. */
    async draft(auth: AuthState, document: LegalDocument): Promise<DraftView> {
      assertOfficer(auth);
      await load();
      return draftSources(document);
    },

    /** Saves a draft in both languages, replacing the previous one; officers only. */
    async saveDraft(auth: AuthState, document: LegalDocument, input: DraftInput): Promise<void> {
      assertOfficer(auth);
      const updatedAt = clock().toISOString();
      const sources: Record<Locale, string> = { 'zh-CN': input.textZh, en: input.textEn };
      await db.transaction().execute((trx) =>
        repo.replaceDraft(trx, document, locales.map((locale) => ({ document, locale, source: sources[locale], updatedAt, updatedBy: auth.accountId }))),
      );
    },

    /** Drops a document's draft, so the next one starts from the newest version; officers only. */
    async discardDraft(auth: AuthState, document: LegalDocument): Promise<void> {
      assertOfficer(auth);
      await repo.deleteDraft(db, document);
    },

    /** The draft as it would be published in one language, and how it differs from the newest version. */
    async preview(auth: AuthState, document: LegalDocument, locale: Locale) {
      assertOfficer(auth);
      await load();
      const draft = await draftSources(document);
      const body = composeBody(document, draft.sources[locale], locale);
      const latest = await repo.findText(db, document, draft.basedOn, locale);
      const sections = compareSections(latest?.body ?? '', body, locale);
      return { draft, body, sections, today: shanghaiDate(clock()), earliestMaterial: earliestMaterialDate(clock()) };
    },

    /**
     * Publishes the draft (or, unchanged, the newest text with a fresh data section) as the next
     * version. A material change must take effect at least 7 days after publication and is mailed
     * to every account. Refusals change nothing.
     */
    async publish(auth: AuthState, document: LegalDocument, input: PublishInput): Promise<VersionView> {
      assertOfficer(auth);
      await load();
      const now = clock();
      const today = shanghaiDate(now);
      const latest = ofDocument(document).at(-1)!;
      if (input.effectiveOn < today) throw new AppError('VALIDATION_FAILED', { fields: { effectiveOn: 'legal.error.effectivePast' } });
      if (input.effectiveOn > addDays(today, 366)) throw new AppError('VALIDATION_FAILED', { fields: { effectiveOn: 'legal.error.effectiveTooFar' } });
      if (input.effectiveOn < latest.effectiveOn) {
        throw new AppError('VALIDATION_FAILED', { messageKey: 'legal.error.effectiveBeforePrevious', params: { date: latest.effectiveOn, number: latest.number } });
      }
      const effectiveAt = shanghaiMidnight(input.effectiveOn);
      if (input.isMaterial && effectiveAt.getTime() - now.getTime() < materialNoticeDays * dayMs) {
        throw new AppError('VALIDATION_FAILED', { messageKey: 'legal.error.materialTooSoon', params: { days: materialNoticeDays, earliest: earliestMaterialDate(now) } });
      }
      if (document === 'privacy') {
        const missing = missingDataTexts(dataMap, catalog);
        if (missing.length > 0) throw new AppError('CONFLICT', { messageKey: 'legal.error.missingTexts', params: { keys: missing.slice(0, 5).join(', ') } });
      }
      const draft = await draftSources(document);
      const number = latest.number + 1;
      const built = buildVersion(document, number, draft.sources, { effectiveOn: input.effectiveOn, modifiedOn: today }, input.isMaterial);
      const published = await repo.listTexts(db, latest.id);
      if (locales.every((locale) => published.find((p) => p.locale === locale)?.body === built.bodies[locale])) {
        throw new AppError('CONFLICT', { messageKey: 'legal.error.unchanged' });
      }
      const id = randomUUID();
      try {
        await db.transaction().execute(async (trx) => {
          await repo.insertVersion(
            trx,
            {
              id,
              document,
              number,
              contentHash: built.facts.contentHash,
              isMaterial: input.isMaterial ? 1 : 0,
              effectiveOn: input.effectiveOn,
              effectiveAt: effectiveAt.toISOString(),
              modifiedOn: today,
              publishedAt: now.toISOString(),
              publishedBy: auth.accountId,
              dataCategories: JSON.stringify(built.categories),
              notifyCursor: '',
              notifiedAt: null,
            },
            built.texts.map((text) => ({ ...text, versionId: id })),
          );
          await repo.deleteDraft(trx, document);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('CONFLICT', { messageKey: 'legal.error.publishedMeanwhile' });
        throw error;
      }
      await load();
      const version = findVersion(document, number);
      if (version.isMaterial) announcer.start(version);
      return version;
    },
  };
}

export type LegalService = ReturnType<typeof createLegalService>;

