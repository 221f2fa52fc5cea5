import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { sendPage } from '../../platform/http/context.js';
import { parseInput } from '../../platform/http/validation.js';
import type { NoticesService } from './service.js';
import * as views from './views.js';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });
const noticeParams = z.object({ id: z.string().min(1).max(64) });

/** Visitors sign in first and come back to their notices. */
function redirectToSignIn(reply: FastifyReply) {
  return reply.redirect('/sign-in?next=/notices', 303);
}

/** The notices page of the signed-in account, with its mark-read forms. */
export async function noticePages(app: FastifyInstance, { notices }: { notices: NoticesService }) {
  app.get('/notices', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(reply);
    const { page } = pageQuery.parse(request.query ?? {});
    const [list, unread] = await Promise.all([notices.list(request.auth.accountId, page), notices.unreadCount(request.auth.accountId)]);
    return sendPage(request, reply, { title: request.t('notices.title') }, (ctx) => (
      <views.NoticesPage ctx={ctx} notices={list} unread={unread} />
    ));
  });

  app.post('/notices/:id/read', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(reply);
    const { id } = parseInput(noticeParams, request.params);
    const { page } = pageQuery.parse(request.body ?? {});
    await notices.markRead(request.auth.accountId, id);
    return reply.redirect(page > 1 ? `/notices?page=${page}` : '/notices', 303);
  });

  app.post('/notices/read-all', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(reply);
    await notices.markAllRead(request.auth.accountId);
    return reply.redirect('/notices', 303);
  });
}
