import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuditRecorder } from '../audit/index.js';
import { addWorkingDays, isCovered } from '../../platform/calendar/working-days.js';
import { toCount } from '../../platform/db/client.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import { deleteExpiredPrivacyRequests } from './retention.js';
import type { PrivacyReplyInput, PrivacyRequestInput } from './schema.js';
import type { PrivacyRequestTable } from './tables.js';

/** The period to answer a rights request: 15 working days (PIPL art. 50 practice, GB/T 35273 §8.7). */
export const answerWithinWorkingDays = 15;
export const queuePageSize = 20;

const officerRoles = ['privacy-officer', 'admin'] as const;

/** May the account read and answer privacy requests? One line, used by pages and API alike. */
export function canHandlePrivacyRequests(auth: AuthState | null): auth is AuthState {
  return auth !== null && (officerRoles as readonly string[]).includes(auth.role);
}

/** A request as officers see it: the stored row plus whether it is overdue. */
export type PrivacyRequestView = PrivacyRequestTable & {
  /** Still open after its due date (Asia/Shanghai). */
  isOverdue: boolean;
};

export interface PrivacyReplyView {
  id: string;
  authorId: string | null;
  body: string;
  sentAt: string;
}

export interface PrivacyQueuePage {
  items: PrivacyRequestView[];
  page: number;
  pages: number;
  total: number;
}

export interface PrivacyRequestsDeps {
  db: Kysely<Database>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  /** Records officers opening and answering requests; a request is not shown unrecorded. */
  audit: AuditRecorder;
  onMailQueued?: () => void;
  /** Told when a due date falls in a year the holiday data does not cover (weekends only). */
  warn?: (message: string, details: Record<string, unknown>) => void;
  clock?: () => Date;
}

// Crockford-style alphabet: no I, L, O or U, so a reference read over the phone is unambiguous.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short random reference such as `PR-7KQ2M9XD` (32⁸ ≈ 10¹² values; the column is unique). */
function newReference(): string {
  return `PR-${[...randomBytes(8)].map((b) => alphabet[b % 32]).join('')}`;
}

/** Today in Asia/Shanghai as `YYYY-MM-DD`. */
function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

const columns = [
  'id', 'reference', 'accountId', 'email', 'topic', 'message', 'locale', 'status', 'dueOn', 'createdAt', 'answeredAt', 'closedAt', 'handledBy',
] as const;

