import { errorKind } from '../../platform/jobs/serial-run.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import { comparePath, storedPagePath } from './render.js';
import * as repo from './repo.js';
import type { LegalDocument } from './tables.js';

/** Accounts mailed per transaction when a material change is announced. */
export const announceBatchSize = 100;

/** What an announcement says about the version it announces. */
export interface AnnouncedVersion {
  id: string;
  document: LegalDocument;
  number: number;
  effectiveOn: string;
}

export interface AnnouncerDeps {
  db: Kysely<Database>;
  translator: (locale: Locale) => Translate;
  clock: () => Date;
  publicUrl: string;
  privacyEmail: string;
  onMailQueued?: () => void;
  warn?: (message: string, details: Record<string, unknown>) => void;
}

/** The message about a material change; accounts carry no language, so it is in both, Chinese first. */
function announcement(deps: AnnouncerDeps, version: AnnouncedVersion): { subject: string; text: string } {
  const inLocale = (locale: Locale) => {
    const t = deps.translator(locale);
    const params = {
      document: t(`legal.document.${version.document}`),
      number: version.number,
      date: version.effectiveOn,
      compareUrl: `${deps.publicUrl}${comparePath(version.document, version.number - 1, version.number)}`,
      versionUrl: `${deps.publicUrl}${storedPagePath(version.document, version.number, locale)}`,
      contactUrl: `${deps.publicUrl}/privacy/contact`,
      privacyEmail: deps.privacyEmail,
    };
    const paragraphs = [t('legal.mail.body', params), version.document === 'privacy' ? t('legal.mail.consentPause') : '', t('legal.mail.closing', params)];
    return { subject: t('legal.mail.subject', params), text: paragraphs.filter(Boolean).join('\n\n') };
  };
  const [zh, en] = [inLocale('zh-CN'), inLocale('en')];
  return { subject: `${zh.subject} / ${en.subject}`, text: `${zh.text}\n\n————————\n\n${en.text}` };
}

/**
 * Mails every account about material changes through the outbox, in batches of
 * `announceBatchSize`, each in a transaction that also moves the version's cursor. A restart
 * resumes where the cursor is; a second instance finds the cursor moved and leaves the rest to
 * the first, so nobody is mailed twice.
 */
export function createAnnouncer(deps: AnnouncerDeps) {
  const running = new Map<string, Promise<void>>();

  async function announce(version: AnnouncedVersion): Promise<void> {
    const { subject, text } = announcement(deps, version);
    for (;;) {
      const state = await repo.findAnnouncement(deps.db, version.id);
      if (!state || state.notifiedAt) return;
      const cursor = state.notifyCursor;
      const batch = await deps.db.transaction().execute(async (trx) => {
        const accounts = await repo.accountsAfter(trx, cursor, announceBatchSize);
        const isLast = accounts.length < announceBatchSize;
        const moved = await repo.advanceCursor(trx, version.id, cursor, accounts.at(-1)?.id ?? cursor, isLast ? deps.clock().toISOString() : null);
        // Another instance took this batch: it mails the rest.
        if (!moved) return null;
        for (const account of accounts) {
          await enqueueMail(trx, { to: account.email, subjectId: account.id, kind: 'legal-material-change', subject, text });
        }
        return { isLast };
      });
      if (!batch) return;
      deps.onMailQueued?.();
      if (batch.isLast) return;
    }
  }

  return {
    /** Starts mailing a version's announcement in the background (once per version at a time). */
    start(version: AnnouncedVersion): void {
      if (running.has(version.id)) return;
      const run = announce(version)
        // Only the error's kind is logged: a database error may repeat an address.
        .catch((error: unknown) =>
          deps.warn?.('announcing a legal change stopped; it resumes at the next start', { versionId: version.id, error: errorKind(error) }),
        )
        .finally(() => running.delete(version.id));
      running.set(version.id, run);
    },

    /** Waits for the announcements being mailed (at shutdown, and in tests). */
    async drain(): Promise<void> {
      await Promise.allSettled([...running.values()]);
    },
  };
}
