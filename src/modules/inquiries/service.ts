import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Executor } from '../../platform/db/client.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import type { FileStore, StoredFile } from '../../platform/storage/file-store.js';
import type { AcceptedUpload } from '../../platform/storage/uploads.js';
import type { CompaniesService } from '../companies/index.js';
import { units, type ProductsService } from '../products/index.js';
import type { Telemetry } from '../telemetry/index.js';
import type { AuditRecorder } from '../audit/index.js';
import { createHandlerSettings } from './handlers.js';
import { createNotifier } from './notify.js';
import { createReports } from './reports.js';
import * as repo from './repo.js';
import { messageMaxLength, subjectMaxLength, type InquiryInput, type ListQuery, type ReplyInput } from './schema.js';
import type { Side, ThreadOrigin } from './tables.js';
import { toMessages, toThread, type MessageView, type ThreadView } from './thread-view.js';

export interface InquiriesDeps {
  db: Kysely<Database>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  telemetry: Pick<Telemetry, 'record'>;
  companies: Pick<CompaniesService, 'getPublic' | 'findForIndex'>;
  products: Pick<ProductsService, 'getPublic'>;
  files: FileStore;
  /** Records staff opening a reported thread; it is not shown unrecorded. */
  audit: AuditRecorder;
  /** Called after a transaction that queued mail, so delivery can start. */
  onMailQueued?: () => void;
  clock?: () => Date;
}

/** What other modules pass to open a thread (the RFQ module, when a buyer accepts a quote). */
export interface StartThreadInput {
  buyerAccountId: string;
  companyId: string;
  productId: string | null;
  subject: string;
  message: string;
  quantity: number | null;
  unit: string | null;
  origin: ThreadOrigin;
  originId: string | null;
}

/** A file that passed `acceptUpload`, with the name its sender gave it. */
export interface NewAttachment {
  fileName: string;
  upload: AcceptedUpload;
}

export interface ThreadPage {
  items: ThreadView[];
  page: number;
  pages: number;
  total: number;
}

export interface UnreadCounts {
  buyer: number;
  supplier: number;
  total: number;
}

/** A buyer may open at most this many inquiries in 24 hours. */
export const dailyInquiryLimit = 30;
/** One text may go to at most this many companies in 24 hours. */
export const sameTextCompanyLimit = 5;
export const threadsPageSize = 20;
export const maxAttachments = 5;
/** Trade records are kept 3 years after completion (E-Commerce Law art. 31). */
export const retentionYears = 3;
/** What stands for an erased person in the trade records that must be kept. */
export const anonymousLabel = '已注销用户 / Deleted user';

const dayMs = 86_400_000;

/** The hash that finds one text sent to many: case, width of spaces and line breaks do not matter. */
export function bodyHash(message: string): string {
  const normal = message.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(normal).digest('hex');
}

interface Stored {
  fileName: string;
  file: StoredFile;
}

