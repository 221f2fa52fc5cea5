import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { MigrationSet } from '../db/migrate.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../privacy/data-map.js';

export interface MailOutboxTable {
  id: string;
  /** The account the message is about, so erasure can find it; null for anonymous senders. */
  subjectId: string | null;
  recipient: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  /** Where a recipient turns this kind of mail off in one click (RFC 8058); null for service mail. */
  unsubscribeUrl: string | null;
  kind: string;
  status: 'pending' | 'sent' | 'kept' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string;
}

export interface MailTables {
  mailOutbox: MailOutboxTable;
}


export const mailMigrations: MigrationSet = {
  '20261129T0001_mail_outbox': {
    async up(db) {
      await db.schema
        .createTable('mail_outbox')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('subject_id', 'varchar(36)')
        .addColumn('recipient', 'varchar(320)', (c) => c.notNull())
        .addColumn('subject', 'varchar(300)', (c) => c.notNull())
        .addColumn('text_body', 'text', (c) => c.notNull())
        .addColumn('html_body', 'text')
        .addColumn('kind', 'varchar(64)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'varchar(500)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('sent_at', 'varchar(32)')
        .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('mail_outbox_status_next')
        .on('mail_outbox')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema.createIndex('mail_outbox_subject').on('mail_outbox').column('subject_id').execute();
    },
  },
  '20261129T1800_mail_unsubscribe_url': {
    async up(db) {
      await db.schema.alterTable('mail_outbox').addColumn('unsubscribe_url', 'varchar(500)').execute();
    },
  },
};

export const mailDataMap: DataMap = {
  mail_outbox: {
    id: technical('identifies a message'),
    subject_id: personal('account.identifier', 'find a person\'s messages for access and erasure', 'contract', '30d after sending'),
    recipient: personal('account.contact', 'deliver service email', 'contract', '30d after sending'),
    subject: technical('message subject'),
    text_body: personal('communications', 'deliver service email', 'contract', '30d after sending'),
    html_body: personal('communications', 'deliver service email', 'contract', '30d after sending'),
    unsubscribe_url: personal('communications', 'let a recipient turn alerts off in one click from their mail program', 'contract', '30d after sending'),
    kind: technical('message type'),
    status: technical('delivery state'),
    attempts: technical('delivery retries'),
    last_error: technical('delivery diagnostics'),
    created_at: technical('ordering'),
    sent_at: technical('delivery state'),
    next_attempt_at: technical('delivery scheduling'),
  },
};

export interface OutgoingMail {
  to: string;
  subjectId?: string;
  subject: string;
  text: string;
  html?: string;
  /** For mail a person chose to receive (alerts), the signed link that turns it off in one click. */
  unsubscribeUrl?: string;
  kind: string;
}

/**
 * Puts a message in the outbox inside the caller's transaction, so it is sent only if the
 * change that caused it commits.
 * @example await enqueueMail(trx, { to, subject, text, kind: 'verify-email' })
 */
export async function enqueueMail<DB extends MailTables>(
  handle: Kysely<DB> | Transaction<DB>,
  mail: OutgoingMail,
): Promise<string> {
  // Kysely's types are invariant in the schema; any schema that has the outbox will do.
  const db = handle as unknown as Kysely<MailTables>;
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto('mailOutbox')
    .values({
      id,
      subjectId: mail.subjectId ?? null,
      recipient: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html ?? null,
      unsubscribeUrl: mail.unsubscribeUrl ?? null,
      kind: mail.kind,
      status: 'pending',
      attempts: 0,
      lastError: null,
      createdAt: now,
      sentAt: null,
      nextAttemptAt: now,
    })
    .execute();
  return id;
}

const maxAttempts = 8;
/** How long a message is kept once it has left the outbox (the data map's `30d after sending`). */
export const mailRetentionDays = 30;
/** Messages taken from the outbox per look. */
const deliveryPage = 100;

/**
 * Delivers the outbox. With an SMTP URL messages go out over SMTP with retries and backoff;
 * without one (the embedded mode) they are kept for the development mailbox page.
 */
export class MailDispatcher {
  private readonly transporter?: Transporter;
  private running: Promise<number> | null = null;
  private requestedAgain = false;

  constructor(
    private readonly db: Kysely<MailTables>,
    private readonly options: { smtpUrl?: string; from: string; logger: Logger },
  ) {
    if (options.smtpUrl) this.transporter = nodemailer.createTransport(options.smtpUrl);
  }

  /**
   * Sends (or keeps) every due message. A call during a run makes the run look again when it
   * ends, so mail queued meanwhile is not left waiting for the retry timer. Returns how many moved.
   */
  flush(): Promise<number> {
    if (this.running) {
      this.requestedAgain = true;
      return this.running;
    }
    this.running = (async () => {
      let moved = 0;
      let last = 0;
      try {
        // A full page means more may be due: look again even when nobody asked.
        do {
          this.requestedAgain = false;
          last = await this.deliverDue();
          moved += last;
        } while (this.requestedAgain || last === deliveryPage);
      } finally {
        // Cleared in the same turn as the last look, not in a later `.finally`: a call arriving
        // in between would otherwise join a run that has already decided to stop.
        this.running = null;
      }
      return moved;
    })();
    return this.running;
  }

  private async deliverDue(): Promise<number> {
    const now = new Date().toISOString();
    const due = await this.db
      .selectFrom('mailOutbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('nextAttemptAt', '<=', now)
      .orderBy('createdAt')
      .limit(deliveryPage)
      .execute();
    for (const mail of due) {
      if (!this.transporter) {
        await this.db.updateTable('mailOutbox').set({ status: 'kept' }).where('id', '=', mail.id).execute();
        continue;
      }
      try {
        await this.transporter.sendMail({
          from: this.options.from,
          to: mail.recipient,
          subject: mail.subject,
          text: mail.textBody,
          ...(mail.htmlBody ? { html: mail.htmlBody } : {}),
          // List-Unsubscribe with List-Unsubscribe-Post: mail programs offer a one-click
          // unsubscribe that POSTs to the link (RFC 8058), without opening a page.
          ...(mail.unsubscribeUrl
            ? { list: { unsubscribe: mail.unsubscribeUrl }, headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }
            : {}),
        });
        await this.db
          .updateTable('mailOutbox')
          .set({ status: 'sent', sentAt: new Date().toISOString(), attempts: mail.attempts + 1 })
          .where('id', '=', mail.id)
          .execute();
      } catch (error) {
        const attempts = mail.attempts + 1;
        const delayMs = Math.min(2 ** attempts * 30_000, 6 * 3600_000);
        this.options.logger.warn({ mailId: mail.id, kind: mail.kind, attempts }, 'mail delivery failed');
        await this.db
          .updateTable('mailOutbox')
          .set({
            status: attempts >= maxAttempts ? 'failed' : 'pending',
            attempts,
            lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500),
            nextAttemptAt: new Date(Date.now() + delayMs).toISOString(),
          })
          .where('id', '=', mail.id)
          .execute();
      }
    }
    return due.length;
  }

  /**
   * Deletes messages past the outbox's declared retention: 30 days after sending, or after being
   * kept (no SMTP) or given up on. Pending messages stay. Answers how many went.
   */
  async deleteExpired(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - mailRetentionDays * 86_400_000).toISOString();
    const result = await this.db
      .deleteFrom('mailOutbox')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'sent'), eb('sentAt', '<', cutoff)]),
          eb.and([eb('status', 'in', ['kept', 'failed']), eb('createdAt', '<', cutoff)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Waits for a delivery run in progress, then closes the SMTP connection pool. */
  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    this.transporter?.close();
  }
}

/** The newest kept or sent messages, for the development mailbox page. */
export function listRecentMail(db: Kysely<MailTables>, limit = 50) {
  return db
    .selectFrom('mailOutbox')
    .select(['id', 'recipient', 'subject', 'textBody', 'kind', 'status', 'createdAt'])
    .orderBy('createdAt', 'desc')
    .limit(limit)
    .execute();
}

/** The outbox as a personal-data provider: a person's messages, found by their subject id. */
export function mailProvider(db: Kysely<MailTables>): PersonalDataProvider {
  return {
    name: 'mail',
    describe: () => mailDataMap,
    async export(subjectId) {
      const rows = await db
        .selectFrom('mailOutbox')
        .select(['recipient', 'subject', 'kind', 'status', 'createdAt', 'sentAt'])
        .where('subjectId', '=', subjectId)
        .orderBy('createdAt')
        .execute();
      return { provider: 'mail', records: { messages: rows } };
    },
    async erase(subjectId) {
      const result = await db.deleteFrom('mailOutbox').where('subjectId', '=', subjectId).executeTakeFirst();
      return { erased: Number(result.numDeletedRows) };
    },
  };
}
