import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';

// Buying requests and quotes are trade records: the E-Commerce Law (art. 31) has the platform
// keep them for three years after the transaction is completed. A request is completed when the
// buyer accepts a quote, or at its deadline.
const retention = '3 years after completion';
const basis = 'legal-duty';

export const rfqDataMap: DataMap = {
  rfq: {
    id: technical('identifies a buying request', retention),
    buyer_account_id: personal('account.identifier', 'link a buying request to the buyer who posted it', basis, retention),
    product_name: personal('trade.rfq', 'tell suppliers what the buyer wants to buy, and keep the trade record', basis, retention),
    category_id: technical('the category suppliers see the request under', retention),
    industry_id: technical('the industry whose suppliers see the request', retention),
    quantity: technical('the quantity asked for', retention),
    unit: technical('the unit of the quantity', retention),
    specifications: personal('trade.rfq', 'tell suppliers what the buyer wants to buy, and keep the trade record', basis, retention),
    destination: personal('trade.rfq', 'tell suppliers what the buyer wants to buy, and keep the trade record', basis, retention),
    deadline: technical('the last day quotes are taken', retention),
    expires_at: technical('the instant quotes stop', retention),
    status: technical('open, awarded or closed', retention),
    quote_count: technical('how many companies quoted (at most 20)', retention),
    accepted_quote_id: technical('the quote the buyer accepted', retention),
    thread_id: technical('the inquiry thread opened with the chosen supplier', retention),
    created_at: technical('when the request was posted', retention),
    updated_at: technical('when the request last changed', retention),
    decided_at: technical('when the request was decided or closed; starts the retention period', retention),
  },
  rfq_quote: {
    id: technical('identifies a quote', retention),
    rfq_id: technical('the request a quote answers', retention),
    company_id: technical('the supplier company that quoted', retention),
    sent_by: personal('account.identifier', 'who sent or last revised a quote for the company', basis, retention),
    currency: technical('the currency of the prices', retention),
    price_tiers: technical('the prices offered by quantity', retention),
    lead_time_days: technical('the lead time offered', retention),
    valid_until: technical('the last day the offer holds', retention),
    message: personal('trade.rfq', 'the supplier\'s offer to the buyer, kept as the trade record', basis, retention),
    locale: technical('the language to tell the sender of the decision in', retention),
    status: technical('sent, accepted or declined', retention),
    created_at: technical('when the quote was sent', retention),
    updated_at: technical('when the quote was last revised', retention),
    decided_at: technical('when the buyer decided', retention),
  },
};

/**
 * Access, export and erasure for buying requests and quotes. Being trade records kept under a
 * legal duty, they are not deleted on erasure: the person's identity in them is replaced by the
 * anonymous label (the link to the account is removed, and pages show "deleted user").
 */
export function rfqProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'rfq',
    describe: () => rfqDataMap,
    async export(subjectId) {
      const requests = await db
        .selectFrom('rfq')
        .select(['productName', 'categoryId', 'quantity', 'unit', 'specifications', 'destination', 'deadline', 'status', 'quoteCount', 'createdAt', 'decidedAt'])
        .where('buyerAccountId', '=', subjectId)
        .orderBy('createdAt')
        .execute();
      const quotes = await db
        .selectFrom('rfqQuote')
        .innerJoin('rfq', 'rfq.id', 'rfqQuote.rfqId')
        .select([
          'rfq.productName as productName',
          'rfqQuote.companyId as companyId',
          'rfqQuote.currency as currency',
          'rfqQuote.priceTiers as priceTiers',
          'rfqQuote.leadTimeDays as leadTimeDays',
          'rfqQuote.validUntil as validUntil',
          'rfqQuote.message as message',
          'rfqQuote.status as status',
          'rfqQuote.createdAt as createdAt',
          'rfqQuote.updatedAt as updatedAt',
        ])
        .where('rfqQuote.sentBy', '=', subjectId)
        .orderBy('rfqQuote.createdAt')
        .execute();
      return { provider: 'rfq', records: { requests, quotesSent: quotes.map((q) => ({ ...q, priceTiers: JSON.parse(q.priceTiers) as unknown })) } };
    },
    /**
     * Keeps the records and removes the person from them; a request still open is closed, since
     * nobody is left to choose among its quotes.
     */
    async erase(subjectId) {
      return db.transaction().execute(async (trx) => {
        const at = new Date().toISOString();
        await trx.updateTable('rfq').set({ status: 'closed', decidedAt: at, updatedAt: at }).where('buyerAccountId', '=', subjectId).where('status', '=', 'open').execute();
        const requests = await trx.updateTable('rfq').set({ buyerAccountId: null }).where('buyerAccountId', '=', subjectId).executeTakeFirst();
        const quotes = await trx.updateTable('rfqQuote').set({ sentBy: null }).where('sentBy', '=', subjectId).executeTakeFirst();
        return { erased: Number(requests.numUpdatedRows) + Number(quotes.numUpdatedRows) };
      });
    },
  };
}
