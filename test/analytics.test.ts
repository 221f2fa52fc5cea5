import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyticsDataMap, createAnalyticsService, pagePath, visitCookie } from '../src/modules/analytics/index.js';
import { purposeCookies } from '../src/modules/consent/index.js';
import { addCalendarDays } from '../src/platform/calendar/working-days.js';
import { Browser, signedIn, useTestApp } from './helpers.js';

const t = useTestApp();

const db = () => t.app.silkline.db.kysely;

/** A page of the public catalogue no other test counts, so its count is this test's alone. */
const freshPage = () => `/products/${randomUUID()}`;

function setCookies(response: { headers: Record<string, unknown> }): string[] {
  return ([] as string[]).concat((response.headers['set-cookie'] as string | string[] | undefined) ?? []);
}

const isExpired = (line: string | undefined) => line !== undefined && /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line);

/** The browser's cookies plus its analytics cookie, as a page's script would have made it. */
function cookiesWith(browser: Browser, visitId: string | null): string {
  return [browser.cookieHeader(), visitId ? `${visitCookie}=${visitId}` : ''].filter(Boolean).join('; ');
}

/** What navigator.sendBeacon sends from one of the site's pages: a form body, no CSRF token. */
function beacon(browser: Browser, form: Record<string, string>, options: { visitId?: string | null; headers?: Record<string, string> } = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/beacon',
    remoteAddress: browser.remoteAddress,
    headers: {
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      cookie: cookiesWith(browser, options.visitId ?? null),
      ...options.headers,
    },
    payload: new URLSearchParams(form).toString(),
  });
}

/** A consent form posted from a browser that also carries its analytics cookie. */
async function postChoice(browser: Browser, form: Record<string, string>, visitId: string) {
  const _csrf = await browser.csrf();
  return t.app.inject({
    method: 'POST',
    url: '/privacy/consent',
    remoteAddress: browser.remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesWith(browser, visitId) },
    payload: new URLSearchParams({ _csrf, method: 'settings', next: '/privacy/settings?saved=1', ...form }).toString(),
  });
}

async function viewsOf(path: string): Promise<number> {
  const rows = await db().selectFrom('analyticsPageCount').select('views').where('path', '=', path).execute();
  return rows.reduce((sum, r) => sum + Number(r.views), 0);
}

function visitsOf(visitId: string) {
  return db().selectFrom('analyticsVisit').selectAll().where('visitId', '=', visitId).orderBy('path').execute();
}

const acceptAnalytics = (browser: Browser) => browser.post('/privacy/consent', { choice: 'custom', method: 'banner', analytics: 'on' });

