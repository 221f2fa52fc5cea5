import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { privacyRequestPages } from './pages.js';
import { privacyRequestRoutes } from './routes.js';
import type { PrivacyRequestsService } from './service.js';

export {
  createPrivacyRequestsService,
  canHandlePrivacyRequests,
  answerWithinWorkingDays,
  type PrivacyRequestsService,
  type PrivacyRequestView,
} from './service.js';
export { privacyRequestsMigrations, privacyTopics, type PrivacyRequestsTables, type PrivacyTopic } from './tables.js';
export { privacyRequestsDataMap, privacyRequestsProvider } from './personal-data.js';
export { deleteExpiredPrivacyRequests } from './retention.js';
export { privacyRequestsMessages } from './messages.js';

/**
 * The privacy contact channel (statement item S21): the public form at /privacy/contact, the
 * officers' queue at /staff/privacy, and their JSON API. Registered after the accounts module,
 * whose hook sets `auth`.
 */
export const privacyRequestsModule = fp(
  async (app: FastifyInstance, options: { privacyRequests: PrivacyRequestsService }) => {
    await app.register(privacyRequestPages, options);
    await app.register(privacyRequestRoutes, options);
  },
  { name: 'silkline-privacy-requests', dependencies: ['silkline-request-context', 'silkline-accounts'] },
);
