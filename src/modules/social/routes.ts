import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import { followingQuery, shareEmailInput, shareInput, target } from './schema.js';
import type { FollowedItem, FollowState, SocialService } from './service.js';
import { targetTypes } from './tables.js';

const stateSchema = z.object({ type: z.enum(targetTypes), id: z.string(), isFollowing: z.boolean(), followers: z.number() });
const itemSchema = z.object({
  type: z.enum(targetTypes),
  id: z.string(),
  followedAt: z.string(),
  /** False when the company or product is no longer public; its name is then not shown. */
  isAvailable: z.boolean(),
  nameZh: z.string().nullable(),
  nameEn: z.string().nullable(),
});
const listSchema = z.object({ type: z.enum(targetTypes), items: z.array(itemSchema), page: z.number(), pages: z.number(), total: z.number() });
const shareSchema = z.object({ url: z.string(), channel: z.enum(['link', 'qr']), isTracked: z.boolean() });

function presentState(t: z.infer<typeof target>, state: FollowState): z.infer<typeof stateSchema> {
  return { type: t.type, id: t.id, isFollowing: state.isFollowing, followers: state.followers };
}

/** The presenter of a follow: names only, never the cards' other fields. */
function presentItem(item: FollowedItem): z.infer<typeof itemSchema> {
  const names =
    item.type === 'company'
      ? item.company && { nameZh: item.company.nameZh, nameEn: item.company.nameEn }
      : item.product && { nameZh: item.product.titleZh, nameEn: item.product.titleEn };
  return { type: item.type, id: item.id, followedAt: item.followedAt, isAvailable: names !== null, nameZh: names?.nameZh ?? null, nameEn: names?.nameEn ?? null };
}

const perAccount = (request: FastifyRequest) => request.auth?.accountId ?? request.ip;

/** The follows and shares JSON API. */
export async function socialRoutes(app: FastifyInstance, { social }: { social: SocialService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['social'];
  const followLimit = { rateLimit: { max: 120, timeWindow: 3600_000, keyGenerator: perAccount } };

  api.post('/api/follows', {
    config: followLimit,
    schema: {
      tags,
      summary: 'Follow a public company or product; following again changes nothing',
      security: sessionSecurity,
      body: target,
      response: { 200: stateSchema, ...errorResponses },
    },
  }, async (request) => presentState(request.body, await social.follow(requireAuth(request), request.body)));

  api.delete('/api/follows', {
    config: followLimit,
    schema: {
      tags,
      summary: 'Stop following a company or product; unfollowing again changes nothing',
      security: sessionSecurity,
      body: target,
      response: { 200: stateSchema, ...errorResponses },
    },
  }, async (request) => presentState(request.body, await social.unfollow(requireAuth(request), request.body)));

  api.get('/api/follows', {
    schema: {
      tags,
      summary: 'The signed-in person’s own follows of one kind, newest first, 20 a page',
      security: sessionSecurity,
      querystring: followingQuery,
      response: { 200: listSchema, ...errorResponses },
    },
  }, async (request) => {
    const list = await social.following(requireAuth(request), request.query.type, request.query.page);
    return { type: list.type, items: list.items.map(presentItem), page: list.page, pages: list.pages, total: list.total };
  });

  api.get('/api/follows/count', {
    schema: {
      tags,
      summary: 'How many people follow a public company or product, and whether the signed-in person does',
      querystring: target,
      response: { 200: stateSchema, ...errorResponses },
    },
  }, async (request) => presentState(request.query, await social.followers(request.auth, request.query)));

  api.post('/api/shares', {
    config: { rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: perAccount } },
    schema: {
      tags,
      summary: 'The signed-in person’s link to share a public company or product, with its share token',
      description: 'One token per person, target and channel (`link` to copy, `qr` for a QR code); later visits through it are counted only with the visitor’s consent to analytics.',
      security: sessionSecurity,
      body: shareInput,
      response: { 201: shareSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const { url, isTracked } = await social.shareLink(requireAuth(request), request.body, request.body.channel);
    return reply.status(201).send({ url, channel: request.body.channel, isTracked });
  });

  api.post('/api/shares/email', {
    config: { rateLimit: { max: 10, timeWindow: 60_000, keyGenerator: perAccount } },
    schema: {
      tags,
      summary: 'Email a link to a public company or product to a colleague, with an optional note',
      description: 'At most 20 in 24 hours per person. The address is used for this one message and not kept beyond the mail outbox’s retention.',
      security: sessionSecurity,
      body: shareEmailInput,
      response: { 201: z.object({ url: z.string() }), ...errorResponses },
    },
  }, async (request, reply) => reply.status(201).send(await social.emailShare(requireAuth(request), request.body, request.locale)));
}
