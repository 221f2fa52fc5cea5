import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { consentState, hasConsent } from '../consent/index.js';
import { socialPages } from './pages.js';
import { socialRoutes } from './routes.js';
import { shareToken } from './schema.js';
import type { SocialService, Visitor } from './service.js';
import type { TargetType } from './tables.js';

export {
  createSocialService,
  targetPath,
  dailyEmailLimit,
  maxFollows,
  shareRetentionDays,
  type SocialService,
  type SocialDeps,
  type FollowState,
} from './service.js';
export { socialMigrations, targetTypes, shareChannels, type SocialTables, type TargetType } from './tables.js';
export { socialDataMap, socialProvider } from './personal-data.js';
export { socialMessages } from './messages.js';
export { SocialActions } from './views.js';

/** The public pages a shared link leads to, by route. */
const sharedPages: Record<string, TargetType> = { '/companies/:id': 'company', '/products/:id': 'product' };

/** Who is visiting, for the service log: the account, or the browser's consent id; null when neither. */
async function visitorOf(request: FastifyRequest): Promise<Visitor | null> {
  if (request.auth) return { accountId: request.auth.accountId };
  const owner = (await consentState(request)).owner;
  return owner && 'consentId' in owner ? { consentId: owner.consentId } : null;
}

/**
 * Follows and shares (statement item S8): the follow forms, "我的关注" at /following, the share
 * page at /share, their JSON API, and the attribution of visits through shared links (`?s=`),
 * which is recorded only when the visitor consents to analytics. Registered after the accounts
 * and consent modules, whose hooks set `auth` and the consent service.
 */
export const socialModule = fp(
  async (app: FastifyInstance, options: { social: SocialService }) => {
    // After the page is made, so only a page that was really shown (200) counts as a visit.
    app.addHook('onSend', async (request, reply, payload) => {
      const type = request.method === 'GET' && reply.statusCode === 200 ? sharedPages[request.routeOptions.url ?? ''] : undefined;
      if (!type) return payload;
      const token = shareToken.safeParse((request.query as Record<string, unknown> | undefined)?.s);
      const id = (request.params as { id?: string } | undefined)?.id;
      if (!token.success || !id) return payload;
      try {
        if (!(await hasConsent(request, 'analytics'))) return payload;
        const visitor = await visitorOf(request);
        if (visitor) await options.social.recordVisit(token.data, { type, id }, visitor);
      } catch (error) {
        // A visit not counted must never cost the visitor the page.
        request.log.warn({ err: error }, 'share visit not recorded');
      }
      return payload;
    });
    await app.register(socialPages, options);
    await app.register(socialRoutes, options);
  },
  { name: 'silkline-social', dependencies: ['silkline-request-context', 'silkline-accounts', 'silkline-consent'] },
);
