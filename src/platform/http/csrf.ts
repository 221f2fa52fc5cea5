import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `false` exempts one route from the CSRF token. Only for requests that cannot carry a header
     * (e.g. `navigator.sendBeacon`) and change no one's state; such a route checks
     * `isSameOriginRequest` instead.
     */
    csrf?: boolean;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request comes from one of this site's own pages, by what browsers send on every
 * POST: `Sec-Fetch-Site`, else `Origin`. A request with neither is not from a browser page.
 * @example if (!isSameOriginRequest(request)) throw new AppError('CSRF_INVALID')
 */
export function isSameOriginRequest(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

/**
 * Double-submit CSRF protection on every state-changing request, forms and API alike: the
 * secret lives in a signed HttpOnly cookie; forms send `_csrf`, API clients `x-csrf-token`
 * (GET /api/csrf-token hands one out). The one way out is a route's `config: { csrf: false }`
 * (see `FastifyContextConfig.csrf` above), for beacons that cannot send a header.
 */
export async function registerCsrf(app: FastifyInstance, isProduction: boolean): Promise<void> {
  await app.register(csrf, {
    cookieKey: '_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: isProduction, path: '/' },
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (safeMethods.has(request.method) || request.routeOptions.config.csrf === false) {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });
}
