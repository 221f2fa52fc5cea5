import { describe, expect, it } from 'vitest';
import { classifyError } from '../src/platform/http/error-handler.js';
import { AppError } from '../src/platform/http/errors.js';
import { Browser, makeApp, useTestApp } from './helpers.js';

const t = useTestApp();

describe('security headers', () => {
  it('send a strict Content-Security-Policy without inline script or style', async () => {
    const response = await t.app.inject({ url: '/' });
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(response.body).not.toMatch(/\sstyle="/);
  });

  it('give every response a request id', async () => {
    const response = await t.app.inject({ url: '/healthz' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });
});

describe('errors', () => {
  it('render a localised 404 page for unknown pages', async () => {
    const zh = await t.app.inject({ url: '/no/such/page' });
    expect(zh.statusCode).toBe(404);
    expect(zh.headers['content-type']).toContain('text/html');
    expect(zh.body).toContain('页面不存在');
    expect(zh.body).toContain('NOT_FOUND');
    const en = await t.app.inject({ url: '/no/such/page', headers: { 'accept-language': 'en' } });
    expect(en.body).toContain('Page not found');
  });

  it('answer JSON with a stable code under /api', async () => {
    const response = await t.app.inject({ url: '/api/no-such-thing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'NOT_FOUND', message: '您要找的页面或数据不存在。' } });
  });

  it('map framework errors to stable codes and leave unknown ones as bare 500s', () => {
    expect(classifyError(Object.assign(new Error('x'), { code: 'FST_CSRF_INVALID_TOKEN', statusCode: 403 }))?.code).toBe('CSRF_INVALID');
    expect(classifyError(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }))?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(classifyError(new AppError('EMAIL_TAKEN'))?.status).toBe(409);
    expect(classifyError(new TypeError('bug'))).toBeNull();
  });

  it('refuse a body over the limit with 413 and a message', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ identifier: 'x'.repeat(2 * 1024 * 1024), password: 'y' }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuse malformed JSON with 400', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"identifier":' });
    expect([400, 403]).toContain(response.statusCode);
    expect(response.json().error.code).toMatch(/BAD_REQUEST|CSRF_INVALID/);
  });
});

describe('CSRF', () => {
  it('refuses a form post without a token, in the page language', async () => {
    const browser = new Browser(t.app);
    await browser.get('/sign-in');
    const response = await browser.post('/sign-in', { _csrf: '', identifier: 'someone', password: 'something long' });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('页面已过期或请求来源无法确认');
  });

  it('refuses an API call with a token from another browser', async () => {
    const other = new Browser(t.app);
    const token = await other.csrf();
    const browser = new Browser(t.app);
    await browser.get('/');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { cookie: browser.cookieHeader(), 'x-csrf-token': token },
      payload: { identifier: 'someone', password: 'something long' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('CSRF_INVALID');
  });
});

describe('languages', () => {
  it('default to Chinese, follow Accept-Language, and switch with one click that is remembered', async () => {
    const browser = new Browser(t.app);
    expect((await browser.get('/')).body).toContain('<html lang="zh-CN">');
    expect((await new Browser(t.app, { 'accept-language': 'en-US' }).get('/')).body).toContain('<html lang="en">');
    const page = await browser.get('/sign-in');
    const switchLink = /href="(\/lang\/en\?next=[^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    expect(switchLink).toBe('/lang/en?next=%2Fsign-in');
    const switched = await browser.get(switchLink!);
    expect(switched.statusCode).toBe(303);
    expect(switched.headers.location).toBe('/sign-in');
    const english = await browser.get('/sign-in');
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Email or login name');
  });

  it('never redirects elsewhere after switching', async () => {
    const response = await t.app.inject({ url: '/lang/en?next=//evil.example/x' });
    expect(response.headers.location).toBe('/');
  });
});

describe('the OpenAPI document', () => {
  it('describes the JSON API routes', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/accounts', '/api/session', '/api/me', '/api/me/password', '/api/me/sessions', '/api/me/sessions/{id}', '/api/password/forgot', '/api/password/reset', '/api/csrf-token']) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(doc.paths['/api/accounts'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('loginName');
    expect(Object.keys(doc.paths).filter((p: string) => !p.startsWith('/api/'))).toEqual([]);
  });
});

