import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuditRecorder } from '../audit/index.js';
import { addCalendarDays, addWorkingDays, isCovered } from '../../platform/calendar/working-days.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import * as repo from './repo.js';
import type { SupportReplyInput, SupportTicketInput } from './schema.js';
import type { SupportMessageTable, SupportTicketTable, SupportTopic, TicketChannel, TicketStatus } from './tables.js';

/** The period to answer a message sent to the site: 2 PRC working days. */
export const answerWithinWorkingDays = 2;
export const pageSize = 20;
/** How long a closed ticket is kept before it is deleted. */
export const retentionYears = 3;
/** What stands in for the sender's address once their personal data has been erased. */
export const anonymousSender = 'anonymous';

const staffRoles = ['support', 'admin'] as const;

/** May the account read and answer support tickets? One line, used by every staff page. */
export function canHandleSupport(auth: AuthState | null): auth is AuthState {
  return auth !== null && (staffRoles as readonly string[]).includes(auth.role);
}

/** A ticket as stored, plus whether it waits past its due date. */
export type SupportTicketView = SupportTicketTable & {
  /** Open after its due date (Asia/Shanghai). */
  isOverdue: boolean;
};

/** One message of a thread; attachment names decoded. */
export type SupportMessageView = Omit<SupportMessageTable, 'ticketId' | 'attachmentNames' | 'mailMessageId'> & {
  attachments: string[];
};

export interface TicketPage {
  items: SupportTicketView[];
  page: number;
  pages: number;
  total: number;
}

export interface TicketThread {
  ticket: SupportTicketView;
  messages: SupportMessageView[];
}

/** A mail to one of the site's addresses, as the inbound listener read it. */
export interface InboundMail {
  /** The sender's address, lower-cased; replies go there. */
  from: string;
  fromName: string | null;
  /** Which of the site's addresses it was sent to. */
  to: string;
  subject: string;
  /** The text body (HTML mail already turned into text). */
  text: string;
  /** File names of the attachments, which are not stored. */
  attachments: string[];
  messageId: string | null;
  /** An auto-reply, bounce or bulk mail: stored, but never acknowledged (no mail loops). */
  isAutomatic: boolean;
}

export interface SupportDeps {
  db: Kysely<Database>;
  /** The address people write to; named in every mail so replies come back to the thread. */
  supportEmail: string;
  translator: (locale: Locale) => Translate;
  /** Records staff opening and answering tickets; a ticket is not shown unrecorded. */
  audit: AuditRecorder;
  onMailQueued?: () => void;
  /** Told when a due date falls in a year the holiday data does not cover (weekends only). */
  warn?: (message: string, details: Record<string, unknown>) => void;
  clock?: () => Date;
}

// Crockford-style alphabet: no I, L, O or U, so a reference read over the phone is unambiguous.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const referencePattern = /\bSL-([0-9A-HJKMNP-TV-Z]{8})\b/i;

/**
 * A short random reference such as `SL-7KQ2M9XD` (32⁸ ≈ 10¹² values; the column is unique). Not
 * a counter: a reference in a mail's subject joins that mail to the thread, so it must not be
 * guessable, and it should not tell how many people wrote.
 */
function newReference(): string {
  return `SL-${[...randomBytes(8)].map((b) => alphabet[b % 32]).join('')}`;
}

/** The ticket reference a mail subject carries (`Re: … [SL-7KQ2M9XD]`), upper-cased; null for none. */
export function referenceIn(subject: string): string | null {
  const match = referencePattern.exec(subject);
  return match ? `SL-${match[1]!.toUpperCase()}` : null;
}

