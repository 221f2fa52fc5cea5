import { describe, expect, it } from 'vitest';
import { consentMessages, consentProvider, currentStatementVersion, hasConsent, optionalPurposes } from '../src/modules/consent/index.js';
import { truncateIp } from '../src/platform/http/ip.js';
import { Browser, signedIn, useTestApp } from './helpers.js';

const t = useTestApp();

const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

interface ConsentJson {
  statementVersion: string;
  decided: boolean;
  gpc: boolean;
  purposes: Record<string, boolean>;
}

/** The ledger rows of an anonymous browser (by its consent id) or of an account. */
function ledger(where: { consentId?: string; subject?: string }) {
  let query = t.app.silkline.db.kysely.selectFrom('consentRecord').selectAll().orderBy('createdAt').orderBy('purpose');
  if (where.consentId) query = query.where('consentId', '=', where.consentId).where('subject', 'is', null);
  if (where.subject) query = query.where('subject', '=', where.subject);
  return query.execute();
}

async function accountIdOf(email: string): Promise<string> {
  return (await t.app.silkline.db.kysely.selectFrom('account').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** PUT /api/consent through the browser's cookie jar. */
function putConsent(browser: Browser, purposes: Record<string, boolean>) {
  return browser.api('PUT', '/api/consent', { purposes });
}

function setCookies(response: { headers: Record<string, unknown> }): string[] {
  return ([] as string[]).concat((response.headers['set-cookie'] as string | string[] | undefined) ?? []);
}

const hasBanner = (html: string) => html.includes('id="consent-banner"');

describe('consent before any choice', () => {
  it('has every non-essential purpose off and only necessary on', async () => {
    const browser = new Browser(t.app);
    const body = (await browser.get('/api/consent')).json<ConsentJson>();
    expect(body.decided).toBe(false);
    expect(body.statementVersion).toBe(currentStatementVersion());
    expect(body.purposes).toEqual({ necessary: true, preferences: false, analytics: false, personalisation: false, marketing: false, surveys: false });
  });

  it('shows the banner on pages and sets no consent cookie before a choice', async () => {
    const browser = new Browser(t.app);
    for (const url of ['/', '/companies', '/legal']) {
      const response = await browser.get(url);
      expect(response.statusCode).toBe(200);
      expect(hasBanner(response.body)).toBe(true);
      expect(setCookies(response).some((c) => c.startsWith('consent'))).toBe(false);
    }
    expect(browser.cookie('consent_id')).toBeUndefined();
  });

  it('offers accept all and reject all in the same style, and a footer link to the settings', async () => {
    const html = (await new Browser(t.app).get('/')).body;
    const accept = /<button type="submit" class="([^"]+)">全部接受<\/button>/.exec(html)?.[1];
    const reject = /<button type="submit" class="([^"]+)">全部拒绝<\/button>/.exec(html)?.[1];
    expect(accept).toBeDefined();
    expect(accept).toBe(reject);
    expect(html).toContain('自定义');
    expect(html).toMatch(/<footer[\s\S]*href="\/privacy\/settings"[\s\S]*Cookie 与隐私设置/);
  });
});

