import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousLabel, inquiriesMessages } from '../src/modules/inquiries/index.js';
import type { AuthState } from '../src/platform/http/context.js';
import { executable, minimalPdf, png } from '../src/platform/storage/sample-files.js';
import { Browser, latestMail, linkIn, makeApp, signedIn, startSmtpSink, supplier, type TestApp } from './helpers.js';
import { makeProduct, withAuth } from './helpers.js';

// Mail stays in the outbox here; the notices over real SMTP have an app (and a sink) of their own.
let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(async () => {
  await t?.close();
});

const db = () => t.app.silkline.db.kysely;
const service = () => t.app.silkline.inquiries;

type Person = Awaited<ReturnType<typeof signedIn>> & { accountId: string; auth: AuthState };
type Supplier = Person & { companyId: string };


const buyer = async (overrides: Record<string, string> = {}): Promise<Person> => withAuth(t.app, await signedIn(t.app, overrides));
const seller = async (): Promise<Supplier> => withAuth(t.app, await supplier(t.app));


const product = (owner: Supplier, publish = true) => makeProduct(t.app, owner, { publish });

/** Invites a fresh signed-in person into the company with the role, and has them accept. */
async function join(owner: Supplier, role: 'admin' | 'member'): Promise<Person> {
  const person = await buyer();
  expect((await owner.browser.post(`/shop/${owner.companyId}/members/invite`, { email: person.data.email, role })).statusCode).toBe(303);
  const mail = await latestMail(t.app, person.data.email);
  expect((await person.browser.post(linkIn(mail.textBody, '/invitations/'), {})).statusCode).toBe(303);
  return person;
}

const inquiry = (fields: Record<string, unknown> = {}) => ({
  subject: '询价：LED工矿灯 100W',
  message: '您好，请报 500 件 FOB 深圳价格，交期多久？',
  quantity: 500,
  unit: 'piece',
  ...fields,
});

/** Sends an inquiry through the API and answers the new thread's id. */
async function send(from: Person, fields: Record<string, unknown>): Promise<string> {
  const response = await from.browser.api('POST', '/api/inquiries', inquiry(fields));
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ threadId: string }>().threadId;
}

