import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { leafCategories } from '../src/modules/catalogue/index.js';
import { alertItemLimit, maxSubscriptions } from '../src/modules/subscriptions/index.js';
import type { AuthState } from '../src/platform/http/context.js';
import { Browser, linkIn, makeProduct, signedIn, supplier, useTestApp, withAuth } from './helpers.js';

const t = useTestApp({}, { mail: true });

const db = () => t.app.silkline.db.kysely;
const hour = 3_600_000;

type Person = Awaited<ReturnType<typeof signedIn>> & { accountId: string; auth: AuthState };
type Supplier = Person & { companyId: string };

const person = async (): Promise<Person> => withAuth(t.app, await signedIn(t.app));
const seller = async (verified = true): Promise<Supplier> => withAuth(t.app, await supplier(t.app, { verified }));
/** A word no other test's products carry, so a keyword subscription matches only this test's. */
const uniqueWord = () => `zq${Array.from(randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;
/** A published product (unless told otherwise) whose titles carry the word. */
const product = (owner: Supplier, word: string, publish = true) =>
  makeProduct(t.app, owner, { publish, fields: { titleZh: `LED工矿灯 ${word} 100W`, titleEn: `LED high bay ${word} 100W` } });

const rows = (accountId: string) => db().selectFrom('subscription').selectAll().where('accountId', '=', accountId).orderBy('createdAt').execute();
const alertMails = (email: string) => db().selectFrom('mailOutbox').select(['subject', 'textBody']).where('recipient', '=', email).where('kind', '=', 'subscription-alert').execute();

/** Creates a subscription through the API and answers its id. */
async function subscribe(who: Person, body: Record<string, unknown>, query = ''): Promise<string> {
  const response = await who.browser.api('POST', `/api/subscriptions${query}`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

let shop: Supplier;
beforeAll(async () => {
  shop = await seller();
});

describe('creating and changing a subscription', () => {
  it('sends visitors to sign in, keeping what the search page pre-filled', async () => {
    const visitor = new Browser(t.app);
    expect((await visitor.get('/subscriptions')).headers.location).toBe('/sign-in?next=%2Fsubscriptions');
    const form = await visitor.get('/subscriptions/new?keyword=LED&province=440000');
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe(`/sign-in?next=${encodeURIComponent('/subscriptions/new?keyword=LED&province=440000')}`);
    expect((await visitor.get('/api/subscriptions')).statusCode).toBe(401);
    expect((await visitor.api('POST', '/api/subscriptions', { keyword: 'LED' })).statusCode).toBe(401);
  });

  it('links a company profile to the subscription form pre-filled with that company', async () => {
    const profile = await new Browser(t.app).get(`/companies/${shop.companyId}`);
    expect(profile.body).toContain(`href="/subscriptions/new?companyId=${shop.companyId}"`);
    const buyer = await person();
    const form = await buyer.browser.get(`/subscriptions/new?companyId=${shop.companyId}`);
    expect(form.body).toMatch(new RegExp(`name="companyId" value="${shop.companyId}" checked`));
  });

  it('offers 订阅此搜索 on a product search with criteria, and not on a company search or an empty one', async () => {
    const visitor = new Browser(t.app);
    const products = await visitor.get('/search?q=LED&province=440000');
    expect(products.body).toContain('action="/subscriptions/new"');
    expect(products.body).toContain('<input type="hidden" name="keyword" value="LED"/>');
    expect(products.body).toContain('<input type="hidden" name="province" value="440000"/>');
    expect((await visitor.get('/search?q=LED&type=companies')).body).not.toContain('action="/subscriptions/new"');
    expect((await visitor.get('/search')).body).not.toContain('action="/subscriptions/new"');
  });

  it('creates through the form, named after its criteria, and lists it with its alerts', async () => {
    const buyer = await person();
    const leaf = leafCategories()[0]!;
    const response = await buyer.browser.post('/subscriptions', { keyword: ' LED  工矿灯 ', category: leaf.id, province: '440000', frequency: 'daily' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/subscriptions?done=created');
    const [row] = await rows(buyer.accountId);
    expect(row).toMatchObject({ keyword: 'LED 工矿灯', categoryId: leaf.id, provinceCode: '440000', companyId: null, status: 'active', alertFrequency: 'daily', locale: 'zh-CN' });
    expect(row!.name).toBe(`“LED 工矿灯” · ${leaf.zh} · 广东省`);
    const page = await buyer.browser.get('/subscriptions?done=created');
    expect(page.body).toContain('订阅已创建。');
    expect(page.body).toContain(`href="/subscriptions/${row!.id}"`);
    expect(page.body).toContain('邮件提醒：每天');
    expect(page.body).toContain('已创建 1 / 20 个订阅');
  });

  it('refuses a form without its CSRF token (403) and stores nothing', async () => {
    const buyer = await person();
    await buyer.browser.get('/subscriptions/new');
    expect((await buyer.browser.post('/subscriptions', { keyword: 'LED', _csrf: '' })).statusCode).toBe(403);
    expect(await rows(buyer.accountId)).toEqual([]);
  });

  it('asks for at least one criterion, in the reader’s language, and stores nothing', async () => {
    const buyer = await person();
    const zh = await buyer.browser.post('/subscriptions', { name: '我的订阅', frequency: 'weekly' });
    expect(zh.statusCode).toBe(400);
    expect(zh.body).toContain('请至少填写或选择一个条件');
    expect(zh.body).toContain('id="field-criteria-error"');
    expect(zh.body).toContain('value="我的订阅"');
    const en = await buyer.browser.post('/subscriptions?lang=en', { frequency: 'weekly' });
    expect(en.body).toContain('Fill in or choose at least one criterion');
    const api = await buyer.browser.api('POST', '/api/subscriptions', { name: 'x' });
    expect(api.statusCode).toBe(400);
    expect(api.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { criteria: expect.stringContaining('请至少') } });
    expect(await rows(buyer.accountId)).toEqual([]);
  });

  const badForms: [string, Record<string, string>, string][] = [
    ['a 61-character name', { keyword: 'LED', name: '订'.repeat(61) }, 'name'],
    ['a 101-character keyword', { keyword: 'x'.repeat(101) }, 'keyword'],
    ['a 10,000-character keyword', { keyword: 'x'.repeat(10_000) }, 'keyword'],
    ['a keyword of punctuation only', { keyword: '！？…' }, 'keyword'],
    ['control characters in the keyword', { keyword: 'LED\u0000' }, 'keyword'],
    ['an unknown category', { category: 'no-such.category' }, 'category'],
    ['a script as category', { category: '<script>alert(1)</script>' }, 'category'],
    ['a city code as province', { province: '440300' }, 'province'],
    ['a company id that is no uuid', { companyId: '1 or 1=1' }, 'companyId'],
    ['an unknown company', { companyId: randomUUID() }, 'companyId'],
    ['an unknown frequency', { keyword: 'LED', frequency: 'hourly' }, 'frequency'],
  ];

  it.each(badForms)('refuses %s with a field message (400), escaped, storing nothing', async (_name, form, field) => {
    const buyer = await person();
    const response = await buyer.browser.post('/subscriptions', form);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toMatch(new RegExp(`id="field-${field}-error"|name="${field}"`));
    expect(response.body).toContain('提交的信息有误');
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(await rows(buyer.accountId)).toEqual([]);
  });

  it('refuses wrong types through the API (400) and repeated form fields, storing nothing', async () => {
    const buyer = await person();
    for (const body of [{ keyword: 42 }, { keyword: ['LED'] }, { category: { id: 'x' } }, { keyword: 'LED', frequency: null }]) {
      const response = await buyer.browser.api('POST', '/api/subscriptions', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
    const token = await buyer.browser.csrf();
    const repeated = await t.app.inject({
      method: 'POST',
      url: '/subscriptions',
      remoteAddress: buyer.browser.remoteAddress,
      headers: { cookie: buyer.browser.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token)}&keyword=a&keyword=b`,
    });
    expect(repeated.statusCode).toBe(400);
    expect(await rows(buyer.accountId)).toEqual([]);
  });

  it(`refuses a subscription beyond ${maxSubscriptions} with a clear message`, async () => {
    const buyer = await person();
    const at = new Date().toISOString();
    await db()
      .insertInto('subscription')
      .values(Array.from({ length: maxSubscriptions }, (_, i) => ({
        id: randomUUID(), accountId: buyer.accountId, name: `s${i}`, keyword: `k${i}`, categoryId: null, provinceCode: null, companyId: null,
        status: 'active' as const, alertFrequency: 'off' as const, locale: 'zh-CN', seenAt: at, alertedAt: at, alertDueAt: null, createdAt: at, updatedAt: at,
      })))
      .execute();
    const api = await buyer.browser.api('POST', '/api/subscriptions', { keyword: 'LED' });
    expect(api.statusCode).toBe(409);
    expect(api.json().error.message).toBe(`每个账户最多可以创建 ${maxSubscriptions} 个订阅，请先删除不再需要的订阅。`);
    const form = await buyer.browser.post('/subscriptions', { keyword: 'LED' });
    expect(form.statusCode).toBe(409);
    expect(form.body).toContain('每个账户最多可以创建');
    expect(await rows(buyer.accountId)).toHaveLength(maxSubscriptions);
  });

  it('edits, pauses, resumes and deletes through the pages', async () => {
    const buyer = await person();
    const id = await subscribe(buyer, { keyword: 'LED', frequency: 'weekly' });
    const edit = await buyer.browser.get(`/subscriptions/${id}/edit`);
    expect(edit.body).toContain('value="LED"');
    expect(edit.body).toContain(`action="/subscriptions/${id}"`);
    expect((await buyer.browser.post(`/subscriptions/${id}`, { name: '工矿灯', keyword: '工矿灯', frequency: 'off' })).headers.location).toBe('/subscriptions?done=updated');
    expect((await rows(buyer.accountId))[0]).toMatchObject({ name: '工矿灯', keyword: '工矿灯', alertFrequency: 'off', alertDueAt: null });

    expect((await buyer.browser.post(`/subscriptions/${id}/pause`, {})).headers.location).toBe('/subscriptions?done=paused');
    expect((await buyer.browser.get('/subscriptions')).body).toContain('已暂停');
    expect((await rows(buyer.accountId))[0]!.status).toBe('paused');
    await buyer.browser.post(`/subscriptions/${id}/resume`, {});
    expect((await rows(buyer.accountId))[0]!.status).toBe('active');

    expect((await buyer.browser.post(`/subscriptions/${id}/delete`, {})).headers.location).toBe('/subscriptions?done=deleted');
    expect(await rows(buyer.accountId)).toEqual([]);
    expect((await buyer.browser.get('/subscriptions?done=deleted')).body).toContain('您还没有订阅。');
  });

  it('works through the JSON API: list, update (with pause), delete', async () => {
    const buyer = await person();
    const id = await subscribe(buyer, { keyword: 'LED', province: '440000' });
    const list = await buyer.browser.get('/api/subscriptions');
    expect(list.json().items).toEqual([expect.objectContaining({ id, keyword: 'LED', province: '440000', frequency: 'weekly', status: 'active', newCount: expect.any(Number) })]);
    expect(Object.keys(list.json().items[0])).not.toContain('accountId');
    const updated = await buyer.browser.api('PUT', `/api/subscriptions/${id}`, { keyword: 'solar', frequency: 'daily', status: 'paused' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ id, keyword: 'solar', province: null, frequency: 'daily', status: 'paused' });
    expect((await buyer.browser.api('DELETE', `/api/subscriptions/${id}`)).json()).toEqual({ id, deleted: true });
    expect((await buyer.browser.api('DELETE', `/api/subscriptions/${id}`)).statusCode).toBe(404);
    const openapi = (await new Browser(t.app).get('/api/openapi.json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/subscriptions', '/api/subscriptions/{id}']));
  });

  it('lets nobody see, change or delete another person’s subscription (404, nothing changed)', async () => {
    const alice = await person();
    const bob = await person();
    const id = await subscribe(alice, { keyword: 'LED' });
    const before = await rows(alice.accountId);
    for (const url of [`/subscriptions/${id}`, `/subscriptions/${id}/edit`]) expect((await bob.browser.get(url)).statusCode).toBe(404);
    for (const url of [`/subscriptions/${id}`, `/subscriptions/${id}/pause`, `/subscriptions/${id}/delete`]) {
      expect((await bob.browser.post(url, { keyword: 'hijack' })).statusCode).toBe(404);
    }
    expect((await bob.browser.get(`/api/subscriptions/${id}`)).statusCode).toBe(404);
    expect((await bob.browser.api('PUT', `/api/subscriptions/${id}`, { keyword: 'hijack' })).statusCode).toBe(404);
    expect((await bob.browser.api('DELETE', `/api/subscriptions/${id}`)).statusCode).toBe(404);
    expect((await bob.browser.get('/api/subscriptions')).json().items).toEqual([]);
    expect(await rows(alice.accountId)).toEqual(before);
    for (const url of ['/subscriptions/not-an-id', '/subscriptions/not-an-id/edit']) expect((await bob.browser.get(url)).statusCode).toBe(404);
  });
});

