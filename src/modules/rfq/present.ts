import { fromCents, tierFor, toCents, totalOf } from './money.js';
import { maxQuotes, shanghaiDate } from './rules.js';
import type { PriceTier } from './schema.js';
import type { QuoteStatus, RfqQuoteTable, RfqStatus, RfqTable } from './tables.js';

/** A buying request as its viewer sees it; never the raw row. */
export interface RfqView {
  id: string;
  productName: string;
  categoryId: string;
  industryId: string;
  quantity: number;
  unit: string;
  specifications: string;
  destination: string;
  deadline: string;
  expiresAt: string;
  status: RfqStatus;
  /** Still open but past its deadline: no more quotes. */
  isExpired: boolean;
  isOpenForQuotes: boolean;
  quoteCount: number;
  quotesLeft: number;
  createdAt: string;
  /** The viewer posted it. */
  isMine: boolean;
  /** The buyer's account is gone. */
  isBuyerDeleted: boolean;
  /** The buyer's decision; shown to the buyer only (null for suppliers). */
  acceptedQuoteId: string | null;
  threadId: string | null;
}

/** What a quote shows of the company that sent it. */
export interface QuoteCompany {
  id: string;
  nameZh: string;
  nameEn: string | null;
  verified: boolean;
  verifiedAt: string | null;
  verifiedChecks: string[];
}

export interface QuoteView {
  id: string;
  rfqId: string;
  company: QuoteCompany;
  currency: 'CNY' | 'USD';
  priceTiers: PriceTier[];
  leadTimeDays: number;
  validUntil: string;
  message: string;
  status: QuoteStatus;
  /** The offer still holds today (Asia/Shanghai). */
  isValid: boolean;
  /** The smallest order the tiers price. */
  minQty: number;
  /** The unit price at the requested quantity; null when that is below the first tier. */
  unitPrice: string | null;
  /** Unit price × requested quantity; null like `unitPrice`. */
  total: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A company the viewer may quote for on a request. */
export interface QuotingCompany {
  id: string;
  nameZh: string;
  nameEn: string | null;
}

export interface RfqPage<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
}

export type BoardItem = RfqView & { hasQuoted: boolean };

export interface Board extends RfqPage<BoardItem> {
  /** The viewer has a verified company publishing products, so requests may reach them. */
  isSupplier: boolean;
  /** The industries the board covers, for its filter. */
  industries: string[];
}

export type QuoteSort = 'price' | 'leadTime' | 'newest';

/** A buying request as `viewerId` sees it at `at`: the decision only for its buyer. */
export function toRfqView(row: RfqTable, viewerId: string, at: Date): RfqView {
  const isMine = row.buyerAccountId === viewerId;
  const isExpired = row.status === 'open' && row.expiresAt <= at.toISOString();
  return {
    id: row.id,
    productName: row.productName,
    categoryId: row.categoryId,
    industryId: row.industryId,
    quantity: row.quantity,
    unit: row.unit,
    specifications: row.specifications,
    destination: row.destination,
    deadline: row.deadline,
    expiresAt: row.expiresAt,
    status: row.status,
    isExpired,
    isOpenForQuotes: row.status === 'open' && !isExpired && row.quoteCount < maxQuotes,
    quoteCount: row.quoteCount,
    quotesLeft: Math.max(0, maxQuotes - row.quoteCount),
    createdAt: row.createdAt,
    isMine,
    isBuyerDeleted: row.buyerAccountId === null,
    acceptedQuoteId: isMine ? row.acceptedQuoteId : null,
    threadId: isMine ? row.threadId : null,
  };
}

/** Stored tiers, keeping only well-formed ones so a bad row cannot break a page. */
export function parseTiers(json: string): PriceTier[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (t): t is PriceTier => typeof t === 'object' && t !== null && typeof (t as PriceTier).minQty === 'number' && typeof (t as PriceTier).price === 'string',
    );
  } catch {
    return [];
  }
}

/** A quote priced at the request's quantity, as of `at`. */
export function toQuoteView(row: RfqQuoteTable, company: QuoteCompany, quantity: number, at: Date): QuoteView {
  const priceTiers = parseTiers(row.priceTiers);
  const tier = tierFor(priceTiers, quantity);
  return {
    id: row.id,
    rfqId: row.rfqId,
    company,
    currency: row.currency,
    priceTiers,
    leadTimeDays: row.leadTimeDays,
    validUntil: row.validUntil,
    message: row.message,
    status: row.status,
    isValid: row.validUntil >= shanghaiDate(at),
    minQty: priceTiers[0]?.minQty ?? 1,
    unitPrice: tier ? fromCents(toCents(tier.price)) : null,
    total: tier ? totalOf(tier.price, quantity) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Quotes in the order the buyer compares them: cheapest (per currency), quickest or newest first. */
export function sortQuotes(quotes: readonly QuoteView[], sort: QuoteSort): QuoteView[] {
  const byPrice = (a: QuoteView, b: QuoteView) => {
    if (a.currency !== b.currency) return a.currency < b.currency ? -1 : 1;
    if (a.unitPrice === null || b.unitPrice === null) return a.unitPrice === b.unitPrice ? 0 : a.unitPrice === null ? 1 : -1;
    const diff = toCents(a.unitPrice) - toCents(b.unitPrice);
    return diff === 0n ? 0 : diff < 0n ? -1 : 1;
  };
  const compare: Record<QuoteSort, (a: QuoteView, b: QuoteView) => number> = {
    price: (a, b) => byPrice(a, b) || a.leadTimeDays - b.leadTimeDays,
    leadTime: (a, b) => a.leadTimeDays - b.leadTimeDays || byPrice(a, b),
    newest: (a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0),
  };
  return [...quotes].sort(compare[sort]);
}
