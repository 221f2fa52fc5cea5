import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import type { BoardItem, QuoteView, RfqView } from './present.js';
import { boardQuery, currencies, pageQuery, quoteInput, quoteParams, rfqInput, rfqParams } from './schema.js';
import type { RfqService } from './service.js';
import { quoteStatuses, rfqStatuses } from './tables.js';

const tags = ['rfq'];

const rfqSchema = z.object({
  id: z.string(),
  productName: z.string(),
  categoryId: z.string(),
  industryId: z.string(),
  quantity: z.number(),
  unit: z.string(),
  specifications: z.string(),
  destination: z.string(),
  deadline: z.string().describe('YYYY-MM-DD, the last day (Asia/Shanghai) quotes are taken'),
  expiresAt: z.string(),
  status: z.enum(rfqStatuses),
  isExpired: z.boolean(),
  isOpenForQuotes: z.boolean(),
  quoteCount: z.number(),
  quotesLeft: z.number(),
  createdAt: z.string(),
  isMine: z.boolean(),
  isBuyerDeleted: z.boolean(),
  acceptedQuoteId: z.string().nullable().describe('The buyer only; null for suppliers'),
  threadId: z.string().nullable().describe('The inquiry thread opened on acceptance; the buyer only'),
});
const boardItemSchema = rfqSchema.extend({ hasQuoted: z.boolean() });
const quoteSchema = z.object({
  id: z.string(),
  rfqId: z.string(),
  company: z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string().nullable(), verified: z.boolean() }),
  currency: z.enum(currencies),
  priceTiers: z.array(z.object({ minQty: z.number(), price: z.string() })),
  leadTimeDays: z.number(),
  validUntil: z.string(),
  message: z.string(),
  status: z.enum(quoteStatuses),
  isValid: z.boolean(),
  minQty: z.number(),
  unitPrice: z.string().nullable().describe('At the requested quantity; null when it is below the first tier'),
  total: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), page: z.number(), pages: z.number(), total: z.number() });
const sortQuery = z.object({ sort: z.enum(['price', 'leadTime', 'newest']).catch('price').default('price') });

/** Presenters: only these fields ever leave the API. */
const present = (r: RfqView): z.infer<typeof rfqSchema> => ({
  id: r.id,
  productName: r.productName,
  categoryId: r.categoryId,
  industryId: r.industryId,
  quantity: r.quantity,
  unit: r.unit,
  specifications: r.specifications,
  destination: r.destination,
  deadline: r.deadline,
  expiresAt: r.expiresAt,
  status: r.status,
  isExpired: r.isExpired,
  isOpenForQuotes: r.isOpenForQuotes,
  quoteCount: r.quoteCount,
  quotesLeft: r.quotesLeft,
  createdAt: r.createdAt,
  isMine: r.isMine,
  isBuyerDeleted: r.isBuyerDeleted,
  acceptedQuoteId: r.acceptedQuoteId,
  threadId: r.threadId,
});
const presentBoardItem = (r: BoardItem): z.infer<typeof boardItemSchema> => ({ ...present(r), hasQuoted: r.hasQuoted });
const presentQuote = (q: QuoteView): z.infer<typeof quoteSchema> => ({
  id: q.id,
  rfqId: q.rfqId,
  company: { id: q.company.id, nameZh: q.company.nameZh, nameEn: q.company.nameEn, verified: q.company.verified },
  currency: q.currency,
  priceTiers: q.priceTiers,
  leadTimeDays: q.leadTimeDays,
  validUntil: q.validUntil,
  message: q.message,
  status: q.status,
  isValid: q.isValid,
  minQty: q.minQty,
  unitPrice: q.unitPrice,
  total: q.total,
  createdAt: q.createdAt,
  updatedAt: q.updatedAt,
});

