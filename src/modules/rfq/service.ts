import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Executor } from '../../platform/db/client.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import { cutoffBefore, inBatches } from '../../platform/privacy/retention-period.js';
import { isLeafCategory } from '../catalogue/index.js';
import type { CompaniesService } from '../companies/index.js';
import type { NoticesService } from '../notices/index.js';
import type { Telemetry } from '../telemetry/index.js';
import { sortQuotes, toQuoteView, toRfqView, type Board, type QuoteCompany, type QuoteSort, type QuoteView, type QuotingCompany, type RfqPage, type RfqView } from './present.js';
import * as repo from './repo.js';
import { addDays, endOfShanghaiDay, industryOf, maxDeadlineDays, maxQuotes, maxRequestsPerDay, maxValidityDays, pageSize, shanghaiDate } from './rules.js';
import type { BoardQuery, QuoteInput, RfqInput } from './schema.js';
import type { RfqQuoteTable, RfqTable } from './tables.js';

/**
 * Opens an inquiry thread between the buyer and a supplier company (the inquiries module's
 * `startThread`); called inside the acceptance's transaction so both commit together.
 */
export type StartThread = (
  trx: Executor<Database> | undefined,
  input: {
    buyerAccountId: string;
    companyId: string;
    productId: string | null;
    subject: string;
    message: string;
    quantity: number | null;
    unit: string | null;
    origin: 'inquiry' | 'rfq';
    originId: string | null;
  },
) => Promise<{ threadId: string }>;

export interface RfqDeps {
  db: Kysely<Database>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  companies: Pick<CompaniesService, 'listMine' | 'findForIndex'>;
  notices: Pick<NoticesService, 'notify'>;
  telemetry: Pick<Telemetry, 'record'>;
  /** Without it (inquiries not wired), a buyer cannot accept a quote yet. */
  startThread?: StartThread;
  onMailQueued?: () => void;
  clock?: () => Date;
}

interface SupplierScope {
  viewer: repo.Viewer;
  /** Verified companies of the viewer with the industries they publish in. */
  eligible: (QuotingCompany & { industries: string[] })[];
}

