import csrf from '@fastify/csrf-protection';
import type { FastifyInstance } from 'fastify';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Double-submit CSRF protection on every state-changing request, forms and API alike: the
 * secret lives in a signed HttpOnly cookie; forms send `_csrf`, API clients `x-csrf-token`
 * (GET /api/csrf-token hands one out).
 */
export async function registerCsrf(app: FastifyInstance, isProduction: boolean): Promise<void> {
  await app.register(csrf, {
    cookieKey: '_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: isProduction, path: '/' },
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (safeMethods.has(request.method)) {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });
}
