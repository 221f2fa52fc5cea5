import { describe, expect, it } from 'vitest';
import { noticesMessages } from '../src/modules/notices/index.js';
import { Browser, signedIn, useTestApp } from './helpers.js';

const t = useTestApp();

interface NoticeJson {
  id: string;
  kind: string;
  text: string;
  link: string;
  readAt: string | null;
}
interface NoticeListJson {
  items: NoticeJson[];
  page: number;
  pages: number;
  total: number;
  unread: number;
}

/** A signed-in browser and its account id. */
async function member() {
  const { browser, data } = await signedIn(t.app);
  const { id } = await t.app.silkline.db.kysely.selectFrom('account').select('id').where('email', '=', data.email).executeTakeFirstOrThrow();
  return { browser, accountId: id };
}

/** Two notices, the rejection sent last, inside one transaction as a caller would. */
async function notifyTwo(accountId: string) {
  const { db, notices } = t.app.silkline;
  await db.kysely.transaction().execute(async (trx) => {
    await notices.notify(trx, accountId, { kind: 'company.verified', params: { company: '丝路贸易有限公司' }, link: '/shop/c1' });
    await notices.notify(trx, accountId, { kind: 'company.rejected', params: { company: '长安灯具厂', reason: '执照模糊' }, link: '/shop/c2' });
  });
}

async function list(browser: Browser, url = '/api/me/notices') {
  const response = await browser.api('GET', url);
  expect(response.statusCode).toBe(200);
  return response.json<NoticeListJson>();
}

