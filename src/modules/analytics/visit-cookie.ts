import type { FastifyRequest } from 'fastify';

/**
 * The analytics cookie: a random visit id the analytics island (src/client/analytics.ts) makes
 * once the browser consents, for 12 months at most. The consent module lists it among the
 * analytics purpose's cookies, so refusing or withdrawing expires it.
 */
export const visitCookie = 'sl_an';

/** The browser's visit id, or null without a well-formed one. */
export function visitIdOf(request: FastifyRequest): string | null {
  const value = request.cookies[visitCookie];
  return value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value) ? value : null;
}