describe('choosing on the banner without JavaScript', () => {
  it('accept all writes one ledger row per purpose with the statement version, truncated IP and method, and sets the cookie', async () => {
    const browser = new Browser(t.app, { 'user-agent': chrome });
    const response = await browser.post('/privacy/consent', { choice: 'accept-all', method: 'banner', next: '/companies' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/companies');
    const consentId = browser.cookie('consent_id')!;
    expect(consentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(browser.cookie('consent')).toMatch(/^v1\.[0-9a-f]{12}\.p1a1n1m1s1$/);
    const rows = await ledger({ consentId });
    expect(rows.map((r) => r.purpose).sort()).toEqual([...optionalPurposes].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ granted: 1, method: 'banner', statementVersion: currentStatementVersion(), ipPrefix: truncateIp(browser.remoteAddress), browserClass: 'Chrome', subject: null });
      expect(row.ipPrefix).toMatch(/\.0\.0$/);
    }
    expect(hasBanner((await browser.get('/')).body)).toBe(false);
    expect((await browser.get('/api/consent')).json<ConsentJson>().purposes.analytics).toBe(true);
  });

  it('reject all records refusals and the cookie says so', async () => {
    const browser = new Browser(t.app);
    await browser.post('/privacy/consent', { choice: 'reject-all', method: 'banner', next: '/' });
    expect(browser.cookie('consent')).toMatch(/\.p0a0n0m0s0$/);
    const rows = await ledger({ consentId: browser.cookie('consent_id')! });
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.granted === 0 && r.method === 'banner')).toBe(true);
    expect(hasBanner((await browser.get('/')).body)).toBe(false);
  });

  it('a per-purpose choice grants only the ticked purposes', async () => {
    const browser = new Browser(t.app);
    await browser.post('/privacy/consent', { choice: 'custom', method: 'settings', analytics: 'on', next: '/privacy/settings?saved=1' });
    expect(browser.cookie('consent')).toMatch(/\.p0a1n0m0s0$/);
    const rows = await ledger({ consentId: browser.cookie('consent_id')! });
    expect(rows.filter((r) => r.granted === 1).map((r) => r.purpose)).toEqual(['analytics']);
    expect(rows.every((r) => r.method === 'settings')).toBe(true);
    const settings = await browser.get('/privacy/settings?saved=1');
    expect(settings.body).toContain('data-purpose="analytics" data-state="on"');
    expect(settings.body).toContain('data-purpose="marketing" data-state="off"');
  });

  it('refuses a form without its CSRF token and records nothing', async () => {
    const browser = new Browser(t.app);
    const before = (await t.app.silkline.db.kysely.selectFrom('consentRecord').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const response = await browser.post('/privacy/consent', { _csrf: '', choice: 'accept-all', method: 'banner' });
    expect(response.statusCode).toBe(403);
    expect(browser.cookie('consent')).toBeUndefined();
    const after = (await t.app.silkline.db.kysely.selectFrom('consentRecord').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    expect(after).toEqual(before);
  });

  it('answers bad input with a 4xx and never redirects off the site', async () => {
    const browser = new Browser(t.app);
    expect((await browser.post('/privacy/consent', { choice: '<script>', method: 'banner' })).statusCode).toBe(400);
    expect((await browser.post('/privacy/consent', { choice: 'custom', method: 'gpc' })).statusCode).toBe(400);
    const away = await browser.post('/privacy/consent', { choice: 'reject-all', method: 'banner', next: '//evil.example/' });
    expect(away.statusCode).toBe(303);
    expect(away.headers.location).toBe('/privacy/settings?saved=1');
    expect((await putConsent(browser, { analytics: 'yes' } as unknown as Record<string, boolean>)).statusCode).toBe(400);
    expect((await putConsent(browser, { necessary: false })).statusCode).toBe(400);
  });
});

describe('cookies of refused purposes', () => {
  it('rejecting analytics expires the sl_an cookie', async () => {
    const browser = new Browser(t.app);
    const response = await browser.post('/privacy/consent', { choice: 'reject-all', method: 'banner' });
    const expired = setCookies(response).find((c) => c.startsWith('sl_an='));
    expect(expired).toBeDefined();
    expect(expired).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  });

  it('a page request carrying a cookie of a purpose without consent expires it', async () => {
    const browser = new Browser(t.app);
    const response = await browser.get('/', { cookie: 'sl_an=abc' });
    expect(setCookies(response).find((c) => c.startsWith('sl_an='))).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  });
});

describe('Global Privacy Control', () => {
  it('Sec-GPC: 1 refuses non-essential purposes until an explicit grant on the site overrides it', async () => {
    const browser = new Browser(t.app, { 'sec-gpc': '1' });
    const page = await browser.get('/');
    expect(hasBanner(page.body)).toBe(false);
    expect((await browser.get('/api/consent')).json<ConsentJson>()).toMatchObject({ gpc: true, purposes: { necessary: true, analytics: false } });
    // A grant through the API does not override the browser's signal …
    const viaApi = await putConsent(browser, { analytics: true });
    expect(viaApi.statusCode).toBe(200);
    expect(viaApi.json<ConsentJson>().purposes.analytics).toBe(false);
    expect(browser.cookie('consent')).toMatch(/a2/);
    // … an explicit one in the settings does.
    await browser.post('/privacy/consent', { choice: 'custom', method: 'settings', analytics: 'on' });
    expect((await browser.get('/api/consent')).json<ConsentJson>().purposes).toMatchObject({ analytics: true, marketing: false });
    expect((await new Browser(t.app).get('/api/consent', { cookie: `consent=${browser.cookie('consent')}` })).json<ConsentJson>().purposes.analytics).toBe(true);
  });

  it('records a signed-in account that sends GPC as refusing, with method gpc', async () => {
    const { browser, data } = await signedIn(t.app);
    const subject = await accountIdOf(data.email);
    await browser.get('/', { 'sec-gpc': '1' });
    const rows = await ledger({ subject });
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.method === 'gpc' && r.granted === 0)).toBe(true);
    const { consent } = t.app.silkline;
    expect(await hasConsent({ consent, subject, gpc: true }, 'analytics')).toBe(false);
    expect(await hasConsent({ consent, subject }, 'necessary')).toBe(true);
  });
});

