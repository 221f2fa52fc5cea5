import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { dailyEmailLimit, maxFollows, socialMessages } from '../src/modules/social/index.js';
import type { ServiceEvent } from '../src/modules/telemetry/index.js';
import type { AuthState } from '../src/platform/http/context.js';
import { Browser, signedIn, supplier, useTestApp } from './helpers.js';
import { makeProduct, withAuth } from './helpers.js';

const t = useTestApp({}, { mail: true });

const db = () => t.app.silkline.db.kysely;

type Person = Awaited<ReturnType<typeof signedIn>> & { accountId: string; auth: AuthState };
type Supplier = Person & { companyId: string };


const person = async (overrides: Record<string, string> = {}): Promise<Person> => withAuth(t.app, await signedIn(t.app, overrides));
const seller = async (): Promise<Supplier> => withAuth(t.app, await supplier(t.app));


const product = (owner: Supplier, publish = true) => makeProduct(t.app, owner, { publish });

/** The service-log events of a subject (an account id, or `browser:<consent id>`). */
async function events(subject: string, event?: ServiceEvent) {
  let query = db()
    .selectFrom('serviceEvent')
    .select(['event', 'targetType', 'targetId'])
    .where('subjectRef', '=', t.app.silkline.telemetry.subjectRef(subject));
  if (event) query = query.where('event', '=', event);
  return query.orderBy('createdAt').execute();
}

const followRows = (accountId: string) => db().selectFrom('follow').selectAll().where('accountId', '=', accountId).execute();
const shareRows = (accountId: string) => db().selectFrom('shareLink').selectAll().where('sharerId', '=', accountId).orderBy('createdAt').execute();
const emailShares = async (accountId: string) => (await shareRows(accountId)).filter((r) => r.channel === 'email');
const tokenOf = (url: string) => new URL(url, 'http://x').searchParams.get('s');
/** The value of the share page's link field. */
const linkField = (html: string) => /id="share-link"[^>]*value="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';

let shop: Supplier;
let productId: string;
beforeAll(async () => {
  shop = await seller();
  productId = await product(shop);
});

describe('following a company', () => {
  it('shows the follower count and a follow button on the company page, and a sign-in link to visitors', async () => {
    const visitor = await new Browser(t.app).get(`/companies/${shop.companyId}`);
    expect(visitor.statusCode).toBe(200);
    expect(visitor.body).toContain('关注者：0');
    expect(visitor.body).toContain(`/sign-in?next=${encodeURIComponent(`/companies/${shop.companyId}`)}`);
    expect(visitor.body).toContain(`/share?type=company&amp;id=${shop.companyId}`);
  });

  it('follows through the page form, once however often it is sent, and logs one service event', async () => {
    const buyer = await person();
    for (let i = 0; i < 2; i++) {
      const response = await buyer.browser.post('/follows', { type: 'company', id: shop.companyId, next: `/companies/${shop.companyId}#social-actions` });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`/companies/${shop.companyId}#social-actions`);
    }
    expect(await followRows(buyer.accountId)).toHaveLength(1);
    expect(await events(buyer.accountId, 'follow.added')).toEqual([{ event: 'follow.added', targetType: 'company', targetId: shop.companyId }]);
    const page = await buyer.browser.get(`/companies/${shop.companyId}`);
    expect(page.body).toContain('您已关注此公司。');
    expect(page.body).toContain('action="/follows/remove"');
    expect(page.body).toMatch(/关注者：[1-9]/);
  });

  it('unfollows, once however often it is sent, and logs one service event', async () => {
    const buyer = await person();
    await buyer.browser.post('/follows', { type: 'company', id: shop.companyId });
    const before = await t.app.silkline.social.followState(null, { type: 'company', id: shop.companyId });
    for (let i = 0; i < 2; i++) {
      expect((await buyer.browser.post('/follows/remove', { type: 'company', id: shop.companyId, next: `/companies/${shop.companyId}` })).statusCode).toBe(303);
    }
    expect(await followRows(buyer.accountId)).toHaveLength(0);
    expect(await events(buyer.accountId, 'follow.removed')).toHaveLength(1);
    expect((await t.app.silkline.social.followState(null, { type: 'company', id: shop.companyId })).followers).toBe(before.followers - 1);
  });

  it('sends a visitor who posts the form to sign in, and back to the page afterwards', async () => {
    const response = await new Browser(t.app).post('/follows', { type: 'company', id: shop.companyId, next: `/companies/${shop.companyId}` });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/companies/${shop.companyId}`)}`);
  });

  it('never redirects off the site', async () => {
    const buyer = await person();
    const response = await buyer.browser.post('/follows', { type: 'company', id: shop.companyId, next: '//evil.example/x' });
    expect(response.headers.location).toBe('/following');
  });
});

