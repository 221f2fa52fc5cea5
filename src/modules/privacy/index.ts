import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { privacyPages } from './pages.js';
import { privacyRoutes } from './routes.js';
import type { PrivacyService } from './service.js';

export { createPrivacyService, type PrivacyService, type PersonalDataDocument, type HeldSummary, type CancellationBlocker, type CancellationPreview } from './service.js';
export { privacyMessages } from './messages.js';

/** The person's own personal data: 我的个人信息 and its download, and 注销账号 (cancelling the account), pages and API. */
export const privacyModule = fp(
  async (app: FastifyInstance, options: { privacy: PrivacyService }) => {
    await app.register(privacyPages, options);
    await app.register(privacyRoutes, options);
  },
  { name: 'silkline-privacy', dependencies: ['silkline-request-context', 'silkline-accounts'] },
);
