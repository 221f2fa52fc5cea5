import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../platform/http/api.js';
import { isSameOriginRequest } from '../../platform/http/csrf.js';
import { AppError } from '../../platform/http/errors.js';
import { hasConsent } from '../consent/index.js';
import { visitIdOf } from './visit-cookie.js';
import type { AnalyticsService } from './service.js';

/** What the island sends: the page's path and, when on this site, the path it came from. */
const beaconInput = z.object({
  path: z.string().min(1).max(2000),
  ref: z.string().max(2000).optional(),
});

/** The page-view beacon. */
export async function analyticsRoutes(app: FastifyInstance, { analytics }: { analytics: AnalyticsService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/beacon', {
    schema: {
      tags: ['analytics'],
      summary: 'Count a page view (sent by navigator.sendBeacon from this site’s pages)',
      description:
        'Counted only when this browser or account consents to analytics; the answer is 204 either way and sets no cookie. ' +
        'Takes no CSRF token (a beacon cannot send a header, and it changes no one’s state); it must come from this site (Sec-Fetch-Site or Origin).',
      consumes: ['application/x-www-form-urlencoded', 'application/json'],
      body: beaconInput,
      response: { 204: z.null(), ...errorResponses },
    },
    // Per address: a page sends one beacon, so this is far above any real reading pace.
    config: { csrf: false, rateLimit: { max: 120, timeWindow: 60_000 } },
  }, async (request, reply) => {
    // 1. In place of the CSRF token: only this site's own pages may count.
    if (!isSameOriginRequest(request)) throw new AppError('CSRF_INVALID');
    // 2. The server checks consent itself too, whatever the page's script decided; the answer
    //    is the same either way, so it tells nobody what the browser chose.
    if (await hasConsent(request, 'analytics')) {
      await analytics.countView({ path: request.body.path, referrerPath: request.body.ref, visitId: visitIdOf(request) });
    }
    return reply.status(204).header('cache-control', 'no-store').send(null);
  });
}