describe('the beacon', () => {
  it('stores nothing before a choice, answers 204 and sets no cookie', async () => {
    const browser = new Browser(t.app);
    const page = freshPage();
    const visitId = randomUUID();
    const response = await beacon(browser, { path: page }, { visitId });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(setCookies(response)).toEqual([]);
    expect(await viewsOf(page)).toBe(0);
    expect(await visitsOf(visitId)).toEqual([]);
  });

  it('stores nothing after rejecting, with the very same answer as with consent', async () => {
    const refusing = new Browser(t.app);
    await refusing.post('/privacy/consent', { choice: 'reject-all', method: 'banner' });
    const consenting = new Browser(t.app);
    await acceptAnalytics(consenting);
    const page = freshPage();
    const refused = await beacon(refusing, { path: page }, { visitId: randomUUID() });
    const counted = await beacon(consenting, { path: page }, { visitId: randomUUID() });
    expect(await viewsOf(page)).toBe(1);
    for (const response of [refused, counted]) {
      expect(response.statusCode).toBe(204);
      expect(setCookies(response)).toEqual([]);
    }
    expect(refused.body).toBe(counted.body);
    expect(refused.headers['content-length']).toBe(counted.headers['content-length']);
  });

  it('with consent counts the page of the day and stores the visit event under the visit id', async () => {
    const browser = new Browser(t.app);
    await acceptAnalytics(browser);
    const page = freshPage();
    const visitId = randomUUID();
    expect((await beacon(browser, { path: page, ref: '/companies' }, { visitId })).statusCode).toBe(204);
    expect((await beacon(browser, { path: page }, { visitId })).statusCode).toBe(204);
    expect(await viewsOf(page)).toBe(2);
    const today = addCalendarDays(new Date(), 0);
    const rows = await db().selectFrom('analyticsPageCount').selectAll().where('path', '=', page).execute();
    expect(rows).toEqual([{ day: today, path: page, views: 2 }]);
    const visits = await visitsOf(visitId);
    expect(visits).toHaveLength(2);
    expect(visits.map((v) => [v.day, v.path, v.referrerPath])).toEqual(
      expect.arrayContaining([
        [today, page, '/companies'],
        [today, page, null],
      ]),
    );
    // The pseudonymous id stays out of the logs.
    expect(t.logs.join('')).not.toContain(visitId);
  });

  it('counts the page but stores no visit event without a well-formed visit id', async () => {
    const browser = new Browser(t.app);
    await acceptAnalytics(browser);
    const page = freshPage();
    const before = Number((await db().selectFrom('analyticsVisit').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    await beacon(browser, { path: page }, { visitId: 'not-a-uuid' });
    await beacon(browser, { path: page });
    expect(await viewsOf(page)).toBe(2);
    const after = Number((await db().selectFrom('analyticsVisit').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before);
  });

  it('counts for a signed-in account that consents, by its own choice', async () => {
    const { browser } = await signedIn(t.app);
    const page = freshPage();
    await beacon(browser, { path: page }, { visitId: randomUUID() });
    expect(await viewsOf(page)).toBe(0);
    expect((await browser.api('PUT', '/api/consent', { purposes: { analytics: true } })).statusCode).toBe(200);
    await beacon(browser, { path: page }, { visitId: randomUUID() });
    expect(await viewsOf(page)).toBe(1);
  });

  it('strips query strings, tokens and the ids of personal areas from what it stores', async () => {
    const browser = new Browser(t.app);
    await acceptAnalytics(browser);
    const visitId = randomUUID();
    const thread = randomUUID();
    const token = 'Zk3'.repeat(15);
    await beacon(browser, { path: `/messages/${thread}?q=secret`, ref: `/invitations/${token}` }, { visitId });
    const [visit] = await visitsOf(visitId);
    expect(visit).toMatchObject({ path: '/messages/:id', referrerPath: '/invitations/:token' });
    expect(await viewsOf(`/messages/${thread}`)).toBe(0);
  });
});

describe('withdrawing', () => {
  it('expires sl_an in the answer to the withdrawal, deletes the visit events, and later beacons store nothing', async () => {
    const browser = new Browser(t.app);
    await acceptAnalytics(browser);
    const visitId = randomUUID();
    const page = freshPage();
    await beacon(browser, { path: page }, { visitId });
    expect(await visitsOf(visitId)).toHaveLength(1);

    const withdrawal = await postChoice(browser, { choice: 'custom' }, visitId);
    expect(withdrawal.statusCode).toBe(303);
    expect(isExpired(setCookies(withdrawal).find((c) => c.startsWith(`${visitCookie}=`)))).toBe(true);
    const consent = setCookies(withdrawal).find((c) => c.startsWith('consent='))!;
    expect(consent).toMatch(/a0/);
    expect(await visitsOf(visitId)).toEqual([]);

    // The browser now sends its new choice (and, were its script to misbehave, its old visit id).
    const after = await beacon(browser, { path: page }, { visitId, headers: { cookie: `${consent.split(';')[0]}; ${visitCookie}=${visitId}` } });
    expect(after.statusCode).toBe(204);
    expect(await viewsOf(page)).toBe(1);
    expect(await visitsOf(visitId)).toEqual([]);
  });

  it('through the API too: the answer expires sl_an', async () => {
    const browser = new Browser(t.app);
    await acceptAnalytics(browser);
    const response = await browser.api('PUT', '/api/consent', { purposes: { analytics: false } }, { cookie: cookiesWith(browser, randomUUID()) });
    expect(response.statusCode).toBe(200);
    expect(isExpired(setCookies(response).find((c) => c.startsWith(`${visitCookie}=`)))).toBe(true);
  });
});

describe('Global Privacy Control', () => {
  it('with Sec-GPC: 1 and no choice, stores nothing', async () => {
    const browser = new Browser(t.app, { 'sec-gpc': '1' });
    const page = freshPage();
    expect((await beacon(browser, { path: page }, { visitId: randomUUID(), headers: { 'sec-gpc': '1' } })).statusCode).toBe(204);
    expect(await viewsOf(page)).toBe(0);
  });

  it('a grant through the API does not override the signal; an explicit opt-in on the site does', async () => {
    const browser = new Browser(t.app, { 'sec-gpc': '1' });
    const gpc = { 'sec-gpc': '1' };
    const page = freshPage();
    await browser.api('PUT', '/api/consent', { purposes: { analytics: true } });
    await beacon(browser, { path: page }, { visitId: randomUUID(), headers: gpc });
    expect(await viewsOf(page)).toBe(0);
    await browser.post('/privacy/consent', { choice: 'custom', method: 'settings', analytics: 'on' });
    await beacon(browser, { path: page }, { visitId: randomUUID(), headers: gpc });
    expect(await viewsOf(page)).toBe(1);
  });

  it('a page under GPC says only necessary is granted, and expires a leftover sl_an', async () => {
    const response = await new Browser(t.app).get('/', { 'sec-gpc': '1', cookie: `${visitCookie}=${randomUUID()}` });
    expect(response.body).toContain('<body data-consent="necessary">');
    expect(isExpired(setCookies(response).find((c) => c.startsWith(`${visitCookie}=`)))).toBe(true);
  });
});

describe('the page and its island', () => {
  it('tells the client gate the purposes in force, apart for each visitor of the same cached page', async () => {
    const undecided = await new Browser(t.app).get('/');
    expect(undecided.body).toContain('<body data-consent="necessary">');
    expect(undecided.body).toMatch(/<script type="module" src="\/assets\/analytics\.[0-9a-f]{12}\.js">/);
    const browser = new Browser(t.app);
    await acceptAnalytics(browser);
    const consenting = await browser.get('/');
    expect(consenting.body).toContain('<body data-consent="necessary analytics">');
    const again = await new Browser(t.app).get('/');
    expect(again.body).toContain('<body data-consent="necessary">');
  });

  it('loads the island on pages of every module, the consent settings included', async () => {
    for (const url of ['/sign-in', '/privacy/settings', '/companies', '/legal']) {
      const body = (await new Browser(t.app).get(url)).body;
      expect(body, url).toMatch(/src="\/assets\/analytics\.[0-9a-f]{12}\.js"/);
      expect(body, url).toContain('data-consent="necessary"');
    }
  });

  it('serves the island bundle', async () => {
    const html = (await new Browser(t.app).get('/')).body;
    const src = /src="(\/assets\/analytics\.[0-9a-f]{12}\.js)"/.exec(html)![1]!;
    const script = await new Browser(t.app).get(src);
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain('/api/beacon');
    expect(script.body).toContain('silkline:consent');
  });
});

describe('CSRF is replaced by a same-origin check on the beacon alone', () => {
  it('refuses a cross-site beacon even with consent, and stores nothing', async () => {
    const browser = new Browser(t.app);
    await acceptAnalytics(browser);
    const page = freshPage();
    const crossSite = await beacon(browser, { path: page }, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error.code).toBe('CSRF_INVALID');
    const foreignOrigin = await beacon(browser, { path: page }, { headers: { 'sec-fetch-site': '', origin: 'https://evil.example' } });
    expect(foreignOrigin.statusCode).toBe(403);
    expect(await viewsOf(page)).toBe(0);
  });

  it('takes an Origin of this site when Sec-Fetch-Site is absent', async () => {
    const browser = new Browser(t.app);
    await acceptAnalytics(browser);
    const page = freshPage();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/beacon',
      remoteAddress: browser.remoteAddress,
      headers: { host: 'localhost:3000', origin: 'http://localhost:3000', cookie: browser.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ path: page }).toString(),
    });
    expect(response.statusCode).toBe(204);
    expect(await viewsOf(page)).toBe(1);
  });

  it('other state-changing routes still need the token', async () => {
    const browser = new Browser(t.app);
    const response = await browser.post('/privacy/consent', { _csrf: '', choice: 'accept-all', method: 'banner' });
    expect(response.statusCode).toBe(403);
  });
});

