import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { catalog } from '../src/messages.js';
import { noticeKinds } from '../src/modules/notices/index.js';
import { createRfqService, maxQuotes, rfqMessages } from '../src/modules/rfq/index.js';
import { makeTranslator } from '../src/platform/i18n/i18n.js';
import { minimalPdf } from '../src/platform/storage/sample-files.js';
import { Browser, latestMail, make, postMultipart, signedIn, supplier, useTestApp } from './helpers.js';

const t = useTestApp();

const db = () => t.app.silkline.db.kysely;

/** A day in Asia/Shanghai, `days` from today, as `YYYY-MM-DD`. */
function day(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

const huge = 'x'.repeat(10_000);
const script = '<script>alert(1)</script>';

function rfqForm(overrides: Record<string, unknown> = {}) {
  return {
    productName: 'LED工矿灯 150W',
    categoryId: 'lighting.led-high-bay',
    quantity: '2000',
    unit: 'piece',
    specifications: '铝合金外壳，IP65，CE/RoHS 认证，5 年质保。',
    destination: '德国 汉堡港',
    deadline: day(14),
    ...overrides,
  };
}

function quoteBody(overrides: Record<string, unknown> = {}) {
  return {
    currency: 'USD',
    priceTiers: [
      { minQty: 500, price: '13.20' },
      { minQty: 1000, price: '12.50' },
      { minQty: 5000, price: '11.80' },
    ],
    leadTimeDays: 20,
    validUntil: day(30),
    message: '可提供样品，FOB 深圳。',
    ...overrides,
  };
}

/** The account id behind a signed-in browser's email. */
async function accountId(email: string): Promise<string> {
  return (await db().selectFrom('account').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** A signed-in member of a verified company that publishes one product in each category given. */
async function supplierIn(categories: string[], options: { verified?: boolean; nameZh?: string } = {}) {
  const member = await supplier(t.app, { verified: options.verified, company: options.nameZh ? { nameZh: options.nameZh } : {} });
  for (const categoryId of categories) {
    const created = await member.browser.api('POST', `/api/companies/${member.companyId}/products`, {
      titleZh: `${options.nameZh ?? '产品'} ${categoryId}`,
      categoryId,
      moq: 10,
      unit: 'piece',
      currency: 'USD',
      priceTiers: [{ minQty: 10, price: '15.00' }],
    });
    expect(created.statusCode).toBe(201);
    const published = await member.browser.api('POST', `/api/companies/${member.companyId}/products/${created.json().id}/publish`);
    expect(published.statusCode).toBe(204);
  }
  return { ...member, accountId: await accountId(member.data.email) };
}

/** Registers one more company for a signed-in member, has it verified, and publishes a product in it. */
async function addVerifiedCompany(browser: Browser, nameZh: string, categoryId: string): Promise<string> {
  const created = await browser.post('/shop/new', make.company({ nameZh }));
  const companyId = /\/shop\/([0-9a-f-]{36})\//.exec(String(created.headers.location))?.[1];
  expect(companyId).toBeDefined();
  await postMultipart(browser, t.app, `/shop/${companyId}/licence`, {}, { field: 'licence', name: 'licence.pdf', bytes: minimalPdf() });
  await browser.post(`/shop/${companyId}/submit`, {});
  const reviewer = { accountId: randomUUID(), sessionId: 'test', role: 'reviewer', displayName: 'reviewer' };
  await t.app.silkline.companies.decide(reviewer, companyId!, { decision: 'approve', checks: ['licence', 'creditCode'] }, 'zh-CN');
  const product = await browser.api('POST', `/api/companies/${companyId}/products`, {
    titleZh: `${nameZh} 产品`,
    categoryId,
    moq: 10,
    unit: 'piece',
    currency: 'USD',
    priceTiers: [{ minQty: 10, price: '15.00' }],
  });
  expect((await browser.api('POST', `/api/companies/${companyId}/products/${product.json().id}/publish`)).statusCode).toBe(204);
  return companyId!;
}

async function buyer() {
  const person = await signedIn(t.app);
  return { ...person, accountId: await accountId(person.data.email) };
}

async function postRfq(browser: Browser, overrides: Record<string, unknown> = {}) {
  const response = await browser.api('POST', '/api/rfqs', rfqForm(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; productName: string }>();
}

const countRfqs = async () => (await db().selectFrom('rfq').select('id').execute()).length;
const countQuotes = async () => (await db().selectFrom('rfqQuote').select('id').execute()).length;
const events = (event: 'rfq.posted' | 'quote.sent', targetId: string) =>
  db().selectFrom('serviceEvent').select(['event', 'targetType']).where('event', '=', event).where('targetId', '=', targetId).execute();

describe('posting a buying request', () => {
  it('posts through the form, shows the request, lists it in my buying requests and records rfq.posted', async () => {
    const { browser } = await buyer();
    const form = await browser.get('/rfq/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="categoryId"');
    expect(form.body).toContain(`min="${day(1)}"`);
    expect(form.body).toContain(`max="${day(90)}"`);

    const response = await browser.post('/rfq/new', rfqForm({ productName: '太阳能路灯 60W' }));
    expect(response.statusCode).toBe(303);
    const id = /^\/rfq\/([0-9a-f-]{36})\?done=posted$/.exec(String(response.headers.location))?.[1];
    expect(id).toBeDefined();
    const page = await browser.get(`/rfq/${id}?done=posted`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('太阳能路灯 60W');
    expect(page.body).toContain('采购需求已发布');
    expect(page.body).toContain('还没有供应商报价');

    const mine = await browser.get('/rfq/mine');
    expect(mine.body).toContain(`href="/rfq/${id}"`);
    const api = (await browser.api('GET', '/api/rfqs/mine')).json();
    expect(api.items).toHaveLength(1);
    expect(api.items[0]).toMatchObject({ id, productName: '太阳能路灯 60W', industryId: 'lighting', quantity: 2000, status: 'open', isMine: true, quoteCount: 0 });
    expect(await events('rfq.posted', id!)).toEqual([{ event: 'rfq.posted', targetType: 'rfq' }]);
  });

  it('shows an empty list and a link to post one to a buyer with no requests', async () => {
    const { browser } = await buyer();
    const mine = await browser.get('/rfq/mine');
    expect(mine.body).toContain('您还没有发布采购需求');
    expect(mine.body).toContain('href="/rfq/new"');
  });

  it('sends visitors to sign in', async () => {
    const visitor = new Browser(t.app);
    for (const url of ['/rfq', '/rfq/new', '/rfq/mine']) {
      const response = await visitor.get(url);
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toContain('/sign-in?next=');
    }
    expect((await visitor.api('GET', '/api/rfqs/board')).statusCode).toBe(401);
    expect((await visitor.api('POST', '/api/rfqs', rfqForm())).statusCode).toBe(401);
  });

  it('refuses an eleventh request within 24 hours, clearly', async () => {
    const { browser } = await buyer();
    for (let i = 0; i < 10; i++) await postRfq(browser, { productName: `LED面板灯 ${i}` });
    const before = await countRfqs();
    const refused = await browser.api('POST', '/api/rfqs', rfqForm());
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toContain('24 小时内最多发布 10 条采购需求');
    expect(await countRfqs()).toBe(before);
  });
});

const rfqCases: [string, Record<string, unknown>, string][] = [
  ['empty product name', { productName: '' }, 'productName'],
  ['10,000-character product name', { productName: huge }, 'productName'],
  ['product name with a line break', { productName: 'LED\n灯' }, 'productName'],
  ['no category', { categoryId: '' }, 'categoryId'],
  ['an industry instead of a leaf', { categoryId: 'lighting' }, 'categoryId'],
  ['an unknown category', { categoryId: 'lighting.flying-lamps' }, 'categoryId'],
  ['a script as category', { categoryId: script }, 'categoryId'],
  ['quantity 0', { quantity: '0' }, 'quantity'],
  ['negative quantity', { quantity: '-5' }, 'quantity'],
  ['fractional quantity', { quantity: '1.5' }, 'quantity'],
  ['letters as quantity', { quantity: 'many' }, 'quantity'],
  ['huge quantity', { quantity: '1000000000000' }, 'quantity'],
  ['empty quantity', { quantity: '' }, 'quantity'],
  ['unknown unit', { unit: 'banana' }, 'unit'],
  ['empty specifications', { specifications: '   ' }, 'specifications'],
  ['10,000-character specifications', { specifications: huge }, 'specifications'],
  ['control characters in specifications', { specifications: 'IP65\u0000' }, 'specifications'],
  ['empty destination', { destination: '' }, 'destination'],
  ['10,000-character destination', { destination: huge }, 'destination'],
  ['deadline today', { deadline: day(0) }, 'deadline'],
  ['deadline yesterday', { deadline: day(-1) }, 'deadline'],
  ['deadline 91 days ahead', { deadline: day(91) }, 'deadline'],
  ['deadline that is not a day', { deadline: '2027-02-30' }, 'deadline'],
  ['deadline in words', { deadline: 'next week' }, 'deadline'],
  ['script as deadline', { deadline: script }, 'deadline'],
];

describe('a buying request with bad input', () => {
  it.each(rfqCases)('%s gets a localised field message through the form and the API, and nothing is stored', async (_name, override, field) => {
    const { browser } = await buyer();
    const before = await countRfqs();
    const page = await browser.post('/rfq/new', rfqForm(override));
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('提交的信息有误');
    expect(page.body).toContain(`id="field-${field}-error"`);
    expect(page.body).not.toContain(script);
    const api = await browser.api('POST', '/api/rfqs', rfqForm(override));
    expect(api.statusCode).toBe(400);
    expect(api.json().error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(api.json().error.fields)).toContain(field);
    expect(await countRfqs()).toBe(before);
  });

  it('answers wrong JSON types with 400, never 500', async () => {
    const { browser } = await buyer();
    for (const body of [{ ...rfqForm(), quantity: { n: 1 } }, { ...rfqForm(), productName: ['a'] }, { ...rfqForm(), deadline: 20261231 }, []]) {
      const response = await browser.api('POST', '/api/rfqs', body);
      expect(response.statusCode).toBe(400);
    }
    const text = await browser.api('POST', '/api/rfqs', 'not an object');
    expect(text.statusCode).toBe(415);
  });

  it('keeps a script in the text as text, never as markup', async () => {
    const { browser } = await buyer();
    const { id } = await postRfq(browser, { productName: script, specifications: `${script}\n第二行` });
    const page = await browser.get(`/rfq/${id}`);
    expect(page.body).not.toContain(script);
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script>');
  });

  it('shows English messages to an English buyer', async () => {
    const person = await signedIn(t.app);
    const english = new Browser(t.app, { 'accept-language': 'en' });
    await english.post('/sign-in', { identifier: person.data.email, password: person.data.password });
    const response = await english.post('/rfq/new', rfqForm({ deadline: day(120) }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('The deadline must be from tomorrow to 90 days ahead');
  });
});

describe('the RFQ board', () => {
  it('shows suppliers only the requests of the industries they publish in, newest first, through page and API', async () => {
    const person = await buyer();
    const older = await postRfq(person.browser, { productName: 'LED工矿灯 100W' });
    const newer = await postRfq(person.browser, { productName: 'LED面板灯 600x600', categoryId: 'lighting.led-panel' });
    const solar = await postRfq(person.browser, { productName: '单晶硅光伏组件 550W', categoryId: 'energy.solar-panels' });
    const lighting = await supplierIn(['lighting.led-floodlight']);
    const energy = await supplierIn(['energy.solar-inverters']);

    const board = (await lighting.browser.api('GET', '/api/rfqs/board')).json();
    const ids = board.items.map((r: { id: string }) => r.id);
    expect(board.isSupplier).toBe(true);
    expect(board.industries).toEqual(['lighting']);
    expect(ids).toContain(older.id);
    expect(ids).toContain(newer.id);
    expect(ids).not.toContain(solar.id);
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    const page = await lighting.browser.get('/rfq');
    expect(page.body).toContain(`href="/rfq/${newer.id}"`);
    expect(page.body).not.toContain(`href="/rfq/${solar.id}"`);

    const energyBoard = (await energy.browser.api('GET', '/api/rfqs/board')).json();
    expect(energyBoard.items.map((r: { id: string }) => r.id)).toContain(solar.id);
    expect(energyBoard.items.map((r: { id: string }) => r.id)).not.toContain(older.id);
    expect((await energy.browser.get(`/rfq/${older.id}`)).statusCode).toBe(404);
    expect((await energy.browser.api('GET', `/api/rfqs/${older.id}`)).statusCode).toBe(404);
    expect((await lighting.browser.api('GET', `/api/rfqs/${older.id}`)).statusCode).toBe(200);
  });

  it('filters by industry or by one category', async () => {
    const person = await buyer();
    const bay = await postRfq(person.browser, { productName: '工矿灯 A' });
    const panel = await postRfq(person.browser, { productName: '面板灯 B', categoryId: 'lighting.led-panel' });
    const lighting = await supplierIn(['lighting.led-tube']);
    const only = (await lighting.browser.api('GET', '/api/rfqs/board?category=lighting.led-panel')).json().items.map((r: { id: string }) => r.id);
    expect(only).toContain(panel.id);
    expect(only).not.toContain(bay.id);
    const all = (await lighting.browser.api('GET', '/api/rfqs/board?category=lighting')).json().items.map((r: { id: string }) => r.id);
    expect(all).toEqual(expect.arrayContaining([bay.id, panel.id]));
    const outside = (await lighting.browser.api('GET', '/api/rfqs/board?category=energy.solar-panels')).json();
    expect(outside.items).toEqual([]);
    const odd = await lighting.browser.get(`/rfq?category=${encodeURIComponent(script)}&page=-3`);
    expect(odd.statusCode).toBe(200);
  });

  it('shows nothing to accounts without a verified company publishing products, and says why', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const plain = await buyer();
    const unverified = await supplierIn(['lighting.led-high-bay'], { verified: false });
    const empty = await supplier(t.app);
    for (const viewer of [plain, unverified, empty]) {
      const board = (await viewer.browser.api('GET', '/api/rfqs/board')).json();
      expect(board).toMatchObject({ items: [], isSupplier: false });
      expect((await viewer.browser.get('/rfq')).body).toContain('只有已通过企业认证');
      expect((await viewer.browser.get(`/rfq/${request.id}`)).statusCode).toBe(404);
      expect((await viewer.browser.api('GET', `/api/rfqs/${request.id}`)).statusCode).toBe(404);
      expect((await viewer.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody())).statusCode).toBe(404);
    }
  });

  it('answers ids that are not ids with 404', async () => {
    const person = await buyer();
    for (const url of ['/rfq/not-an-id', `/rfq/${'1'.repeat(36)}`, '/rfq/00000000-0000-4000-8000-000000000000']) {
      expect((await person.browser.get(url)).statusCode).toBe(404);
    }
    expect((await person.browser.api('GET', '/api/rfqs/not-an-id')).statusCode).toBe(400);
    expect((await person.browser.api('GET', '/api/rfqs/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('quotes', () => {
  it('a supplier quotes through the form, revises it, and sees only its own quote; the buyer sees every quote', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const first = await supplierIn(['lighting.led-high-bay'], { nameZh: '深圳一号照明有限公司' });
    const second = await supplierIn(['lighting.led-panel'], { nameZh: '中山二号灯饰有限公司' });

    const detail = await first.browser.get(`/rfq/${request.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain(`action="/rfq/${request.id}/quotes"`);
    expect(detail.body).toContain('以 深圳一号照明有限公司 的名义报价');
    const sent = await first.browser.post(`/rfq/${request.id}/quotes`, {
      companyId: first.companyId,
      currency: 'USD',
      tier1Qty: '500',
      tier1Price: '13.20',
      tier2Qty: '1,000',
      tier2Price: '12.50',
      leadTimeDays: '20',
      validUntil: day(30),
      message: '可提供样品。',
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/rfq/${request.id}?done=quoted`);
    const revised = await first.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody({ priceTiers: [{ minQty: 500, price: '12.90' }, { minQty: 1000, price: '12.10' }] }));
    expect(revised.statusCode).toBe(200);
    expect(revised.json()).toMatchObject({ unitPrice: '12.10', total: '24200.00', status: 'sent', company: { id: first.companyId, verified: true } });
    const other = await second.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody({ currency: 'USD', priceTiers: [{ minQty: 100, price: '11.95' }], leadTimeDays: 35 }));
    expect(other.statusCode).toBe(201);

    // Each supplier sees its own quote, never the other's.
    const firstView = (await first.browser.api('GET', `/api/rfqs/${request.id}`)).json();
    expect(firstView.quotes.map((q: { company: { id: string } }) => q.company.id)).toEqual([first.companyId]);
    expect(firstView.rfq).toMatchObject({ quoteCount: 2, isMine: false, acceptedQuoteId: null, threadId: null });
    const firstPage = await first.browser.get(`/rfq/${request.id}`);
    expect(firstPage.body).toContain('12.10');
    expect(firstPage.body).not.toContain('11.95');
    expect(firstPage.body).not.toContain('中山二号灯饰有限公司');
    expect((await first.browser.api('GET', `/api/rfqs/${request.id}/quotes`)).statusCode).toBe(404);

    // The buyer compares both, cheapest first at the requested quantity.
    const quotes = (await person.browser.api('GET', `/api/rfqs/${request.id}/quotes`)).json().items;
    expect(quotes.map((q: { company: { id: string }; unitPrice: string }) => [q.company.id, q.unitPrice])).toEqual([
      [second.companyId, '11.95'],
      [first.companyId, '12.10'],
    ]);
    const byLeadTime = (await person.browser.api('GET', `/api/rfqs/${request.id}/quotes?sort=leadTime`)).json().items;
    expect(byLeadTime[0].company.id).toBe(first.companyId);
    const compare = await person.browser.get(`/rfq/${request.id}`);
    expect(compare.body).toContain('深圳一号照明有限公司');
    expect(compare.body).toContain('中山二号灯饰有限公司');
    expect(compare.body).toContain('badge-verified');
    expect(compare.body.indexOf('中山二号灯饰有限公司')).toBeLessThan(compare.body.indexOf('深圳一号照明有限公司'));
    expect(compare.body).toContain(`href="/rfq/${request.id}/quotes/${other.json().id}/accept"`);

    // Another buyer sees none of it.
    const stranger = await buyer();
    expect((await stranger.browser.api('GET', `/api/rfqs/${request.id}/quotes`)).statusCode).toBe(404);
    expect((await stranger.browser.get(`/rfq/${request.id}`)).statusCode).toBe(404);

    // The buyer heard of each new quote (not of the revision); each send is in the service log.
    const notices = await db().selectFrom('notice').select(['kind', 'link']).where('accountId', '=', person.accountId).execute();
    expect(notices).toEqual([
      { kind: 'rfq.quote.received', link: `/rfq/${request.id}` },
      { kind: 'rfq.quote.received', link: `/rfq/${request.id}` },
    ]);
    expect(await events('quote.sent', revised.json().id)).toHaveLength(2);
  });

  it('shows the company that quoted on the board as quoted, and refuses a quote on one\'s own request', async () => {
    const self = await supplierIn(['lighting.led-high-bay']);
    const own = await postRfq(self.browser);
    const board = (await self.browser.api('GET', '/api/rfqs/board')).json();
    expect(board.items.map((r: { id: string }) => r.id)).not.toContain(own.id);
    const refused = await self.browser.api('POST', `/api/rfqs/${own.id}/quotes`, quoteBody());
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('不能为自己发布的采购需求报价');

    const person = await buyer();
    const request = await postRfq(person.browser);
    await self.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody());
    const after = (await self.browser.api('GET', '/api/rfqs/board')).json();
    expect(after.items.find((r: { id: string }) => r.id === request.id)).toMatchObject({ hasQuoted: true, quoteCount: 1 });
  });

  it('asks a member of two quoting companies which one quotes, and refuses a company of someone else', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const member = await supplierIn(['lighting.led-high-bay']);
    const secondId = await addVerifiedCompany(member.browser, '佛山第二照明有限公司', 'lighting.led-panel');
    const someoneElse = await supplierIn(['lighting.led-high-bay']);
    const before = await countQuotes();

    const unnamed = await member.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody());
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().error.fields.companyId).toContain('请选择以哪家公司的名义报价');
    const page = await member.browser.get(`/rfq/${request.id}`);
    expect(page.body).toContain('name="companyId"');
    expect(page.body).toContain('佛山第二照明有限公司');
    const foreign = await member.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody({ companyId: someoneElse.companyId }));
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.message).toContain('只有已认证、并在该行业发布了产品的公司');
    expect(await countQuotes()).toBe(before);

    const named = await member.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody({ companyId: secondId }));
    expect(named.statusCode).toBe(201);
    expect(named.json().company.nameZh).toBe('佛山第二照明有限公司');
  });

  it(`takes quotes from ${maxQuotes} companies and refuses the next one clearly`, async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const suppliers = [];
    for (let i = 0; i <= maxQuotes; i++) suppliers.push(await supplierIn(['lighting.led-high-bay']));
    for (const s of suppliers.slice(0, maxQuotes)) {
      expect((await s.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody())).statusCode).toBe(201);
    }
    // A company that quoted may still revise; a new one is refused.
    expect((await suppliers[0]!.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody({ leadTimeDays: 15 }))).statusCode).toBe(200);
    const last = suppliers[maxQuotes]!;
    const refused = await last.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody());
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('该采购需求已收到 20 家公司的报价，不再接受新的报价。');
    const page = await last.browser.post(`/rfq/${request.id}/quotes`, { currency: 'USD', tier1Qty: '1', tier1Price: '9', leadTimeDays: '10', validUntil: day(10) });
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('不再接受新的报价');
    const stored = await db().selectFrom('rfq').select('quoteCount').where('id', '=', request.id).executeTakeFirstOrThrow();
    expect(stored.quoteCount).toBe(maxQuotes);
    expect((await db().selectFrom('rfqQuote').select('id').where('rfqId', '=', request.id).execute()).length).toBe(maxQuotes);
  }, 120_000);

  it('takes no quotes after the deadline, and shows the request as expired', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const quoted = await supplierIn(['lighting.led-high-bay']);
    const late = await supplierIn(['lighting.led-high-bay']);
    expect((await quoted.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody())).statusCode).toBe(201);
    // The deadline passes.
    await db().updateTable('rfq').set({ deadline: day(-1), expiresAt: new Date(Date.now() - 1000).toISOString() }).where('id', '=', request.id).execute();

    const refused = await late.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody());
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('已过截止日期');
    expect((await quoted.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody({ leadTimeDays: 9 }))).statusCode).toBe(409);
    expect((await late.browser.api('GET', '/api/rfqs/board')).json().items.map((r: { id: string }) => r.id)).not.toContain(request.id);
    const latePage = await late.browser.get(`/rfq/${request.id}`);
    expect(latePage.body).toContain('已截止');
    expect(latePage.body).not.toContain(`action="/rfq/${request.id}/quotes"`);
    const mine = (await person.browser.api('GET', '/api/rfqs/mine')).json().items[0];
    expect(mine).toMatchObject({ id: request.id, status: 'open', isExpired: true, isOpenForQuotes: false });
    expect((await person.browser.get('/rfq/mine')).body).toContain('已截止');
  });
});

