import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { PageContext } from '../../platform/views/context.js';
import { hasConsent } from '../consent/index.js';
import { subscriptionsPages } from './pages.js';
import { subscriptionsRoutes } from './routes.js';
import type { SubscriptionsService } from './service.js';
import { HomeBlocks } from './views.js';

export { createSubscriptionsService, maxSubscriptions, maxNewCount, type SubscriptionsService, type SubscriptionsDeps } from './service.js';
export { alertItemLimit, alertPeriodMs } from './alerts.js';
export { subscriptionsMigrations, alertFrequencies, type SubscriptionsTables, type AlertFrequency } from './tables.js';
export { subscriptionsDataMap, subscriptionsProvider } from './personal-data.js';
export { subscriptionsMessages } from './messages.js';

/**
 * The home page's blocks for a signed-in person (the site module renders them without knowing
 * what a subscription is): new products of their subscriptions, and recommendations from their
 * subscriptions and follows. Recommendations are not even computed without consent to
 * personalisation (PIPL art. 24), and always say why and how to turn them off.
 */
export function subscriptionsHomeBlock(subscriptions: SubscriptionsService) {
  return async (request: FastifyRequest): Promise<((ctx: PageContext) => ReturnType<typeof HomeBlocks>) | null> => {
    if (!request.auth) return null;
    const news = await subscriptions.homeMatches(request.auth);
    const recommended = (await hasConsent(request, 'personalisation'))
      ? await subscriptions.recommendations(request.auth, news.items.map((i) => i.id))
      : null;
    return (ctx) => HomeBlocks({ ctx, news, recommended });
  };
}

/**
 * Subscriptions (statement item S4): "我的订阅" at /subscriptions with its form and each
 * subscription's matching products, the one-click unsubscribe page of alert emails, and the JSON
 * API. The hourly alert run is `sendAlerts`, started by the serve command.
 */
export const subscriptionsModule = fp(
  async (app: FastifyInstance, options: { subscriptions: SubscriptionsService }) => {
    await app.register(subscriptionsPages, options);
    await app.register(subscriptionsRoutes, options);
  },
  { name: 'silkline-subscriptions', dependencies: ['silkline-request-context', 'silkline-accounts', 'silkline-consent'] },
);
