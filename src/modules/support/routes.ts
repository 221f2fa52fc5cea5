import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import { pageQuery, supportTicketInput, ticketParams } from './schema.js';
import { anonymousSender, type SupportMessageView, type SupportService, type SupportTicketView } from './service.js';
import { supportTopics, ticketStatuses } from './tables.js';

const receiptSchema = z.object({ id: z.string(), reference: z.string(), dueOn: z.string() });
const ticketSchema = z.object({
  id: z.string(),
  reference: z.string(),
  channel: z.enum(['web', 'email']),
  topic: z.enum(supportTopics),
  subject: z.string().nullable(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  status: z.enum(ticketStatuses),
  dueOn: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});
const messageSchema = z.object({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  body: z.string(),
  attachmentCount: z.number(),
  attachments: z.array(z.string()),
  createdAt: z.string(),
});
const listSchema = z.object({ items: z.array(ticketSchema), page: z.number(), pages: z.number(), total: z.number() });
const threadSchema = z.object({ ticket: ticketSchema, messages: z.array(messageSchema) });

/** The presenter: what a sender sees of their ticket (no account, staff or routing details), never the row. */
function present(t: SupportTicketView): z.infer<typeof ticketSchema> {
  return {
    id: t.id,
    reference: t.reference,
    channel: t.channel,
    topic: t.topic,
    subject: t.subject,
    email: t.email === anonymousSender ? null : t.email,
    name: t.name,
    status: t.status,
    dueOn: t.dueOn,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    closedAt: t.closedAt,
  };
}

function presentMessage(m: SupportMessageView): z.infer<typeof messageSchema> {
  return { id: m.id, direction: m.direction, body: m.body, attachmentCount: m.attachmentCount, attachments: m.attachments, createdAt: m.createdAt };
}

/** The support JSON API: anyone may write to the site; signed-in people read their own tickets. */
export async function supportRoutes(app: FastifyInstance, { support }: { support: SupportService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/support/tickets', {
    config: { rateLimit: { max: 10, timeWindow: 3600_000 } },
    schema: {
      tags: ['support'],
      summary: 'Write to the site; acknowledged by email and answered within 2 PRC working days',
      description: 'Signed-in senders are answered at their account email and `email` is ignored; visitors must give one. `website` must stay empty.',
      security: [{ csrf: [] }],
      body: supportTicketInput,
      response: { 201: receiptSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const receipt = await support.submit(request.auth, request.body, request.locale);
    return reply.status(201).send(receipt);
  });

  api.get('/api/support/tickets', {
    schema: {
      tags: ['support'],
      summary: 'The signed-in person’s own tickets, most recently active first, 20 a page',
      security: sessionSecurity,
      querystring: pageQuery,
      response: { 200: listSchema, ...errorResponses },
    },
  }, async (request) => {
    const list = await support.listOwn(requireAuth(request), request.query.page);
    return { ...list, items: list.items.map(present) };
  });

  api.get('/api/support/tickets/:id', {
    schema: {
      tags: ['support'],
      summary: 'One of the signed-in person’s own tickets with its messages; 404 for anyone else’s',
      security: sessionSecurity,
      params: ticketParams,
      response: { 200: threadSchema, ...errorResponses },
    },
  }, async (request) => {
    const { ticket, messages } = await support.getOwn(requireAuth(request), request.params.id);
    return { ticket: present(ticket), messages: messages.map(presentMessage) };
  });
}