describe('pages', () => {
  it('serve the legal statement and contact pages linked from every footer', async () => {
    const home = await t.app.inject({ url: '/' });
    expect(home.body).toContain('href="/legal"');
    expect(home.body).toContain('href="/contact"');
    expect((await t.app.inject({ url: '/legal' })).body).toContain('法律声明');
    expect((await t.app.inject({ url: '/contact' })).statusCode).toBe(200);
  });

  it('escape whatever is searched for', async () => {
    const response = await t.app.inject({ url: `/search?q=${encodeURIComponent('<script>alert(1)</script>')}` });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(response.body).toContain('&lt;script>alert(1)&lt;/script>');
  });

  it('serve fingerprinted assets with long caching', async () => {
    const home = (await t.app.inject({ url: '/' })).body;
    const css = /href="(\/assets\/site\.[0-9a-f]+\.css)"/.exec(home)?.[1];
    const response = await t.app.inject({ url: css! });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toContain('immutable');
    expect(response.body).toContain('Microsoft YaHei');
  });
});

describe('rate limits shared through Redis', () => {
  it('count requests across app instances that share one Redis', async () => {
    const one = await makeApp({ redisUrl: 'redis://127.0.0.1:6379', rateLimitMax: 3 });
    const two = await makeApp({ redisUrl: 'redis://127.0.0.1:6379', rateLimitMax: 3 });
    try {
      const address = `198.19.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const statuses: number[] = [];
      for (const app of [one.app, two.app, one.app, two.app]) {
        statuses.push((await app.inject({ url: '/', remoteAddress: address })).statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

/** Whether a page is kept for visitors: its key starts with language, banner state and URL. */
function isSharedPage(base: string): boolean {
  return [...t.app.platform.visitorPages.keys()].some((key) => key === base || key.startsWith(`${base} `));
}

describe('pages shared by signed-out visitors', () => {
  it('are rendered once per language, while pages with forms keep a token per browser', async () => {
    // Visitors who have made their cookie choice (here through the GPC signal) see no banner, whose
    // forms would carry a token of their own.
    const decided = { 'sec-gpc': '1' };
    const first = await new Browser(t.app, decided).get('/');
    const second = await new Browser(t.app, decided).get('/');
    expect(second.body).toBe(first.body);
    expect(first.headers['set-cookie']).toBeUndefined();
    const english = await new Browser(t.app, { ...decided, 'accept-language': 'en' }).get('/');
    expect(english.body).toContain('<html lang="en">');
    expect(isSharedPage('zh-CN - /')).toBe(true);

    // A shared rendering with forms (the banner's) still gives each browser its own token.
    const token = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const a = await new Browser(t.app).get('/');
    const b = await new Browser(t.app).get('/');
    expect(isSharedPage('zh-CN banner /')).toBe(true);
    expect(token(a.body)).toBeDefined();
    expect(token(a.body)).not.toBe(token(b.body));
    expect(a.body.replaceAll(token(a.body)!, '')).toBe(b.body.replaceAll(token(b.body)!, ''));
    expect(a.body).not.toContain('stand-in');

    const c = await new Browser(t.app).get('/sign-in');
    const d = await new Browser(t.app).get('/sign-in');
    expect(token(c.body)).not.toBe(token(d.body));
    expect(isSharedPage('zh-CN banner /sign-in')).toBe(false);
  });
});

describe('the privacy contact address', () => {
  it('comes from PRIVACY_EMAIL and shows on the contact page', async () => {
    const other = await makeApp({ privacyEmail: 'dpo@silkline-test.example.cn' });
    try {
      const page = await other.app.inject({ url: '/contact' });
      expect(page.body).toContain('mailto:dpo@silkline-test.example.cn');
    } finally {
      await other.close();
    }
  });
});