function decodeNames(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** A message the sender wrote, as stored: attachments counted, and listed by name (at most 100). */
function fromSender(ticketId: string, message: { body: string; attachments: string[]; mailMessageId: string | null }, at: string): SupportMessageTable {
  return {
    id: randomUUID(),
    ticketId,
    direction: 'in',
    authorId: null,
    body: message.body,
    attachmentCount: message.attachments.length,
    attachmentNames: JSON.stringify(message.attachments.slice(0, 100)),
    mailMessageId: message.mailMessageId,
    createdAt: at,
  };
}

/** Makes the support service: tickets from the contact form and inbound mail, and the staff queue. */
export function createSupportService(deps: SupportDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());

  const toView = <R extends SupportTicketTable>(row: R, today: string): R & { isOverdue: boolean } => ({
    ...row,
    isOverdue: row.status === 'open' && row.dueOn < today,
  });

  const toMessage = ({ attachmentNames, ...message }: Awaited<ReturnType<typeof repo.listMessages>>[number]): SupportMessageView => ({
    ...message,
    attachments: decodeNames(attachmentNames),
  });

  /** The due date for a message received at an instant; warns when the holiday data ends first. */
  function dueAfter(received: Date): string {
    const dueOn = addWorkingDays(received, answerWithinWorkingDays);
    // Outside the holiday data the deadline counts weekends only and may fall on a public
    // holiday; it is still the best date to promise, so compute it and tell the operators.
    const years = [...new Set([Number(addCalendarDays(received, 0).slice(0, 4)), Number(dueOn.slice(0, 4))])];
    const uncovered = years.filter((year) => !isCovered(year));
    if (uncovered.length > 0) deps.warn?.('support ticket due date computed without holiday data', { years: uncovered, dueOn });
    return dueOn;
  }

  async function participant(auth: AuthState): Promise<repo.Participant | null> {
    const account = await repo.findAccountContact(db, auth.accountId);
    return account ? { accountId: account.id, email: account.email } : null;
  }

  /**
   * Records a new ticket with its first message and, in the same transaction, queues the
   * acknowledgement (unless the mail was automatic).
   */
  async function openTicket(
    ticket: { accountId: string | null; email: string; name: string | null; channel: TicketChannel; sentTo: string | null; topic: SupportTopic; subject: string | null; locale: Locale },
    message: { body: string; attachments: string[]; mailMessageId: string | null },
    acknowledge: boolean,
  ): Promise<{ id: string; reference: string; dueOn: string }> {
    const received = clock();
    const at = received.toISOString();
    const dueOn = dueAfter(received);
    const reference = newReference();
    const id = randomUUID();
    const t = deps.translator(ticket.locale);
    await db.transaction().execute(async (trx) => {
      await repo.insertTicket(trx, { id, reference, ...ticket, status: 'open', dueOn, createdAt: at, updatedAt: at, answeredAt: null, closedAt: null, handledBy: null });
      await repo.insertMessage(trx, fromSender(id, message, at));
      if (!acknowledge) return;
      await enqueueMail(trx, {
        to: ticket.email,
        subjectId: ticket.accountId ?? undefined,
        kind: 'support-ticket-received',
        subject: t('support.mail.ack.subject', { reference }),
        text: t('support.mail.ack.body', { reference, dueOn, supportEmail: deps.supportEmail }),
      });
    });
    if (acknowledge) deps.onMailQueued?.();
    return { id, reference, dueOn };
  }

  function requireStaff(auth: AuthState): void {
    if (!canHandleSupport(auth)) throw new AppError('FORBIDDEN');
  }

  return {
    /** The address a signed-in person is answered at (their account email); null for visitors. */
    async accountEmail(auth: AuthState | null): Promise<string | null> {
      if (!auth) return null;
      return (await repo.findAccountContact(db, auth.accountId))?.email ?? null;
    },

    /**
     * Records a message from the contact form and acknowledges it by mail. A signed-in sender is
     * always answered at the account email, whatever the form said; a filled-in hidden field
     * marks an automated sender and nothing is stored.
     */
    async submit(auth: AuthState | null, input: SupportTicketInput, locale: Locale): Promise<{ id: string; reference: string; dueOn: string }> {
      if (input.website?.trim()) throw new AppError('BAD_REQUEST', { messageKey: 'support.error.spam' });
      const account = auth ? await repo.findAccountContact(db, auth.accountId) : undefined;
      const email = account?.email ?? input.email;
      if (!email) throw new AppError('VALIDATION_FAILED', { fields: { email: 'support.error.email' } });
      return openTicket(
        { accountId: account?.id ?? null, email, name: input.name ?? null, channel: 'web', sentTo: null, topic: input.topic, subject: null, locale },
        { body: input.message, attachments: [], mailMessageId: null },
        true,
      );
    },

    /**
     * Stores a mail sent to the site. A mail whose subject quotes a ticket's reference, from the
     * address that ticket answers to, joins that thread and puts it back in the queue; any other
     * mail opens a ticket of its own (so a guessed or forwarded reference cannot write into
     * someone else's thread). A mail already stored (same Message-ID) is not stored again.
     */
    async receiveMail(mail: InboundMail): Promise<{ outcome: 'created' | 'appended' | 'duplicate'; reference: string | null }> {
      if (mail.messageId && (await repo.hasMailMessageId(db, mail.messageId))) return { outcome: 'duplicate', reference: null };
      const quoted = referenceIn(mail.subject);
      const existing = quoted ? await repo.findTicketByReference(db, quoted) : undefined;
      if (existing && existing.email === mail.from) {
        const received = clock();
        const at = received.toISOString();
        await db.transaction().execute(async (trx) => {
          await repo.insertMessage(trx, fromSender(existing.id, { body: mail.text, attachments: mail.attachments, mailMessageId: mail.messageId }, at));
          // The sender wrote again: the ticket waits for staff once more, with a fresh deadline.
          await repo.updateTicket(trx, existing.id, { status: 'open', dueOn: dueAfter(received), updatedAt: at, closedAt: null });
        });
        return { outcome: 'appended', reference: existing.reference };
      }
      const locale: Locale = /[\u3400-\u9fff]/.test(`${mail.subject} ${mail.text}`) ? 'zh-CN' : 'en';
      const { reference } = await openTicket(
        { accountId: null, email: mail.from, name: mail.fromName, channel: 'email', sentTo: mail.to, topic: 'general', subject: mail.subject || null, locale },
        { body: mail.text, attachments: mail.attachments, mailMessageId: mail.messageId },
        !mail.isAutomatic,
      );
      return { outcome: 'created', reference };
    },

    /** The signed-in person's own tickets (sent from the account or its email), most recent first. */
    async listOwn(auth: AuthState, page: number): Promise<TicketPage> {
      const who = await participant(auth);
      if (!who) return { items: [], page: 1, pages: 1, total: 0 };
      const total = await repo.countParticipantTickets(db, who);
      const pages = Math.max(1, Math.ceil(total / pageSize));
      const current = Math.min(Math.max(1, Math.floor(page)), pages);
      const rows = await repo.listParticipantTickets(db, who, pageSize, (current - 1) * pageSize);
      const today = addCalendarDays(clock(), 0);
      return { items: rows.map((r) => toView(r, today)), page: current, pages, total };
    },

    /** One of the person's own tickets with its thread; NOT_FOUND for anyone else's. */
    async getOwn(auth: AuthState, id: string): Promise<TicketThread> {
      const who = await participant(auth);
      const row = who ? await repo.findParticipantTicket(db, id, who) : undefined;
      if (!row) throw new AppError('NOT_FOUND');
      const messages = await repo.listMessages(db, id);
      return { ticket: toView(row, addCalendarDays(clock(), 0)), messages: messages.map(toMessage) };
    },

    /** Tickets in one status, waiting ones soonest due first, 20 a page; support staff only. */
    async queue(auth: AuthState, status: TicketStatus, page: number): Promise<TicketPage> {
      requireStaff(auth);
      const total = await repo.countByStatus(db, status);
      const pages = Math.max(1, Math.ceil(total / pageSize));
      const current = Math.min(Math.max(1, Math.floor(page)), pages);
      const rows = await repo.listByStatus(db, status, pageSize, (current - 1) * pageSize);
      const today = addCalendarDays(clock(), 0);
      return { items: rows.map((r) => toView(r, today)), page: current, pages, total };
    },

    /** Any ticket with its thread; support staff only, NOT_FOUND when there is none. */
    async get(auth: AuthState, id: string): Promise<TicketThread> {
      requireStaff(auth);
      const row = await repo.findTicket(db, id);
      if (!row) throw new AppError('NOT_FOUND');
      const messages = await repo.listMessages(db, id);
      await deps.audit.record(db, { actor: auth, action: 'support-ticket.view', target: { type: 'support-ticket', id }, purpose: 'support-request' });
      return { ticket: toView(row, addCalendarDays(clock(), 0)), messages: messages.map(toMessage) };
    },

    /**
     * Emails a staff reply to the sender and adds it to the thread; the ticket becomes answered.
     * CONFLICT once closed (reopen first) or when the sender's address has been erased.
     */
    async reply(auth: AuthState, id: string, input: SupportReplyInput): Promise<SupportMessageView> {
      requireStaff(auth);
      const at = clock().toISOString();
      const message = await db.transaction().execute(async (trx) => {
        const row = await repo.findTicket(trx, id);
        if (!row) throw new AppError('NOT_FOUND');
        if (row.status === 'closed') throw new AppError('CONFLICT', { messageKey: 'support.error.closed' });
        if (row.email === anonymousSender) throw new AppError('CONFLICT', { messageKey: 'support.error.anonymous' });
        const view: SupportMessageView = { id: randomUUID(), direction: 'out', authorId: auth.accountId, body: input.body, attachmentCount: 0, attachments: [], createdAt: at };
        const { attachments: _none, ...columns } = view;
        await repo.insertMessage(trx, { ...columns, ticketId: id, attachmentNames: '[]', mailMessageId: null });
        await repo.updateTicket(trx, id, { status: 'answered', answeredAt: row.answeredAt ?? at, updatedAt: at, handledBy: auth.accountId });
        const t = deps.translator(row.locale === 'en' ? 'en' : 'zh-CN');
        await enqueueMail(trx, {
          to: row.email,
          subjectId: row.accountId ?? undefined,
          kind: 'support-ticket-reply',
          subject: t('support.mail.reply.subject', { reference: row.reference }),
          text: t('support.mail.reply.body', { reference: row.reference, body: input.body, supportEmail: deps.supportEmail }),
        });
        await deps.audit.record(trx, { actor: auth, action: 'support-ticket.reply', target: { type: 'support-ticket', id }, purpose: 'support-request' });
        return view;
      });
      deps.onMailQueued?.();
      return message;
    },

    /** Closes a ticket; closing a closed one changes nothing. */
    async close(auth: AuthState, id: string): Promise<void> {
      requireStaff(auth);
      const row = await repo.findTicket(db, id);
      if (!row) throw new AppError('NOT_FOUND');
      if (row.status === 'closed') return;
      await repo.updateTicket(db, id, { status: 'closed', closedAt: clock().toISOString(), handledBy: auth.accountId });
    },

    /** Puts a closed ticket back in the queue with a fresh deadline; an open one is left as is. */
    async reopen(auth: AuthState, id: string): Promise<void> {
      requireStaff(auth);
      const row = await repo.findTicket(db, id);
      if (!row) throw new AppError('NOT_FOUND');
      if (row.status !== 'closed') return;
      const now = clock();
      await repo.updateTicket(db, id, { status: 'open', closedAt: null, dueOn: dueAfter(now), handledBy: auth.accountId });
    },

    /** Deletes tickets closed more than 3 years ago (the declared retention); returns how many. */
    async deleteExpired(at: Date = clock()): Promise<number> {
      const before = new Date(at.getTime());
      before.setUTCFullYear(before.getUTCFullYear() - retentionYears);
      return repo.deleteClosedBefore(db, before.toISOString());
    },
  };
}

export type SupportService = ReturnType<typeof createSupportService>;
