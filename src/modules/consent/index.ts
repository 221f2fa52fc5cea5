import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { consentPages } from './pages.js';
import { consentRoutes } from './routes.js';
import { isGranted, purposes } from './purposes.js';
import { consentState, expireRefusedCookies } from './request-state.js';
import type { ConsentService } from './service.js';
import { ConsentBanner } from './views.js';

export { createConsentService, type ConsentService, type ConsentOwner, type ConsentRecordView, type CurrentChoice } from './service.js';
export { consentMigrations, type ConsentTables } from './tables.js';
export { consentDataMap, consentProvider } from './personal-data.js';
export { consentMessages } from './messages.js';
export { currentStatementVersion, useStatementVersion } from './statement-version.js';
export { hasConsent, consentState, type ConsentState } from './request-state.js';
export { purposes, optionalPurposes, purposeCookies, consentCookie, consentIdCookie, type Purpose, type OptionalPurpose, type ConsentMethod } from './purposes.js';

/** Pages that show the banner's choices themselves, or are not for people. */
const noBannerPaths = ['/privacy/', '/assets/', '/api/', '/healthz', '/readyz'];
/** Requests that are not pages, so carry no consent state for the client gate. */
const notPages = ['/assets/', '/api/', '/healthz', '/readyz'];

/**
 * Consent and cookies: the banner on every page until the visitor chooses (through the
 * platform's generic `pageBanner` slot), the settings and history pages, the JSON API, and a
 * gate that expires the cookies of purposes without consent. Registered after accounts, whose
 * hook sets `auth`, so signed-in choices belong to the account.
 */
export const consentModule = fp(
  async (
    app: FastifyInstance,
    options: {
      consent: ConsentService;
      publicUrl: string;
      /** The material change of the statement in effect, if any: the banner links to what changed. */
      statementChange?: () => { effectiveOn: string; href: string } | null;
    },
  ) => {
    app.decorate('consent', options.consent);
    app.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'GET' || noBannerPaths.some((p) => request.url.startsWith(p))) return;
      const state = await consentState(request);
      expireRefusedCookies(request, reply, state);
      // A GPC signal is a choice already (refuse all), so it is not asked again.
      if (!state.isDecided && !state.gpc) {
        const change = options.statementChange?.() ?? null;
        request.pageBanner = (ctx) => ConsentBanner({ ctx, change });
      }
    });
    // The client gate (src/client/consent-gate.ts) reads the purposes in force from the page
    // itself — `<body data-consent="necessary analytics">` — as the CSP allows no inline script.
    app.addHook('preHandler', async (request) => {
      if (request.method !== 'GET' || notPages.some((p) => request.url.startsWith(p))) return;
      const state = await consentState(request);
      const granted = purposes.filter((purpose) => isGranted(state.choice, purpose, state.gpc));
      request.pageData = { ...request.pageData, consent: granted.join(' ') };
    });
    await app.register(consentPages, options);
    await app.register(consentRoutes, options);
  },
  { name: 'silkline-consent', dependencies: ['silkline-request-context', 'silkline-accounts'] },
);