/** Makes the privacy requests service: the contact channel for PIPL rights requests and its officer queue. */
export function createPrivacyRequestsService(deps: PrivacyRequestsDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());

  const toView = (row: Omit<PrivacyRequestView, 'isOverdue'>, today: string): PrivacyRequestView => ({
    ...row,
    isOverdue: row.status === 'open' && row.dueOn < today,
  });

  async function findRow(id: string) {
    return db.selectFrom('privacyRequest').select(columns).where('id', '=', id).executeTakeFirst();
  }

  return {
    /** The address a signed-in person is answered at (their account email); null for visitors. */
    async accountEmail(auth: AuthState | null): Promise<string | null> {
      if (!auth) return null;
      const row = await db.selectFrom('account').select('email').where('id', '=', auth.accountId).executeTakeFirst();
      return row?.email ?? null;
    },

    /**
     * Records a request and queues, in the same transaction, the acknowledgement to the requester
     * and a notification to every privacy officer. A signed-in sender is always answered at the
     * account email, whatever the form said.
     */
    async submit(auth: AuthState | null, input: PrivacyRequestInput, locale: Locale): Promise<{ reference: string; dueOn: string }> {
      const account = auth ? await db.selectFrom('account').select(['id', 'email']).where('id', '=', auth.accountId).executeTakeFirst() : undefined;
      const email = account?.email ?? input.email;
      if (!email) throw new AppError('VALIDATION_FAILED', { fields: { email: 'privacyRequests.error.email' } });
      const received = clock();
      const dueOn = addWorkingDays(received, answerWithinWorkingDays);
      // Outside the holiday data the deadline counts weekends only and may fall on a public
      // holiday; it is still the best date to promise, so compute it and tell the operators.
      const years = [Number(shanghaiDate(received).slice(0, 4)), Number(dueOn.slice(0, 4))];
      const uncovered = [...new Set(years)].filter((year) => !isCovered(year));
      if (uncovered.length > 0) deps.warn?.('privacy request due date computed without holiday data', { years: uncovered, dueOn });

      const reference = newReference();
      const officers = await db.selectFrom('account').select(['id', 'email']).where('role', 'in', officerRoles).execute();
      const t = deps.translator(locale);
      const officerT = deps.translator('zh-CN');
      const params = { reference, dueOn, topic: t(`privacyRequests.topic.${input.topic}`) };
      await db.transaction().execute(async (trx) => {
        const id = randomUUID();
        await trx
          .insertInto('privacyRequest')
          .values({
            id,
            reference,
            accountId: account?.id ?? null,
            email,
            topic: input.topic,
            message: input.message,
            locale,
            status: 'open',
            dueOn,
            createdAt: received.toISOString(),
            answeredAt: null,
            closedAt: null,
            handledBy: null,
          })
          .execute();
        await enqueueMail(trx, {
          to: email,
          subjectId: account?.id,
          kind: 'privacy-request-received',
          subject: t('privacyRequests.mail.ack.subject', params),
          text: t('privacyRequests.mail.ack.body', params),
        });
        for (const officer of officers) {
          await enqueueMail(trx, {
            to: officer.email,
            subjectId: officer.id,
            kind: 'privacy-request-new',
            subject: officerT('privacyRequests.mail.officer.subject', params),
            text: officerT('privacyRequests.mail.officer.body', {
              ...params,
              topic: officerT(`privacyRequests.topic.${input.topic}`),
              link: `${deps.publicUrl}/staff/privacy/${id}`,
            }),
          });
        }
      });
      deps.onMailQueued?.();
      return { reference, dueOn };
    },

    /** Requests not yet closed, soonest due first, 20 a page; officers only. */
    async queue(auth: AuthState, page: number): Promise<PrivacyQueuePage> {
      if (!canHandlePrivacyRequests(auth)) throw new AppError('FORBIDDEN');
      const open = db.selectFrom('privacyRequest').where('status', '!=', 'closed');
      const total = toCount((await open.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const pages = Math.max(1, Math.ceil(total / queuePageSize));
      const current = Math.min(Math.max(1, Math.floor(page)), pages);
      const rows = await open
        .select(columns)
        .orderBy('dueOn')
        .orderBy('createdAt')
        .orderBy('id')
        .limit(queuePageSize)
        .offset((current - 1) * queuePageSize)
        .execute();
      const today = shanghaiDate(clock());
      return { items: rows.map((r) => toView(r, today)), page: current, pages, total };
    },

    /** One request and its replies, oldest first; officers only, NOT_FOUND when there is none. */
    async get(auth: AuthState, id: string): Promise<{ request: PrivacyRequestView; replies: PrivacyReplyView[] }> {
      if (!canHandlePrivacyRequests(auth)) throw new AppError('FORBIDDEN');
      const row = await findRow(id);
      if (!row) throw new AppError('NOT_FOUND');
      const replies = await db
        .selectFrom('privacyRequestReply')
        .select(['id', 'authorId', 'body', 'sentAt'])
        .where('requestId', '=', id)
        .orderBy('sentAt')
        .orderBy('id')
        .execute();
      await deps.audit.record(db, { actor: auth, action: 'privacy-request.view', target: { type: 'privacy-request', id }, purpose: 'rights-request' });
      return { request: toView(row, shanghaiDate(clock())), replies };
    },

    /** Emails a reply to the requester and records it; the request becomes answered. CONFLICT once closed. */
    async reply(auth: AuthState, id: string, input: PrivacyReplyInput): Promise<PrivacyReplyView> {
      if (!canHandlePrivacyRequests(auth)) throw new AppError('FORBIDDEN');
      const at = clock().toISOString();
      const reply = await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('privacyRequest').select(columns).where('id', '=', id).executeTakeFirst();
        if (!row) throw new AppError('NOT_FOUND');
        if (row.status === 'closed') throw new AppError('CONFLICT', { messageKey: 'privacyRequests.error.closed' });
        const view = { id: randomUUID(), authorId: auth.accountId, body: input.body, sentAt: at };
        await trx.insertInto('privacyRequestReply').values({ ...view, requestId: id }).execute();
        await trx
          .updateTable('privacyRequest')
          .set({ status: 'answered', answeredAt: row.answeredAt ?? at, handledBy: auth.accountId })
          .where('id', '=', id)
          .execute();
        const t = deps.translator(row.locale === 'en' ? 'en' : 'zh-CN');
        await enqueueMail(trx, {
          to: row.email,
          subjectId: row.accountId ?? undefined,
          kind: 'privacy-request-reply',
          subject: t('privacyRequests.mail.reply.subject', { reference: row.reference }),
          text: t('privacyRequests.mail.reply.body', { reference: row.reference, body: input.body }),
        });
        await deps.audit.record(trx, { actor: auth, action: 'privacy-request.reply', target: { type: 'privacy-request', id }, purpose: 'rights-request' });
        return view;
      });
      deps.onMailQueued?.();
      return reply;
    },

    /** Closes a request; closing a closed one changes nothing. */
    async close(auth: AuthState, id: string): Promise<PrivacyRequestView> {
      if (!canHandlePrivacyRequests(auth)) throw new AppError('FORBIDDEN');
      await db
        .updateTable('privacyRequest')
        .set({ status: 'closed', closedAt: clock().toISOString(), handledBy: auth.accountId })
        .where('id', '=', id)
        .where('status', '!=', 'closed')
        .execute();
      const row = await findRow(id);
      if (!row) throw new AppError('NOT_FOUND');
      return toView(row, shanghaiDate(clock()));
    },

    /** Deletes requests closed more than 3 years ago; see `deleteExpiredPrivacyRequests`. */
    deleteExpired: (at: Date = clock()): Promise<number> => deleteExpiredPrivacyRequests(db, at),
  };
}

export type PrivacyRequestsService = ReturnType<typeof createPrivacyRequestsService>;