describe('matching products', () => {
  it('shows only published products of verified companies that match, newest first', async () => {
    const word = uniqueWord();
    const first = await product(shop, word);
    const second = await product(shop, word);
    const draft = await product(shop, word, false);
    const other = await product(shop, uniqueWord());
    const unverified = await seller(false);
    const hidden = await product(unverified, word);
    const buyer = await person();
    const id = await subscribe(buyer, { keyword: word });
    const page = await buyer.browser.get(`/subscriptions/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/products/${first}"`);
    expect(page.body.indexOf(`href="/products/${second}"`)).toBeLessThan(page.body.indexOf(`href="/products/${first}"`));
    for (const absent of [draft, other, hidden]) expect(page.body).not.toContain(absent);
    expect(page.body).toContain('共 2 个符合条件的产品');
  });

  it('counts products new since the person last looked, and looking marks them seen', async () => {
    const word = uniqueWord();
    const buyer = await person();
    const id = await subscribe(buyer, { keyword: word, companyId: shop.companyId });
    expect((await buyer.browser.get('/subscriptions')).body).toContain('暂无新产品');
    await product(shop, word);
    await product(shop, word);
    expect((await buyer.browser.get('/subscriptions')).body).toContain('2 个新产品');
    expect((await buyer.browser.get('/api/subscriptions')).json().items[0]).toMatchObject({ newCount: 2, hasMoreNew: false });
    const seen = await buyer.browser.get(`/subscriptions/${id}`);
    expect(seen.body).toContain('上次查看后新发布');
    expect((await buyer.browser.get('/subscriptions')).body).toContain('暂无新产品');
    const again = await buyer.browser.get(`/subscriptions/${id}`);
    expect(again.body).not.toContain('上次查看后新发布');
    expect(again.body).toContain('更早发布');
  });

  it('pages 20 at a time and has an empty state', async () => {
    const word = uniqueWord();
    const owner = await seller();
    for (let i = 0; i < 21; i++) await product(owner, word);
    const buyer = await person();
    const id = await subscribe(buyer, { keyword: word });
    const first = await buyer.browser.get(`/subscriptions/${id}`);
    expect(first.body.match(/class="product-card"/g)).toHaveLength(20);
    expect(first.body).toContain(`href="/subscriptions/${id}?page=2"`);
    expect((await buyer.browser.get(`/subscriptions/${id}?page=2`)).body.match(/class="product-card"/g)).toHaveLength(1);
    expect((await buyer.browser.get(`/subscriptions/${id}?page=999`)).body.match(/class="product-card"/g)).toHaveLength(1);
    const none = await subscribe(buyer, { keyword: uniqueWord() });
    expect((await buyer.browser.get(`/subscriptions/${none}?lang=en`)).body).toContain('No products match yet.');
  });
});

