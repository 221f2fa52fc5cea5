import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { legalPages } from './pages.js';
import type { LegalService } from './service.js';
import { ComingChangesBanner } from './views.js';

export {
  createLegalService,
  canEditLegalDocuments,
  materialNoticeDays,
  firstVersionDate,
  type LegalService,
  type VersionView,
  type ComingChange,
} from './service.js';
export { announceBatchSize } from './announcements.js';
export { legalMigrations, legalDocuments, type LegalTables, type LegalDocument } from './tables.js';
export { legalDataMap, legalProvider } from './personal-data.js';
export { legalMessages } from './messages.js';
export { JitNotice, type CollectedColumn } from './jit-notice.js';
export { missingDataTexts, requiredTextKeys, dataCategories, categoryAnchor, generateDataSection, dataTextKey } from './data-section.js';
export { compareSections, type SectionChange } from './diff.js';
export { parseBlocks, splitSections } from './markdown.js';

/** Paths whose responses are not pages of the site layout. */
const notPages = ['/api/', '/assets/', '/healthz', '/readyz'];

/**
 * Legal documents (statement items S10, S11, S21): the privacy statement and terms in effect,
 * every published version byte for byte, comparisons, the officers' editor at /staff/legal, and
 * the site-wide notice of material changes until they take effect. Registered after the consent
 * module, so its notice joins the cookie banner instead of replacing it.
 */
export const legalModule = fp(
  async (app: FastifyInstance, options: { legal: LegalService }) => {
    const { legal } = options;
    let bannerState = legal.bannerState();
    app.addHook('onRequest', async (request) => {
      if (notPages.some((p) => request.url.startsWith(p))) return;
      await legal.refreshIfStale();
    });
    app.addHook('preHandler', async (request) => {
      if (request.method !== 'GET' || notPages.some((p) => request.url.startsWith(p))) return;
      // A version took effect or a change was published (here or on another instance): the
      // pages rendered once for all visitors carry the old banners, so they are dropped.
      const state = legal.bannerState();
      if (state !== bannerState) {
        bannerState = state;
        app.platform.visitorPages.clear();
      }
      const changes = legal.comingChanges();
      if (changes.length === 0) return;
      const before = request.pageBanner;
      request.pageBanner = (ctx) => [ComingChangesBanner({ ctx, changes }), before ? before(ctx) : null];
      // Visitors who have chosen and those who have not see different banners on the same page.
      request.pageBannerKey = ` legal:${state}${before ? ` and ${request.pageBannerKey || 'another'}` : ''}`;
    });
    await app.register(legalPages, options);
  },
  { name: 'silkline-legal', dependencies: ['silkline-request-context', 'silkline-accounts', 'silkline-consent'] },
);