const quoteCases: [string, Record<string, unknown>, string][] = [
  ['no price tiers', { priceTiers: [] }, 'priceTiers'],
  ['five price tiers', { priceTiers: [1, 2, 3, 4, 5].map((n) => ({ minQty: n * 10, price: '1.00' })) }, 'priceTiers'],
  ['price 0', { priceTiers: [{ minQty: 1, price: '0' }] }, 'priceTiers.0.price'],
  ['negative price', { priceTiers: [{ minQty: 1, price: '-3' }] }, 'priceTiers.0.price'],
  ['three decimals', { priceTiers: [{ minQty: 1, price: '1.234' }] }, 'priceTiers.0.price'],
  ['letters as price', { priceTiers: [{ minQty: 1, price: 'cheap' }] }, 'priceTiers.0.price'],
  ['script as price', { priceTiers: [{ minQty: 1, price: script }] }, 'priceTiers.0.price'],
  ['tier quantity 0', { priceTiers: [{ minQty: 0, price: '1' }] }, 'priceTiers.0.minQty'],
  ['falling tier quantities', { priceTiers: [{ minQty: 100, price: '2' }, { minQty: 10, price: '1' }] }, 'priceTiers'],
  ['tiers as text', { priceTiers: 'lots' }, 'priceTiers'],
  ['lead time 0', { leadTimeDays: 0 }, 'leadTimeDays'],
  ['lead time 400', { leadTimeDays: 400 }, 'leadTimeDays'],
  ['lead time in words', { leadTimeDays: 'soon' }, 'leadTimeDays'],
  ['valid until yesterday', { validUntil: day(-1) }, 'validUntil'],
  ['valid for two years', { validUntil: day(730) }, 'validUntil'],
  ['valid until no real day', { validUntil: '2027-13-01' }, 'validUntil'],
  ['currency EUR', { currency: 'EUR' }, 'currency'],
  ['3,000-character message', { message: 'x'.repeat(3000) }, 'message'],
  ['company id that is not an id', { companyId: script }, 'companyId'],
];

