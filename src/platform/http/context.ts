import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ComponentChildren } from 'preact';
import { isLocale, localeCookie, makeTranslator, pickLocale, type Catalog, type Locale, type Translate } from '../i18n/i18n.js';
import type { AssetTable } from '../views/assets.js';
import type { PageContext, Viewer, ViewerExtras } from '../views/context.js';
import { renderPage, type PageOptions } from '../views/layout.js';

/** The signed-in state of a request, filled by the accounts module's session hook. */
export interface AuthState {
  accountId: string;
  sessionId: string;
  role: string;
  displayName: string;
}

export interface PlatformState {
  catalog: Catalog;
  /** Rendered pages shared by all signed-out visitors, keyed by language and URL. */
  visitorPages: Map<string, { html: string; hasToken: boolean }>;
  assets: AssetTable;
  showDevMailbox: boolean;
  isProduction: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    platform: PlatformState;
  }
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
    auth: AuthState | null;
    /** What modules add to the viewer (e.g. an unread count); the platform names no module. */
    viewerExtras: ViewerExtras | null;
    /** A notice a module shows above the page (e.g. the cookie banner); null for none. */
    pageBanner: ((ctx: PageContext) => ComponentChildren) | null;
    /**
     * Names what the banner shows when that varies beyond being shown or not (e.g. two modules'
     * notices together), so pages rendered once for visitors are kept apart; '' by default.
     */
    pageBannerKey: string;
    /**
     * `data-*` attributes a module puts on the page's <body> for client islands (e.g. the purposes
     * consented to, read by the client consent gate); null for none.
     */
    pageData: Record<string, string> | null;
    /** Islands a module loads on every page (e.g. analytics, which gates itself); null for none. */
    pageScripts: string[] | null;
  }
}

/** Decorates every request with its locale, a translator and an empty sign-in state. */
export const requestContext = fp(
  async (app: FastifyInstance, state: PlatformState) => {
    app.decorate('platform', state);
    app.decorateRequest('locale', 'zh-CN');
    app.decorateRequest('t', null as unknown as Translate);
    app.decorateRequest('auth', null);
    app.decorateRequest('viewerExtras', null);
    app.decorateRequest('pageBanner', null);
    app.decorateRequest('pageBannerKey', '');
    app.decorateRequest('pageData', null);
    app.decorateRequest('pageScripts', null);
    app.addHook('onRequest', async (request) => {
      // A `lang` query parameter (the hreflang alternates of public pages) wins for this request only.
      const asked = (request.query as Record<string, unknown> | undefined)?.lang;
      request.locale = pickLocale(isLocale(asked) ? asked : request.cookies[localeCookie], request.headers['accept-language']);
      request.t = makeTranslator(state.catalog, request.locale);
      request.auth = null;
      request.viewerExtras = null;
      request.pageBanner = null;
      request.pageBannerKey = '';
      request.pageData = null;
      request.pageScripts = null;
    });
  },
  { name: 'silkline-request-context', dependencies: ['@fastify/cookie'] },
);

/** Builds what the layout and pages need from the request. */
export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  return trackedPageContext(request, reply).ctx;
}

/**
 * The page context, and whether a rendering asked it for a CSRF token. With `tokenStandIn`, the
 * context hands out that stand-in instead of a real token, so the rendering can be shared and the
 * stand-in swapped for each browser's own token when it is sent.
 */
function trackedPageContext(request: FastifyRequest, reply: FastifyReply, tokenStandIn?: string) {
  const { platform } = request.server;
  const viewer: Viewer | null = request.auth
    ? { ...request.viewerExtras, displayName: request.auth.displayName, role: request.auth.role }
    : null;
  let csrfToken: string | undefined;
  const ctx: PageContext = {
    t: request.t,
    locale: request.locale,
    path: request.url.slice(0, 500),
    // Made only when a form on the page needs it: a page without forms sets no cookie.
    get csrfToken() {
      csrfToken ??= tokenStandIn ?? reply.generateCsrf();
      return csrfToken;
    },
    viewer,
    asset: (name) => platform.assets.url(name),
    showDevMailbox: platform.showDevMailbox,
    banner: request.pageBanner,
    data: request.pageData,
    scripts: request.pageScripts,
  };
  return { ctx, usedCsrf: () => csrfToken !== undefined };
}

/**
 * Renders a page in the site layout and sends it; pages never cache personal views. A page that
 * looks the same to every signed-out visitor (`cacheForVisitors`) is rendered once per language,
 * banner state and URL and kept in a small bounded map; a CSRF token in it is a stand-in that is
 * replaced by each browser's own token when the page is sent.
 * @example return sendPage(request, reply, { title }, (ctx) => <Home ctx={ctx} />)
 */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: PageOptions & { status?: number; cacheForVisitors?: boolean },
  body: (ctx: PageContext) => ComponentChildren,
): FastifyReply {
  const cache = request.server.platform.visitorPages;
  // Body data and islands may vary by visitor (e.g. their consent): after the URL, so a key
  // still starts with language, banner and URL.
  const extras = request.pageData || request.pageScripts ? ` ${JSON.stringify([request.pageData, request.pageScripts])}` : '';
  const key = options.cacheForVisitors && !request.auth ? `${request.locale} ${request.pageBanner ? `banner${request.pageBannerKey}` : '-'} ${request.url}${extras}` : null;
  let page = key ? cache.get(key) : undefined;
  if (page === undefined) {
    const { ctx, usedCsrf } = trackedPageContext(request, reply, key ? tokenStandIn : undefined);
    page = { html: renderPage(ctx, options, body(ctx)), hasToken: usedCsrf() };
    if (key) {
      if (cache.size >= visitorPageLimit) cache.delete(cache.keys().next().value!);
      cache.set(key, page);
    }
  }
  const html = page.hasToken && key ? page.html.replaceAll(tokenStandIn, reply.generateCsrf()) : page.html;
  if (request.auth) reply.header('cache-control', 'private, no-store');
  return reply.status(options.status ?? 200).type('text/html; charset=utf-8').send(html);
}

/** Stands in for a browser's CSRF token in a shared rendering; it cannot occur in escaped text. */
const tokenStandIn = 'csrf-token-stand-in-0b6f2a9d';
const visitorPageLimit = 500;

/** A same-site path to return to after a form, never an open redirect. */
export function safeNext(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string') return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value.slice(0, 500);
}

/** Sends a visitor who is not signed in to the sign-in page, coming back here afterwards. */
export function redirectToSignIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
}
