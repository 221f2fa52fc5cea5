import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import { perAccount } from './rate-limits.js';
import {
  archiveInput,
  companyParams,
  handlersInput,
  inquiryInput,
  listQuery,
  preferenceInput,
  replyInput,
  reportInput,
  threadParams,
} from './schema.js';
import type { InquiriesService } from './service.js';
import { handlerModes, noticeFrequencies, sides, threadOrigins, threadStatuses } from './tables.js';
import type { MessageView, ThreadView } from './thread-view.js';

const threadSchema = z.object({
  id: z.string(),
  company: z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string().nullable() }),
  buyerName: z.string(),
  product: z.object({ id: z.string().nullable(), title: z.string() }).nullable(),
  subject: z.string(),
  quantity: z.number().nullable(),
  unit: z.string().nullable(),
  targetPrice: z.string().nullable(),
  targetCurrency: z.string().nullable(),
  origin: z.enum(threadOrigins),
  status: z.enum(threadStatuses),
  createdAt: z.string(),
  lastMessageAt: z.string(),
  closedAt: z.string().nullable(),
  side: z.enum(sides),
  isUnread: z.boolean(),
  isArchived: z.boolean(),
});
const messageSchema = z.object({
  id: z.string(),
  side: z.enum(sides),
  authorName: z.string(),
  isMine: z.boolean(),
  body: z.string(),
  createdAt: z.string(),
  attachments: z.array(z.object({ id: z.string(), fileName: z.string(), mime: z.string(), size: z.number(), url: z.string() })),
});
const listSchema = z.object({ items: z.array(threadSchema), page: z.number(), pages: z.number(), total: z.number() });
const unreadSchema = z.object({ buyer: z.number(), supplier: z.number(), total: z.number() });
const preferenceSchema = z.object({ frequency: z.enum(noticeFrequencies) });
const handlersSchema = z.object({
  companyId: z.string(),
  mode: z.enum(handlerModes),
  members: z.array(z.object({ accountId: z.string(), contactPerson: z.string(), role: z.enum(['owner', 'admin', 'member']), isHandler: z.boolean(), isNamed: z.boolean() })),
});

/** The presenter of a thread for the API: the view as it is, with the viewer's side always set. */
function present(t: ThreadView): z.infer<typeof threadSchema> {
  return {
    id: t.id,
    company: t.company,
    buyerName: t.buyerName,
    product: t.product,
    subject: t.subject,
    quantity: t.quantity,
    unit: t.unit,
    targetPrice: t.targetPrice,
    targetCurrency: t.targetCurrency,
    origin: t.origin,
    status: t.status,
    createdAt: t.createdAt,
    lastMessageAt: t.lastMessageAt,
    closedAt: t.closedAt,
    side: t.side ?? 'buyer',
    isUnread: t.isUnread,
    isArchived: t.isArchived,
  };
}

function presentMessage(threadId: string, m: MessageView): z.infer<typeof messageSchema> {
  return {
    id: m.id,
    side: m.side,
    authorName: m.authorName,
    isMine: m.isMine,
    body: m.body,
    createdAt: m.createdAt,
    attachments: m.attachments.map((a) => ({ ...a, url: `/messages/${threadId}/attachments/${a.id}` })),
  };
}


