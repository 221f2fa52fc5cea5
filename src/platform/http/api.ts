import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuthState } from './context.js';
import { AppError } from './errors.js';

/** The body of every API error, as the error handler writes it. */
export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }),
});

/** The error responses any route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  410: errorSchema,
  413: errorSchema,
  415: errorSchema,
  429: errorSchema,
};

/** OpenAPI security of routes that act for a signed-in person: the session cookie and the CSRF header. */
export const sessionSecurity = [{ session: [], csrf: [] }];

/** The signed-in state, or UNAUTHENTICATED (401) for an API call without a session. */
export function requireAuth(request: FastifyRequest): AuthState {
  if (!request.auth) throw new AppError('UNAUTHENTICATED');
  return request.auth;
}