describe('bad input', () => {
  it('answers wrong and huge bodies with a 400 and a stable code, never a 500', async () => {
    const browser = new Browser(t.app);
    await acceptAnalytics(browser);
    const cases = [{}, { path: '' }, { path: `/${'a'.repeat(3000)}` }, { path: '/x', ref: 'b'.repeat(3000) }];
    for (const form of cases) {
      const response = await beacon(browser, form as Record<string, string>);
      expect(response.statusCode, JSON.stringify(form).slice(0, 40)).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/beacon',
      headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', cookie: browser.cookieHeader() },
      payload: JSON.stringify({ path: 42 }),
    });
    expect(json.statusCode).toBe(400);
  });

  it('counts nothing for scripts, other sites, assets or the API as a path', async () => {
    const browser = new Browser(t.app);
    await acceptAnalytics(browser);
    const visitId = randomUUID();
    for (const path of ['/<script>alert(1)</script>', 'https://evil.example/', '//evil.example/x', '/assets/site.css', '/api/consent', 'javascript:alert(1)']) {
      expect((await beacon(browser, { path }, { visitId })).statusCode).toBe(204);
    }
    expect(await visitsOf(visitId)).toEqual([]);
    const stored = await db().selectFrom('analyticsPageCount').select('path').where('path', 'like', '%script%').execute();
    expect(stored).toEqual([]);
  });

  it('limits how many beacons an address may send', async () => {
    const browser = new Browser(t.app);
    const statuses = new Set<number>();
    for (let i = 0; i < 125; i++) statuses.add((await beacon(browser, { path: '/' })).statusCode);
    expect(statuses).toEqual(new Set([204, 429]));
  });
});

