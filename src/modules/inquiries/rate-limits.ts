import type { FastifyRequest } from 'fastify';

/**
 * A route's rate limit counted per signed-in account (per address for anyone else). It is checked
 * before validation, so refused input counts too, and after the session hook, which the default
 * `onRequest` check would run before.
 * @example config: { rateLimit: perAccount(10, 60_000) }
 */
export function perAccount(max: number, timeWindow: number) {
  return {
    max,
    timeWindow,
    hook: 'preValidation' as const,
    keyGenerator: (request: FastifyRequest) => request.auth?.accountId ?? request.ip,
  };
}
