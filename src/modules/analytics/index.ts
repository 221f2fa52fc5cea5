import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasConsent } from '../consent/index.js';
import { analyticsPages } from './pages.js';
import { analyticsRoutes } from './routes.js';
import type { AnalyticsService } from './service.js';
import { visitIdOf } from './visit-cookie.js';

export { createAnalyticsService, visitRetentionDays, countRetentionDays, type AnalyticsService, type PageView } from './service.js';
export { analyticsMigrations, type AnalyticsTables } from './tables.js';
export { analyticsDataMap, analyticsProvider } from './personal-data.js';
export { analyticsMessages } from './messages.js';
export { pagePath } from './page-path.js';
export { visitCookie } from './visit-cookie.js';

/** Requests that are not pages. */
const notPages = ['/assets/', '/api/', '/healthz', '/readyz'];

/**
 * First-party, consent-gated analytics (statement item S11): the island on every page that
 * sends a page-view beacon only while the visitor consents, the beacon endpoint that checks
 * consent again, and the staff report at /staff/analytics. Registered after the consent module.
 */
export const analyticsModule = fp(
  async (app: FastifyInstance, options: { analytics: AnalyticsService }) => {
    // Every page loads the island; the client consent gate keeps it idle without consent.
    app.addHook('preHandler', async (request) => {
      if (request.method !== 'GET' || notPages.some((p) => request.url.startsWith(p))) return;
      request.pageScripts = [...(request.pageScripts ?? []), 'analytics'];
    });
    // A browser that still sends its visit id without consent (it refused, withdrew, or sends
    // GPC) has its visit events deleted; the consent module expires the cookie itself.
    app.addHook('onSend', async (request, _reply, payload) => {
      const visitId = visitIdOf(request);
      if (!visitId || request.url.startsWith('/assets/')) return payload;
      try {
        if (!(await hasConsent(request, 'analytics'))) await options.analytics.forgetVisit(visitId);
      } catch (error) {
        request.log.warn({ err: error }, 'analytics visit events not deleted');
      }
      return payload;
    });
    await app.register(analyticsRoutes, options);
    await app.register(analyticsPages, options);
  },
  { name: 'silkline-analytics', dependencies: ['silkline-request-context', 'silkline-consent'] },
);
