import type { MigrationSet } from '../../platform/db/migrate.js';

/** What a message to the site is about; each has `support.topic.<topic>`. */
export const supportTopics = ['general', 'trade', 'account', 'complaint', 'other'] as const;
export type SupportTopic = (typeof supportTopics)[number];

export const ticketStatuses = ['open', 'answered', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/** How a ticket reached the site: the contact form (or its API) or mail to one of its addresses. */
export type TicketChannel = 'web' | 'email';

/** `in`: written by the sender; `out`: a staff reply emailed to the sender. */
export type MessageDirection = 'in' | 'out';

export interface SupportTicketTable {
  id: string;
  /** What the sender quotes in correspondence, e.g. `SL-7KQ2M9XD`; mail carrying it joins the thread. */
  reference: string;
  /** The signed-in account that sent it; null for visitors, inbound mail and after erasure. */
  accountId: string | null;
  /** Where replies go: the account email, the address typed in the form, or the mail's sender. */
  email: string;
  /** The name the sender gave (optional), or the display name of the mail's sender. */
  name: string | null;
  channel: TicketChannel;
  /** Inbound mail only: which of the site's addresses it was sent to. */
  sentTo: string | null;
  topic: SupportTopic;
  /** Inbound mail only: the mail's subject line. */
  subject: string | null;
  locale: string;
  status: TicketStatus;
  /** `YYYY-MM-DD`, 2 PRC working days after the sender last wrote, in Asia/Shanghai. */
  dueOn: string;
  createdAt: string;
  /** When the last message (either way) was added. */
  updatedAt: string;
  answeredAt: string | null;
  closedAt: string | null;
  /** The staff account that last answered, closed or reopened it. */
  handledBy: string | null;
}

export interface SupportMessageTable {
  id: string;
  ticketId: string;
  direction: MessageDirection;
  /** The staff account that wrote a reply; null for messages from the sender. */
  authorId: string | null;
  body: string;
  /** Attachments of an inbound mail: they are not stored, only counted and listed by name. */
  attachmentCount: number;
  /** JSON array of the attachments' file names ('' for an unnamed one). */
  attachmentNames: string;
  /** The Message-ID header of an inbound mail, so a mail delivered twice is stored once. */
  mailMessageId: string | null;
  createdAt: string;
}

export interface SupportTables {
  supportTicket: SupportTicketTable;
  supportMessage: SupportMessageTable;
}

const time = 'varchar(32)';

export const supportMigrations: MigrationSet = {
  '20261129T1100_support_ticket': {
    async up(db) {
      await db.schema
        .createTable('support_ticket')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('reference', 'varchar(20)', (c) => c.notNull().unique())
        .addColumn('account_id', 'varchar(36)', (c) => c.references('account.id').onDelete('set null'))
        .addColumn('email', 'varchar(320)', (c) => c.notNull())
        .addColumn('name', 'varchar(100)')
        .addColumn('channel', 'varchar(8)', (c) => c.notNull())
        .addColumn('sent_to', 'varchar(320)')
        .addColumn('topic', 'varchar(20)', (c) => c.notNull())
        .addColumn('subject', 'varchar(200)')
        .addColumn('locale', 'varchar(10)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('due_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('answered_at', time)
        .addColumn('closed_at', time)
        .addColumn('handled_by', 'varchar(36)', (c) => c.references('account.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('support_ticket_status_due').on('support_ticket').columns(['status', 'due_on']).execute();
      await db.schema.createIndex('support_ticket_account').on('support_ticket').column('account_id').execute();
      await db.schema.createIndex('support_ticket_email').on('support_ticket').column('email').execute();
      await db.schema
        .createTable('support_message')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('ticket_id', 'varchar(36)', (c) => c.notNull().references('support_ticket.id').onDelete('cascade'))
        .addColumn('direction', 'varchar(4)', (c) => c.notNull())
        .addColumn('author_id', 'varchar(36)', (c) => c.references('account.id').onDelete('set null'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('attachment_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('attachment_names', 'text', (c) => c.notNull())
        .addColumn('mail_message_id', 'varchar(300)')
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('support_message_ticket').on('support_message').columns(['ticket_id', 'created_at']).execute();
      await db.schema.createIndex('support_message_mail_id').on('support_message').column('mail_message_id').execute();
    },
  },
};