describe('a quote with bad input', () => {
  let request: { id: string };
  let quoter: Awaited<ReturnType<typeof supplierIn>>;
  beforeAll(async () => {
    const person = await buyer();
    request = await postRfq(person.browser);
    quoter = await supplierIn(['lighting.led-high-bay']);
  });

  it.each(quoteCases)('%s gets a localised field message and nothing is stored', async (_name, override, field) => {
    const before = await countQuotes();
    const api = await quoter.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody(override));
    expect(api.statusCode).toBe(400);
    expect(api.json().error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(api.json().error.fields)).toContain(field);
    expect(await countQuotes()).toBe(before);
  });

  it('answers the form with the message beside the field, keeping what was typed', async () => {
    const response = await quoter.browser.post(`/rfq/${request.id}/quotes`, {
      currency: 'USD',
      tier1Qty: '100',
      tier1Price: 'abc',
      leadTimeDays: '20',
      validUntil: day(10),
      message: script,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('请填写大于 0 的价格');
    expect(response.body).toContain('id="field-tier1Price-error"');
    expect(response.body).toContain('value="100"');
    expect(response.body).not.toContain(script);
  });
});

describe('accepting a quote', () => {
  it('is refused clearly, changing nothing, by a service without the inquiries module', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const quoter = await supplierIn(['lighting.led-high-bay']);
    const quote = (await quoter.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody())).json();
    const { db: handle, companies, notices, telemetry } = t.app.silkline;
    const withoutThreads = createRfqService({ db: handle.kysely, publicUrl: t.config.publicUrl, translator: (locale) => makeTranslator(catalog, locale), companies, notices, telemetry });
    const auth = { accountId: person.accountId, sessionId: 'test', role: 'user', displayName: person.data.contactPerson };
    await expect(withoutThreads.accept(auth, request.id, quote.id, 'zh-CN')).rejects.toMatchObject({ code: 'UNAVAILABLE', messageKey: 'rfq.error.threadsUnavailable' });
    expect((await db().selectFrom('rfq').select('status').where('id', '=', request.id).executeTakeFirstOrThrow()).status).toBe('open');
  });

  it('opens an inquiry thread with the chosen supplier and tells the others politely by notice and mail', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const chosen = await supplierIn(['lighting.led-high-bay'], { nameZh: '深圳选中照明有限公司' });
    const other = await supplierIn(['lighting.led-panel'], { nameZh: '中山落选灯饰有限公司' });
    const chosenQuote = (await chosen.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody())).json();
    const otherQuote = (await other.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody({ priceTiers: [{ minQty: 1, price: '14.00' }] }))).json();

    const confirm = await person.browser.get(`/rfq/${request.id}/quotes/${chosenQuote.id}/accept`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('深圳选中照明有限公司');
    const accepted = await person.browser.post(`/rfq/${request.id}/quotes/${chosenQuote.id}/accept`, {});
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/rfq/${request.id}?done=accepted`);

    const stored = await db().selectFrom('rfq').selectAll().where('id', '=', request.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'awarded', acceptedQuoteId: chosenQuote.id });
    const thread = await db().selectFrom('inquiryThread').selectAll().where('id', '=', stored.threadId!).executeTakeFirstOrThrow();
    expect(thread).toMatchObject({ companyId: chosen.companyId, buyerAccountId: person.accountId, origin: 'rfq', originId: request.id, quantity: 2000, unit: 'piece' });
    const page = await person.browser.get(`/rfq/${request.id}?done=accepted`);
    expect(page.body).toContain(`href="/messages/${stored.threadId}"`);

    const statuses = await db().selectFrom('rfqQuote').select(['id', 'status']).where('rfqId', '=', request.id).orderBy('createdAt').execute();
    expect(statuses).toEqual([{ id: chosenQuote.id, status: 'accepted' }, { id: otherQuote.id, status: 'declined' }]);
    const declinedNotice = await db().selectFrom('notice').select(['kind', 'link']).where('accountId', '=', other.accountId).where('kind', 'in', ['rfq.quote.accepted', 'rfq.quote.declined', 'rfq.quote.received']).execute();
    expect(declinedNotice).toEqual([{ kind: 'rfq.quote.declined', link: `/rfq/${request.id}` }]);
    const mail = await latestMail(t.app, other.data.email);
    expect(mail.kind).toBe('rfq-quote-declined');
    expect(mail.subject).toContain('LED工矿灯 150W');
    expect(mail.textBody).toContain('感谢 中山落选灯饰有限公司');
    expect(mail.textBody).toContain(`/rfq/${request.id}`);
    const acceptedNotice = await db().selectFrom('notice').select(['kind', 'link']).where('accountId', '=', chosen.accountId).where('kind', '=', 'rfq.quote.accepted').execute();
    expect(acceptedNotice).toEqual([{ kind: 'rfq.quote.accepted', link: `/messages/${stored.threadId}` }]);

    // The decision is final: no second acceptance, no more quotes or revisions.
    const again = await person.browser.api('POST', `/api/rfqs/${request.id}/quotes/${otherQuote.id}/accept`);
    expect(again.statusCode).toBe(409);
    const againPage = await person.browser.get(`/rfq/${request.id}/quotes/${otherQuote.id}/accept`);
    expect(againPage.statusCode).toBe(409);
    expect(againPage.body).toContain('采购商已作出选择');
    expect((await other.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody())).statusCode).toBe(409);
    const otherPage = await other.browser.get(`/rfq/${request.id}`);
    expect(otherPage.body).toContain('采购商选择了其他报价');
  });

  it('refuses a quote no longer valid, and anyone but the buyer', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const quoter = await supplierIn(['lighting.led-high-bay']);
    const quote = (await quoter.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody())).json();
    for (const outsider of [quoter, await buyer()]) {
      expect((await outsider.browser.api('POST', `/api/rfqs/${request.id}/quotes/${quote.id}/accept`)).statusCode).toBe(404);
      expect((await outsider.browser.post(`/rfq/${request.id}/quotes/${quote.id}/accept`, {})).statusCode).toBe(404);
      expect((await outsider.browser.get(`/rfq/${request.id}/quotes/${quote.id}/accept`)).statusCode).toBe(404);
    }
    await db().updateTable('rfqQuote').set({ validUntil: day(-1) }).where('id', '=', quote.id).execute();
    const lapsed = await person.browser.api('POST', `/api/rfqs/${request.id}/quotes/${quote.id}/accept`);
    expect(lapsed.statusCode).toBe(409);
    expect(lapsed.json().error.message).toContain('该报价已过有效期');
    expect((await person.browser.get(`/rfq/${request.id}/quotes/${quote.id}/accept`)).statusCode).toBe(409);
    const compare = await person.browser.get(`/rfq/${request.id}`);
    expect(compare.body).toContain('已过有效期');
    expect(compare.body).not.toContain(`href="/rfq/${request.id}/quotes/${quote.id}/accept"`);
    expect((await db().selectFrom('rfq').select('status').where('id', '=', request.id).executeTakeFirstOrThrow()).status).toBe('open');
  });
});

describe('closing a buying request without a choice', () => {
  it('asks the buyer to confirm, closes it, declines every quote and tells each company that quoted', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const quoter = await supplierIn(['lighting.led-high-bay'], { nameZh: '佛山报价照明有限公司' });
    const quote = (await quoter.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody())).json();

    const open = await person.browser.get(`/rfq/${request.id}`);
    expect(open.body).toContain(`href="/rfq/${request.id}/close"`);
    const confirm = await person.browser.get(`/rfq/${request.id}/close`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('已报价的 1 家公司会收到站内通知和邮件');
    expect(await countRfqs()).toBeGreaterThan(0);
    const closed = await person.browser.post(`/rfq/${request.id}/close`, {});
    expect(closed.statusCode).toBe(303);
    expect(closed.headers.location).toBe(`/rfq/${request.id}?done=closed`);

    const stored = await db().selectFrom('rfq').select(['status', 'decidedAt', 'acceptedQuoteId']).where('id', '=', request.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'closed', acceptedQuoteId: null });
    expect(stored.decidedAt).not.toBeNull();
    expect((await db().selectFrom('rfqQuote').select('status').where('id', '=', quote.id).executeTakeFirstOrThrow()).status).toBe('declined');
    const notices = await db().selectFrom('notice').select(['kind', 'link']).where('accountId', '=', quoter.accountId).where('kind', '=', 'rfq.closed').execute();
    expect(notices).toEqual([{ kind: 'rfq.closed', link: `/rfq/${request.id}` }]);
    const mail = await latestMail(t.app, quoter.data.email);
    expect(mail.kind).toBe('rfq-quote-closed');
    expect(mail.subject).toContain('已关闭');
    expect(mail.textBody).toContain('感谢 佛山报价照明有限公司');

    const page = await person.browser.get(`/rfq/${request.id}?done=closed`);
    expect(page.body).toContain('采购需求已关闭');
    expect(page.body).toContain('您已关闭此采购需求');
    expect(page.body).not.toContain(`href="/rfq/${request.id}/close"`);
    expect((await quoter.browser.get(`/rfq/${request.id}`)).body).toContain('采购商关闭了这条需求');
    // Closed is final: no quotes, no acceptance, no second close.
    expect((await quoter.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody())).statusCode).toBe(409);
    expect((await person.browser.api('POST', `/api/rfqs/${request.id}/quotes/${quote.id}/accept`)).statusCode).toBe(409);
    expect((await person.browser.api('POST', `/api/rfqs/${request.id}/close`)).statusCode).toBe(409);
    expect((await person.browser.get(`/rfq/${request.id}/close`)).statusCode).toBe(409);
  });

  it('closes through the API a request nobody quoted, and leaves it off the board', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const watcher = await supplierIn(['lighting.led-high-bay']);
    expect((await watcher.browser.api('GET', '/api/rfqs/board')).body).toContain(request.id);
    const closed = await person.browser.api('POST', `/api/rfqs/${request.id}/close`);
    expect(closed.statusCode).toBe(200);
    expect(closed.json().rfq).toMatchObject({ id: request.id, status: 'closed' });
    expect((await watcher.browser.api('GET', '/api/rfqs/board')).body).not.toContain(request.id);
  });

  it('is refused with 404 to anyone but the buyer, changing nothing', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser);
    const quoter = await supplierIn(['lighting.led-high-bay']);
    for (const outsider of [quoter, await buyer()]) {
      expect((await outsider.browser.api('POST', `/api/rfqs/${request.id}/close`)).statusCode).toBe(404);
      expect((await outsider.browser.post(`/rfq/${request.id}/close`, {})).statusCode).toBe(404);
      expect((await outsider.browser.get(`/rfq/${request.id}/close`)).statusCode).toBe(404);
    }
    expect((await person.browser.post('/rfq/not-an-id/close', {})).statusCode).toBe(404);
    expect((await db().selectFrom('rfq').select('status').where('id', '=', request.id).executeTakeFirstOrThrow()).status).toBe('open');
  });
});

describe('personal data in buying requests', () => {
  it('exports a person\'s requests and quotes, and on erasure keeps the trade records with an anonymous label', async () => {
    const person = await buyer();
    const request = await postRfq(person.browser, { productName: '户外投光灯 200W' });
    const quoter = await supplierIn(['lighting.led-high-bay']);
    await quoter.browser.api('POST', `/api/rfqs/${request.id}/quotes`, quoteBody());
    const provider = t.app.silkline.providers.find((p) => p.name === 'rfq')!;

    const exported = await provider.export(person.accountId);
    expect(exported.records.requests).toEqual([expect.objectContaining({ productName: '户外投光灯 200W', status: 'open' })]);
    expect((await provider.export(quoter.accountId)).records.quotesSent).toEqual([expect.objectContaining({ productName: '户外投光灯 200W', currency: 'USD' })]);

    for (const p of t.app.silkline.providers) await p.erase(person.accountId);
    expect(await provider.erase(quoter.accountId)).toEqual({ erased: 1 });
    const stored = await db().selectFrom('rfq').selectAll().where('id', '=', request.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ buyerAccountId: null, status: 'closed', productName: '户外投光灯 200W' });
    const quote = await db().selectFrom('rfqQuote').selectAll().where('rfqId', '=', request.id).executeTakeFirstOrThrow();
    expect(quote.sentBy).toBeNull();
    expect(Object.values((await provider.export(person.accountId)).records).flat()).toEqual([]);

    const page = await quoter.browser.get(`/rfq/${request.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已注销用户');
    expect(page.body).toContain('已关闭');
    expect(page.body).not.toContain(`action="/rfq/${request.id}/quotes"`);
  });
});

