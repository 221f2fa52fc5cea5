import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { noticePages } from './pages.js';
import { noticeRoutes } from './routes.js';
import type { NoticesService } from './service.js';

export { createNoticesService, noticesPageSize, type NoticesService, type NoticeInput, type NoticeView } from './service.js';
export { noticesMigrations, noticeKinds, type NoticesTables, type NoticeKind } from './tables.js';
export { noticesDataMap, noticesProvider } from './personal-data.js';
export { noticesMessages } from './messages.js';

/**
 * Serves the notices page and API, and gives every signed-in page its unread count through the
 * platform's generic `viewerExtras`. Registered after the accounts module, whose hook sets `auth`.
 */
export const noticesModule = fp(
  async (app: FastifyInstance, options: { notices: NoticesService }) => {
    // preHandler, not onRequest: only requests that reached a route (past CSRF and rate limits)
    // pay for the count, and the JSON API, which shows no header, skips it.
    app.addHook('preHandler', async (request) => {
      if (!request.auth || request.url.startsWith('/api/')) return;
      request.viewerExtras = { ...request.viewerExtras, unreadNotices: await options.notices.unreadCount(request.auth.accountId) };
    });
    await app.register(noticePages, options);
    await app.register(noticeRoutes, options);
  },
  { name: 'silkline-notices', dependencies: ['silkline-request-context', 'silkline-accounts'] },
);
