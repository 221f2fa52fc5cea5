import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { auditPages } from './pages.js';
import type { AuditService } from './service.js';

export {
  createAuditService,
  canReadAudit,
  auditBreaks,
  auditPageSize,
  type AuditService,
  type AuditRecorder,
  type AuditRecordInput,
  type AuditVerification,
  type AuditFilter,
} from './service.js';
export { auditMigrations, auditActions, auditPurposes, genesisHash, type AuditTables, type AuditAction, type AuditPurpose } from './tables.js';
export { canonicalEntry, entryHash } from './chain.js';
export { auditDataMap, auditProvider } from './personal-data.js';
export { auditMessages } from './messages.js';

/**
 * The hash-chained log of staff access to personal data (DESIGN §3): other modules record
 * through `AuditRecorder` inside their own transactions; administrators and privacy officers
 * read it and check its chain at /staff/audit. Registered after the accounts module, whose hook
 * sets `auth`.
 */
export const auditModule = fp(
  async (app: FastifyInstance, options: { audit: AuditService }) => {
    await app.register(auditPages, options);
  },
  { name: 'silkline-audit', dependencies: ['silkline-request-context', 'silkline-accounts'] },
);