/** Makes the inquiries service: threads between buyers and suppliers, the message centre, notices and reports. */
export function createInquiriesService(deps: InquiriesDeps) {
  const { db, files } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const notifier = createNotifier(deps);

  /** Refuses what abuse control does not allow: a buyer's 31st inquiry in 24 hours, or one text to a 6th company. */
  async function assertWithinLimits(handle: Executor<Database>, buyerAccountId: string, companyId: string, hash: string, at: Date) {
    const since = new Date(at.getTime() - dayMs).toISOString();
    if ((await repo.countInquiriesSince(handle, buyerAccountId, since)) >= dailyInquiryLimit) {
      throw new AppError('RATE_LIMITED', { messageKey: 'inquiries.error.dailyLimit', params: { limit: dailyInquiryLimit } });
    }
    if ((await repo.companiesWithSameText(handle, buyerAccountId, hash, since, companyId)) >= sameTextCompanyLimit) {
      throw new AppError('CONFLICT', { messageKey: 'inquiries.error.sameText', params: { limit: sameTextCompanyLimit } });
    }
  }

  /** A member of the company cannot send it an inquiry. */
  async function assertNotOwnCompany(handle: Executor<Database>, companyId: string, accountId: string) {
    if (await repo.findMembership(handle, companyId, accountId)) throw new AppError('CONFLICT', { messageKey: 'inquiries.error.ownCompany' });
  }

  async function store(attachments: NewAttachment[]): Promise<Stored[]> {
    const stored: Stored[] = [];
    try {
      for (const a of attachments) stored.push({ fileName: a.fileName, file: await files.put(a.upload, { visibility: 'private' }) });
    } catch (error) {
      await discard(stored);
      throw error;
    }
    return stored;
  }

  async function discard(stored: Stored[]) {
    for (const s of stored) await files.delete(s.file.id).catch(() => false);
  }

  async function insertAttachments(handle: Executor<Database>, threadId: string, messageId: string, stored: Stored[], at: string) {
    for (const [position, s] of stored.entries()) {
      await repo.insertAttachment(handle, {
        id: randomUUID(),
        threadId,
        messageId,
        fileId: s.file.id,
        fileName: s.fileName || `attachment.${s.file.extension}`,
        mime: s.file.mime,
        size: s.file.size,
        position,
        createdAt: at,
      });
    }
  }

  /**
   * Opens a thread inside the given transaction: the first message, its attachments, the service
   * log, and the notices to the company's handlers.
   */
  async function createThread(
    trx: Executor<Database>,
    input: StartThreadInput & { targetPrice: string | null; targetCurrency: string | null; attachments: Stored[] },
  ): Promise<{ threadId: string }> {
    const buyer = await repo.findAccount(trx, input.buyerAccountId);
    const company = await deps.companies.findForIndex(trx, input.companyId);
    if (!buyer || !company) throw new AppError('NOT_FOUND');
    await assertNotOwnCompany(trx, input.companyId, input.buyerAccountId);
    let productTitle: string | null = null;
    if (input.productId) {
      const product = await repo.findProduct(trx, input.productId);
      if (product?.companyId !== input.companyId) throw new AppError('NOT_FOUND');
      productTitle = product.titleZh ?? product.titleEn;
    }
    const at = now();
    const hash = bodyHash(input.message);
    if (input.origin === 'inquiry') await assertWithinLimits(trx, input.buyerAccountId, input.companyId, hash, at);

    const threadId = randomUUID();
    const messageId = randomUUID();
    const iso = at.toISOString();
    await repo.insertThread(trx, {
      id: threadId,
      companyId: input.companyId,
      buyerAccountId: buyer.id,
      buyerName: buyer.contactPerson,
      productId: input.productId,
      productTitle,
      subject: input.subject,
      quantity: input.quantity,
      unit: input.unit,
      targetPrice: input.targetPrice,
      targetCurrency: input.targetPrice ? input.targetCurrency ?? 'CNY' : null,
      origin: input.origin,
      originId: input.originId,
      status: 'new',
      bodyHash: hash,
      createdAt: iso,
      lastMessageAt: iso,
      lastBuyerMessageAt: iso,
      lastSupplierMessageAt: null,
      closedAt: null,
    });
    await repo.insertMessage(trx, { id: messageId, threadId, authorAccountId: buyer.id, side: 'buyer', authorName: buyer.contactPerson, body: input.message, createdAt: iso });
    await insertAttachments(trx, threadId, messageId, input.attachments, iso);
    if (input.origin === 'inquiry') {
      await deps.telemetry.record(trx, buyer.id, 'inquiry.sent', input.productId ? { type: 'product', id: input.productId } : { type: 'company', id: input.companyId });
    }
    await notifier.notifyMessage(trx, {
      threadId,
      companyId: input.companyId,
      buyerAccountId: buyer.id,
      subject: input.subject,
      authorAccountId: buyer.id,
      authorName: buyer.contactPerson,
      side: 'buyer',
      isFirst: true,
    });
    return { threadId };
  }

  /** The thread if the account is part of it; NOT_FOUND otherwise, so ids of others' threads reveal nothing. */
  async function getVisible(handle: Executor<Database>, auth: AuthState, threadId: string) {
    const row = await repo.findThreadFor(handle, threadId, auth.accountId);
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  return {
    ...notifier,
    ...createHandlerSettings(deps),
    ...createReports(deps),

    /**
     * Opens a thread for another module (the RFQ module, when a buyer accepts a quote): like a new
     * inquiry, its handlers are told, but abuse limits apply only to origin `inquiry`. Runs inside
     * `trx` when given (mail queued there goes out once it commits and the outbox is next
     * flushed), in a transaction of its own otherwise.
     * @example await inquiries.startThread(trx, { buyerAccountId, companyId, productId: null, subject, message, quantity: 500, unit: 'piece', origin: 'rfq', originId: rfqId })
     */
    async startThread(trx: Executor<Database> | undefined, input: StartThreadInput): Promise<{ threadId: string }> {
      const subject = input.subject.normalize('NFC').trim().slice(0, subjectMaxLength);
      const message = input.message.normalize('NFC').trim().slice(0, messageMaxLength);
      const unit = input.unit !== null && (units as readonly string[]).includes(input.unit) ? input.unit : null;
      const quantity = input.quantity !== null && Number.isInteger(input.quantity) && input.quantity > 0 ? input.quantity : null;
      if (!subject || !message) throw new AppError('VALIDATION_FAILED', { fields: { message: 'inquiries.error.messageRequired' } });
      const full = { ...input, subject, message, unit, quantity, targetPrice: null, targetCurrency: null, attachments: [] };
      const result = trx ? await createThread(trx, full) : await db.transaction().execute((own) => createThread(own, full));
      deps.onMailQueued?.();
      return result;
    },

    /**
     * Sends a buyer's inquiry to a public product's company or to a public company, with up to 5
     * private attachments. Refused for the buyer's own company and beyond the abuse limits.
     */
    async send(auth: AuthState, input: InquiryInput, attachments: NewAttachment[], locale: Locale): Promise<{ threadId: string }> {
      if (attachments.length > maxAttachments) {
        throw new AppError('PAYLOAD_TOO_LARGE', { messageKey: 'upload.error.tooManyFiles', params: { maxFiles: maxAttachments } });
      }
      let companyId = input.companyId;
      if (input.productId) {
        const { product } = await deps.products.getPublic(input.productId);
        if (companyId && companyId !== product.companyId) throw new AppError('VALIDATION_FAILED', { fields: { companyId: 'inquiries.error.target' } });
        companyId = product.companyId;
      } else if (companyId) {
        await deps.companies.getPublic(companyId);
      }
      if (!companyId) throw new AppError('VALIDATION_FAILED', { fields: { companyId: 'inquiries.error.target' } });
      // Checked before any file is kept; checked again inside the transaction.
      await assertNotOwnCompany(db, companyId, auth.accountId);
      await assertWithinLimits(db, auth.accountId, companyId, bodyHash(input.message), now());
      const stored = await store(attachments);
      try {
        const result = await db.transaction().execute(async (trx) => {
          const started = await createThread(trx, {
            buyerAccountId: auth.accountId,
            companyId: companyId,
            productId: input.productId ?? null,
            subject: input.subject,
            message: input.message,
            quantity: input.quantity,
            unit: input.unit,
            targetPrice: input.targetPrice,
            targetCurrency: input.targetPrice ? input.currency ?? 'CNY' : null,
            origin: 'inquiry',
            originId: null,
            attachments: stored,
          });
          await notifier.rememberLocale(trx, auth.accountId, locale);
          return started;
        });
        deps.onMailQueued?.();
        return result;
      } catch (error) {
        await discard(stored);
        throw error;
      }
    },

    /** Refuses the inquiry form to a member of the company it would go to (CONFLICT). */
    async assertMayInquire(auth: AuthState, companyId: string): Promise<void> {
      await assertNotOwnCompany(db, companyId, auth.accountId);
    },

    /** Adds a message to a thread the caller is part of; CONFLICT once it is closed. A new message unarchives it for everyone. */
    async reply(auth: AuthState, threadId: string, input: ReplyInput, attachments: NewAttachment[], locale: Locale): Promise<MessageView> {
      if (attachments.length > maxAttachments) {
        throw new AppError('PAYLOAD_TOO_LARGE', { messageKey: 'upload.error.tooManyFiles', params: { maxFiles: maxAttachments } });
      }
      const thread = await getVisible(db, auth, threadId);
      if (thread.status === 'closed') throw new AppError('CONFLICT', { messageKey: 'inquiries.error.closed' });
      const side: Side = thread.buyerAccountId === auth.accountId ? 'buyer' : 'supplier';
      const stored = await store(attachments);
      try {
        const message = await db.transaction().execute(async (trx) => {
          const author = await repo.findAccount(trx, auth.accountId);
          if (!author) throw new AppError('NOT_FOUND');
          const at = now().toISOString();
          const touched = await repo.touchThread(trx, threadId, side, at);
          if (Number(touched.numUpdatedRows) !== 1) throw new AppError('CONFLICT', { messageKey: 'inquiries.error.closed' });
          const id = randomUUID();
          await repo.insertMessage(trx, { id, threadId, authorAccountId: author.id, side, authorName: author.contactPerson, body: input.message, createdAt: at });
          await insertAttachments(trx, threadId, id, stored, at);
          await repo.unarchiveForAll(trx, threadId);
          await repo.upsertParticipant(trx, threadId, auth.accountId, { lastReadAt: at });
          await notifier.notifyMessage(trx, {
            threadId,
            companyId: thread.companyId,
            buyerAccountId: thread.buyerAccountId,
            subject: thread.subject,
            authorAccountId: author.id,
            authorName: author.contactPerson,
            side,
            isFirst: false,
          });
          await notifier.rememberLocale(trx, auth.accountId, locale);
          const rows = await repo.listMessages(trx, threadId);
          const files = await repo.listAttachments(trx, threadId);
          return toMessages(rows.filter((r) => r.id === id), files, auth.accountId)[0]!;
        });
        deps.onMailQueued?.();
        return message;
      } catch (error) {
        await discard(stored);
        throw error;
      }
    },

    /** One thread with its messages, oldest first; reading it marks it read for the caller. */
    async get(auth: AuthState, threadId: string): Promise<{ thread: ThreadView; messages: MessageView[] }> {
      const row = await getVisible(db, auth, threadId);
      const at = now().toISOString();
      await repo.upsertParticipant(db, threadId, auth.accountId, { lastReadAt: at });
      const messages = await repo.listMessages(db, threadId);
      const attachments = await repo.listAttachments(db, threadId);
      return { thread: toThread({ ...row, lastReadAt: at }, auth.accountId), messages: toMessages(messages, attachments, auth.accountId) };
    },

    /** One page (20) of the caller's threads on one side, inbox or archive, optionally searched; most recently active first. */
    async list(auth: AuthState, query: ListQuery): Promise<ThreadPage> {
      const filter = { side: query.box, archived: query.archived, q: query.q };
      const total = await repo.countThreads(db, auth.accountId, filter);
      const pages = Math.max(1, Math.ceil(total / threadsPageSize));
      const current = Math.min(Math.max(1, Math.floor(query.page)), pages);
      const rows = await repo.listThreads(db, auth.accountId, filter, threadsPageSize, (current - 1) * threadsPageSize);
      return { items: rows.map((r) => toThread(r, auth.accountId)), page: current, pages, total };
    },

    /** Closes a thread for both sides; no more messages. Closing it again changes nothing. */
    async close(auth: AuthState, threadId: string): Promise<ThreadView> {
      await getVisible(db, auth, threadId);
      await repo.closeThread(db, threadId, now().toISOString());
      return toThread(await getVisible(db, auth, threadId), auth.accountId);
    },

    /** Moves a thread to the caller's archive, or back to their inbox; the other participants are not affected. */
    async archive(auth: AuthState, threadId: string, archived: boolean): Promise<ThreadView> {
      await getVisible(db, auth, threadId);
      await repo.upsertParticipant(db, threadId, auth.accountId, { archivedAt: archived ? now().toISOString() : null });
      return toThread(await getVisible(db, auth, threadId), auth.accountId);
    },

    /** An attachment's bytes for a participant of its thread; NOT_FOUND for anyone else. */
    async attachment(auth: AuthState, threadId: string, attachmentId: string) {
      const row = await repo.findAttachmentFor(db, threadId, attachmentId, auth.accountId);
      if (!row) throw new AppError('NOT_FOUND');
      const { file, bytes } = await files.get(row.fileId);
      return { fileName: row.fileName, mime: file.mime, extension: file.extension, bytes };
    },

    /** Threads with messages from the other side the account has not read, per side. */
    async unread(accountId: string): Promise<UnreadCounts> {
      const buyer = await repo.countUnread(db, accountId, 'buyer');
      const supplier = await repo.countUnread(db, accountId, 'supplier');
      return { buyer, supplier, total: buyer + supplier };
    },

    /** Deletes threads completed more than 3 years ago, with their files (the declared retention). */
    async deleteExpired(at: Date = now()): Promise<number> {
      const before = new Date(at);
      before.setUTCFullYear(before.getUTCFullYear() - retentionYears);
      let deleted = 0;
      for (;;) {
        const ids = (await repo.listExpiredThreads(db, before.toISOString(), 100)).map((r) => r.id);
        if (ids.length === 0) break;
        const fileIds = (await repo.listFileIdsOfThreads(db, ids)).map((r) => r.fileId);
        await repo.deleteThreads(db, ids);
        for (const fileId of fileIds) await files.delete(fileId).catch(() => false);
        deleted += ids.length;
      }
      return deleted;
    },
  };
}

export type InquiriesService = ReturnType<typeof createInquiriesService>;
