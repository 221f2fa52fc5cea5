import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { supportPages, type SupportPagesOptions } from './pages.js';
import { supportRoutes } from './routes.js';

export {
  createSupportService,
  canHandleSupport,
  referenceIn,
  answerWithinWorkingDays,
  anonymousSender,
  type SupportService,
  type InboundMail,
} from './service.js';
export { supportMigrations, supportTopics, type SupportTables, type SupportTopic } from './tables.js';
export { supportDataMap, supportProvider } from './personal-data.js';
export { supportMessages } from './messages.js';
export { startInboundMail, readInboundMail, defaultMaxBytes, type InboundMailOptions, type InboundMailServer } from './inbound-mail.js';

/**
 * Communications sent to the site (statement item S5): the contact form at /contact, the
 * sender's own tickets at /account/support, the support staff's queue at /staff/support, and
 * their JSON API. Mail to the site's addresses arrives through `startInboundMail`. Registered
 * after the accounts module, whose hook sets `auth`.
 */
export const supportModule = fp(
  async (app: FastifyInstance, options: SupportPagesOptions) => {
    await app.register(supportPages, options);
    await app.register(supportRoutes, options);
  },
  { name: 'silkline-support', dependencies: ['silkline-request-context', 'silkline-accounts'] },
);
