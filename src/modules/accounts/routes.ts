import type { FastifyInstance } from 'fastify';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as schema from './schema.js';
import { sessionCookie, sessionCookieMaxAge, type AccountsService } from './service.js';
import { staffRoles } from './tables.js';

const strict = { rateLimit: { max: 10, timeWindow: 60_000 } };
const profileSchema = z.object({
  id: z.string(),
  loginName: z.string(),
  email: z.string(),
  pendingEmail: z.string().nullable(),
  emailVerified: z.boolean(),
  mobile: z.string(),
  contactPerson: z.string(),
  role: z.enum(staffRoles),
  createdAt: z.string(),
});
const sessionSchema = z.object({
  id: z.string(),
  browser: z.string(),
  os: z.string(),
  ipPrefix: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  current: z.boolean(),
});


/** The accounts JSON API; every route is in the OpenAPI document. */
export async function accountRoutes(app: FastifyInstance, { accounts }: { accounts: AccountsService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: app.platform.isProduction, path: '/' };

  api.get('/api/csrf-token', {
    schema: {
      tags: ['session'],
      summary: 'A CSRF token for state-changing calls (send it as x-csrf-token)',
      response: { 200: z.object({ token: z.string() }) },
    },
  }, async (_request, reply) => ({ token: reply.generateCsrf() }));

  api.post('/api/accounts', {
    config: strict,
    schema: {
      tags: ['accounts'],
      summary: 'Register an account; a verification link is emailed',
      body: schema.registration,
      response: { 201: z.object({ id: z.string() }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { accountId } = await accounts.register(request.body, request.locale);
    return reply.status(201).send({ id: accountId });
  });

  api.post('/api/accounts/verify-email', {
    config: strict,
    schema: { tags: ['accounts'], summary: 'Confirm an email address', body: schema.tokenQuery, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await accounts.verifyEmail(request.body.token);
    return reply.status(204).send(null);
  });

  api.post('/api/session', {
    config: strict,
    schema: {
      tags: ['session'],
      summary: 'Sign in with email or login name',
      body: schema.signIn,
      response: { 200: profileSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    if (request.auth) await accounts.signOut(request.auth);
    const { token, profile } = await accounts.signIn(request.body, { ip: request.ip, userAgent: request.headers['user-agent'] });
    reply.setCookie(sessionCookie, token, { ...cookieOptions, maxAge: sessionCookieMaxAge });
    return profile;
  });

  api.delete('/api/session', {
    schema: { tags: ['session'], summary: 'Sign out', security: sessionSecurity, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    if (request.auth) await accounts.signOut(request.auth);
    reply.clearCookie(sessionCookie, cookieOptions);
    return reply.status(204).send(null);
  });

  api.get('/api/me', {
    schema: { tags: ['accounts'], summary: 'Basic information of the signed-in account', security: sessionSecurity, response: { 200: profileSchema, ...errorResponses } },
  }, async (request) => accounts.getProfile(requireAuth(request).accountId));

  api.patch('/api/me', {
    schema: {
      tags: ['accounts'],
      summary: 'Correct or supplement basic information (a new email takes effect once verified)',
      security: sessionSecurity,
      body: schema.profileUpdate,
      response: { 200: z.object({ profile: profileSchema, emailPending: z.boolean() }), ...errorResponses },
    },
  }, async (request) => accounts.updateProfile(requireAuth(request).accountId, request.body, request.locale));

  api.post('/api/me/password', {
    config: strict,
    schema: { tags: ['accounts'], summary: 'Change password; other sessions end', security: sessionSecurity, body: schema.passwordChange, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await accounts.changePassword(requireAuth(request), request.body, request.locale);
    return reply.status(204).send(null);
  });

  api.get('/api/me/sessions', {
    schema: { tags: ['session'], summary: 'Signed-in devices', security: sessionSecurity, response: { 200: z.object({ sessions: z.array(sessionSchema) }), ...errorResponses } },
  }, async (request) => ({ sessions: await accounts.listSessions(requireAuth(request)) }));

  api.delete('/api/me/sessions/:id', {
    schema: {
      tags: ['session'],
      summary: 'End one of my sessions',
      security: sessionSecurity,
      params: z.object({ id: z.string().max(64) }),
      response: { 204: z.null(), ...errorResponses },
    },
  }, async (request, reply) => {
    await accounts.revokeSession(requireAuth(request), request.params.id);
    return reply.status(204).send(null);
  });

  api.post('/api/me/sessions/revoke-others', {
    schema: { tags: ['session'], summary: 'End all my other sessions', security: sessionSecurity, response: { 200: z.object({ revoked: z.number() }), ...errorResponses } },
  }, async (request) => ({ revoked: await accounts.revokeOtherSessions(requireAuth(request)) }));

  api.post('/api/password/forgot', {
    config: strict,
    schema: { tags: ['accounts'], summary: 'Email a password reset link (same answer for any address)', body: schema.passwordResetRequest, response: { 202: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await accounts.requestPasswordReset(request.body.email, request.locale);
    return reply.status(202).send(null);
  });

  api.post('/api/password/reset', {
    config: strict,
    schema: { tags: ['accounts'], summary: 'Set a new password from a reset link', body: schema.passwordReset, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await accounts.resetPassword(request.body.token, request.body.newPassword);
    return reply.status(204).send(null);
  });
}