describe('following a product through the API', () => {
  it('follows, counts and unfollows idempotently', async () => {
    const buyer = await person();
    const target = { type: 'product', id: productId };
    const first = await buyer.browser.api('POST', '/api/follows', target);
    expect(first.statusCode).toBe(200);
    const followers = first.json().followers as number;
    expect(first.json()).toEqual({ ...target, isFollowing: true, followers });
    expect((await buyer.browser.api('POST', '/api/follows', target)).json()).toEqual({ ...target, isFollowing: true, followers });

    const count = await new Browser(t.app).get(`/api/follows/count?type=product&id=${productId}`);
    expect(count.json()).toEqual({ ...target, isFollowing: false, followers });
    expect((await buyer.browser.get(`/api/follows/count?type=product&id=${productId}`)).json().isFollowing).toBe(true);

    expect((await buyer.browser.api('DELETE', '/api/follows', target)).json()).toEqual({ ...target, isFollowing: false, followers: followers - 1 });
    expect((await buyer.browser.api('DELETE', '/api/follows', target)).json()).toEqual({ ...target, isFollowing: false, followers: followers - 1 });
    expect(await events(buyer.accountId, 'follow.added')).toHaveLength(1);
    expect(await events(buyer.accountId, 'follow.removed')).toHaveLength(1);
  });

  it('shows the follower count and the button on the product page', async () => {
    const buyer = await person();
    await buyer.browser.api('POST', '/api/follows', { type: 'product', id: productId });
    const page = await buyer.browser.get(`/products/${productId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/关注者：[1-9]/);
    expect(page.body).toContain('您已关注此产品。');
  });

  it('refuses what is not public: an unpublished product, an unknown company (404, nothing stored)', async () => {
    const buyer = await person();
    const hidden = await product(shop, false);
    for (const target of [{ type: 'product', id: hidden }, { type: 'company', id: randomUUID() }]) {
      expect((await buyer.browser.api('POST', '/api/follows', target)).statusCode).toBe(404);
      expect((await buyer.browser.post('/follows', target)).statusCode).toBe(404);
      expect((await buyer.browser.get(`/api/follows/count?type=${target.type}&id=${target.id}`)).statusCode).toBe(404);
    }
    expect(await followRows(buyer.accountId)).toHaveLength(0);
  });

  it(`refuses a follow beyond ${maxFollows} with a clear message, while unfollowing still works`, async () => {
    const buyer = await person();
    const now = new Date().toISOString();
    await db()
      .insertInto('follow')
      .values(Array.from({ length: maxFollows }, () => ({ id: randomUUID(), accountId: buyer.accountId, targetType: 'company' as const, targetId: randomUUID(), createdAt: now })))
      .execute();
    const refused = await buyer.browser.api('POST', '/api/follows', { type: 'product', id: productId });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe(`您最多可以关注 ${maxFollows} 个公司和产品，请先取消一些关注。`);
    const [some] = await followRows(buyer.accountId);
    expect((await buyer.browser.api('DELETE', '/api/follows', { type: 'company', id: some!.targetId })).statusCode).toBe(200);
    expect((await buyer.browser.api('POST', '/api/follows', { type: 'product', id: productId })).json().isFollowing).toBe(true);
  });

  it('asks visitors to sign in (401) and keeps nothing', async () => {
    const visitor = new Browser(t.app);
    expect((await visitor.api('POST', '/api/follows', { type: 'product', id: productId })).statusCode).toBe(401);
    expect((await visitor.api('DELETE', '/api/follows', { type: 'product', id: productId })).statusCode).toBe(401);
    expect((await visitor.get('/api/follows')).statusCode).toBe(401);
  });
});

describe('the Following page', () => {
  it('sends visitors to sign in', async () => {
    const response = await new Browser(t.app).get('/following');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?next=%2Ffollowing');
  });

  it('has an empty state for each tab', async () => {
    const buyer = await person();
    const companies = await buyer.browser.get('/following');
    expect(companies.statusCode).toBe(200);
    expect(companies.body).toContain('您还没有关注任何公司。');
    expect(companies.body).toContain('href="/following?type=company" aria-current="page"');
    const products = await buyer.browser.get('/following?type=product');
    expect(products.body).toContain('您还没有关注任何产品。');
    const english = await buyer.browser.get('/following?type=product&lang=en');
    expect(english.body).toContain('You do not follow any product yet.');
  });

  it('lists followed companies and products with links, and unfollows from the list', async () => {
    const buyer = await person();
    await buyer.browser.post('/follows', { type: 'company', id: shop.companyId });
    await buyer.browser.post('/follows', { type: 'product', id: productId });
    const companies = await buyer.browser.get('/following');
    expect(companies.body).toContain(`href="/companies/${shop.companyId}"`);
    expect(companies.body).toContain('深圳光明照明科技有限公司');
    const products = await buyer.browser.get('/following?type=product');
    expect(products.body).toContain(`href="/products/${productId}"`);
    expect(products.body).toContain('LED工矿灯 100W 防水IP65');

    const removed = await buyer.browser.post('/follows/remove', { type: 'product', id: productId, next: '/following?type=product&page=1&done=unfollowed' });
    expect(removed.headers.location).toBe('/following?type=product&page=1&done=unfollowed');
    const after = await buyer.browser.get(String(removed.headers.location));
    expect(after.body).toContain('已取消关注。');
    expect(after.body).toContain('您还没有关注任何产品。');
  });

  it('keeps a product that is no longer public in the list, marked, so it can be unfollowed', async () => {
    const buyer = await person();
    const id = await product(shop);
    await buyer.browser.post('/follows', { type: 'product', id });
    await t.app.silkline.products.setStatus(shop.auth, shop.companyId, id, 'unpublished');
    const page = await buyer.browser.get('/following?type=product');
    expect(page.body).toContain('此产品已下架或不再公开展示');
    expect(page.body).toContain(`name="id" value="${id}"`);
    const api = await buyer.browser.get('/api/follows?type=product');
    expect(api.json().items).toEqual([{ type: 'product', id, followedAt: expect.any(String), isAvailable: false, nameZh: null, nameEn: null }]);
  });

  it('pages 20 at a time, newest first', async () => {
    const buyer = await person();
    const start = Date.now();
    const ids = Array.from({ length: 21 }, () => randomUUID());
    await db()
      .insertInto('follow')
      .values(ids.map((id, i) => ({ id: randomUUID(), accountId: buyer.accountId, targetType: 'company' as const, targetId: id, createdAt: new Date(start + i * 1000).toISOString() })))
      .execute();
    const first = await buyer.browser.get('/following');
    expect(first.body.match(/class="card followed-item"/g)).toHaveLength(20);
    expect(first.body).toContain('第 1 / 2 页');
    expect(first.body).toContain('href="/following?type=company&amp;page=2"');
    expect(first.body).toContain(ids[20]);
    expect(first.body).not.toContain(ids[0]);
    const second = await buyer.browser.get('/following?page=2');
    expect(second.body.match(/class="card followed-item"/g)).toHaveLength(1);
    expect(second.body).toContain(ids[0]);
    const api = await buyer.browser.get('/api/follows?type=company&page=2');
    expect(api.json()).toMatchObject({ type: 'company', page: 2, pages: 2, total: 21 });
    expect(api.json().items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
  });

  it('shows nobody else’s follows, and nobody can unfollow for someone else', async () => {
    const alice = await person();
    const bob = await person();
    await alice.browser.post('/follows', { type: 'company', id: shop.companyId });
    const bobs = await bob.browser.get('/following');
    expect(bobs.body).not.toContain(`href="/companies/${shop.companyId}"`);
    expect((await bob.browser.get('/api/follows?type=company')).json().items).toEqual([]);
    await bob.browser.post('/follows/remove', { type: 'company', id: shop.companyId });
    await bob.browser.api('DELETE', '/api/follows', { type: 'company', id: shop.companyId });
    expect(await followRows(alice.accountId)).toHaveLength(1);
    // The public count says how many, never who.
    expect(Object.keys((await new Browser(t.app).get(`/api/follows/count?type=company&id=${shop.companyId}`)).json()).sort()).toEqual(['followers', 'id', 'isFollowing', 'type']);
  });

  it('falls back to the first page of companies for a bad tab or page', async () => {
    const buyer = await person();
    for (const query of ['?type=user&page=-1', '?page=abc', '?page=99999999', '?type=%3Cscript%3E']) {
      const response = await buyer.browser.get(`/following${query}`);
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toContain('<script>');
    }
  });
});

describe('sharing', () => {
  it('shows visitors the plain link, a QR code without inline style, and a sign-in link instead of the email form', async () => {
    const page = await new Browser(t.app).get(`/share?type=product&id=${productId}`);
    expect(page.statusCode).toBe(200);
    expect(linkField(page.body)).toBe(`http://localhost:3000/products/${productId}`);
    expect(page.body).toContain('readonly');
    expect(page.body).toMatch(/<div class="share-qr" role="img" aria-label="[^"]+"><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(page.body).not.toMatch(/\sstyle=/);
    expect(page.body).toContain('data-copy-target="share-link"');
    expect(page.body).toMatch(/<script[^>]+src="\/assets\/share\.[^"]*js"/);
    expect(page.body).not.toContain('action="/share/email"');
    expect(page.body).toContain('登录后可通过邮件发送给同事');
    expect(page.headers['content-security-policy']).toContain("style-src 'self'");
  });

  it('gives a signed-in person a link and a QR code with tokens of their own, the same each time, logged once each', async () => {
    const sharer = await person();
    const first = await sharer.browser.get(`/share?type=company&id=${shop.companyId}`);
    const link = linkField(first.body);
    expect(link).toMatch(new RegExp(`^http://localhost:3000/companies/${shop.companyId}\\?s=[A-Za-z0-9_-]{22}$`));
    const again = await sharer.browser.get(`/share?type=company&id=${shop.companyId}`);
    expect(linkField(again.body)).toBe(link);
    const rows = await shareRows(sharer.accountId);
    expect(rows.map((r) => r.channel).sort()).toEqual(['link', 'qr']);
    expect(rows.find((r) => r.channel === 'link')!.token).toBe(tokenOf(link));
    expect(await events(sharer.accountId, 'share.created')).toHaveLength(2);

    const api = await sharer.browser.api('POST', '/api/shares', { type: 'company', id: shop.companyId });
    expect(api.statusCode).toBe(201);
    expect(api.json()).toEqual({ url: link, channel: 'link', isTracked: true });
    const qr = await sharer.browser.api('POST', '/api/shares', { type: 'company', id: shop.companyId, channel: 'qr' });
    expect(tokenOf(qr.json().url)).toBe(rows.find((r) => r.channel === 'qr')!.token);
  });

  it('shares only what is public, and only for signed-in people through the API', async () => {
    const sharer = await person();
    const hidden = await product(shop, false);
    expect((await sharer.browser.get(`/share?type=product&id=${hidden}`)).statusCode).toBe(404);
    expect((await sharer.browser.api('POST', '/api/shares', { type: 'product', id: hidden })).statusCode).toBe(404);
    expect((await new Browser(t.app).api('POST', '/api/shares', { type: 'product', id: productId })).statusCode).toBe(401);
    expect(await shareRows(sharer.accountId)).toEqual([]);
  });
});

describe('visits through a shared link', () => {
  let sharer: Person;
  let token: string;
  let shareId: string;
  beforeAll(async () => {
    sharer = await person();
    token = tokenOf((await sharer.browser.api('POST', '/api/shares', { type: 'product', id: productId })).json().url)!;
    shareId = (await shareRows(sharer.accountId))[0]!.id;
  });

  const visits = () => db().selectFrom('serviceEvent').select('subjectRef').where('event', '=', 'share.visited').where('targetId', '=', shareId).execute();

  it('are not counted without consent to analytics', async () => {
    const before = (await visits()).length;
    const visitor = new Browser(t.app);
    expect((await visitor.get(`/products/${productId}?s=${token}`)).statusCode).toBe(200);
    await visitor.post('/privacy/consent', { choice: 'reject-all', method: 'banner' });
    expect((await visitor.get(`/products/${productId}?s=${token}`)).statusCode).toBe(200);
    const account = await person();
    await account.browser.get(`/products/${productId}?s=${token}`);
    expect((await visits()).length).toBe(before);
  });

  it('are counted for a visitor who consented to analytics, under the browser’s pseudonym', async () => {
    const before = (await visits()).length;
    const visitor = new Browser(t.app);
    await visitor.post('/privacy/consent', { choice: 'custom', method: 'banner', analytics: 'on' });
    const consentId = visitor.cookie('consent_id')!;
    expect(consentId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await visitor.get(`/products/${productId}?s=${token}`)).statusCode).toBe(200);
    const after = await visits();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.subjectRef).toBe(t.app.silkline.telemetry.subjectRef(`browser:${consentId}`));
  });

  it('are counted for a signed-in person who consented, so a later inquiry by the same pseudonym can be attributed', async () => {
    const buyer = await person();
    await buyer.browser.post('/privacy/consent', { choice: 'accept-all', method: 'settings' });
    await buyer.browser.get(`/products/${productId}?s=${token}`);
    expect(await events(buyer.accountId, 'share.visited')).toEqual([{ event: 'share.visited', targetType: 'share', targetId: shareId }]);
  });

  it('are not counted for the sharer, for another page, or for a token that does not exist', async () => {
    await sharer.browser.post('/privacy/consent', { choice: 'accept-all', method: 'settings' });
    const before = (await visits()).length;
    await sharer.browser.get(`/products/${productId}?s=${token}`);
    const visitor = new Browser(t.app);
    await visitor.post('/privacy/consent', { choice: 'accept-all', method: 'banner' });
    expect((await visitor.get(`/companies/${shop.companyId}?s=${token}`)).statusCode).toBe(200);
    for (const bogus of ['AAAAAAAAAAAAAAAAAAAAAA', '%3Cscript%3E', 'x'.repeat(500)]) {
      expect((await visitor.get(`/products/${productId}?s=${bogus}`)).statusCode).toBe(200);
    }
    expect((await visits()).length).toBe(before);
    expect(await db().selectFrom('serviceEvent').select('id').where('event', '=', 'share.visited').where('targetType', '!=', 'share').execute()).toEqual([]);
  });
});

