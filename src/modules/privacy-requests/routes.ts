import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import { privacyReplyInput, privacyRequestInput, queueQuery, requestParams } from './schema.js';
import type { PrivacyReplyView, PrivacyRequestsService, PrivacyRequestView } from './service.js';
import { privacyRequestStatuses, privacyTopics } from './tables.js';

const receiptSchema = z.object({ reference: z.string(), dueOn: z.string() });
const requestSchema = z.object({
  id: z.string(),
  reference: z.string(),
  email: z.string(),
  isFromAccount: z.boolean(),
  topic: z.enum(privacyTopics),
  message: z.string(),
  locale: z.string(),
  status: z.enum(privacyRequestStatuses),
  dueOn: z.string(),
  isOverdue: z.boolean(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
const replySchema = z.object({ id: z.string(), body: z.string(), sentAt: z.string() });
const queueSchema = z.object({ items: z.array(requestSchema), page: z.number(), pages: z.number(), total: z.number() });

/** The presenter: what the API shows of a request (no account or staff ids), never the row. */
function present(r: PrivacyRequestView): z.infer<typeof requestSchema> {
  return {
    id: r.id,
    reference: r.reference,
    email: r.email,
    isFromAccount: r.accountId !== null,
    topic: r.topic,
    message: r.message,
    locale: r.locale,
    status: r.status,
    dueOn: r.dueOn,
    isOverdue: r.isOverdue,
    createdAt: r.createdAt,
    answeredAt: r.answeredAt,
    closedAt: r.closedAt,
  };
}

function presentReply(r: PrivacyReplyView): z.infer<typeof replySchema> {
  return { id: r.id, body: r.body, sentAt: r.sentAt };
}

/** The privacy requests JSON API: anyone may send one; officers list, answer and close them. */
export async function privacyRequestRoutes(app: FastifyInstance, { privacyRequests }: { privacyRequests: PrivacyRequestsService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/privacy/requests', {
    config: { rateLimit: { max: 5, timeWindow: 3600_000 } },
    schema: {
      tags: ['privacy'],
      summary: 'Send a personal information request or complaint; answered within 15 PRC working days',
      description: 'Signed-in senders are answered at their account email and `email` is ignored; visitors must give one.',
      security: [{ csrf: [] }],
      body: privacyRequestInput,
      response: { 201: receiptSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const receipt = await privacyRequests.submit(request.auth, request.body, request.locale);
    return reply.status(201).send(receipt);
  });

  api.get('/api/staff/privacy/requests', {
    schema: {
      tags: ['privacy'],
      summary: 'Requests not yet closed, soonest due first, 20 a page (privacy officers and admins)',
      security: sessionSecurity,
      querystring: queueQuery,
      response: { 200: queueSchema, ...errorResponses },
    },
  }, async (request) => {
    const queue = await privacyRequests.queue(requireAuth(request), request.query.page);
    return { ...queue, items: queue.items.map(present) };
  });

  api.post('/api/staff/privacy/requests/:id/replies', {
    schema: {
      tags: ['privacy'],
      summary: 'Email a reply to the requester and record it; the request becomes answered',
      security: sessionSecurity,
      params: requestParams,
      body: privacyReplyInput,
      response: { 201: replySchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const sent = await privacyRequests.reply(requireAuth(request), request.params.id, request.body);
    return reply.status(201).send(presentReply(sent));
  });

  api.post('/api/staff/privacy/requests/:id/close', {
    schema: {
      tags: ['privacy'],
      summary: 'Close a request',
      security: sessionSecurity,
      params: requestParams,
      response: { 200: requestSchema, ...errorResponses },
    },
  }, async (request) => present(await privacyRequests.close(requireAuth(request), request.params.id)));
}