/** The buying requests JSON API: post and list requests, the supplier board, quotes and the decision. */
export async function rfqRoutes(app: FastifyInstance, { rfq }: { rfq: RfqService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/rfqs', {
    config: { rateLimit: { max: 20, timeWindow: 3600_000 } },
    schema: {
      tags,
      summary: 'Post a buying request; the deadline is from tomorrow to 90 days ahead (Asia/Shanghai)',
      description: 'Verified suppliers with published products in the same industry (the root of the category tree) see it on their board.',
      security: sessionSecurity,
      body: rfqInput,
      response: { 201: rfqSchema, ...errorResponses },
    },
  }, async (request, reply) => reply.status(201).send(present(await rfq.post(requireAuth(request), request.body))));

  api.get('/api/rfqs/mine', {
    schema: { tags, summary: "The account's own buying requests, newest first, 20 a page", security: sessionSecurity, querystring: pageQuery, response: { 200: pageOf(rfqSchema), ...errorResponses } },
  }, async (request) => {
    const list = await rfq.listMine(requireAuth(request), request.query.page);
    return { ...list, items: list.items.map(present) };
  });

  api.get('/api/rfqs/board', {
    schema: {
      tags,
      summary: 'Open buying requests in the industries the account\'s verified companies publish products in, newest first',
      description: '`category` is an industry or a leaf category id. Empty for accounts without such a company.',
      security: sessionSecurity,
      querystring: boardQuery,
      response: { 200: pageOf(boardItemSchema).extend({ isSupplier: z.boolean(), industries: z.array(z.string()) }), ...errorResponses },
    },
  }, async (request) => {
    const board = await rfq.board(requireAuth(request), request.query);
    return { ...board, items: board.items.map(presentBoardItem) };
  });

  api.get('/api/rfqs/:id', {
    schema: {
      tags,
      summary: 'One buying request with the quotes the account may see',
      description: 'The buyer sees every quote; a supplier sees its own companies\' quotes only. 404 for anyone the request does not reach.',
      security: sessionSecurity,
      params: rfqParams,
      querystring: sortQuery,
      response: { 200: z.object({ rfq: rfqSchema, quotes: z.array(quoteSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const found = await rfq.get(requireAuth(request), request.params.id, request.query.sort);
    return { rfq: present(found.rfq), quotes: found.quotes.map(presentQuote) };
  });

  api.post('/api/rfqs/:id/quotes', {
    config: { rateLimit: { max: 60, timeWindow: 3600_000 } },
    schema: {
      tags,
      summary: "Send a company's quote (201), or revise it until the buyer decides (200)",
      description: 'At most 20 companies quote on a request; none after its deadline. `companyId` is needed when the account belongs to several companies that may quote.',
      security: sessionSecurity,
      params: rfqParams,
      body: quoteInput,
      response: { 200: quoteSchema, 201: quoteSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const { quote, isRevision } = await rfq.sendQuote(requireAuth(request), request.params.id, request.body, request.locale);
    return reply.status(isRevision ? 200 : 201).send(presentQuote(quote));
  });

  api.get('/api/rfqs/:id/quotes', {
    schema: {
      tags,
      summary: 'Every quote on the account\'s own request, for comparison (the buyer only)',
      security: sessionSecurity,
      params: rfqParams,
      querystring: sortQuery,
      response: { 200: z.object({ items: z.array(quoteSchema) }), ...errorResponses },
    },
  }, async (request) => ({ items: (await rfq.listQuotes(requireAuth(request), request.params.id, request.query.sort)).map(presentQuote) }));

  api.post('/api/rfqs/:id/quotes/:quoteId/accept', {
    schema: {
      tags,
      summary: 'Accept a quote: opens an inquiry thread with that supplier; the others are told politely',
      security: sessionSecurity,
      params: quoteParams,
      response: { 200: z.object({ rfq: rfqSchema, threadId: z.string() }), ...errorResponses },
    },
  }, async (request) => {
    const { rfq: view, threadId } = await rfq.accept(requireAuth(request), request.params.id, request.params.quoteId, request.locale);
    return { rfq: present(view), threadId };
  });

  api.post('/api/rfqs/:id/close', {
    schema: {
      tags,
      summary: 'Close the account\'s own open request without choosing a quote; every company that quoted is told',
      security: sessionSecurity,
      params: rfqParams,
      response: { 200: z.object({ rfq: rfqSchema }), ...errorResponses },
    },
  }, async (request) => ({ rfq: present(await rfq.close(requireAuth(request), request.params.id)) }));
}
