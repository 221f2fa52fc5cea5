import type { MigrationSet } from '../../platform/db/migrate.js';

/** From the supplier's side: nobody has answered yet, someone has, or a participant closed it. */
export const threadStatuses = ['new', 'replied', 'closed'] as const;
export type ThreadStatus = (typeof threadStatuses)[number];

/** Where a thread began: a buyer's inquiry, or a buyer accepting a quote on a buying request. */
export const threadOrigins = ['inquiry', 'rfq'] as const;
export type ThreadOrigin = (typeof threadOrigins)[number];

/** The two sides of every thread. */
export const sides = ['buyer', 'supplier'] as const;
export type Side = (typeof sides)[number];

/** Who in a supplier company handles inquiries: every member, or the owner and named members. */
export const handlerModes = ['all', 'named'] as const;
export type HandlerMode = (typeof handlerModes)[number];

/** How a person hears of new messages by email. */
export const noticeFrequencies = ['immediately', 'daily', 'never'] as const;
export type NoticeFrequency = (typeof noticeFrequencies)[number];

export const reportReasons = ['spam', 'fraud', 'abuse', 'other'] as const;
export type ReportReason = (typeof reportReasons)[number];

export interface InquiryThreadTable {
  id: string;
  /** The supplier company the inquiry was sent to. */
  companyId: string;
  /** Null once the buyer's account is erased; `buyerName` then holds the anonymous label. */
  buyerAccountId: string | null;
  /** The buyer's contact person when the thread began: the trade record names its parties. */
  buyerName: string;
  productId: string | null;
  /** The product's title when the thread began, so the record still reads after a product is gone. */
  productTitle: string | null;
  subject: string;
  quantity: number | null;
  unit: string | null;
  /** A decimal string such as `12.50`. */
  targetPrice: string | null;
  targetCurrency: string | null;
  origin: ThreadOrigin;
  /** The buying request (or quote) a thread from an RFQ came from. */
  originId: string | null;
  status: ThreadStatus;
  /** SHA-256 of the first message, normalised: finds one text sent to many suppliers. */
  bodyHash: string;
  createdAt: string;
  lastMessageAt: string;
  /** The newest message from each side; with a participant's read time these decide unread. */
  lastBuyerMessageAt: string | null;
  lastSupplierMessageAt: string | null;
  closedAt: string | null;
}

export interface InquiryMessageTable {
  id: string;
  threadId: string;
  /** Null once the author's account is erased. */
  authorAccountId: string | null;
  side: Side;
  /** The author's contact person when written, or the anonymous label after erasure. */
  authorName: string;
  body: string;
  createdAt: string;
}

export interface InquiryAttachmentTable {
  id: string;
  threadId: string;
  messageId: string;
  /** A private file: served only to the thread's participants. */
  fileId: string;
  /** As the sender named it, cleaned for display; never used for a path or a type. */
  fileName: string;
  mime: string;
  size: number;
  /** The order the sender attached the files in. */
  position: number;
  createdAt: string;
}

/** One person's own state of a thread, made when they first read or archive it. */
export interface InquiryParticipantTable {
  threadId: string;
  accountId: string;
  lastReadAt: string | null;
  archivedAt: string | null;
}

export interface InquiryHandlerSettingTable {
  companyId: string;
  mode: HandlerMode;
  updatedAt: string;
  updatedBy: string | null;
}

/** A member named to handle a company's inquiries (used when the mode is `named`). */
export interface InquiryHandlerTable {
  companyId: string;
  accountId: string;
}

export interface MessagePreferenceTable {
  accountId: string;
  frequency: NoticeFrequency;
  /** The language of the last page the person used here: notices are written in it. */
  locale: string;
  /** The Beijing date (`YYYY-MM-DD`) of the last daily digest, so a day gets one at most. */
  digestOn: string | null;
  /** Messages after this instant go in the next digest. */
  digestSince: string | null;
  updatedAt: string;
}

export interface InquiryReportTable {
  id: string;
  threadId: string;
  reporterAccountId: string | null;
  side: Side;
  reason: ReportReason;
  details: string | null;
  createdAt: string;
  handledAt: string | null;
  handledBy: string | null;
}

export interface InquiriesTables {
  inquiryThread: InquiryThreadTable;
  inquiryMessage: InquiryMessageTable;
  inquiryAttachment: InquiryAttachmentTable;
  inquiryParticipant: InquiryParticipantTable;
  inquiryHandlerSetting: InquiryHandlerSettingTable;
  inquiryHandler: InquiryHandlerTable;
  messagePreference: MessagePreferenceTable;
  inquiryReport: InquiryReportTable;
}

const time = 'varchar(32)';
const id = 'varchar(36)';

