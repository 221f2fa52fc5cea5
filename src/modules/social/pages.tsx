import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { redirectToSignIn, safeNext, sendPage } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { formFailure, formValues, type FormState } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import * as schema from './schema.js';
import type { SocialService } from './service.js';
import * as views from './views.js';

interface Deps {
  social: SocialService;
}

const perAccount = (request: FastifyRequest) => request.auth?.accountId ?? request.ip;

/** A same-site message key for `?done=`; anything else shows nothing. */
const done: Record<string, string> = { unfollowed: 'social.done.unfollowed', emailed: 'social.done.emailed' };

function doneState(request: FastifyRequest): FormState {
  const key = done[(request.query as { done?: string } | undefined)?.done ?? ''];
  return key ? { message: key, messageKind: 'success' } : {};
}

/**
 * The QR code of a link as an SVG of paths. The qrcode package writes presentation attributes
 * (fill, stroke), never `style`, so the strict CSP holds; the check keeps it that way.
 */
async function qrSvg(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  if (/\sstyle=|<script/i.test(svg)) throw new Error('QR code SVG carries inline style or script');
  return svg;
}

/** The follow buttons' form posts, the Following page, and the share page with its email form. */
export async function socialPages(app: FastifyInstance, { social }: Deps) {
  const dataMap = () => app.silkline.dataMap;
  // Toggling follows is cheap but each one is a logged event: a generous limit per person.
  const followLimit = { rateLimit: { max: 120, timeWindow: 3600_000, keyGenerator: perAccount } };

  app.post('/follows', { config: followLimit }, async (request, reply) => {
    const next = safeNext((request.body as { next?: unknown } | undefined)?.next, '/following');
    if (!request.auth) return reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
    await social.follow(request.auth, parseInput(schema.target, request.body));
    return reply.redirect(next, 303);
  });

  app.post('/follows/remove', { config: followLimit }, async (request, reply) => {
    const next = safeNext((request.body as { next?: unknown } | undefined)?.next, '/following');
    if (!request.auth) return reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
    await social.unfollow(request.auth, parseInput(schema.target, request.body));
    return reply.redirect(next, 303);
  });

  app.get('/following', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const query = schema.followingQuery.parse(request.query ?? {});
    const list = await social.following(request.auth, query.type, query.page);
    return sendPage(request, reply, { title: request.t('social.following.title') }, (ctx) => (
      <views.FollowingPage ctx={ctx} list={list} state={doneState(request)} />
    ));
  });

  const sharePage = async (request: FastifyRequest, reply: FastifyReply, target: schema.Target, state: FormState, status = 200) => {
    const links = await social.shareLinks(request.auth, target);
    const svg = await qrSvg(links.qr);
    const name = views.itemName(request.locale, links.item).text;
    return sendPage(
      request,
      reply,
      { title: `${request.t(`social.share.title.${target.type}`)} ${name}`, status, scripts: ['share'] },
      (ctx) => <views.SharePage ctx={ctx} item={links.item} link={links.link} qrSvg={svg} isTracked={links.isTracked} state={state} dataMap={dataMap()} />,
    );
  };

  app.get('/share', async (request, reply) => {
    const parsed = schema.target.safeParse(request.query ?? {});
    if (!parsed.success) throw new AppError('NOT_FOUND');
    return sharePage(request, reply, parsed.data, doneState(request));
  });

  // Per person: a burst limit here, and at most 20 emails a day in the service.
  app.post('/share/email', { config: { rateLimit: { max: 10, timeWindow: 60_000, keyGenerator: perAccount } } }, async (request, reply) => {
    const parsed = schema.target.safeParse(request.body ?? {});
    if (!parsed.success) throw new AppError('NOT_FOUND');
    const target = { type: parsed.data.type, id: parsed.data.id };
    if (!request.auth) return reply.redirect(`/sign-in?next=${encodeURIComponent(`/share?type=${target.type}&id=${target.id}`)}`, 303);
    try {
      await social.emailShare(request.auth, parseInput(schema.shareEmailInput, request.body), request.locale);
      return reply.redirect(`/share?type=${target.type}&id=${target.id}&done=emailed`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      // A target that is gone is simply not found, not a form error.
      if (status === 404) throw error;
      return sharePage(request, reply, target, state, status);
    }
  });
}
