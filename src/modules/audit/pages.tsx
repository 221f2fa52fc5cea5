import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { redirectToSignIn, sendPage, type AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { canReadAudit, type AuditFilter, type AuditService, type AuditVerification } from './service.js';
import { auditActions } from './tables.js';
import * as views from './views.js';

// Filters that make no sense are dropped rather than refused: the page still shows the log.
const auditQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
  actor: z.string().trim().regex(/^[0-9A-Za-z-]{1,36}$/).optional().catch(undefined),
  action: z.enum(auditActions).optional().catch(undefined),
});

/** Readers only: visitors are sent to sign in (null), other accounts get 403. */
function reader(request: FastifyRequest, reply: FastifyReply): AuthState | null {
  if (!request.auth) {
    redirectToSignIn(request, reply);
    return null;
  }
  if (!canReadAudit(request.auth)) throw new AppError('FORBIDDEN');
  return request.auth;
}

/** The audit log at /staff/audit, for administrators and privacy officers, with its chain check. */
export async function auditPages(app: FastifyInstance, { audit }: { audit: AuditService }) {
  const logPage = async (request: FastifyRequest, reply: FastifyReply, verification: AuditVerification | null) => {
    const query = auditQuery.parse(request.query ?? {});
    const filter: AuditFilter = { actorId: query.actor, action: query.action };
    const list = await audit.list(filter, query.page);
    return sendPage(request, reply, { title: request.t('audit.title') }, (ctx) => (
      <views.AuditLogPage ctx={ctx} list={list} filter={filter} verification={verification} />
    ));
  };

  app.get('/staff/audit', async (request, reply) => {
    if (!reader(request, reply)) return reply;
    return logPage(request, reply, null);
  });

  // A POST, so prefetching or crawling never starts a walk of the whole chain.
  app.post('/staff/audit/verify', async (request, reply) => {
    if (!reader(request, reply)) return reply;
    return logPage(request, reply, await audit.verify());
  });
}
