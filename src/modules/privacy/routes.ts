import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import { clearSessionCookie } from '../accounts/index.js';
import { cancelInput, cancelLimit, downloadInput, downloadLimit, downloadName } from './pages.js';
import { blockerMessage, type PrivacyService } from './service.js';

const heldSchema = z.object({ provider: z.string(), counts: z.record(z.string(), z.number()), total: z.number() });
const documentSchema = z.object({
  format: z.literal('silkline.personal-data.v1'),
  generatedAt: z.string(),
  accountId: z.string(),
  statementUrl: z.string(),
  fields: z.array(z.object({ field: z.string(), category: z.string(), purpose: z.string(), basis: z.string(), retention: z.string(), isSensitive: z.boolean() })),
  records: z.record(z.string(), z.record(z.string(), z.array(z.unknown()))).describe('By module, then by kind of record'),
});

const companyRefSchema = z.object({ companyId: z.string(), companyName: z.string() });
const blockerSchema = z.object({
  code: z.enum(['company-owner', 'last-admin']).describe('Stable: what has to be dealt with before the account can be cancelled'),
  message: z.string().describe('What to do, in the request language'),
  companyId: z.string().optional(),
  companyName: z.string().optional(),
});

/** The person's own personal data and the cancellation of their account through the JSON API. */
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

  api.get('/api/account/cancel', {
    schema: {
      tags,
      summary: 'What cancelling the signed-in account would do now: what blocks it, which companies close, which memberships end',
      security: sessionSecurity,
      response: { 200: z.object({ blockers: z.array(blockerSchema), closing: z.array(companyRefSchema), leaving: z.array(companyRefSchema) }), ...errorResponses },
    },
  }, async (request, reply) => {
    const preview = await privacy.cancellationPreview(requireAuth(request));
    reply.header('cache-control', 'private, no-store');
    return {
      ...preview,
      blockers: preview.blockers.map((b) => ({ ...b, message: request.t(blockerMessage(b), b.code === 'company-owner' ? { company: b.companyName } : {}) })),
    };
  });

  api.post('/api/account/cancel', {
    config: cancelLimit,
    schema: {
      tags,
      summary: 'Cancels the signed-in account at once after the password is confirmed: personal data deleted or anonymised, the session ended; 409 while something blocks it',
      security: sessionSecurity,
      body: cancelInput,
      response: { 200: z.object({ cancelled: z.literal(true) }), ...errorResponses },
    },
  }, async (request, reply) => {
    await privacy.cancelAccount(requireAuth(request), request.body.password, request.locale);
    clearSessionCookie(request, reply);
    return { cancelled: true as const };
  });
}
