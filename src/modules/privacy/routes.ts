import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import { downloadInput, downloadLimit, downloadName } from './pages.js';
import type { PrivacyService } from './service.js';

const heldSchema = z.object({ provider: z.string(), counts: z.record(z.string(), z.number()), total: z.number() });
const documentSchema = z.object({
  format: z.literal('silkline.personal-data.v1'),
  generatedAt: z.string(),
  accountId: z.string(),
  statementUrl: z.string(),
  fields: z.array(z.object({ field: z.string(), category: z.string(), purpose: z.string(), basis: z.string(), retention: z.string(), isSensitive: z.boolean() })),
  records: z.record(z.string(), z.record(z.string(), z.array(z.unknown()))).describe('By module, then by kind of record'),
});

/** The person's own personal data through the JSON API. */
export async function privacyRoutes(app: FastifyInstance, { privacy }: { privacy: PrivacyService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['privacy'];

  api.get('/api/account/personal-data', {
    schema: {
      tags,
      summary: 'How many records of each kind every module holds about the signed-in person',
      security: sessionSecurity,
      response: { 200: z.object({ items: z.array(heldSchema) }), ...errorResponses },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'private, no-store');
    return { items: await privacy.summary(requireAuth(request)) };
  });

  api.post('/api/account/personal-data/download', {
    config: downloadLimit,
    schema: {
      tags,
      summary: 'Everything held about the signed-in person, after the password is confirmed; the person is told by mail',
      security: sessionSecurity,
      body: downloadInput,
      response: { 200: documentSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const document = await privacy.download(requireAuth(request), request.body.password, request.locale);
    reply.header('cache-control', 'private, no-store').header('content-disposition', `attachment; filename="${downloadName(document)}"`);
    return document;
  });
}