describe('the RFQ messages', () => {
  it('has the same keys and placeholders in both languages', () => {
    expect(Object.keys(rfqMessages.en).sort()).toEqual(Object.keys(rfqMessages['zh-CN']).sort());
    const placeholders = (text = '') => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(rfqMessages['zh-CN'])) {
      expect({ key, p: placeholders(rfqMessages.en[key]) }).toEqual({ key, p: placeholders(text) });
    }
  });

  it('gives every buying-request notice a text', () => {
    const kinds = noticeKinds.filter((kind) => kind.startsWith('rfq.'));
    expect(kinds).toEqual(['rfq.quote.received', 'rfq.quote.accepted', 'rfq.quote.declined', 'rfq.closed']);
    for (const kind of kinds) {
      expect(rfqMessages['zh-CN'][`notices.kind.${kind}`]).toBeDefined();
      expect(rfqMessages.en[`notices.kind.${kind}`]).toBeDefined();
    }
  });
});

describe('the RFQ API document', () => {
  it('lists every buying-request route', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(doc.paths['/api/rfqs']!)).toEqual(['post']);
    for (const path of ['/api/rfqs/mine', '/api/rfqs/board', '/api/rfqs/{id}', '/api/rfqs/{id}/quotes']) expect(doc.paths[path]?.get).toBeDefined();
    for (const path of ['/api/rfqs/{id}/quotes', '/api/rfqs/{id}/quotes/{quoteId}/accept']) expect(doc.paths[path]?.post).toBeDefined();
  });
});
