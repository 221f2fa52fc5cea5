import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import { subscriptionInput, subscriptionParams, subscriptionUpdate } from './schema.js';
import type { SubscriptionsService, SubscriptionSummary, SubscriptionView } from './service.js';
import { alertFrequencies, subscriptionStatuses } from './tables.js';

const viewSchema = z.object({
  id: z.string(),
  name: z.string(),
  keyword: z.string().nullable(),
  category: z.string().nullable(),
  province: z.string().nullable(),
  companyId: z.string().nullable(),
  /** The company's names while it is public; null otherwise. */
  company: z.object({ nameZh: z.string(), nameEn: z.string().nullable() }).nullable(),
  status: z.enum(subscriptionStatuses),
  frequency: z.enum(alertFrequencies),
  seenAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const summarySchema = viewSchema.extend({ newCount: z.number(), hasMoreNew: z.boolean() });

/** The presenter: the same field names the API takes, never the row's own. */
function present(s: SubscriptionView): z.infer<typeof viewSchema> {
  return {
    id: s.id,
    name: s.name,
    keyword: s.keyword,
    category: s.categoryId,
    province: s.provinceCode,
    companyId: s.companyId,
    company: s.company,
    status: s.status,
    frequency: s.frequency,
    seenAt: s.seenAt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

const presentSummary = (s: SubscriptionSummary): z.infer<typeof summarySchema> => ({ ...present(s), newCount: s.newCount, hasMoreNew: s.hasMoreNew });

const perAccount = (request: FastifyRequest) => request.auth?.accountId ?? request.ip;

/** The subscriptions JSON API: the signed-in person's own subscriptions only. */
export async function subscriptionsRoutes(app: FastifyInstance, { subscriptions }: { subscriptions: SubscriptionsService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['subscriptions'];
  const writeLimit = { rateLimit: { max: 120, timeWindow: 3600_000, keyGenerator: perAccount } };

  api.get('/api/subscriptions', {
    schema: {
      tags,
      summary: 'The signed-in person’s subscriptions, oldest first, each with how many matching products are new since they last looked',
      security: sessionSecurity,
      response: { 200: z.object({ items: z.array(summarySchema) }), ...errorResponses },
    },
  }, async (request) => ({ items: (await subscriptions.list(requireAuth(request))).map(presentSummary) }));

  api.post('/api/subscriptions', {
    config: writeLimit,
    schema: {
      tags,
      summary: 'Subscribe to new products matching one or more criteria (keyword, category, supplier province, company)',
      description: 'At most 20 per person. Without a name, the subscription is named after its criteria. Email alerts (`frequency`) list up to 10 new products per subscription and are sent only when there is something new.',
      security: sessionSecurity,
      body: subscriptionInput,
      response: { 201: viewSchema, ...errorResponses },
    },
  }, async (request, reply) => reply.status(201).send(present(await subscriptions.create(requireAuth(request), request.body, request.locale))));

  api.get('/api/subscriptions/:id', {
    schema: { tags, summary: 'One of the signed-in person’s subscriptions', security: sessionSecurity, params: subscriptionParams, response: { 200: viewSchema, ...errorResponses } },
  }, async (request) => present(await subscriptions.get(requireAuth(request), request.params.id)));

  api.put('/api/subscriptions/:id', {
    config: writeLimit,
    schema: {
      tags,
      summary: 'Change one of the signed-in person’s subscriptions; `status` pauses or resumes it',
      security: sessionSecurity,
      params: subscriptionParams,
      body: subscriptionUpdate,
      response: { 200: viewSchema, ...errorResponses },
    },
  }, async (request) => present(await subscriptions.update(requireAuth(request), request.params.id, request.body, request.locale)));

  api.delete('/api/subscriptions/:id', {
    config: writeLimit,
    schema: {
      tags,
      summary: 'Delete one of the signed-in person’s subscriptions',
      security: sessionSecurity,
      params: subscriptionParams,
      response: { 200: z.object({ id: z.string(), deleted: z.literal(true) }), ...errorResponses },
    },
  }, async (request) => {
    await subscriptions.remove(requireAuth(request), request.params.id);
    return { id: request.params.id, deleted: true as const };
  });
}
