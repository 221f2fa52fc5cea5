import { serialRun } from '../../platform/jobs/serial-run.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import type { ConsentService } from '../consent/index.js';
import type { NoticesService } from '../notices/index.js';
import * as repo from './repo.js';

/** Accounts considered per transaction when a survey's invitations go out. */
export const inviteBatchSize = 100;
/** Days after a survey closes until its responses lose their link to accounts. */
export const responseLinkDays = 90;

const dayMs = 86_400_000;

export interface SurveyJobsDeps {
  db: Kysely<Database>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  consent: Pick<ConsentService, 'hasConsent'>;
  notices: Pick<NoticesService, 'notify'>;
  clock: () => Date;
  onMailQueued?: () => void;
  warn?: (message: string, details: Record<string, unknown>) => void;
  /** Accounts per batch; `inviteBatchSize` unless a test asks for smaller batches. */
  inviteBatchSize?: number;
}

/** The invitation email; accounts carry no language, so it is in both, Chinese first. */
function invitation(deps: SurveyJobsDeps, survey: { id: string; titleZh: string; titleEn: string }): { subject: string; text: string } {
  const inLocale = (locale: Locale) => {
    const t = deps.translator(locale);
    const params = {
      title: locale === 'en' ? survey.titleEn : survey.titleZh,
      url: `${deps.publicUrl}/surveys/${survey.id}`,
      settingsUrl: `${deps.publicUrl}/privacy/settings`,
    };
    return { subject: t('surveys.mail.subject', params), text: t('surveys.mail.body', params) };
  };
  const [zh, en] = [inLocale('zh-CN'), inLocale('en')];
  return { subject: `${zh.subject} / ${en.subject}`, text: `${zh.text}\n\n————————\n\n${en.text}` };
}

/**
 * The surveys' background work: invitations to people who consent to surveys, once per survey,
 * and the removal of the account link from responses past their retention.
 */
export function createSurveyJobs(deps: SurveyJobsDeps) {
  const { db, clock } = deps;
  const batchSize = deps.inviteBatchSize ?? inviteBatchSize;

  /**
   * Invites, for one open survey, the next batch of accounts after its cursor: those who consent
   * to surveys now get an in-site notice and an email. The cursor moves in the same transaction,
   * only from where this worker found it, so a second instance or a restart never invites twice;
   * the invitation rows are a second guard. Answers how many were invited, or null when done.
   */
  async function inviteBatch(survey: { id: string; titleZh: string; titleEn: string }, mail: { subject: string; text: string }): Promise<number | null> {
    const found = await db.selectFrom('survey').select('inviteCursor').where('id', '=', survey.id).where('status', '=', 'open').where('invitedAt', 'is', null).executeTakeFirst();
    if (!found) return null;
    const cursor = found.inviteCursor;
    const accounts = await repo.accountsAfter(db, cursor, batchSize);
    // Consent is read outside the transaction: one query per account, each indexed by subject.
    const consenting = new Set<string>();
    for (const account of accounts) {
      if (await deps.consent.hasConsent(account.id, 'surveys')) consenting.add(account.id);
    }
    const isLast = accounts.length < batchSize;
    const invited = await db.transaction().execute(async (trx) => {
      const now = clock().toISOString();
      if (!(await repo.advanceInviteCursor(trx, survey.id, cursor, accounts.at(-1)?.id ?? cursor, isLast ? now : null))) return null;
      let count = 0;
      for (const account of accounts) {
        if (!consenting.has(account.id) || !(await repo.insertInvitation(trx, survey.id, account.id, now))) continue;
        await deps.notices.notify(trx, account.id, { kind: 'survey.invited', params: {}, link: `/surveys/${survey.id}` });
        await enqueueMail(trx, { to: account.email, subjectId: account.id, kind: 'survey-invitation', subject: mail.subject, text: mail.text });
        count += 1;
      }
      return count;
    });
    if (invited === null) return null;
    if (invited > 0) deps.onMailQueued?.();
    return invited;
  }

  async function sendAll(): Promise<number> {
    let total = 0;
    for (const survey of await repo.listSurveysToInvite(db)) {
      const mail = invitation(deps, survey);
      for (let invited = await inviteBatch(survey, mail); invited !== null; invited = await inviteBatch(survey, mail)) total += invited;
    }
    return total;
  }

  // Only the error's kind is logged: a database error may repeat an address.
  const invitations = serialRun(sendAll, (kind) => deps.warn?.('survey invitations stopped; they resume at the next run', { error: kind }));

  return {
    /** Sends every invitation that is due, batch by batch; answers how many people were invited. */
    sendInvitations: invitations.run,
    /** Starts sending invitations in the background, right after a survey opens. */
    startInvitations: invitations.start,
    /** Waits for invitations being sent (at shutdown, and in tests). */
    drain: invitations.drain,

    /**
     * Removes the account link of responses (keeping the answers, anonymous, for the statistics):
     * of every survey closed more than 90 days ago, and of every person who no longer consents to
     * surveys. Answers how many responses were anonymised.
     */
    async anonymiseExpired(now: Date = clock()): Promise<number> {
      let count = 0;
      for (const survey of await repo.listSurveysToAnonymise(db, new Date(now.getTime() - responseLinkDays * dayMs).toISOString())) {
        const day = `${(survey.closedAt ?? now.toISOString()).slice(0, 10)}T00:00:00.000Z`;
        count += await db.transaction().execute((trx) => repo.anonymiseSurvey(trx, survey.id, day, now.toISOString()));
      }
      let cursor = '';
      for (;;) {
        const accounts = await repo.linkedAccountsAfter(db, cursor, 500);
        for (const accountId of accounts) {
          if (await deps.consent.hasConsent(accountId, 'surveys')) continue;
          count += await db.transaction().execute((trx) => repo.anonymiseResponsesOf(trx, accountId));
        }
        if (accounts.length < 500) break;
        cursor = accounts.at(-1)!;
      }
      return count;
    },
  };
}