/** Makes the buying-request service: buyers post requests, suppliers in the industry quote, the buyer chooses. */
export function createRfqService(deps: RfqDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());

  /** Quotes with their companies, read through `executor` (inside a transaction, pass it). */
  async function quoteViews(executor: Executor<Database>, rows: RfqQuoteTable[], rfq: Pick<RfqTable, 'quantity'>, at: Date): Promise<QuoteView[]> {
    const companies = new Map<string, QuoteCompany>();
    for (const id of new Set(rows.map((r) => r.companyId))) {
      const c = await deps.companies.findForIndex(executor, id);
      companies.set(id, {
        id,
        nameZh: c?.nameZh ?? '',
        nameEn: c?.nameEn ?? null,
        verified: c?.verified ?? false,
        verifiedAt: c?.verifiedAt ?? null,
        verifiedChecks: c?.verifiedChecks ?? [],
      });
    }
    return rows.map((row) => toQuoteView(row, companies.get(row.companyId)!, rfq.quantity, at));
  }

  /**
   * Which requests may reach the account as a supplier: the industries its verified companies
   * publish products in. Every company it belongs to counts for seeing its own quotes.
   */
  async function scopeOf(auth: AuthState): Promise<SupplierScope> {
    const companies = await deps.companies.listMine(auth);
    const verified = companies.filter((c) => c.status === 'verified');
    const industriesOf = new Map<string, Set<string>>();
    for (const { companyId, categoryId } of await repo.listPublishedCategories(db, verified.map((c) => c.id))) {
      const industry = industryOf(categoryId);
      if (industry) industriesOf.set(companyId, (industriesOf.get(companyId) ?? new Set()).add(industry));
    }
    const eligible = verified
      .filter((c) => industriesOf.has(c.id))
      .map((c) => ({ id: c.id, nameZh: c.nameZh, nameEn: c.nameEn, industries: [...industriesOf.get(c.id)!].sort() }));
    return {
      viewer: { accountId: auth.accountId, industries: [...new Set(eligible.flatMap((c) => c.industries))].sort(), companyIds: companies.map((c) => c.id) },
      eligible,
    };
  }

  function paged<T>(items: T[], total: number, page: number): RfqPage<T> {
    return { items, page, pages: Math.max(1, Math.ceil(total / pageSize)), total };
  }


  /**
   * Tells the members who handle a quote that it was not chosen, by notice and by mail in the
   * language the quote was sent in: the buyer chose another offer, or closed the request.
   */
  async function tellNotChosen(trx: Executor<Database>, rfq: RfqTable, quote: RfqQuoteTable, why: 'declined' | 'closed') {
    const link = `/rfq/${rfq.id}`;
    const company = await deps.companies.findForIndex(trx, quote.companyId);
    const mt = deps.translator(quote.locale === 'en' ? 'en' : 'zh-CN');
    const companyName = (quote.locale === 'en' ? company?.nameEn : null) ?? company?.nameZh ?? '';
    for (const recipient of await repo.listQuoteRecipients(trx, quote.companyId, quote.sentBy)) {
      await deps.notices.notify(trx, recipient.id, { kind: why === 'declined' ? 'rfq.quote.declined' : 'rfq.closed', params: { product: rfq.productName }, link });
      await enqueueMail(trx, {
        to: recipient.email,
        subjectId: recipient.id,
        kind: `rfq-quote-${why}`,
        subject: mt(`rfq.mail.${why}.subject`, { product: rfq.productName }),
        text: mt(`rfq.mail.${why}.body`, { name: recipient.contactPerson, company: companyName, product: rfq.productName, link: `${deps.publicUrl}${link}` }),
      });
    }
  }
  return {
    /** Posts a buying request; suppliers publishing in its industry see it at once. */
    async post(auth: AuthState, input: RfqInput): Promise<RfqView> {
      const at = clock();
      const today = shanghaiDate(at);
      const fields: Record<string, string> = {};
      if (!isLeafCategory(input.categoryId)) fields.categoryId = 'rfq.error.category';
      if (input.deadline < addDays(today, 1) || input.deadline > addDays(today, maxDeadlineDays)) fields.deadline = 'rfq.error.deadlineRange';
      if (Object.keys(fields).length > 0) throw new AppError('VALIDATION_FAILED', { fields });
      const recent = await repo.countBuyerRfqs(db, auth.accountId, new Date(at.getTime() - 86_400_000).toISOString());
      if (recent >= maxRequestsPerDay) throw new AppError('RATE_LIMITED', { messageKey: 'rfq.error.dailyLimit', params: { max: maxRequestsPerDay } });

      const now = at.toISOString();
      const row: RfqTable = {
        id: randomUUID(),
        buyerAccountId: auth.accountId,
        productName: input.productName,
        categoryId: input.categoryId,
        industryId: industryOf(input.categoryId)!,
        quantity: input.quantity,
        unit: input.unit,
        specifications: input.specifications,
        destination: input.destination,
        deadline: input.deadline,
        expiresAt: endOfShanghaiDay(input.deadline),
        status: 'open',
        quoteCount: 0,
        acceptedQuoteId: null,
        threadId: null,
        createdAt: now,
        updatedAt: now,
        decidedAt: null,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insertRfq(trx, row);
        await deps.telemetry.record(trx, auth.accountId, 'rfq.posted', { type: 'rfq', id: row.id });
      });
      return toRfqView(row, auth.accountId, at);
    },

    /** The account's own requests, newest first. */
    async listMine(auth: AuthState, page: number): Promise<RfqPage<RfqView>> {
      const at = clock();
      const [rows, total] = await Promise.all([
        repo.listBuyerRfqs(db, auth.accountId, pageSize, (page - 1) * pageSize),
        repo.countBuyerRfqs(db, auth.accountId),
      ]);
      return paged(rows.map((r) => toRfqView(r, auth.accountId, at)), total, page);
    },

    /**
     * The RFQ board: open requests, newest first, in the industries the account's verified
     * companies publish products in; others' requests only. Empty for anyone else.
     */
    async board(auth: AuthState, query: BoardQuery): Promise<Board> {
      const at = clock();
      const { viewer } = await scopeOf(auth);
      const empty: Board = { items: [], page: query.page, pages: 1, total: 0, isSupplier: viewer.industries.length > 0, industries: viewer.industries.slice() };
      if (viewer.industries.length === 0) return empty;
      let filter: repo.CategoryFilter;
      if (query.category) {
        const industry = industryOf(query.category);
        if (!industry || !viewer.industries.includes(industry)) return empty;
        filter = industry === query.category ? { industryId: industry } : { categoryId: query.category };
      }
      const now = at.toISOString();
      const [rows, total] = await Promise.all([
        repo.listBoard(db, viewer, now, filter, pageSize, (query.page - 1) * pageSize),
        repo.countBoard(db, viewer, now, filter),
      ]);
      const quoted = await repo.listQuotedRfqIds(db, rows.map((r) => r.id), viewer.companyIds);
      return { ...empty, ...paged(rows.map((r) => ({ ...toRfqView(r, auth.accountId, at), hasQuoted: quoted.has(r.id) })), total, query.page) };
    },

    /**
     * One request with the quotes the account may see: every quote for the buyer who posted it,
     * its own companies' quotes for a supplier. NOT_FOUND for anyone the request does not reach.
     */
    async get(auth: AuthState, id: string, sort: QuoteSort = 'price') {
      const at = clock();
      const { viewer, eligible } = await scopeOf(auth);
      const row = await repo.findVisibleRfq(db, id, viewer);
      if (!row) throw new AppError('NOT_FOUND');
      const rfq = toRfqView(row, auth.accountId, at);
      const rows = rfq.isMine ? await repo.listQuotesForBuyer(db, id, auth.accountId) : await repo.listQuotesOfCompanies(db, id, viewer.companyIds);
      const quotingCompanies: QuotingCompany[] = rfq.isMine
        ? []
        : eligible.filter((c) => c.industries.includes(row.industryId)).map(({ id: companyId, nameZh, nameEn }) => ({ id: companyId, nameZh, nameEn }));
      return { rfq, quotes: sortQuotes(await quoteViews(db, rows, row, at), sort), quotingCompanies };
    },

    /** Every quote on the account's own request, for comparison; NOT_FOUND for anyone else. */
    async listQuotes(auth: AuthState, id: string, sort: QuoteSort = 'price'): Promise<QuoteView[]> {
      const row = await repo.findOwnRfq(db, id, auth.accountId);
      if (!row) throw new AppError('NOT_FOUND');
      return sortQuotes(await quoteViews(db, await repo.listQuotesForBuyer(db, id, auth.accountId), row, clock()), sort);
    },

    /**
     * Sends a company's quote, or revises it while the buyer has not decided. Refused after the
     * deadline, once the buyer decided, and for a new company once `maxQuotes` have quoted.
     */
    async sendQuote(auth: AuthState, id: string, input: QuoteInput, locale: Locale): Promise<{ quote: QuoteView; isRevision: boolean }> {
      const at = clock();
      const today = shanghaiDate(at);
      const { viewer, eligible } = await scopeOf(auth);
      const row = await repo.findVisibleRfq(db, id, viewer);
      if (!row) throw new AppError('NOT_FOUND');
      if (row.buyerAccountId === auth.accountId) throw new AppError('FORBIDDEN', { messageKey: 'rfq.error.ownRequest' });
      if (input.validUntil < today || input.validUntil > addDays(today, maxValidityDays)) {
        throw new AppError('VALIDATION_FAILED', { fields: { validUntil: 'rfq.error.validUntilRange' } });
      }
      const quoting = eligible.filter((c) => c.industries.includes(row.industryId));
      const company = input.companyId ? quoting.find((c) => c.id === input.companyId) : quoting.length === 1 ? quoting[0] : undefined;
      if (!company) {
        if (input.companyId || quoting.length === 0) throw new AppError('FORBIDDEN', { messageKey: 'rfq.error.notEligible' });
        throw new AppError('VALIDATION_FAILED', { fields: { companyId: 'rfq.error.chooseCompany' } });
      }

      const now = at.toISOString();
      const columns = {
        sentBy: auth.accountId,
        currency: input.currency,
        priceTiers: JSON.stringify(input.priceTiers),
        leadTimeDays: input.leadTimeDays,
        validUntil: input.validUntil,
        message: input.message,
        locale,
        updatedAt: now,
      };
      const { isRevision } = await db.transaction().execute(async (trx) => {
        // 1. Lock the request, then read it again: a decision or the 20th quote may have just landed.
        await repo.lockRfq(trx, id);
        const current = (await repo.findRfq(trx, id))!;
        if (current.status !== 'open') throw new AppError('CONFLICT', { messageKey: 'rfq.error.decided' });
        if (current.expiresAt <= now) throw new AppError('CONFLICT', { messageKey: 'rfq.error.expired' });
        // 2. A company's second quote revises its first, unless the buyer already answered it.
        const existing = await repo.findCompanyQuote(trx, id, company.id);
        if (existing) {
          if (existing.status !== 'sent') throw new AppError('CONFLICT', { messageKey: 'rfq.error.decided' });
          await repo.updateQuote(trx, existing.id, columns);
          await deps.telemetry.record(trx, auth.accountId, 'quote.sent', { type: 'rfq-quote', id: existing.id });
          return { quoteId: existing.id, isRevision: true };
        }
        // 3. A new company takes one of the places.
        if (current.quoteCount >= maxQuotes) throw new AppError('CONFLICT', { messageKey: 'rfq.error.full', params: { max: maxQuotes } });
        const newId = randomUUID();
        await repo.updateRfq(trx, id, { quoteCount: current.quoteCount + 1, updatedAt: now });
        await repo.insertQuote(trx, { id: newId, rfqId: id, companyId: company.id, status: 'sent', createdAt: now, decidedAt: null, ...columns });
        await deps.telemetry.record(trx, auth.accountId, 'quote.sent', { type: 'rfq-quote', id: newId });
        if (current.buyerAccountId) {
          await deps.notices.notify(trx, current.buyerAccountId, { kind: 'rfq.quote.received', params: { product: current.productName }, link: `/rfq/${id}` });
        }
        return { quoteId: newId, isRevision: false };
      });
      const saved = (await repo.findCompanyQuote(db, id, company.id))!;
      const [quote] = await quoteViews(db, [saved], row, at);
      return { quote: quote!, isRevision };
    },

    /**
     * The buyer accepts one quote: it opens an inquiry thread with that supplier, and every other
     * company that quoted is told (notice and mail) that the buyer chose another offer.
     */
    async accept(auth: AuthState, id: string, quoteId: string, locale: Locale): Promise<{ rfq: RfqView; threadId: string }> {
      const at = clock();
      const today = shanghaiDate(at);
      const own = await repo.findQuoteForBuyer(db, id, quoteId, auth.accountId);
      if (!own) throw new AppError('NOT_FOUND');
      const startThread = deps.startThread;
      if (!startThread) throw new AppError('UNAVAILABLE', { messageKey: 'rfq.error.threadsUnavailable' });
      const now = at.toISOString();
      const t = deps.translator(locale);

      const threadId = await db.transaction().execute(async (trx) => {
        // 1. Lock and read again: a second click or a revision may have just landed.
        await repo.lockRfq(trx, id);
        const rfq = (await repo.findRfq(trx, id))!;
        if (rfq.status !== 'open') throw new AppError('CONFLICT', { messageKey: 'rfq.error.decided' });
        const quotes = await repo.listQuotesForBuyer(trx, id, auth.accountId);
        const chosen = quotes.find((q) => q.id === quoteId)!;
        if (chosen.validUntil < today) throw new AppError('CONFLICT', { messageKey: 'rfq.error.quoteExpired' });
        const [view] = await quoteViews(trx, [chosen], rfq, at);

        // 2. The thread, in the buyer's words, quoting the offer accepted.
        const unit = t(`products.unit.${rfq.unit}`);
        const price = view!.unitPrice ?? view!.priceTiers[0]?.price ?? '';
        const { threadId: opened } = await startThread(trx, {
          buyerAccountId: auth.accountId,
          companyId: chosen.companyId,
          productId: null,
          subject: t('rfq.thread.subject', { product: rfq.productName }),
          message: t('rfq.thread.message', {
            product: rfq.productName,
            quantity: rfq.quantity,
            unit,
            currency: chosen.currency,
            price,
            leadTime: chosen.leadTimeDays,
            validUntil: chosen.validUntil,
          }),
          quantity: rfq.quantity,
          unit: rfq.unit,
          origin: 'rfq',
          originId: id,
        });

        // 3. The decision, on the request and on every quote.
        await repo.updateRfq(trx, id, { status: 'awarded', acceptedQuoteId: quoteId, threadId: opened, decidedAt: now, updatedAt: now });
        for (const quote of quotes) {
          await repo.updateQuote(trx, quote.id, { status: quote.id === quoteId ? 'accepted' : 'declined', decidedAt: now });
        }

        // 4. Everyone who quoted hears of it; the others politely, by notice and by mail.
        for (const quote of quotes) {
          if (quote.id === quoteId) {
            for (const recipient of await repo.listQuoteRecipients(trx, quote.companyId, quote.sentBy)) {
              // The chosen supplier goes straight to the new thread.
              await deps.notices.notify(trx, recipient.id, { kind: 'rfq.quote.accepted', params: { product: rfq.productName }, link: `/messages/${opened}` });
            }
          } else {
            await tellNotChosen(trx, rfq, quote, 'declined');
          }
        }
        return opened;
      });
      deps.onMailQueued?.();
      const row = (await repo.findRfq(db, id))!;
      return { rfq: toRfqView(row, auth.accountId, clock()), threadId };
    },
    /**
     * The buyer closes an open request without choosing (bought elsewhere, no longer needed):
     * no more quotes, and every company that quoted is told, by notice and by mail.
     */
    async close(auth: AuthState, id: string): Promise<RfqView> {
      const own = await repo.findOwnRfq(db, id, auth.accountId);
      if (!own) throw new AppError('NOT_FOUND');
      const now = clock().toISOString();
      await db.transaction().execute(async (trx) => {
        // Lock and read again: an acceptance may have just landed.
        await repo.lockRfq(trx, id);
        const rfq = (await repo.findRfq(trx, id))!;
        if (rfq.status !== 'open') throw new AppError('CONFLICT', { messageKey: 'rfq.error.decided' });
        await repo.updateRfq(trx, id, { status: 'closed', decidedAt: now, updatedAt: now });
        for (const quote of await repo.listQuotesForBuyer(trx, id, auth.accountId)) {
          await repo.updateQuote(trx, quote.id, { status: 'declined', decidedAt: now });
          await tellNotChosen(trx, rfq, quote, 'closed');
        }
      });
      deps.onMailQueued?.();
      return toRfqView((await repo.findRfq(db, id))!, auth.accountId, clock());
    },

    /**
     * Deletes requests completed more than 3 years ago, with their quotes (the declared retention
     * of trade records): completed when decided, or at the deadline of one left open. In batches;
     * answers how many requests went. The inquiry thread an award opened keeps its own retention.
     */
    async deleteExpired(at: Date = clock()): Promise<number> {
      const before = cutoffBefore(at, { years: 3 });
      return inBatches(async (limit) => {
        const ids = (await repo.listCompletedBefore(db, before, limit)).map((r) => r.id);
        if (ids.length > 0) await db.transaction().execute((trx) => repo.deleteRfqs(trx, ids));
        return ids.length;
      });
    },
  };
}

export type RfqService = ReturnType<typeof createRfqService>;