describe('page paths', () => {
  it('keeps public catalogue ids, and turns other ids and tokens into placeholders', () => {
    const id = randomUUID();
    expect(pagePath(`/products/${id}?s=share-token#top`)).toBe(`/products/${id}`);
    expect(pagePath(`/companies/${id}`)).toBe(`/companies/${id}`);
    expect(pagePath('/categories/machinery.cnc-lathe')).toBe('/categories/machinery.cnc-lathe');
    expect(pagePath(`/shop/${id}/products/${id}`)).toBe('/shop/:id/products/:id');
    expect(pagePath(`/invitations/${'x'.repeat(43)}`)).toBe('/invitations/:token');
    expect(pagePath('/search?q=%E5%85%89%E4%BC%8F')).toBe('/search');
    expect(pagePath('/')).toBe('/');
    expect(pagePath('/api/beacon')).toBeNull();
    expect(pagePath(`/${'a/'.repeat(150)}`)).toBeNull();
  });
});

describe('retention', () => {
  it('deletes visit events after 6 months and page counts after 2 years', async () => {
    const now = new Date('2027-03-01T04:00:00Z');
    const analytics = createAnalyticsService({ db: db(), clock: () => now });
    const old = randomUUID();
    const recent = randomUUID();
    const path = freshPage();
    await db()
      .insertInto('analyticsVisit')
      .values([
        { id: randomUUID(), visitId: old, day: '2026-08-01', path, referrerPath: null },
        { id: randomUUID(), visitId: recent, day: '2026-12-01', path, referrerPath: null },
      ])
      .execute();
    await db()
      .insertInto('analyticsPageCount')
      .values([
        { day: '2025-01-01', path, views: 3 },
        { day: '2026-08-01', path, views: 5 },
      ])
      .execute();
    const deleted = await analytics.deleteExpired();
    expect(deleted.visits).toBeGreaterThanOrEqual(1);
    expect(deleted.counts).toBeGreaterThanOrEqual(1);
    expect(await visitsOf(old)).toEqual([]);
    expect(await visitsOf(recent)).toHaveLength(1);
    expect(await viewsOf(path)).toBe(5);
  });
});

describe('the staff report', () => {
  it('shows administrators the daily counts of the last 30 days; others are refused', async () => {
    const visitor = new Browser(t.app);
    await acceptAnalytics(visitor);
    const page = freshPage();
    await beacon(visitor, { path: page }, { visitId: randomUUID() });

    const signedOut = await new Browser(t.app).get('/staff/analytics');
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/sign-in?next=%2Fstaff%2Fanalytics');
    const member = await signedIn(t.app);
    expect((await member.browser.get('/staff/analytics')).statusCode).toBe(403);

    const admin = await signedIn(t.app);
    await t.app.silkline.accounts.setRole(admin.data.loginName, 'admin');
    const report = await admin.browser.get('/staff/analytics');
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('访问统计');
    expect(report.body).toMatch(new RegExp(`<time datetime="${addCalendarDays(new Date(), 0)}">`, 'i'));
    expect(report.body).toContain(`<code>${page}</code>`);
    expect(report.body).toContain('id="analytics-days"');
  });
});

describe('declarations', () => {
  it('declares the visit events as consent-based, 6 months, and sl_an as the analytics purpose’s cookie', () => {
    for (const column of ['visit_id', 'day', 'path', 'referrer_path']) {
      expect(analyticsDataMap.analytics_visit![column]).toMatchObject({ personal: true, basis: 'consent', retention: '6 months', category: 'analytics' });
    }
    expect(purposeCookies.analytics).toContain(visitCookie);
  });

  it('has nothing linked to an account to export or erase', async () => {
    const provider = t.app.silkline.providers.find((p) => p.name === 'analytics')!;
    expect(await provider.export(randomUUID())).toEqual({ provider: 'analytics', records: {} });
    expect(await provider.erase(randomUUID())).toEqual({ erased: 0 });
  });
});
