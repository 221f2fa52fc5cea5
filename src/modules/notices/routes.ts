import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { NoticesService, NoticeView } from './service.js';
import { noticeKinds } from './tables.js';


const noticeSchema = z.object({
  id: z.string(),
  kind: z.enum(noticeKinds),
  /** The notice in the request's language. */
  text: z.string(),
  params: z.record(z.string(), z.string()),
  link: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
const noticeListSchema = z.object({
  items: z.array(noticeSchema),
  page: z.number(),
  pages: z.number(),
  total: z.number(),
  unread: z.number(),
});


/** The presenter: what the API shows of a notice, never the row itself. */
function present(request: FastifyRequest, notice: NoticeView): z.infer<typeof noticeSchema> {
  return {
    id: notice.id,
    kind: notice.kind,
    text: request.t(`notices.kind.${notice.kind}`, notice.params),
    params: notice.params,
    link: notice.link,
    createdAt: notice.createdAt,
    readAt: notice.readAt,
  };
}

/** The notices JSON API of the signed-in account. */
export async function noticeRoutes(app: FastifyInstance, { notices }: { notices: NoticesService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/me/notices', {
    schema: {
      tags: ['notices'],
      summary: 'My in-site notices, newest first, 20 a page',
      security: sessionSecurity,
      querystring: z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) }),
      response: { 200: noticeListSchema, ...errorResponses },
    },
  }, async (request) => {
    const { accountId } = requireAuth(request);
    const [list, unread] = await Promise.all([notices.list(accountId, request.query.page), notices.unreadCount(accountId)]);
    return { items: list.items.map((n) => present(request, n)), page: list.page, pages: list.pages, total: list.total, unread };
  });

  api.post('/api/me/notices/:id/read', {
    schema: {
      tags: ['notices'],
      summary: 'Mark one of my notices read',
      security: sessionSecurity,
      params: z.object({ id: z.string().min(1).max(64) }),
      response: { 204: z.null(), ...errorResponses },
    },
  }, async (request, reply) => {
    await notices.markRead(requireAuth(request).accountId, request.params.id);
    return reply.status(204).send(null);
  });

  api.post('/api/me/notices/read-all', {
    schema: {
      tags: ['notices'],
      summary: 'Mark all my notices read',
      security: sessionSecurity,
      response: { 200: z.object({ marked: z.number() }), ...errorResponses },
    },
  }, async (request) => ({ marked: await notices.markAllRead(requireAuth(request).accountId) }));
}