describe('signed-in choices', () => {
  it('belong to the account, and the API reads them back', async () => {
    const { browser, data } = await signedIn(t.app);
    const subject = await accountIdOf(data.email);
    expect(hasBanner((await browser.get('/')).body)).toBe(true);
    const response = await putConsent(browser, { marketing: true });
    expect(response.statusCode).toBe(200);
    expect(response.json<ConsentJson>().purposes).toMatchObject({ marketing: true, analytics: false });
    const rows = await ledger({ subject });
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.method === 'api')).toBe(true);
    const { consent } = t.app.silkline;
    expect(await hasConsent({ consent, subject }, 'marketing')).toBe(true);
    expect(await hasConsent({ consent, subject }, 'surveys')).toBe(false);
    expect(hasBanner((await browser.get('/')).body)).toBe(false);
    const history = (await browser.get('/api/consent/history')).json<{ items: { purpose: string; granted: boolean; method: string }[] }>();
    expect(history.items).toHaveLength(5);
    expect(history.items.find((i) => i.purpose === 'marketing')).toMatchObject({ granted: true, method: 'api' });
  });

  it('attaches an anonymous choice to the account at sign-in, keeping its method', async () => {
    const { browser, data } = await signedIn(t.app);
    const subject = await accountIdOf(data.email);
    await browser.post('/sign-out', {});
    await browser.post('/privacy/consent', { choice: 'custom', method: 'banner', surveys: 'on' });
    expect(await ledger({ subject })).toHaveLength(0);
    await browser.post('/sign-in', { identifier: data.email, password: data.password });
    expect(hasBanner((await browser.get('/')).body)).toBe(false);
    const rows = await ledger({ subject });
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.method === 'banner' && r.consentId === browser.cookie('consent_id'))).toBe(true);
    expect(rows.filter((r) => r.granted === 1).map((r) => r.purpose)).toEqual(['surveys']);
    // Attached once: later pages copy nothing more.
    await browser.get('/companies');
    expect(await ledger({ subject })).toHaveLength(5);
  });
});

