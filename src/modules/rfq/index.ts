import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { rfqPages } from './pages.js';
import { rfqRoutes } from './routes.js';
import type { RfqService } from './service.js';

export { createRfqService, type RfqService, type RfqDeps, type StartThread } from './service.js';
export { maxQuotes, maxRequestsPerDay, maxDeadlineDays } from './rules.js';
export type { RfqView, QuoteView, Board } from './present.js';
export { rfqMigrations, rfqStatuses, quoteStatuses, type RfqTables } from './tables.js';
export { rfqDataMap, rfqProvider } from './personal-data.js';
export { rfqMessages } from './messages.js';

/**
 * Buying requests (RFQ) and quotes (statement item S5): buyers post at /rfq/new and see their own
 * at /rfq/mine; verified suppliers publishing in the request's industry find it on the board at
 * /rfq and quote; the buyer compares and accepts one at /rfq/:id, which opens an inquiry thread.
 * Registered after the accounts module, whose hook sets `auth`.
 */
export const rfqModule = fp(
  async (app: FastifyInstance, options: { rfq: RfqService }) => {
    await app.register(rfqPages, options);
    await app.register(rfqRoutes, options);
  },
  { name: 'silkline-rfq', dependencies: ['silkline-request-context', 'silkline-accounts'] },
);
