import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';
import { anonymousLabel } from './service.js';

// Inquiries and their messages are trade records the platform must keep for 3 years after the
// trade is completed (E-Commerce Law art. 31); a completed thread is one closed or no longer active.
const tradeRetention = '3 years after completion';
const record = 'keep the record of a trade communication between buyer and supplier';
const parties = 'name the parties of a trade communication';
const trade = (purpose: string, options: { optional?: boolean } = {}) => personal('trade.communications', purpose, 'legal-duty', tradeRetention, options);
const party = () => personal('account.identifier', parties, 'legal-duty', tradeRetention, { optional: true });

export const inquiriesDataMap: DataMap = {
  inquiry_thread: {
    id: technical('identifies a thread', tradeRetention),
    company_id: technical('the supplier company the inquiry was sent to', tradeRetention),
    buyer_account_id: party(),
    buyer_name: personal('account.contact', parties, 'legal-duty', tradeRetention),
    product_id: technical('the product asked about', tradeRetention),
    product_title: trade(record, { optional: true }),
    subject: trade(record),
    quantity: trade(record, { optional: true }),
    unit: trade(record, { optional: true }),
    target_price: trade(record, { optional: true }),
    target_currency: trade(record, { optional: true }),
    origin: technical('whether a thread began as an inquiry or from a buying request', tradeRetention),
    origin_id: technical('the buying request a thread began from', tradeRetention),
    status: technical('handling state', tradeRetention),
    body_hash: technical('find one text sent to many suppliers (abuse control); a hash, not the text', tradeRetention),
    created_at: technical('when the inquiry was sent', tradeRetention),
    last_message_at: technical('ordering; the start of the retention period', tradeRetention),
    last_buyer_message_at: technical('unread state', tradeRetention),
    last_supplier_message_at: technical('unread state', tradeRetention),
    closed_at: technical('when the thread was closed; the start of the retention period', tradeRetention),
  },
  inquiry_message: {
    id: technical('identifies a message', tradeRetention),
    thread_id: technical('the thread of a message', tradeRetention),
    author_account_id: party(),
    side: technical('whether the buyer or the supplier wrote it', tradeRetention),
    author_name: personal('account.contact', parties, 'legal-duty', tradeRetention),
    body: trade(record),
    created_at: technical('when a message was sent', tradeRetention),
  },
  inquiry_attachment: {
    id: technical('identifies an attachment', tradeRetention),
    thread_id: technical('the thread of an attachment', tradeRetention),
    message_id: technical('the message of an attachment', tradeRetention),
    file_id: trade(record),
    file_name: trade(record),
    mime: technical('the sniffed file type', tradeRetention),
    size: technical('the file size', tradeRetention),
    position: technical('the order the files were attached in', tradeRetention),
    created_at: technical('when the file was sent', tradeRetention),
  },
  inquiry_participant: {
    thread_id: technical('the thread', tradeRetention),
    account_id: personal('account.identifier', 'show each participant which messages they have read and which threads they archived', 'contract', tradeRetention),
    last_read_at: personal('trade.communications', 'show each participant which messages they have read and which threads they archived', 'contract', tradeRetention, { optional: true }),
    archived_at: personal('trade.communications', 'show each participant which messages they have read and which threads they archived', 'contract', tradeRetention, { optional: true }),
  },
  inquiry_handler_setting: {
    company_id: technical('the company'),
    mode: technical('whether every member or named members handle inquiries'),
    updated_at: technical('when the setting changed'),
    updated_by: personal('account.identifier', 'decide who in a company handles its inquiries', 'contract', 'membership', { optional: true }),
  },
  inquiry_handler: {
    company_id: technical('the company'),
    account_id: personal('account.identifier', 'decide who in a company handles its inquiries', 'contract', 'membership'),
  },
  message_preference: {
    account_id: personal('account.identifier', 'send email notices of new messages as the person chose', 'contract', 'account-lifetime'),
    frequency: personal('message.settings', 'send email notices of new messages as the person chose', 'contract', 'account-lifetime'),
    locale: personal('message.settings', 'send email notices of new messages as the person chose', 'contract', 'account-lifetime'),
    digest_on: technical('one daily digest a day at most'),
    digest_since: technical('which messages the next digest lists'),
    updated_at: technical('when the choice changed'),
  },
  inquiry_report: {
    id: technical('identifies a report', '3 years'),
    thread_id: technical('the reported thread', '3 years'),
    reporter_account_id: personal('account.identifier', 'investigate reports of abusive threads', 'legitimate-interest', '3 years', { optional: true }),
    side: technical('the reporter\'s side of the thread', '3 years'),
    reason: personal('trade.reports', 'investigate reports of abusive threads', 'legitimate-interest', '3 years'),
    details: personal('trade.reports', 'investigate reports of abusive threads', 'legitimate-interest', '3 years', { optional: true }),
    created_at: technical('when a report was made', '3 years'),
    handled_at: technical('handling state', '3 years'),
    handled_by: personal('staff.identifier', 'investigate reports of abusive threads', 'legitimate-interest', '3 years', { optional: true }),
  },
};