describe('consent history and receipt', () => {
  it('lists an anonymous browser’s ledger by its consent id and gives a Kantara v1.1 receipt', async () => {
    const browser = new Browser(t.app);
    expect((await browser.get('/privacy/consents/receipt.json')).statusCode).toBe(404);
    expect((await browser.get('/privacy/consents')).body).toContain('暂无同意记录');
    await browser.post('/privacy/consent', { choice: 'custom', method: 'settings', analytics: 'on', personalisation: 'on' });
    const page = await browser.get('/privacy/consents');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<tr>/g)?.length).toBe(6);
    expect(page.body).toContain(truncateIp(browser.remoteAddress));
    const response = await browser.get('/privacy/consents/receipt.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const receipt = response.json<Record<string, unknown> & { services: { service: string; purposes: Record<string, unknown>[] }[] }>();
    expect(receipt).toMatchObject({
      version: 'KI-CR-v1.1.0',
      jurisdiction: 'CN',
      collectionMethod: 'settings',
      language: 'zh-CN',
      piiPrincipalId: browser.cookie('consent_id'),
      piiControllers: [expect.objectContaining({ piiController: 'Silkline 丝路', contact: expect.any(String), address: expect.anything(), email: expect.any(String) })],
      policyUrl: expect.stringMatching(/\/legal$/),
      sensitive: false,
      spiCat: [],
    });
    expect(typeof receipt.consentTimestamp).toBe('number');
    expect(receipt.consentReceiptID).toMatch(/^[0-9a-f-]{36}$/);
    expect(receipt).not.toHaveProperty('publicKey');
    expect(receipt.services).toHaveLength(1);
    expect(receipt.services[0]!.service).toBe('Silkline');
    expect(receipt.services[0]!.purposes.map((p) => p.purpose)).toEqual(['analytics', 'personalisation']);
    expect(receipt.services[0]!.purposes[0]).toMatchObject({ consentType: 'EXPLICIT', primaryPurpose: false, termination: 'withdrawal', thirdPartyDisclosure: false, piiCategory: expect.any(Array) });
  });
});

describe('the consent provider', () => {
  it('exports the account’s ledger and erases by cutting the rows off the person, keeping the proof', async () => {
    const { browser, data } = await signedIn(t.app);
    const subject = await accountIdOf(data.email);
    await browser.post('/privacy/consent', { choice: 'accept-all', method: 'banner' });
    const provider = consentProvider(t.app.silkline.db.kysely);
    const exported = await provider.export(subject);
    expect(exported.records.consents).toHaveLength(5);
    expect(exported.records.consents![0]).toMatchObject({ granted: true, method: 'banner', statementVersion: currentStatementVersion() });
    expect(t.app.silkline.providers.some((p) => p.name === 'consent')).toBe(true);
    expect(await provider.erase(subject)).toEqual({ erased: 5 });
    expect(await ledger({ subject })).toHaveLength(0);
    expect((await provider.export(subject)).records.consents).toHaveLength(0);
    const kept = await t.app.silkline.db.kysely.selectFrom('consentRecord').select(['purpose', 'granted', 'subject']).where('subject', 'is', null).where('consentId', 'is', null).execute();
    expect(kept.length).toBeGreaterThanOrEqual(5);
  });
});

describe('the consent catalog', () => {
  it('has the same keys in zh-CN and en', () => {
    expect(Object.keys(consentMessages.en).sort()).toEqual(Object.keys(consentMessages['zh-CN']).sort());
  });
});

/** Whether a page is kept for visitors: its key starts with language, banner state and URL. */
function isSharedPage(base: string): boolean {
  return [...t.app.platform.visitorPages.keys()].some((key) => key === base || key.startsWith(`${base} `));
}

describe('pages shared by signed-out visitors', () => {
  it('are cached apart from pages with the banner, and a fresh visitor still gets the banner', async () => {
    const decided = new Browser(t.app);
    await decided.post('/privacy/consent', { choice: 'reject-all', method: 'banner' });
    const cached = await decided.get('/contact');
    expect(hasBanner(cached.body)).toBe(false);
    expect(isSharedPage('zh-CN - /contact')).toBe(true);
    const fresh = await new Browser(t.app).get('/contact');
    expect(hasBanner(fresh.body)).toBe(true);
    expect(fresh.body).not.toBe(cached.body);
  });
});