describe('in-site notices', () => {
  it('counts, lists newest first with localised text, and shows the count in the header', async () => {
    const { browser, accountId } = await member();
    await notifyTwo(accountId);
    expect(await t.app.silkline.notices.unreadCount(accountId)).toBe(2);

    const body = await list(browser);
    expect(body).toMatchObject({ total: 2, unread: 2, page: 1, pages: 1 });
    expect(body.items.map((n) => n.text)).toEqual(['长安灯具厂 未通过企业认证：执照模糊', '丝路贸易有限公司 已通过企业认证']);
    expect(Object.keys(body.items[0]!).sort()).toEqual(['createdAt', 'id', 'kind', 'link', 'params', 'readAt', 'text']);

    const page = await browser.get('/notices');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('通知 (2)');
    expect(page.body).toContain('2 条未读通知');
    expect(page.body).toContain('丝路贸易有限公司 已通过企业认证');
    expect(page.body).toContain('href="/shop/c2"');
    expect(page.body).toContain('name="_csrf"');
    expect(page.body).toContain(`action="/notices/${body.items[0]!.id}/read"`);
    expect(page.body).toContain('action="/notices/read-all"');
    expect((await browser.get('/account')).body).toContain('通知 (2)');
  });

  it('marks one read through the page form, then all through the API', async () => {
    const { browser, accountId } = await member();
    await notifyTwo(accountId);
    const [newest] = (await list(browser)).items;

    const marked = await browser.post(`/notices/${newest!.id}/read`, {});
    expect(marked.statusCode).toBe(303);
    expect(marked.headers.location).toBe('/notices');
    const afterOne = await list(browser);
    expect(afterOne.unread).toBe(1);
    expect(afterOne.items.find((n) => n.id === newest!.id)?.readAt).not.toBeNull();
    expect((await browser.get('/notices')).body).toContain('通知 (1)');

    const all = await browser.api('POST', '/api/me/notices/read-all');
    expect(all.json()).toEqual({ marked: 1 });
    expect((await list(browser)).unread).toBe(0);
    const page = await browser.get('/notices');
    expect(page.body).not.toContain('通知 (');
    expect(page.body).not.toContain('action="/notices/read-all"');
  });

  it('marks all read through the page form', async () => {
    const { browser, accountId } = await member();
    await notifyTwo(accountId);
    const response = await browser.post('/notices/read-all', {});
    expect(response.statusCode).toBe(303);
    expect(await t.app.silkline.notices.unreadCount(accountId)).toBe(0);
  });

  it('does not let another account see or mark them', async () => {
    const owner = await member();
    await notifyTwo(owner.accountId);
    const [notice] = (await list(owner.browser)).items;
    const other = await member();

    expect((await list(other.browser)).items).toEqual([]);
    expect((await other.browser.api('POST', `/api/me/notices/${notice!.id}/read`)).statusCode).toBe(404);
    expect((await other.browser.post(`/notices/${notice!.id}/read`, {})).statusCode).toBe(404);
    expect((await other.browser.api('POST', '/api/me/notices/read-all')).json()).toEqual({ marked: 0 });
    expect(await t.app.silkline.notices.unreadCount(owner.accountId)).toBe(2);
    expect((await other.browser.get('/notices')).body).toContain('暂无通知');
  });

  it('pages 20 at a time', async () => {
    const { browser, accountId } = await member();
    const { db, notices } = t.app.silkline;
    for (let i = 1; i <= 23; i++) {
      await notices.notify(db.kysely, accountId, { kind: 'company.verified', params: { company: `公司${i}` }, link: `/shop/${i}` });
    }
    const first = await list(browser);
    expect(first).toMatchObject({ total: 23, pages: 2, page: 1 });
    expect(first.items).toHaveLength(20);
    expect(first.items[0]!.text).toContain('公司23');
    const second = await list(browser, '/api/me/notices?page=2');
    expect(second.items.map((n) => n.link)).toEqual(['/shop/3', '/shop/2', '/shop/1']);

    const page = await browser.get('/notices?page=2');
    expect(page.body).toContain('href="/notices?page=1"');
    expect(page.body).toContain('公司1 ');
    expect((await browser.get('/notices?page=abc')).statusCode).toBe(200);
  });

  it('sends visitors to sign in and refuses the API without a session', async () => {
    const visitor = new Browser(t.app);
    const page = await visitor.get('/notices');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/sign-in?next=/notices');
    expect((await visitor.api('GET', '/api/me/notices')).statusCode).toBe(401);
    expect((await visitor.api('POST', '/api/me/notices/read-all')).statusCode).toBe(401);
    expect((await visitor.get('/')).body).not.toContain('href="/notices"');
  });

  it('speaks English with accept-language en', async () => {
    const { browser, accountId } = await member();
    await notifyTwo(accountId);
    const en = { 'accept-language': 'en' };
    const page = await browser.get('/notices', en);
    expect(page.body).toContain('长安灯具厂 was not verified: 执照模糊');
    expect(page.body).toContain('丝路贸易有限公司 is verified');
    expect(page.body).toContain('Notices (2)');
    expect(page.body).toContain('2 unread notices');
    expect(page.body).toContain('Mark all read');
    const api = await browser.api('GET', '/api/me/notices');
    expect(api.json<NoticeListJson>().items[1]!.text).toBe('丝路贸易有限公司 已通过企业认证');
    const apiEn = await t.app.inject({ method: 'GET', url: '/api/me/notices', headers: { ...en, cookie: browser.cookieHeader() } });
    expect(apiEn.json<NoticeListJson>().items[1]!.text).toBe('丝路贸易有限公司 is verified');
  });

  it('escapes params and refuses a link off the site', async () => {
    const { browser, accountId } = await member();
    const { db, notices } = t.app.silkline;
    await notices.notify(db.kysely, accountId, { kind: 'company.rejected', params: { company: '<script>x</script>', reason: 'r' }, link: '/shop/x' });
    expect((await browser.get('/notices')).body).not.toContain('<script>x</script>');
    await expect(notices.notify(db.kysely, accountId, { kind: 'company.verified', params: { company: 'a' }, link: 'https://evil.example' })).rejects.toThrow();
    expect((await browser.api('POST', `/api/me/notices/${'x'.repeat(200)}/read`)).statusCode).toBe(400);
  });

  it('has the same keys and placeholders in both languages', () => {
    expect(Object.keys(noticesMessages.en).sort()).toEqual(Object.keys(noticesMessages['zh-CN']).sort());
    const placeholders = (text = '') => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(noticesMessages['zh-CN'])) {
      expect({ key, p: placeholders(noticesMessages.en[key]) }).toEqual({ key, p: placeholders(text) });
    }
  });

  it('exports and erases a person’s notices', async () => {
    const { accountId } = await member();
    await notifyTwo(accountId);
    const provider = t.app.silkline.providers.find((p) => p.name === 'notices')!;
    const exported = await provider.export(accountId);
    expect(exported.records.notices).toHaveLength(2);
    expect(exported.records.notices![0]).toMatchObject({ kind: 'company.verified', params: { company: '丝路贸易有限公司' } });
    expect(await provider.erase(accountId)).toEqual({ erased: 2 });
    expect((await provider.export(accountId)).records.notices).toEqual([]);
  });
});
