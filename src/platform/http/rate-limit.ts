import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { AppError } from './errors.js';

/**
 * A per-IP limit on every route (routes may set their own), kept in Redis when configured so
 * that several instances share one count.
 */
export async function registerRateLimit(
  app: FastifyInstance,
  options: { max: number; redisUrl?: string },
): Promise<Redis | undefined> {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 2000, lazyConnect: false })
    : undefined;
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: 60_000,
    ...(redis ? { redis, nameSpace: 'silkline-rl:', skipOnError: true } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
  });
  return redis;
}