/** The inquiries and message-centre JSON API. Attachments are sent only through the form. */
export async function inquiryRoutes(app: FastifyInstance, { inquiries }: { inquiries: InquiriesService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['inquiries'];

  api.post('/api/inquiries', {
    config: { rateLimit: perAccount(10, 60_000) },
    schema: {
      tags,
      summary: 'Send an inquiry to a product’s company or to a company; opens a thread',
      description: 'Give `productId` or `companyId`. At most 30 inquiries in 24 hours, and one text to at most 5 companies; never to one’s own company.',
      security: sessionSecurity,
      body: inquiryInput,
      response: { 201: z.object({ threadId: z.string() }), ...errorResponses },
    },
  }, async (request, reply) => {
    const started = await inquiries.send(requireAuth(request), request.body, [], request.locale);
    return reply.status(201).send(started);
  });

  api.get('/api/threads', {
    schema: {
      tags,
      summary: 'The signed-in person’s threads on one side (`box`), inbox or archive, optionally searched; 20 a page',
      security: sessionSecurity,
      querystring: listQuery,
      response: { 200: listSchema, ...errorResponses },
    },
  }, async (request) => {
    const list = await inquiries.list(requireAuth(request), request.query);
    return { ...list, items: list.items.map(present) };
  });

  api.get('/api/threads/:id', {
    schema: {
      tags,
      summary: 'One thread with its messages, oldest first; marks it read. 404 unless the caller is part of it',
      security: sessionSecurity,
      params: threadParams,
      response: { 200: z.object({ thread: threadSchema, messages: z.array(messageSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const { thread, messages } = await inquiries.get(requireAuth(request), request.params.id);
    return { thread: present(thread), messages: messages.map((m) => presentMessage(thread.id, m)) };
  });

  api.post('/api/threads/:id/messages', {
    config: { rateLimit: perAccount(30, 60_000) },
    schema: {
      tags,
      summary: 'Reply in a thread; 409 once it is closed',
      security: sessionSecurity,
      params: threadParams,
      body: replyInput,
      response: { 201: messageSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const message = await inquiries.reply(requireAuth(request), request.params.id, request.body, [], request.locale);
    return reply.status(201).send(presentMessage(request.params.id, message));
  });

  api.post('/api/threads/:id/close', {
    schema: { tags, summary: 'Close a thread for both sides', security: sessionSecurity, params: threadParams, response: { 200: threadSchema, ...errorResponses } },
  }, async (request) => present(await inquiries.close(requireAuth(request), request.params.id)));

  api.post('/api/threads/:id/archive', {
    schema: {
      tags,
      summary: 'Archive a thread for the caller only (`archived: false` brings it back); a new message brings it back too',
      security: sessionSecurity,
      params: threadParams,
      body: archiveInput.optional(),
      response: { 200: threadSchema, ...errorResponses },
    },
  }, async (request) => present(await inquiries.archive(requireAuth(request), request.params.id, request.body?.archived ?? true)));

  api.post('/api/threads/:id/report', {
    config: { rateLimit: perAccount(10, 3600_000) },
    schema: {
      tags,
      summary: 'Report a thread to the staff; reporting it again while the report is open changes nothing',
      security: sessionSecurity,
      params: threadParams,
      body: reportInput,
      response: { 201: z.object({ reportId: z.string() }), ...errorResponses },
    },
  }, async (request, reply) => reply.status(201).send(await inquiries.report(requireAuth(request), request.params.id, request.body)));

  api.get('/api/messages/unread', {
    config: { rateLimit: perAccount(120, 60_000) },
    schema: {
      tags,
      summary: 'How many threads have messages the signed-in person has not read, per side',
      security: sessionSecurity,
      response: { 200: unreadSchema, ...errorResponses },
    },
  }, async (request) => inquiries.unread(requireAuth(request).accountId));

  api.get('/api/messages/settings', {
    schema: { tags, summary: 'How the signed-in person hears of new messages by email', security: sessionSecurity, response: { 200: preferenceSchema, ...errorResponses } },
  }, async (request) => inquiries.preference(requireAuth(request)));

  api.put('/api/messages/settings', {
    schema: {
      tags,
      summary: 'Hear of new messages immediately, in a daily digest, or never',
      security: sessionSecurity,
      body: preferenceInput,
      response: { 200: preferenceSchema, ...errorResponses },
    },
  }, async (request) => inquiries.setPreference(requireAuth(request), request.body, request.locale));

  api.get('/api/companies/:id/inquiry-handlers', {
    schema: {
      tags,
      summary: 'Who handles the company’s inquiries (owner and admins)',
      security: sessionSecurity,
      params: companyParams,
      response: { 200: handlersSchema, ...errorResponses },
    },
  }, async (request) => inquiries.handlerSettings(requireAuth(request), request.params.id));

  api.put('/api/companies/:id/inquiry-handlers', {
    schema: {
      tags,
      summary: 'Choose who handles the company’s inquiries: every member, or the owner and named members',
      security: sessionSecurity,
      params: companyParams,
      body: handlersInput,
      response: { 200: handlersSchema, ...errorResponses },
    },
  }, async (request) => inquiries.setHandlers(requireAuth(request), request.params.id, request.body));
}
