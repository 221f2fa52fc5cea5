import type { Database } from '../../database.js';
import { addCalendarDays } from '../../platform/calendar/working-days.js';
import type { Executor } from '../../platform/db/client.js';
import type { AuthState } from '../../platform/http/context.js';
import { isLocale, type Locale } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import * as repo from './repo.js';
import type { PreferenceInput } from './schema.js';
import type { InquiriesDeps } from './service.js';
import type { NoticeFrequency, Side } from './tables.js';

export interface PreferenceView {
  frequency: NoticeFrequency;
}

/** What a notice is about: the thread, who wrote, and whether it is the first message. */
export interface MessageEvent {
  threadId: string;
  companyId: string;
  buyerAccountId: string | null;
  subject: string;
  authorAccountId: string | null;
  authorName: string;
  side: Side;
  isFirst: boolean;
}

interface Recipient {
  accountId: string;
  email: string;
  frequency: NoticeFrequency | null;
  locale: string | null;
}

const defaultFrequency: NoticeFrequency = 'immediately';
const digestBatch = 100;

const localeOf = (value: string | null): Locale => (isLocale(value) ? value : 'zh-CN');

/** Email notices of new messages (at once or in a daily digest) and each person's choice of them. */
export function createNotifier(deps: InquiriesDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();

  /** Who hears of a message: the other side, never the author. */
  async function recipientsOf(handle: Executor<Database>, event: MessageEvent): Promise<Recipient[]> {
    if (event.side === 'supplier') {
      if (!event.buyerAccountId) return [];
      const buyer = await repo.findRecipient(handle, event.buyerAccountId);
      return buyer ? [buyer] : [];
    }
    return (await repo.listHandlers(handle, event.companyId)).filter((h) => h.accountId !== event.authorAccountId);
  }

  return {
    /**
     * Queues, in the caller's transaction, an email notice of a new message for each person on the
     * other side who wants notices at once. Others see it in the message centre (and the digest).
     */
    async notifyMessage(handle: Executor<Database>, event: MessageEvent): Promise<number> {
      let queued = 0;
      for (const recipient of await recipientsOf(handle, event)) {
        if ((recipient.frequency ?? defaultFrequency) !== 'immediately') continue;
        const t = deps.translator(localeOf(recipient.locale));
        const params = { subject: event.subject, author: event.authorName, link: `${deps.publicUrl}/messages/${event.threadId}`, settings: `${deps.publicUrl}/messages/settings` };
        await enqueueMail(handle, {
          to: recipient.email,
          subjectId: recipient.accountId,
          kind: event.isFirst ? 'inquiry-new' : 'inquiry-message',
          subject: t(event.isFirst ? 'inquiries.mail.new.subject' : 'inquiries.mail.message.subject', params),
          text: t(event.isFirst ? 'inquiries.mail.new.body' : 'inquiries.mail.message.body', params),
        });
        queued++;
      }
      return queued;
    },

    /** Remembers the language a person last used, so their notices are written in it. */
    async rememberLocale(handle: Executor<Database>, accountId: string, locale: Locale): Promise<void> {
      await repo.upsertPreference(handle, { accountId, frequency: defaultFrequency, locale, updatedAt: now().toISOString() }, { locale });
    },

    /** How the signed-in person hears of new messages; at once unless they chose otherwise. */
    async preference(auth: AuthState): Promise<PreferenceView> {
      const row = await repo.findPreference(db, auth.accountId);
      return { frequency: row?.frequency ?? defaultFrequency };
    },

    /** Changes how the person hears of new messages; a new choice of the digest starts from now. */
    async setPreference(auth: AuthState, input: PreferenceInput, locale: Locale): Promise<PreferenceView> {
      const at = now().toISOString();
      await db.transaction().execute(async (trx) => {
        const before = await repo.findPreference(trx, auth.accountId);
        await repo.upsertPreference(trx, { accountId: auth.accountId, frequency: input.frequency, locale, updatedAt: at }, { frequency: input.frequency, locale });
        if (before && before.frequency !== input.frequency && input.frequency === 'daily') {
          await trx.updateTable('messagePreference').set({ digestSince: at }).where('accountId', '=', auth.accountId).execute();
        }
      });
      return { frequency: input.frequency };
    },

    /**
     * Sends each person who chose a daily digest one email listing the threads with messages they
     * have not read since the last digest; run when the Beijing date changes. Each person gets at
     * most one a day however often it runs, on however many instances. Answers how many were queued.
     */
    async sendDailyDigests(at: Date): Promise<number> {
      const today = addCalendarDays(at, 0);
      const until = at.toISOString();
      const dayBefore = new Date(at.getTime() - 86_400_000).toISOString();
      let queued = 0;
      for (;;) {
        const due = await repo.listDigestDue(db, today, digestBatch);
        if (due.length === 0) break;
        for (const person of due) {
          const sent = await db.transaction().execute(async (trx) => {
            if (!(await repo.claimDigest(trx, person.accountId, today, until))) return false;
            const threads = await repo.unreadSince(trx, person.accountId, person.digestSince ?? dayBefore, until);
            if (threads.length === 0) return false;
            const t = deps.translator(localeOf(person.locale));
            const lines = threads.map((thread) => t('inquiries.mail.digest.line', { subject: thread.subject, count: thread.count, link: `${deps.publicUrl}/messages/${thread.threadId}` }));
            const count = threads.reduce((sum, thread) => sum + thread.count, 0);
            await enqueueMail(trx, {
              to: person.email,
              subjectId: person.accountId,
              kind: 'inquiry-digest',
              subject: t('inquiries.mail.digest.subject', { count, date: today }),
              text: t('inquiries.mail.digest.body', { count, threads: lines.join('\n'), link: `${deps.publicUrl}/messages`, settings: `${deps.publicUrl}/messages/settings` }),
            });
            return true;
          });
          if (sent) queued++;
        }
      }
      if (queued > 0) deps.onMailQueued?.();
      return queued;
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