/** Posts a multipart form with files under `attachments`, as a browser would. */
async function postFiles(browser: Browser, url: string, fields: Record<string, string>, files: { name: string; bytes: Buffer; type?: string }[]) {
  const form = new FormData();
  form.set('_csrf', await browser.csrf());
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('attachments', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return t.app.inject({
    method: 'POST',
    url,
    remoteAddress: browser.remoteAddress,
    headers: { cookie: browser.cookieHeader(), 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()),
  });
}

async function unread(person: Person) {
  const response = await person.browser.api('GET', '/api/messages/unread');
  expect(response.statusCode).toBe(200);
  return response.json<{ buyer: number; supplier: number; total: number }>();
}

async function threadIds(person: Person, query = 'box=supplier'): Promise<string[]> {
  const response = await person.browser.api('GET', `/api/threads?${query}`);
  expect(response.statusCode).toBe(200);
  return response.json<{ items: { id: string }[] }>().items.map((i) => i.id);
}

async function threadCount(): Promise<number> {
  return Number((await db().selectFrom('inquiryThread').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

async function mailsTo(email: string, kind?: string) {
  let query = db().selectFrom('mailOutbox').select(['subject', 'textBody', 'kind']).where('recipient', '=', email);
  if (kind) query = query.where('kind', '=', kind);
  return query.orderBy('createdAt').execute();
}

describe('sending an inquiry', () => {
  it('goes from a product page through the form, with attachments, to the company’s inbox', async () => {
    const owner = await seller();
    const productId = await product(owner);
    const asker = await buyer();
    const productPage = await new Browser(t.app).get(`/products/${productId}`);
    expect(productPage.body).toContain(`href="/inquiries/new?product=${productId}"`);

    const form = await asker.browser.get(`/inquiries/new?product=${productId}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('询价：LED工矿灯 100W 防水IP65');
    expect(form.body).toContain('value="50"');
    expect(form.body).toMatch(/<option value="piece" selected/);
    expect(form.body).toContain('enctype="multipart/form-data"');
    expect(form.body).toContain('id="inquiry-notice"');

    const response = await postFiles(asker.browser, '/inquiries/new', { productId, subject: '询价：LED工矿灯', message: '请报 FOB 深圳价格。\n需要 CE 认证。', quantity: '500', unit: 'piece', targetPrice: '11.80', currency: 'USD' }, [
      { name: '规格书.pdf', bytes: minimalPdf(), type: 'application/pdf' },
      { name: 'drawing.png', bytes: await png(), type: 'image/png' },
    ]);
    expect(response.statusCode, response.body).toBe(303);
    const threadId = /^\/messages\/([0-9a-f-]{36})\?done=sent$/.exec(String(response.headers.location))?.[1];
    expect(threadId).toBeDefined();

    const mine = await asker.browser.get(`/messages/${threadId}?done=sent`);
    expect(mine.body).toContain('询盘已发送。');
    expect(mine.body).toContain('请报 FOB 深圳价格。\n需要 CE 认证。');
    expect(mine.body).toContain('规格书.pdf');
    expect(mine.body).toContain('USD 11.80');

    const inbox = await owner.browser.get('/messages?box=supplier');
    expect(inbox.body).toContain('询价：LED工矿灯');
    expect(inbox.body).toContain('未读');
    expect(inbox.body).toContain('消息 (1)');
    expect(inbox.body).toContain('1 个对话有未读消息');

    const thread = (await owner.browser.api('GET', `/api/threads/${threadId}`)).json<{ thread: Record<string, unknown>; messages: { attachments: { url: string; fileName: string }[] }[] }>();
    expect(thread.thread).toMatchObject({ status: 'new', side: 'supplier', quantity: 500, unit: 'piece', targetPrice: '11.80', targetCurrency: 'USD', product: { id: productId } });
    expect(thread.messages[0]!.attachments.map((a) => a.fileName)).toEqual(['规格书.pdf', 'drawing.png']);
    const file = await owner.browser.get(thread.messages[0]!.attachments[0]!.url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('规格书.pdf')}`);
    expect(file.headers['cache-control']).toContain('no-store');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(minimalPdf())).toBe(true);

    const events = await db().selectFrom('serviceEvent').select(['targetType', 'targetId']).where('event', '=', 'inquiry.sent').execute();
    expect(events).toContainEqual({ targetType: 'product', targetId: productId });
  });

  it('is linked from the company profile, and sends signed-out visitors to sign in and back', async () => {
    const owner = await seller();
    const profile = await new Browser(t.app).get(`/companies/${owner.companyId}`);
    expect(profile.body).toContain(`href="/inquiries/new?company=${owner.companyId}"`);
    const visitor = await new Browser(t.app).get(`/inquiries/new?company=${owner.companyId}`);
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/inquiries/new?company=${owner.companyId}`)}`);
    expect((await new Browser(t.app).api('POST', '/api/inquiries', inquiry({ companyId: owner.companyId }))).statusCode).toBe(401);
  });

  it('refuses a member sending one to their own company, and stores nothing', async () => {
    const owner = await seller();
    const before = await threadCount();
    const form = await owner.browser.get(`/inquiries/new?company=${owner.companyId}`);
    expect(form.statusCode).toBe(409);
    expect(form.body).toContain('您不能向自己所在的公司发送询盘。');
    const api = await owner.browser.api('POST', '/api/inquiries', inquiry({ companyId: owner.companyId }));
    expect(api.statusCode).toBe(409);
    expect(api.json()).toMatchObject({ error: { code: 'CONFLICT', message: '您不能向自己所在的公司发送询盘。' } });
    expect(await threadCount()).toBe(before);
  });

  it('answers 404 for a draft product, an unknown company and a company not yet submitted', async () => {
    const owner = await seller();
    const draft = await product(owner, false);
    const unverified = await withAuth(t.app, await supplier(t.app, { verified: false }));
    const asker = await buyer();
    expect((await asker.browser.get(`/inquiries/new?product=${draft}`)).statusCode).toBe(404);
    expect((await asker.browser.get('/inquiries/new?company=00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await asker.browser.get(`/inquiries/new?company=${unverified.companyId}`)).statusCode).toBe(404);
    expect((await asker.browser.get('/inquiries/new')).statusCode).toBe(404);
    expect((await asker.browser.api('POST', '/api/inquiries', inquiry({ productId: draft }))).statusCode).toBe(404);
  });
});

describe('who handles a company’s inquiries', () => {
  it('is every member by default; with named members an unchosen member neither sees nor hears of them', async () => {
    const owner = await seller();
    const named = await join(owner, 'member');
    const unchosen = await join(owner, 'member');
    const asker = await buyer();

    const first = await send(asker, { companyId: owner.companyId, message: '默认所有成员都能看到。' });
    expect(await threadIds(unchosen)).toContain(first);

    const page = await owner.browser.get(`/shop/${owner.companyId}/inquiries/settings`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('询盘处理人');
    const saved = await owner.browser.post(`/shop/${owner.companyId}/inquiries/settings`, { mode: 'named', members: named.accountId });
    expect(saved.statusCode).toBe(303);

    const second = await send(asker, { companyId: owner.companyId, message: '只发给指定成员。' });
    expect(await threadIds(owner)).toContain(second);
    expect(await threadIds(named)).toContain(second);
    expect(await threadIds(unchosen)).toEqual([]);
    expect((await unchosen.browser.get(`/messages/${second}`)).statusCode).toBe(404);
    expect((await unchosen.browser.api('GET', `/api/threads/${second}`)).statusCode).toBe(404);
    expect(await unread(unchosen)).toEqual({ buyer: 0, supplier: 0, total: 0 });

    const notified = async (email: string) => (await mailsTo(email, 'inquiry-new')).length;
    expect(await notified(owner.data.email)).toBe(2);
    expect(await notified(named.data.email)).toBe(2);
    expect(await notified(unchosen.data.email)).toBe(1);
  });

  it('is chosen by the owner and admins only, among the company’s members', async () => {
    const owner = await seller();
    const admin = await join(owner, 'admin');
    const member = await join(owner, 'member');
    const outsider = await buyer();
    const url = `/shop/${owner.companyId}/inquiries/settings`;
    expect((await admin.browser.post(url, { mode: 'named', members: member.accountId })).statusCode).toBe(303);
    expect((await member.browser.get(url)).statusCode).toBe(403);
    expect((await member.browser.post(url, { mode: 'all' })).statusCode).toBe(403);
    expect((await outsider.browser.get(url)).statusCode).toBe(404);
    expect((await outsider.browser.api('PUT', `/api/companies/${owner.companyId}/inquiry-handlers`, { mode: 'all' })).statusCode).toBe(404);
    const stranger = await owner.browser.post(url, { mode: 'named', members: outsider.accountId });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.body).toContain('只能选择本公司的成员。');
    const api = await owner.browser.api('GET', `/api/companies/${owner.companyId}/inquiry-handlers`);
    expect(api.json()).toMatchObject({ mode: 'named' });
    const handlers = api.json<{ members: { accountId: string; isHandler: boolean }[] }>().members.filter((m) => m.isHandler).map((m) => m.accountId);
    expect(handlers.sort()).toEqual([owner.accountId, member.accountId].sort());
  });
});

describe('threads', () => {
  it('carry replies both ways with read and unread state and counts', async () => {
    const owner = await seller();
    const asker = await buyer();
    const threadId = await send(asker, { companyId: owner.companyId });
    expect(await unread(owner)).toEqual({ buyer: 0, supplier: 1, total: 1 });
    expect(await unread(asker)).toEqual({ buyer: 0, supplier: 0, total: 0 });

    const read = await owner.browser.get(`/messages/${threadId}`);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain('消息 (1)');
    expect(await unread(owner)).toMatchObject({ total: 0 });

    const replied = await postFiles(owner.browser, `/messages/${threadId}/reply`, { message: 'FOB 深圳 10.80 美元，交期 15 天。' }, []);
    expect(replied.statusCode).toBe(303);
    expect(replied.headers.location).toBe(`/messages/${threadId}?done=reply#latest`);
    expect(await unread(asker)).toEqual({ buyer: 1, supplier: 0, total: 1 });
    expect((await asker.browser.get('/messages')).body).toContain('消息 (1)');

    const seen = (await asker.browser.api('GET', `/api/threads/${threadId}`)).json<{ thread: { status: string; isUnread: boolean }; messages: { body: string; side: string; isMine: boolean }[] }>();
    expect(seen.thread).toMatchObject({ status: 'replied', isUnread: false });
    expect(seen.messages.map((m) => [m.side, m.isMine])).toEqual([['buyer', true], ['supplier', false]]);
    expect(await unread(asker)).toMatchObject({ total: 0 });

    const answer = await asker.browser.api('POST', `/api/threads/${threadId}/messages`, { message: '好的，请发形式发票。' });
    expect(answer.statusCode).toBe(201);
    expect(answer.json()).toMatchObject({ side: 'buyer', isMine: true, body: '好的，请发形式发票。' });
    expect(await unread(owner)).toMatchObject({ supplier: 1 });
    const list = (await owner.browser.api('GET', '/api/threads?box=supplier')).json<{ items: { id: string; isUnread: boolean; status: string }[] }>();
    expect(list.items.find((i) => i.id === threadId)).toMatchObject({ isUnread: true, status: 'replied' });
  });

  it('take no more messages once either side closes them', async () => {
    const owner = await seller();
    const asker = await buyer();
    const threadId = await send(asker, { companyId: owner.companyId });
    expect((await owner.browser.post(`/messages/${threadId}/close`, {})).statusCode).toBe(303);
    const page = await asker.browser.get(`/messages/${threadId}`);
    expect(page.body).toContain('此对话已关闭，不能再发送消息。');
    expect(page.body).not.toContain(`action="/messages/${threadId}/reply"`);
    const api = await asker.browser.api('POST', `/api/threads/${threadId}/messages`, { message: '还在吗？' });
    expect(api.statusCode).toBe(409);
    expect(api.json()).toMatchObject({ error: { message: '此对话已关闭，不能再发送消息。' } });
    expect((await asker.browser.post(`/messages/${threadId}/reply`, { message: '还在吗？' })).statusCode).toBe(409);
    expect((await asker.browser.api('POST', `/api/threads/${threadId}/close`)).json()).toMatchObject({ status: 'closed' });
  });

  it('are archived for one participant only, and a new message brings them back', async () => {
    const owner = await seller();
    const asker = await buyer();
    const threadId = await send(asker, { companyId: owner.companyId });
    expect((await asker.browser.post(`/messages/${threadId}/archive`, { archived: '1' })).headers.location).toBe(`/messages/${threadId}?done=archived`);
    expect(await threadIds(asker, 'box=buyer')).toEqual([]);
    expect(await threadIds(asker, 'box=buyer&archived=1')).toEqual([threadId]);
    expect(await threadIds(owner)).toEqual([threadId]);
    expect((await asker.browser.get('/messages?box=buyer&archived=1')).body).toContain('已归档');

    await owner.browser.api('POST', `/api/threads/${threadId}/messages`, { message: '请查看报价。' });
    expect(await threadIds(asker, 'box=buyer')).toEqual([threadId]);

    expect((await owner.browser.api('POST', `/api/threads/${threadId}/archive`, { archived: true })).json()).toMatchObject({ isArchived: true });
    expect((await owner.browser.api('POST', `/api/threads/${threadId}/archive`, { archived: false })).json()).toMatchObject({ isArchived: false });
  });

  it('are searched within one’s own threads only, by subject and by message', async () => {
    const owner = await seller();
    const asker = await buyer();
    const other = await buyer();
    await send(asker, { companyId: owner.companyId, subject: '太阳能路灯询价', message: '需要 6 米灯杆。' });
    await send(asker, { companyId: owner.companyId, subject: '投光灯', message: '请报 100% 铝合金外壳的价格。' });
    await send(other, { companyId: owner.companyId, subject: '太阳能路灯', message: '别人的询盘。' });

    const search = async (q: string) => (await asker.browser.api('GET', `/api/threads?box=buyer&q=${encodeURIComponent(q)}`)).json<{ items: { subject: string }[] }>().items.map((i) => i.subject);
    expect(await search('太阳能')).toEqual(['太阳能路灯询价']);
    expect(await search('灯杆')).toEqual(['太阳能路灯询价']);
    expect(await search('100%')).toEqual(['投光灯']);
    expect(await search('%')).toEqual(['投光灯']);
    expect(await search('_')).toEqual([]);
    expect(await search('')).toHaveLength(2);
    const page = await asker.browser.get(`/messages?box=buyer&q=${encodeURIComponent('灯杆')}`);
    expect(page.body).toContain('找到 1 个包含“灯杆”的对话。');
    expect(await search('<script>alert(1)</script>')).toEqual([]);
    expect((await asker.browser.get(`/messages?q=${encodeURIComponent('<script>alert(1)</script>')}`)).body).not.toContain('<script>alert(1)</script>');
  });

  it('are listed 20 a page, most recently active first', async () => {
    const owner = await seller();
    const asker = await buyer();
    for (let i = 1; i <= 22; i++) {
      await service().send(asker.auth, { companyId: owner.companyId, subject: `询盘 ${i}`, message: `第 ${i} 条`, quantity: i, unit: 'set', targetPrice: null }, [], 'zh-CN');
    }
    const first = (await asker.browser.api('GET', '/api/threads?box=buyer')).json<{ items: { subject: string }[]; pages: number; total: number }>();
    expect(first).toMatchObject({ pages: 2, total: 22 });
    expect(first.items).toHaveLength(20);
    expect(first.items[0]!.subject).toBe('询盘 22');
    const second = (await asker.browser.api('GET', '/api/threads?box=buyer&page=2')).json<{ items: { subject: string }[] }>();
    expect(second.items.map((i) => i.subject)).toEqual(['询盘 2', '询盘 1']);
    const page = await asker.browser.get('/messages?box=buyer&page=2');
    expect(page.body).toContain('第 2 / 2 页');
    expect(page.body).toContain('rel="prev"');
  });
});

describe('nobody reads a thread they are not part of', () => {
  it('answers 404 to outsiders and to members of other companies, for pages, attachments and the API', async () => {
    const owner = await seller();
    const asker = await buyer();
    const response = await postFiles(asker.browser, '/inquiries/new', { companyId: owner.companyId, subject: '机密询价', message: '仅限双方。', quantity: '10', unit: 'set' }, [
      { name: 'secret.pdf', bytes: minimalPdf(), type: 'application/pdf' },
    ]);
    const threadId = /\/messages\/([0-9a-f-]{36})/.exec(String(response.headers.location))![1]!;
    const { messages } = (await asker.browser.api('GET', `/api/threads/${threadId}`)).json<{ messages: { attachments: { url: string }[] }[] }>();
    const fileUrl = messages[0]!.attachments[0]!.url;
    expect((await asker.browser.get(fileUrl)).statusCode).toBe(200);

    const outsider = await buyer();
    const rival = await seller();
    for (const person of [outsider, rival]) {
      expect((await person.browser.get(`/messages/${threadId}`)).statusCode).toBe(404);
      expect((await person.browser.get(fileUrl)).statusCode).toBe(404);
      expect((await person.browser.api('GET', `/api/threads/${threadId}`)).statusCode).toBe(404);
      expect((await person.browser.api('POST', `/api/threads/${threadId}/messages`, { message: '插一句' })).statusCode).toBe(404);
      expect((await person.browser.post(`/messages/${threadId}/reply`, { message: '插一句' })).statusCode).toBe(404);
      expect((await person.browser.api('POST', `/api/threads/${threadId}/close`)).statusCode).toBe(404);
      expect((await person.browser.post(`/messages/${threadId}/close`, {})).statusCode).toBe(404);
      expect((await person.browser.api('POST', `/api/threads/${threadId}/archive`, { archived: true })).statusCode).toBe(404);
      expect((await person.browser.api('POST', `/api/threads/${threadId}/report`, { reason: 'spam' })).statusCode).toBe(404);
      expect(await threadIds(person, 'box=buyer')).toEqual([]);
      expect(await threadIds(person, 'box=supplier')).toEqual([]);
    }
    const visitor = new Browser(t.app);
    expect((await visitor.get(`/messages/${threadId}`)).statusCode).toBe(303);
    expect((await visitor.get(fileUrl)).statusCode).toBe(303);
    expect((await visitor.api('GET', `/api/threads/${threadId}`)).statusCode).toBe(401);
    expect((await asker.browser.get(`/messages/${threadId}/attachments/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
    expect((await asker.browser.get('/messages/not-an-id')).statusCode).toBe(404);
    const stored = await db().selectFrom('inquiryMessage').select('body').where('threadId', '=', threadId).execute();
    expect(stored.map((m) => m.body)).toEqual(['仅限双方。']);
    const thread = await db().selectFrom('inquiryThread').select('status').where('id', '=', threadId).executeTakeFirstOrThrow();
    expect(thread.status).toBe('new');
  });
});

describe('email notices over SMTP', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let outboxApp: TestApp;
  // The helpers act on `t`: for these tests it is an app that delivers over SMTP to the sink.
  beforeAll(async () => {
    sink = await startSmtpSink();
    outboxApp = t;
    t = await makeApp({ smtpUrl: sink.url });
  });
  afterAll(async () => {
    await t.close();
    t = outboxApp;
    await sink.close();
  });

  it('tell the other side of each new message, with a link back', async () => {
    const owner = await seller();
    const asker = await buyer();
    const threadId = await send(asker, { companyId: owner.companyId, subject: '不锈钢螺丝询价' });
    const link = `${t.config.publicUrl}/messages/${threadId}`;
    const toOwner = await sink.waitFor((m) => m.to.includes(owner.data.email) && m.subject === '新询盘：不锈钢螺丝询价');
    expect(toOwner.text).toContain(link);
    expect(toOwner.text).toContain(`${asker.data.contactPerson} 向贵公司发送了一条新询盘`);
    // The message itself stays on the site: the notice carries only the link.
    expect(toOwner.text).not.toContain('FOB 深圳价格');

    await owner.browser.api('POST', `/api/threads/${threadId}/messages`, { message: '已报价。' });
    const toBuyer = await sink.waitFor((m) => m.to.includes(asker.data.email) && m.subject === '新消息：不锈钢螺丝询价');
    expect(toBuyer.text).toContain(link);
    expect(linkIn(toBuyer.text, '/messages/')).toBe(`/messages/${threadId}`);
    expect(await mailsTo(owner.data.email, 'inquiry-message')).toEqual([]);
  });
});

describe('email notices', () => {
  it('are written in the language the person last used', async () => {
    const owner = await seller();
    const asker = await withAuth(t.app, await signedIn(t.app));
    const english = new Browser(t.app, { 'accept-language': 'en' });
    const signIn = await english.post('/sign-in', { identifier: owner.data.email, password: owner.data.password });
    expect(signIn.statusCode).toBe(303);
    await english.post('/messages/settings', { frequency: 'immediately' });
    await send(asker, { companyId: owner.companyId, subject: 'Solar lights' });
    const [mail] = await mailsTo(owner.data.email, 'inquiry-new');
    expect(mail).toMatchObject({ subject: 'New inquiry: Solar lights' });
    expect(mail!.textBody).toContain('has sent your company a new inquiry');
  });

  it('come once a day in a digest for those who chose it, and never for those who chose never', async () => {
    const owner = await seller();
    const daily = await buyer();
    const never = await buyer();
    const settings = await daily.browser.get('/messages/settings');
    expect(settings.body).toContain('每天汇总发送一封邮件');
    expect((await daily.browser.post('/messages/settings', { frequency: 'daily' })).headers.location).toBe('/messages/settings?done=saved');
    expect((await never.browser.api('PUT', '/api/messages/settings', { frequency: 'never' })).json()).toEqual({ frequency: 'never' });
    expect((await never.browser.api('GET', '/api/messages/settings')).json()).toEqual({ frequency: 'never' });

    const dailyThread = await send(daily, { companyId: owner.companyId, subject: '每日汇总测试' });
    const neverThread = await send(never, { companyId: owner.companyId, subject: '从不提醒测试' });
    await owner.browser.api('POST', `/api/threads/${dailyThread}/messages`, { message: '第一条回复' });
    await owner.browser.api('POST', `/api/threads/${dailyThread}/messages`, { message: '第二条回复' });
    await owner.browser.api('POST', `/api/threads/${neverThread}/messages`, { message: '回复' });
    expect(await mailsTo(daily.data.email, 'inquiry-message')).toEqual([]);
    expect(await mailsTo(never.data.email, 'inquiry-message')).toEqual([]);
    expect(await unread(never)).toMatchObject({ buyer: 1 });

    const at = new Date(Date.now() + 1000);
    await service().sendDailyDigests(at);
    const digests = await mailsTo(daily.data.email, 'inquiry-digest');
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toContain('您有 2 条未读消息');
    expect(digests[0]!.textBody).toContain(`- 每日汇总测试：2 条新消息 ${t.config.publicUrl}/messages/${dailyThread}`);
    expect(await mailsTo(never.data.email, 'inquiry-digest')).toEqual([]);

    await service().sendDailyDigests(new Date(at.getTime() + 3600_000));
    expect(await mailsTo(daily.data.email, 'inquiry-digest')).toHaveLength(1);

    // The next Beijing day lists only what came since, and nothing when all is read.
    await daily.browser.get(`/messages/${dailyThread}`);
    await service().sendDailyDigests(new Date(at.getTime() + 86_400_000));
    expect(await mailsTo(daily.data.email, 'inquiry-digest')).toHaveLength(1);
  });
});

describe('abuse control', () => {
  it('refuses a buyer’s 31st inquiry in 24 hours with a clear message, storing nothing', async () => {
    const owner = await seller();
    const asker = await buyer();
    for (let i = 0; i < 30; i++) {
      await service().send(asker.auth, { companyId: owner.companyId, subject: `询盘 ${i}`, message: `不同的内容 ${i}`, quantity: 1, unit: 'piece', targetPrice: null }, [], 'zh-CN');
    }
    const before = await threadCount();
    const api = await asker.browser.api('POST', '/api/inquiries', inquiry({ companyId: owner.companyId }));
    expect(api.statusCode).toBe(429);
    expect(api.json()).toMatchObject({ error: { code: 'RATE_LIMITED', message: '24 小时内最多可以发送 30 条询盘，请稍后再试。' } });
    const form = await asker.browser.post('/inquiries/new', { companyId: owner.companyId, subject: 'x', message: 'y', quantity: '1', unit: 'piece' });
    expect(form.statusCode).toBe(429);
    expect(form.body).toContain('24 小时内最多可以发送 30 条询盘');
    expect(await threadCount()).toBe(before);
  });

  it('refuses one text sent to a 6th company in 24 hours, however it is spaced or cased', async () => {
    const companies = await Promise.all(Array.from({ length: 6 }, () => seller()));
    const asker = await buyer();
    const text = 'Dear supplier, please send your best price list.';
    for (const [i, c] of companies.slice(0, 5).entries()) {
      await send(asker, { companyId: c.companyId, message: i % 2 ? text.toUpperCase() : `  ${text.replace(/ /g, '  ')} ` });
    }
    // The same company again is no mass mailing.
    await send(asker, { companyId: companies[0]!.companyId, message: text });
    const before = await threadCount();
    const refused = await asker.browser.api('POST', '/api/inquiries', inquiry({ companyId: companies[5]!.companyId, message: text }));
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { message: '相同内容的询盘 24 小时内最多发给 5 家公司。请针对每家供应商说明具体需求。' } });
    expect(await threadCount()).toBe(before);
    await send(asker, { companyId: companies[5]!.companyId, message: `${text} We need 2,000 units of your model A.` });
  });

  it('rate-limits posting inquiries per account, whatever the address, counting refused input', async () => {
    const asker = await buyer();
    // A second session of the same account, from another address.
    const elsewhere = new Browser(t.app);
    expect((await elsewhere.post('/sign-in', { identifier: asker.data.email, password: asker.data.password })).statusCode).toBe(303);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await asker.browser.api('POST', '/api/inquiries', { subject: '' })).statusCode);
    for (let i = 0; i < 5; i++) statuses.push((await elsewhere.api('POST', '/api/inquiries', { subject: '' })).statusCode);
    expect(statuses.every((s) => s === 400)).toBe(true);
    expect((await elsewhere.api('POST', '/api/inquiries', { subject: '' })).statusCode).toBe(429);
  });
});

describe('reports', () => {
  it('put the thread in the staff queue, where support staff read it and mark it handled', async () => {
    const owner = await seller();
    const asker = await buyer();
    const threadId = await send(asker, { companyId: owner.companyId, subject: '可疑的询盘', message: '请先付定金到个人账户。' });

    const reported = await owner.browser.post(`/messages/${threadId}/report`, { reason: 'fraud', details: '要求付款到个人账户' });
    expect(reported.headers.location).toBe(`/messages/${threadId}?done=reported`);
    const again = await owner.browser.api('POST', `/api/threads/${threadId}/report`, { reason: 'spam' });
    expect(again.statusCode).toBe(201);
    const rows = await db().selectFrom('inquiryReport').select(['id', 'reason', 'side']).where('threadId', '=', threadId).execute();
    expect(rows).toHaveLength(1);
    expect(again.json()).toEqual({ reportId: rows[0]!.id });
    expect(rows[0]).toMatchObject({ reason: 'fraud', side: 'supplier' });

    expect((await asker.browser.get('/staff/inquiry-reports')).statusCode).toBe(403);
    expect((await asker.browser.get(`/staff/inquiry-reports/${rows[0]!.id}`)).statusCode).toBe(403);
    expect((await new Browser(t.app).get('/staff/inquiry-reports')).statusCode).toBe(303);

    const staff = await buyer();
    await t.app.silkline.accounts.setRole(staff.data.loginName, 'support');
    const queue = await staff.browser.get('/staff/inquiry-reports');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('可疑的询盘');
    expect((await staff.browser.get('/staff')).body).toContain('href="/staff/inquiry-reports"');
    const one = await staff.browser.get(`/staff/inquiry-reports/${rows[0]!.id}`);
    expect(one.body).toContain('请先付定金到个人账户。');
    expect(one.body).toContain('要求付款到个人账户');
    expect(one.body).toContain('涉嫌欺诈');
    expect((await staff.browser.post(`/staff/inquiry-reports/${rows[0]!.id}/handle`, {})).statusCode).toBe(303);
    expect((await staff.browser.get('/staff/inquiry-reports')).body).not.toContain('可疑的询盘');
    // Staff read reported threads through the queue only.
    expect((await staff.browser.get(`/messages/${threadId}`)).statusCode).toBe(404);
  });
});

describe('startThread, for other modules', () => {
  it('runs inside the caller’s transaction, skips the abuse limits for RFQs, and tells the handlers', async () => {
    const owner = await seller();
    const asker = await buyer();
    const input = { buyerAccountId: asker.accountId, companyId: owner.companyId, productId: null, subject: '接受报价：LED 灯', message: '我接受您的报价。', quantity: 500, unit: 'piece', origin: 'rfq' as const, originId: null };

    const before = await threadCount();
    await expect(
      db().transaction().execute(async (trx) => {
        await service().startThread(trx, input);
        throw new Error('the caller changes its mind');
      }),
    ).rejects.toThrow('the caller changes its mind');
    expect(await threadCount()).toBe(before);

    for (let i = 0; i < 30; i++) {
      await service().send(asker.auth, { companyId: owner.companyId, subject: `询盘 ${i}`, message: `内容 ${i}`, quantity: 1, unit: 'piece', targetPrice: null }, [], 'zh-CN');
    }
    const { threadId } = await db().transaction().execute((trx) => service().startThread(trx, input));
    const { threadId: own } = await service().startThread(undefined, { ...input, subject: '另一个' });
    expect(own).not.toBe(threadId);
    const thread = (await owner.browser.api('GET', `/api/threads/${threadId}`)).json<{ thread: { origin: string; subject: string } }>();
    expect(thread.thread).toMatchObject({ origin: 'rfq', subject: '接受报价：LED 灯' });
    expect((await mailsTo(owner.data.email, 'inquiry-new')).some((m) => m.subject === '新询盘：接受报价：LED 灯')).toBe(true);
    await expect(service().startThread(undefined, { ...input, origin: 'inquiry' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(service().startThread(undefined, { ...input, buyerAccountId: owner.accountId })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

const huge = 'x'.repeat(10_000);

/** One supplier for the bad-input cases, which each use a fresh buyer (the per-account rate limit stays out of the way). */
let badInputSupplier: Supplier | undefined;
async function sharedSupplier(): Promise<Supplier> {
  badInputSupplier ??= await seller();
  return badInputSupplier;
}
const script = '<script>alert(1)</script>';

describe('bad input', () => {
  const apiCases: [string, Record<string, unknown>, number][] = [
    ['no target', { companyId: undefined }, 400],
    ['a target that is not an id', { companyId: 'not-an-id' }, 400],
    ['an unknown product', { companyId: undefined, productId: '00000000-0000-4000-8000-000000000000' }, 404],
    ['an empty subject', { subject: '' }, 400],
    ['a 10,000-character subject', { subject: huge }, 400],
    ['control characters in the subject', { subject: 'a\u0000b' }, 400],
    ['a number as subject', { subject: 42 }, 400],
    ['an empty message', { message: '   ' }, 400],
    ['a 10,000-character message', { message: huge }, 400],
    ['an object as message', { message: { text: 'hi' } }, 400],
    ['a zero quantity', { quantity: 0 }, 400],
    ['a negative quantity', { quantity: -5 }, 400],
    ['a fractional quantity', { quantity: 1.5 }, 400],
    ['a huge quantity', { quantity: 1e12 }, 400],
    ['letters as quantity', { quantity: 'lots' }, 400],
    ['no quantity', { quantity: undefined }, 400],
    ['an unknown unit', { unit: 'parsec' }, 400],
    ['a zero target price', { targetPrice: '0' }, 400],
    ['letters as target price', { targetPrice: 'cheap' }, 400],
    ['three decimals in the target price', { targetPrice: '1.234' }, 400],
    ['an unknown currency', { targetPrice: '1.50', currency: 'EUR' }, 400],
  ];

  it.each(apiCases)('the API refuses %s with a localised message and stores nothing', async (_name, fields, status) => {
    const owner = await sharedSupplier();
    const asker = await buyer();
    const before = await threadCount();
    const body = { ...inquiry({ companyId: owner.companyId }), ...fields };
    const response = await asker.browser.api('POST', '/api/inquiries', body);
    expect(response.statusCode).toBe(status);
    const error = response.json<{ error: { code: string; message: string } }>().error;
    expect(error.message).not.toMatch(/^[a-z]+\.[a-zA-Z.]+$/);
    expect(await threadCount()).toBe(before);
  });

  it('the form keeps what was typed, marks the field and escapes scripts', async () => {
    const owner = await sharedSupplier();
    const asker = await buyer();
    const before = await threadCount();
    const response = await asker.browser.post('/inquiries/new', { companyId: owner.companyId, subject: script, message: script, quantity: '0', unit: 'parsec' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('提交的信息有误');
    expect(response.body).toContain('请填写采购数量：1 到 1,000,000,000 之间的整数。');
    expect(response.body).toContain('请选择单位。');
    expect(response.body).toMatch(/id="field-quantity"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="field-quantity"/);
    expect(response.body).toContain('&lt;script>alert(1)&lt;/script>');
    expect(response.body).not.toContain(script);
    expect(await threadCount()).toBe(before);
    const english = new Browser(t.app, { 'accept-language': 'en' });
    expect((await english.get('/inquiries/new')).statusCode).toBe(303);
  });

  it('the form refuses an executable, a text posing as a file and too many files, keeping no file', async () => {
    const owner = await sharedSupplier();
    const asker = await buyer();
    const fields = { companyId: owner.companyId, subject: '附件测试', message: '见附件', quantity: '1', unit: 'piece' };
    const before = await threadCount();
    const files = await db().selectFrom('inquiryAttachment').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();

    const exe = await postFiles(asker.browser, '/inquiries/new', fields, [{ name: 'invoice.pdf', bytes: executable(), type: 'application/pdf' }]);
    expect(exe.statusCode).toBe(415);
    expect(exe.body).toContain('不支持该文件格式，只能上传：PDF / JPEG / PNG / WebP。');
    const six = await postFiles(asker.browser, '/inquiries/new', fields, Array.from({ length: 6 }, (_, i) => ({ name: `${i}.pdf`, bytes: minimalPdf(), type: 'application/pdf' })));
    expect(six.statusCode).toBe(413);
    const text = await asker.browser.post('/inquiries/new', { ...fields, attachments: 'not a file' });
    expect(text.statusCode).toBe(400);
    expect(text.body).toContain('附件格式不正确');
    expect(await threadCount()).toBe(before);
    expect((await db().selectFrom('inquiryAttachment').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n).toEqual(files.n);
  });

  it('replies, reports, settings and handler choices refuse bad input without a 500', async () => {
    const owner = await sharedSupplier();
    const asker = await buyer();
    const threadId = await send(asker, { companyId: owner.companyId, message: `坏输入 ${Date.now()}` });
    const messages = async () => (await db().selectFrom('inquiryMessage').select('id').where('threadId', '=', threadId).execute()).length;
    const cases: [string, () => Promise<{ statusCode: number }>, number][] = [
      ['empty reply form', () => asker.browser.post(`/messages/${threadId}/reply`, { message: '' }), 400],
      ['huge reply form', () => asker.browser.post(`/messages/${threadId}/reply`, { message: huge }), 400],
      ['number as reply', () => asker.browser.api('POST', `/api/threads/${threadId}/messages`, { message: 5 }), 400],
      ['no reply body', () => asker.browser.api('POST', `/api/threads/${threadId}/messages`, {}), 400],
      ['bad thread id', () => asker.browser.api('POST', '/api/threads/nope/messages', { message: 'hi' }), 400],
      ['unknown report reason', () => asker.browser.post(`/messages/${threadId}/report`, { reason: 'boredom' }), 400],
      ['huge report details', () => asker.browser.api('POST', `/api/threads/${threadId}/report`, { reason: 'spam', details: huge }), 400],
      ['unknown frequency', () => asker.browser.post('/messages/settings', { frequency: 'hourly' }), 400],
      ['frequency as a number', () => asker.browser.api('PUT', '/api/messages/settings', { frequency: 1 }), 400],
      ['unknown handler mode', () => owner.browser.post(`/shop/${owner.companyId}/inquiries/settings`, { mode: 'some' }), 400],
      ['handler that is not an id', () => owner.browser.post(`/shop/${owner.companyId}/inquiries/settings`, { mode: 'named', members: script }), 400],
      ['archive with junk', () => asker.browser.api('POST', `/api/threads/${threadId}/archive`, { archived: 'perhaps' }), 400],
      ['reply without CSRF token', () => asker.browser.post(`/messages/${threadId}/reply`, { _csrf: '', message: 'hi' }), 403],
      ['list with junk', () => asker.browser.api('GET', '/api/threads?box=nobody&archived=maybe&page=-3&q=' + 'x'.repeat(500)), 200],
    ];
    for (const [name, call, status] of cases) {
      expect({ name, status: (await call()).statusCode }).toEqual({ name, status });
    }
    expect(await messages()).toBe(1);
    expect(await db().selectFrom('inquiryReport').select('id').where('threadId', '=', threadId).execute()).toEqual([]);
  });
});

describe('personal data', () => {
  it('exports a person’s threads and messages, and erasure leaves the trade record under an anonymous label', async () => {
    const owner = await seller();
    const asker = await buyer();
    const threadId = await send(asker, { companyId: owner.companyId, subject: '注销前的询盘', message: '我的询盘内容' });
    await owner.browser.api('POST', `/api/threads/${threadId}/messages`, { message: '供应商的回复' });
    await asker.browser.get(`/messages/${threadId}`);
    await asker.browser.post('/messages/settings', { frequency: 'daily' });
    await asker.browser.api('POST', `/api/threads/${threadId}/report`, { reason: 'other' });

    const provider = t.app.silkline.providers.find((p) => p.name === 'inquiries')!;
    const exported = await provider.export(asker.accountId);
    expect(exported.records.threads).toHaveLength(1);
    expect(exported.records.messages).toEqual([expect.objectContaining({ body: '我的询盘内容', side: 'buyer' })]);
    expect(exported.records.preference).toEqual([expect.objectContaining({ frequency: 'daily' })]);
    expect(exported.records.readState).toHaveLength(1);
    expect(exported.records.reports).toHaveLength(1);

    const order = t.app.silkline.providers.map((p) => p.name);
    expect(order.indexOf('inquiries')).toBeLessThan(order.indexOf('accounts'));
    for (const p of t.app.silkline.providers) await p.erase(asker.accountId);

    const thread = await db().selectFrom('inquiryThread').select(['buyerAccountId', 'buyerName', 'subject']).where('id', '=', threadId).executeTakeFirstOrThrow();
    expect(thread).toEqual({ buyerAccountId: null, buyerName: anonymousLabel, subject: '注销前的询盘' });
    const messages = await db().selectFrom('inquiryMessage').select(['authorAccountId', 'authorName', 'body']).where('threadId', '=', threadId).orderBy('createdAt').execute();
    expect(messages[0]).toEqual({ authorAccountId: null, authorName: anonymousLabel, body: '我的询盘内容' });
    expect(messages[1]).toMatchObject({ authorName: owner.data.contactPerson, body: '供应商的回复' });
    expect(await db().selectFrom('messagePreference').select('accountId').where('accountId', '=', asker.accountId).execute()).toEqual([]);
    expect(await db().selectFrom('inquiryParticipant').select('accountId').where('accountId', '=', asker.accountId).execute()).toEqual([]);
    expect(await db().selectFrom('inquiryReport').select('reporterAccountId').where('threadId', '=', threadId).execute()).toEqual([{ reporterAccountId: null }]);

    const page = await owner.browser.get(`/messages/${threadId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(anonymousLabel);
    expect((await provider.export(asker.accountId)).records.messages).toEqual([]);
  });

  it('deletes threads completed more than 3 years ago, with their files', async () => {
    const owner = await seller();
    const asker = await buyer();
    const response = await postFiles(asker.browser, '/inquiries/new', { companyId: owner.companyId, subject: '很久以前', message: '旧询盘', quantity: '1', unit: 'piece' }, [
      { name: 'old.pdf', bytes: minimalPdf(), type: 'application/pdf' },
    ]);
    const oldId = /\/messages\/([0-9a-f-]{36})/.exec(String(response.headers.location))![1]!;
    const recentId = await send(asker, { companyId: owner.companyId, message: '新询盘' });
    const { fileId } = await db().selectFrom('inquiryAttachment').select('fileId').where('threadId', '=', oldId).executeTakeFirstOrThrow();
    const longAgo = '2022-01-04T02:00:00.000Z';
    await db().updateTable('inquiryThread').set({ lastMessageAt: longAgo, closedAt: longAgo }).where('id', '=', oldId).execute();

    expect(await service().deleteExpired(new Date('2026-06-01T00:00:00Z'))).toBeGreaterThanOrEqual(1);
    expect(await db().selectFrom('inquiryThread').select('id').where('id', 'in', [oldId, recentId]).execute()).toEqual([{ id: recentId }]);
    expect(await t.app.silkline.files.find(fileId)).toBeNull();
  });
});

describe('the API document and the catalogs', () => {
  it('lists the inquiry and message routes with their schemas', async () => {
    const doc = (await new Browser(t.app).get('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    for (const path of ['/api/inquiries', '/api/threads', '/api/threads/{id}', '/api/threads/{id}/messages', '/api/threads/{id}/close', '/api/threads/{id}/archive', '/api/threads/{id}/report', '/api/messages/unread', '/api/messages/settings']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/messages') || p.startsWith('/inquiries'))).toBe(false);
  });

  it('have the same keys and placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const zh = inquiriesMessages['zh-CN'];
    const en = inquiriesMessages.en;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(zh)) expect({ key, p: placeholders(en[key]!) }).toEqual({ key, p: placeholders(zh[key]!) });
  });
});