describe('emailing a link to a colleague', () => {
  it('sends the link with a token of its own over SMTP, with the note, and keeps no address of the colleague', async () => {
    const sharer = await person({ contactPerson: '王芳' });
    const colleague = `colleague.${randomUUID().slice(0, 8)}@example.cn`;
    const response = await sharer.browser.post('/share/email', { type: 'product', id: productId, email: ` ${colleague.toUpperCase()} `, note: '这个灯适合我们的仓库。' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/share?type=product&id=${productId}&done=emailed`);
    const mail = await t.sink.waitFor((m) => m.to.includes(colleague));
    expect(mail.subject).toContain('王芳');
    expect(mail.subject).toContain('LED工矿灯 100W 防水IP65');
    expect(mail.text).toContain('这个灯适合我们的仓库。');
    const url = /http:\/\/localhost:3000\/products\/\S+/.exec(mail.text)![0];
    const rows = await shareRows(sharer.accountId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'email', targetType: 'product', targetId: productId, token: tokenOf(url) });
    expect(JSON.stringify(rows)).not.toContain(colleague.split('@')[0]);
    expect(await events(sharer.accountId, 'share.emailed')).toEqual([{ event: 'share.emailed', targetType: 'product', targetId: productId }]);
    const page = await sharer.browser.get(String(response.headers.location));
    expect(page.body).toContain('邮件已发送。');
  });

  it('sends through the API too, in English when asked', async () => {
    const sharer = await person({ contactPerson: 'Amy Li' });
    const colleague = `api.${randomUUID().slice(0, 8)}@example.com`;
    const response = await sharer.browser.api('POST', '/api/shares/email?lang=en', { type: 'company', id: shop.companyId, email: colleague });
    expect(response.statusCode).toBe(201);
    expect(tokenOf(response.json().url)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const mail = await t.sink.waitFor((m) => m.to.includes(colleague));
    expect(mail.subject).toBe('Amy Li shared a company with you on Silkline: Shenzhen Guangming Lighting Technology Co., Ltd.');
  });

  it(`allows ${dailyEmailLimit} in 24 hours per person, then refuses with a clear message and sends nothing`, async () => {
    const sharer = await person();
    const now = Date.now();
    // Earlier shares: one from yesterday (no longer counted) and the day's quota.
    await db()
      .insertInto('shareLink')
      .values(
        Array.from({ length: dailyEmailLimit + 1 }, (_, i) => ({
          id: randomUUID(),
          token: randomUUID().replace(/-/g, '').slice(0, 22),
          sharerId: sharer.accountId,
          targetType: 'product' as const,
          targetId: productId,
          channel: 'email' as const,
          createdAt: new Date(i === 0 ? now - 25 * 3600_000 : now - 3600_000 + i * 1000).toISOString(),
        })),
      )
      .execute();
    const colleague = `limit.${randomUUID().slice(0, 8)}@example.cn`;
    const page = await sharer.browser.post('/share/email', { type: 'product', id: productId, email: colleague });
    expect(page.statusCode).toBe(429);
    expect(page.body).toContain(`24 小时内最多可通过邮件分享 ${dailyEmailLimit} 次`);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    const api = await sharer.browser.api('POST', '/api/shares/email', { type: 'product', id: productId, email: colleague });
    expect(api.statusCode).toBe(429);
    expect(api.json().error.code).toBe('RATE_LIMITED');
    expect(await emailShares(sharer.accountId)).toHaveLength(dailyEmailLimit + 1);
    expect(await db().selectFrom('mailOutbox').select('id').where('recipient', '=', colleague).execute()).toEqual([]);
  });

  it('is for signed-in people only', async () => {
    const visitor = new Browser(t.app);
    const page = await visitor.post('/share/email', { type: 'product', id: productId, email: 'someone@example.cn' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toContain('/sign-in?next=');
    expect((await visitor.api('POST', '/api/shares/email', { type: 'product', id: productId, email: 'someone@example.cn' })).statusCode).toBe(401);
    expect(await db().selectFrom('mailOutbox').select('id').where('recipient', '=', 'someone@example.cn').execute()).toEqual([]);
  });
});

describe('bad input', () => {
  const badTargets: [string, unknown][] = [
    ['no fields', {}],
    ['an unknown type', { type: 'account', id: randomUUID() }],
    ['an id that is not one', { type: 'company', id: 'abc' }],
    ['an id in capitals', { type: 'company', id: randomUUID().toUpperCase() }],
    ['a script as id', { type: 'product', id: '<script>alert(1)</script>' }],
    ['a number as type', { type: 1, id: randomUUID() }],
    ['a huge id', { type: 'product', id: 'a'.repeat(100_000) }],
  ];

  it.each(badTargets)('follow API refuses %s with 400 and stores nothing', async (_name, body) => {
    const buyer = await person();
    for (const method of ['POST', 'DELETE'] as const) {
      const response = await buyer.browser.api(method, '/api/follows', body);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await followRows(buyer.accountId)).toEqual([]);
  });

  it.each(badTargets)('follow form refuses %s with a localised 400 page', async (_name, body) => {
    const buyer = await person();
    const form = Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    const response = await buyer.browser.post('/follows', form);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('VALIDATION_FAILED');
    expect(await followRows(buyer.accountId)).toEqual([]);
  });

  it('refuses a follow form without its CSRF token', async () => {
    const buyer = await person();
    expect((await buyer.browser.post('/follows', { _csrf: '', type: 'company', id: shop.companyId })).statusCode).toBe(403);
    expect(await followRows(buyer.accountId)).toEqual([]);
  });

  it('answers 400 to a bad count query and 404 to a bad share page', async () => {
    const visitor = new Browser(t.app);
    expect((await visitor.get('/api/follows/count?type=company&id=nope')).statusCode).toBe(400);
    expect((await visitor.get('/api/follows/count')).statusCode).toBe(400);
    for (const query of ['', '?type=user&id=x', `?type=company&id=${randomUUID()}`, '?type[]=a']) {
      const response = await visitor.get(`/share${query}`);
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain('NOT_FOUND');
    }
  });

  it('refuses a bad share channel', async () => {
    const sharer = await person();
    const response = await sharer.browser.api('POST', '/api/shares', { type: 'product', id: productId, channel: 'email' });
    expect(response.statusCode).toBe(400);
    expect(await shareRows(sharer.accountId)).toEqual([]);
  });

  const badEmails: [string, Record<string, string>, string][] = [
    ['no address', { email: '' }, 'email'],
    ['not an address', { email: 'colleague at example' }, 'email'],
    ['a script', { email: '<script>alert(1)</script>@x.cn' }, 'email'],
    ['a huge address', { email: `${'a'.repeat(300)}@example.cn` }, 'email'],
    ['a note too long', { email: 'ok@example.cn', note: '长'.repeat(501) }, 'note'],
    ['control characters in the note', { email: 'ok@example.cn', note: 'hi\u0007there' }, 'note'],
  ];

  it.each(badEmails)('email form refuses %s with the field’s message, and sends nothing', async (_name, fields, field) => {
    const sharer = await person();
    const response = await sharer.browser.post('/share/email', { type: 'product', id: productId, ...fields });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`id="field-${field}-error"`);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    const api = await sharer.browser.api('POST', '/api/shares/email', { type: 'product', id: productId, ...fields });
    expect(api.statusCode).toBe(400);
    expect(Object.keys(api.json().error.fields)).toContain(field);
    expect(await emailShares(sharer.accountId)).toEqual([]);
    expect(await db().selectFrom('mailOutbox').select('id').where('kind', '=', 'share-email').where('subjectId', '=', sharer.accountId).execute()).toEqual([]);
  });

  it('has the same keys and placeholders in both languages', () => {
    const zh = socialMessages['zh-CN'];
    const en = socialMessages.en;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const placeholders = (s: string) => [...new Set(s.match(/\{\w+\}/g) ?? [])].sort();
    for (const key of Object.keys(zh)) expect({ key, p: placeholders(zh[key]!) }).toEqual({ key, p: placeholders(en[key]!) });
  });
});

describe('personal data and retention', () => {
  it('exports and erases a person’s follows and shares', async () => {
    const buyer = await person();
    await buyer.browser.api('POST', '/api/follows', { type: 'company', id: shop.companyId });
    await buyer.browser.api('POST', '/api/shares', { type: 'product', id: productId });
    const provider = t.app.silkline.providers.find((p) => p.name === 'social')!;
    const exported = await provider.export(buyer.accountId);
    expect(exported.records.follows).toEqual([{ targetType: 'company', targetId: shop.companyId, createdAt: expect.any(String) }]);
    expect(exported.records.shares).toEqual([{ targetType: 'product', targetId: productId, channel: 'link', createdAt: expect.any(String) }]);
    expect(await provider.erase(buyer.accountId)).toEqual({ erased: 2 });
    expect(await followRows(buyer.accountId)).toEqual([]);
    expect(await shareRows(buyer.accountId)).toEqual([]);
  });

  it('declares every column, with no column for a colleague’s address', () => {
    const { dataMap } = t.app.silkline;
    expect(Object.keys(dataMap.follow!).sort()).toEqual(['account_id', 'created_at', 'id', 'target_id', 'target_type']);
    expect(Object.keys(dataMap.share_link!).sort()).toEqual(['channel', 'created_at', 'id', 'sharer_id', 'target_id', 'target_type', 'token']);
    expect(dataMap.follow!.target_id).toMatchObject({ personal: true, basis: 'contract', retention: 'until unfollowed' });
    expect(dataMap.share_link!.token).toMatchObject({ personal: true, basis: 'contract', retention: '1 year' });
  });

  it('deletes shared links after a year, and sent mail after 30 days', async () => {
    const sharer = await person();
    const old = new Date(Date.now() - 366 * 86_400_000).toISOString();
    await db()
      .insertInto('shareLink')
      .values({ id: randomUUID(), token: 'oldtokenoldtokenoldtok', sharerId: sharer.accountId, targetType: 'product', targetId: productId, channel: 'link', createdAt: old })
      .execute();
    await sharer.browser.api('POST', '/api/shares', { type: 'company', id: shop.companyId });
    expect(await t.app.silkline.social.deleteExpired()).toBeGreaterThanOrEqual(1);
    expect((await shareRows(sharer.accountId)).map((r) => r.targetType)).toEqual(['company']);

    const mailId = randomUUID();
    await db()
      .insertInto('mailOutbox')
      .values({ id: mailId, subjectId: null, recipient: 'old@example.cn', subject: 's', textBody: 't', htmlBody: null, kind: 'share-email', status: 'sent', attempts: 1, lastError: null, createdAt: old, sentAt: old, nextAttemptAt: old })
      .execute();
    await t.app.silkline.mail.deleteExpired();
    expect(await db().selectFrom('mailOutbox').select('id').where('id', '=', mailId).execute()).toEqual([]);
  });

  it('describes the follows and shares API in the OpenAPI document', async () => {
    const doc = (await new Browser(t.app).get('/api/openapi.json')).json();
    expect(Object.keys(doc.paths['/api/follows']).sort()).toEqual(['delete', 'get', 'post']);
    expect(doc.paths['/api/follows/count'].get).toBeDefined();
    expect(doc.paths['/api/shares'].post).toBeDefined();
    expect(doc.paths['/api/shares/email'].post).toBeDefined();
  });
});