describe('the form and the search page', () => {
  it('carries a just-in-time notice from the data map, in both languages', async () => {
    const buyer = await person();
    const zh = await buyer.browser.get('/subscriptions/new');
    expect(zh.body).toContain('id="subscription-notice"');
    expect(zh.body).toContain('data-category="subscriptions.criteria"');
    expect(zh.body).toContain('data-category="subscriptions.alerts"');
    expect(zh.body).toContain('订阅邮件提醒设置');
    expect(zh.body).toContain('直至您删除该订阅或注销账户');
    const en = await buyer.browser.get('/subscriptions/new?lang=en');
    expect(en.body).toContain('data-category="subscriptions.criteria"');
    expect(en.body).toContain('Subscription email alerts');
    expect(en.body).toContain('until you delete the subscription or cancel your account');
  });

  it('offers "subscribe to this search" with the query and filters, and pre-fills the form', async () => {
    const buyer = await person();
    const search = await buyer.browser.get('/search?q=LED&province=440000');
    expect(search.body).toContain('action="/subscriptions/new"');
    expect(search.body).toContain('订阅此搜索');
    expect(search.body).toContain('name="keyword" value="LED"');
    expect(search.body).toContain('name="province" value="440000"');
    expect((await buyer.browser.get('/search')).body).not.toContain('订阅此搜索');
    const form = await buyer.browser.get('/subscriptions/new?keyword=LED&province=440000&companyId=' + shop.companyId);
    expect(form.body).toContain('id="field-keyword" name="keyword" type="text" value="LED"');
    expect(form.body).toMatch(/<option value="440000" selected/);
    expect(form.body).toContain(`name="companyId" value="${shop.companyId}"`);
  });

  it('links 我的订阅 from 我的丝路, which the header of signed-in pages links', async () => {
    const buyer = await person();
    expect((await buyer.browser.get('/')).body).toContain('<a href="/me">');
    expect((await buyer.browser.get('/me')).body).toContain('<a href="/subscriptions">我的订阅</a>');
  });
});