export const inquiriesMigrations: MigrationSet = {
  '20261129T1210_inquiries': {
    async up(db) {
      await db.schema
        .createTable('inquiry_thread')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('company_id', id, (c) => c.notNull().references('company.id'))
        .addColumn('buyer_account_id', id, (c) => c.references('account.id').onDelete('set null'))
        .addColumn('buyer_name', 'varchar(100)', (c) => c.notNull())
        .addColumn('product_id', id, (c) => c.references('product.id').onDelete('set null'))
        .addColumn('product_title', 'varchar(300)')
        .addColumn('subject', 'varchar(200)', (c) => c.notNull())
        .addColumn('quantity', 'integer')
        .addColumn('unit', 'varchar(20)')
        .addColumn('target_price', 'varchar(16)')
        .addColumn('target_currency', 'varchar(3)')
        .addColumn('origin', 'varchar(10)', (c) => c.notNull())
        .addColumn('origin_id', id)
        .addColumn('status', 'varchar(10)', (c) => c.notNull())
        .addColumn('body_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('last_message_at', time, (c) => c.notNull())
        .addColumn('last_buyer_message_at', time)
        .addColumn('last_supplier_message_at', time)
        .addColumn('closed_at', time)
        .execute();
      await db.schema.createIndex('inquiry_thread_buyer').on('inquiry_thread').columns(['buyer_account_id', 'created_at']).execute();
      await db.schema.createIndex('inquiry_thread_company').on('inquiry_thread').columns(['company_id', 'last_message_at']).execute();
      await db.schema.createIndex('inquiry_thread_last').on('inquiry_thread').column('last_message_at').execute();

      await db.schema
        .createTable('inquiry_message')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('thread_id', id, (c) => c.notNull().references('inquiry_thread.id').onDelete('cascade'))
        .addColumn('author_account_id', id, (c) => c.references('account.id').onDelete('set null'))
        .addColumn('side', 'varchar(10)', (c) => c.notNull())
        .addColumn('author_name', 'varchar(100)', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('inquiry_message_thread').on('inquiry_message').columns(['thread_id', 'created_at']).execute();
      await db.schema.createIndex('inquiry_message_author').on('inquiry_message').column('author_account_id').execute();

      await db.schema
        .createTable('inquiry_attachment')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('thread_id', id, (c) => c.notNull().references('inquiry_thread.id').onDelete('cascade'))
        .addColumn('message_id', id, (c) => c.notNull().references('inquiry_message.id').onDelete('cascade'))
        .addColumn('file_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
        .addColumn('mime', 'varchar(100)', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('inquiry_attachment_message').on('inquiry_attachment').column('message_id').execute();
      await db.schema.createIndex('inquiry_attachment_thread').on('inquiry_attachment').column('thread_id').execute();

      await db.schema
        .createTable('inquiry_participant')
        .addColumn('thread_id', id, (c) => c.notNull().references('inquiry_thread.id').onDelete('cascade'))
        .addColumn('account_id', id, (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('last_read_at', time)
        .addColumn('archived_at', time)
        .addPrimaryKeyConstraint('inquiry_participant_pk', ['thread_id', 'account_id'])
        .execute();
      await db.schema.createIndex('inquiry_participant_account').on('inquiry_participant').column('account_id').execute();

      await db.schema
        .createTable('inquiry_handler_setting')
        .addColumn('company_id', id, (c) => c.primaryKey().references('company.id').onDelete('cascade'))
        .addColumn('mode', 'varchar(10)', (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('updated_by', id, (c) => c.references('account.id').onDelete('set null'))
        .execute();

      await db.schema
        .createTable('inquiry_handler')
        .addColumn('company_id', id, (c) => c.notNull().references('company.id').onDelete('cascade'))
        .addColumn('account_id', id, (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('inquiry_handler_pk', ['company_id', 'account_id'])
        .execute();
      await db.schema.createIndex('inquiry_handler_account').on('inquiry_handler').column('account_id').execute();

      await db.schema
        .createTable('message_preference')
        .addColumn('account_id', id, (c) => c.primaryKey().references('account.id').onDelete('cascade'))
        .addColumn('frequency', 'varchar(12)', (c) => c.notNull())
        .addColumn('locale', 'varchar(10)', (c) => c.notNull())
        .addColumn('digest_on', 'varchar(10)')
        .addColumn('digest_since', time)
        .addColumn('updated_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('message_preference_frequency').on('message_preference').columns(['frequency', 'digest_on']).execute();

      await db.schema
        .createTable('inquiry_report')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('thread_id', id, (c) => c.notNull().references('inquiry_thread.id').onDelete('cascade'))
        .addColumn('reporter_account_id', id, (c) => c.references('account.id').onDelete('set null'))
        .addColumn('side', 'varchar(10)', (c) => c.notNull())
        .addColumn('reason', 'varchar(10)', (c) => c.notNull())
        .addColumn('details', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('handled_at', time)
        .addColumn('handled_by', id, (c) => c.references('account.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('inquiry_report_queue').on('inquiry_report').columns(['handled_at', 'created_at']).execute();
      await db.schema.createIndex('inquiry_report_thread').on('inquiry_report').column('thread_id').execute();
    },
  },
};
