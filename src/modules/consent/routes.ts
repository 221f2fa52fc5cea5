import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../platform/http/api.js';
import { consentMethods, isGranted, optionalPurposes, purposes, type OptionalPurpose } from './purposes.js';
import { applyChoice, consentState, type ConsentState } from './request-state.js';
import type { ConsentService } from './service.js';

const purposeMap = z.object(Object.fromEntries(purposes.map((p) => [p, z.boolean()])) as Record<(typeof purposes)[number], z.ZodBoolean>);
const consentSchema = z.object({
  statementVersion: z.string(),
  /** Whether a choice was made under the current statement version. */
  decided: z.boolean(),
  /** The browser sent `Sec-GPC: 1`. */
  gpc: z.boolean(),
  /** Whether each purpose may be used now, with GPC applied. */
  purposes: purposeMap,
});
const consentInput = z
  .object({ purposes: z.object(Object.fromEntries(optionalPurposes.map((p) => [p, z.boolean().optional()])) as Record<OptionalPurpose, z.ZodOptional<z.ZodBoolean>>).strict() })
  .strict();
const historySchema = z.object({
  items: z.array(
    z.object({
      purpose: z.enum(purposes),
      granted: z.boolean(),
      method: z.enum(consentMethods),
      statementVersion: z.string(),
      createdAt: z.string(),
      ipPrefix: z.string(),
      browserClass: z.string(),
    }),
  ),
});

/** The presenter of a request's consent state. */
function present(service: ConsentService, state: ConsentState): z.infer<typeof consentSchema> {
  return {
    statementVersion: service.statementVersion(),
    decided: state.isDecided,
    gpc: state.gpc,
    purposes: Object.fromEntries(purposes.map((p) => [p, isGranted(state.choice, p, state.gpc)])) as z.infer<typeof purposeMap>,
  };
}

const security: Record<string, string[]>[] = [{ session: [] }, {}];

/** The consent JSON API: the choice in force, changing it, and the ledger. */
export async function consentRoutes(app: FastifyInstance, { consent }: { consent: ConsentService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/consent', {
    schema: { tags: ['consent'], summary: 'My consent choices in force (signed in, or this browser)', security, response: { 200: consentSchema, ...errorResponses } },
  }, async (request) => present(consent, await consentState(request)));

  api.put('/api/consent', {
    schema: {
      tags: ['consent'],
      summary: 'Set my consent choices; purposes left out keep their current state',
      description: 'Grants made through the API do not override a Sec-GPC signal; only the banner and the settings page do.',
      security: [{ session: [], csrf: [] }, { csrf: [] }],
      body: consentInput,
      response: { 200: consentSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const before = await consentState(request);
    const grants = Object.fromEntries(
      optionalPurposes.map((p) => [p, request.body.purposes[p] ?? (before.choice ? before.choice[p] !== 'refused' : false)]),
    ) as Record<OptionalPurpose, boolean>;
    await applyChoice(request, reply, grants, 'api');
    return present(consent, await consentState(request));
  });

  api.get('/api/consent/history', {
    schema: { tags: ['consent'], summary: 'My consent ledger, newest first', security, response: { 200: historySchema, ...errorResponses } },
  }, async (request) => {
    const { owner } = await consentState(request);
    const items = owner ? await consent.history(owner) : [];
    return { items: items.map((r) => ({ purpose: r.purpose, granted: r.granted, method: r.method, statementVersion: r.statementVersion, createdAt: r.createdAt, ipPrefix: r.ipPrefix, browserClass: r.browserClass })) };
  });
}