/**
 * Access, export and erasure of what inquiries hold about a person. Registered before the
 * accounts provider: erasing the account clears the links this one needs to find the records.
 */
export function inquiriesProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'inquiries',
    describe: () => inquiriesDataMap,
    async export(subjectId) {
      const threads = await db
        .selectFrom('inquiryThread')
        .select(['id', 'companyId', 'buyerName', 'productTitle', 'subject', 'quantity', 'unit', 'targetPrice', 'targetCurrency', 'origin', 'status', 'createdAt', 'closedAt'])
        .where('buyerAccountId', '=', subjectId)
        .orderBy('createdAt')
        .execute();
      const messages = await db
        .selectFrom('inquiryMessage as m')
        .innerJoin('inquiryThread as t', 't.id', 'm.threadId')
        .select(['m.threadId', 't.subject', 'm.side', 'm.authorName', 'm.body', 'm.createdAt'])
        .where('m.authorAccountId', '=', subjectId)
        .orderBy('m.createdAt')
        .execute();
      const attachments = await db
        .selectFrom('inquiryAttachment as a')
        .innerJoin('inquiryMessage as m', 'm.id', 'a.messageId')
        .select(['a.threadId', 'a.fileName', 'a.mime', 'a.size', 'a.createdAt'])
        .where('m.authorAccountId', '=', subjectId)
        .orderBy('a.createdAt')
        .execute();
      const readState = await db.selectFrom('inquiryParticipant').select(['threadId', 'lastReadAt', 'archivedAt']).where('accountId', '=', subjectId).execute();
      const handling = await db.selectFrom('inquiryHandler').select(['companyId']).where('accountId', '=', subjectId).execute();
      const preference = await db.selectFrom('messagePreference').select(['frequency', 'locale', 'updatedAt']).where('accountId', '=', subjectId).execute();
      const reports = await db
        .selectFrom('inquiryReport')
        .select(['threadId', 'reason', 'details', 'createdAt', 'handledAt'])
        .where('reporterAccountId', '=', subjectId)
        .orderBy('createdAt')
        .execute();
      return { provider: 'inquiries', records: { threads, messages, attachments, readState, handling, preference, reports } };
    },
    /**
     * Threads, messages and attachments are trade records kept under a legal duty: the person's
     * identity in them is replaced by an anonymous label and the link to the account goes, while
     * the contents stay. What is not under that duty (read and archive state, handler choices,
     * notice preferences) is deleted; reports stay without their reporter.
     */
    async erase(subjectId) {
      return db.transaction().execute(async (trx) => {
        const threads = await trx.updateTable('inquiryThread').set({ buyerAccountId: null, buyerName: anonymousLabel }).where('buyerAccountId', '=', subjectId).executeTakeFirst();
        const messages = await trx.updateTable('inquiryMessage').set({ authorAccountId: null, authorName: anonymousLabel }).where('authorAccountId', '=', subjectId).executeTakeFirst();
        const states = await trx.deleteFrom('inquiryParticipant').where('accountId', '=', subjectId).executeTakeFirst();
        const handlers = await trx.deleteFrom('inquiryHandler').where('accountId', '=', subjectId).executeTakeFirst();
        await trx.updateTable('inquiryHandlerSetting').set({ updatedBy: null }).where('updatedBy', '=', subjectId).execute();
        const preference = await trx.deleteFrom('messagePreference').where('accountId', '=', subjectId).executeTakeFirst();
        const reports = await trx.updateTable('inquiryReport').set({ reporterAccountId: null }).where('reporterAccountId', '=', subjectId).executeTakeFirst();
        await trx.updateTable('inquiryReport').set({ handledBy: null }).where('handledBy', '=', subjectId).execute();
        return {
          erased: [threads.numUpdatedRows, messages.numUpdatedRows, states.numDeletedRows, handlers.numDeletedRows, preference.numDeletedRows, reports.numUpdatedRows]
            .map(Number)
            .reduce((a, b) => a + b, 0),
        };
      });
    },
  };
}