describe('email alerts', () => {
  const run = (from: number, hours: number) => t.app.silkline.subscriptions.sendAlerts(new Date(from + hours * hour));

  it('sends one daily digest over SMTP with the new products and a working unsubscribe link; nothing twice', async () => {
    const word = uniqueWord();
    const buyer = await person();
    const start = Date.now();
    const id = await subscribe(buyer, { keyword: word, frequency: 'daily' });
    const productId = await product(shop, word);
    await run(start, 1);
    expect(await alertMails(buyer.data.email)).toEqual([]);
    await run(start, 25);
    const mail = await t.sink.waitFor((m) => m.to.includes(buyer.data.email) && m.subject.includes('订阅'));
    expect(mail.subject).toBe('丝路 Silkline：您订阅的条件有 1 个新产品');
    expect(mail.text).toContain(`http://localhost:3000/products/${productId}`);
    expect(mail.text).toContain(`http://localhost:3000/subscriptions/${id}`);
    await run(start, 26);
    expect(await alertMails(buyer.data.email)).toHaveLength(1);

    // The link needs no session; a tampered one is refused and changes nothing.
    const link = linkIn(mail.text, '/subscriptions/unsubscribe?token=');
    const stranger = new Browser(t.app);
    const confirm = await stranger.get(link);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('关闭订阅');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await stranger.post('/subscriptions/unsubscribe', { token: tampered })).statusCode).toBe(410);
    expect((await stranger.get(`/subscriptions/unsubscribe?token=${randomUUID()}.${'A'.repeat(43)}`)).statusCode).toBe(410);
    expect((await stranger.get('/subscriptions/unsubscribe?token=%3Cscript%3E')).statusCode).toBe(410);
    expect((await rows(buyer.accountId))[0]!.alertFrequency).toBe('daily');
    const done = await stranger.post('/subscriptions/unsubscribe', { token });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('已关闭订阅');
    expect((await rows(buyer.accountId))[0]).toMatchObject({ alertFrequency: 'off', alertDueAt: null, status: 'active' });
    expect((await stranger.get(link)).body).toContain('已经关闭');
  });

  it('offers one-click unsubscribe in the mail headers, which turns off every alert of that person and no one else', async () => {
    const word = uniqueWord();
    const buyer = await person();
    const other = await person();
    const start = Date.now();
    await subscribe(buyer, { keyword: word, frequency: 'daily' });
    await subscribe(buyer, { keyword: uniqueWord(), frequency: 'weekly' });
    await subscribe(other, { keyword: word, frequency: 'daily' });
    await product(shop, word);
    await run(start, 25);
    const mail = await t.sink.waitFor((m) => m.to.includes(buyer.data.email) && m.subject.includes('订阅'));
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const header = mail.headers.get('list-unsubscribe') ?? '';
    const link = /^<(http:\/\/localhost:3000\/subscriptions\/unsubscribe\?token=all-[^>]+)>$/.exec(header)?.[1];
    expect(link, header).toBeDefined();
    const stored = await t.app.silkline.db.kysely.selectFrom('mailOutbox').select('unsubscribeUrl').where('recipient', '=', buyer.data.email).where('kind', '=', 'subscription-alert').executeTakeFirstOrThrow();
    expect(stored.unsubscribeUrl).toBe(link);
    const path = link!.slice('http://localhost:3000'.length);

    // What a mail program sends (RFC 8058): a POST to the link itself, no cookie, no CSRF token.
    const oneClick = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.body).toContain('已关闭您所有订阅的邮件提醒');
    expect((await rows(buyer.accountId)).map((r) => r.alertFrequency)).toEqual(['off', 'off']);
    expect((await rows(other.accountId))[0]!.alertFrequency).toBe('daily');
    expect((await new Browser(t.app).get(`${path}&lang=en`)).body).toContain('Email alerts for all your subscriptions are already off.');
    const forged = path.replace(/all-[0-9a-f-]{36}/, `all-${other.accountId}`);
    expect((await t.app.inject({ method: 'POST', url: forged, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode).toBe(410);
    expect((await rows(other.accountId))[0]!.alertFrequency).toBe('daily');
  });

  it('sends nothing when nothing is new', async () => {
    const buyer = await person();
    const start = Date.now();
    await subscribe(buyer, { keyword: uniqueWord(), frequency: 'daily' });
    await run(start, 25);
    expect(await alertMails(buyer.data.email)).toEqual([]);
    expect(new Date((await rows(buyer.accountId))[0]!.alertDueAt!).getTime()).toBeGreaterThan(start + 48 * hour);
  });

  it('sends weekly alerts a week apart, in the language the subscription was made in, at most 10 products each', async () => {
    const word = uniqueWord();
    const buyer = await person();
    const start = Date.now();
    await subscribe(buyer, { keyword: word, frequency: 'weekly' }, '?lang=en');
    for (let i = 0; i < alertItemLimit + 2; i++) await product(shop, word);
    await run(start, 25);
    expect(await alertMails(buyer.data.email)).toEqual([]);
    await run(start, 7 * 24 + 1);
    const [mail] = await alertMails(buyer.data.email);
    expect(mail!.subject).toBe(`Silkline: ${alertItemLimit + 2} new products match your subscriptions`);
    expect(mail!.textBody.match(/\/products\//g)).toHaveLength(alertItemLimit);
    expect(mail!.textBody).toContain('… and 2 more');
  });

  it('sends nothing for paused subscriptions or with alerts off', async () => {
    const word = uniqueWord();
    const buyer = await person();
    const start = Date.now();
    const paused = await subscribe(buyer, { keyword: word, frequency: 'daily' });
    await subscribe(buyer, { keyword: word, frequency: 'off' });
    await buyer.browser.post(`/subscriptions/${paused}/pause`, {});
    await product(shop, word);
    await run(start, 25);
    expect(await alertMails(buyer.data.email)).toEqual([]);
  });
});

describe('the home page', () => {
  it('shows new products of the person’s subscriptions, and recommendations only with consent to personalisation', async () => {
    const word = uniqueWord();
    const followedShop = await seller();
    const recommended = await product(followedShop, uniqueWord());
    const matched = await product(shop, word);
    const buyer = await person();
    await subscribe(buyer, { keyword: word });
    await buyer.browser.post('/follows', { type: 'company', id: followedShop.companyId });

    const without = await buyer.browser.get('/');
    expect(without.body).toContain('您订阅的新产品');
    expect(without.body).toContain(`href="/products/${matched}"`);
    expect(without.body).not.toContain('为您推荐');
    expect(without.body).not.toContain(recommended);

    await buyer.browser.post('/privacy/consent', { choice: 'custom', method: 'settings', personalisation: 'on' });
    const withConsent = await buyer.browser.get('/');
    expect(withConsent.body).toContain('为您推荐');
    expect(withConsent.body).toContain('因为您同意了个性化推荐');
    expect(withConsent.body).toContain('href="/privacy/settings"');
    expect(withConsent.body).toContain(`href="/products/${recommended}"`);

    await buyer.browser.post('/privacy/consent', { choice: 'custom', method: 'settings' });
    expect((await buyer.browser.get('/')).body).not.toContain('为您推荐');
    expect((await new Browser(t.app).get('/')).body).not.toContain('您订阅的新产品');
  });
});

describe('personal data', () => {
  it('exports the person’s subscriptions and erases them', async () => {
    const buyer = await person();
    await subscribe(buyer, { keyword: 'LED' });
    const provider = t.app.silkline.providers.find((p) => p.name === 'subscriptions')!;
    const exported = await provider.export(buyer.accountId);
    expect(exported.records.subscriptions).toEqual([expect.objectContaining({ keyword: 'LED', alertFrequency: 'weekly' })]);
    expect(await provider.erase(buyer.accountId)).toEqual({ erased: 1 });
    expect(await rows(buyer.accountId)).toEqual([]);
  });
});
