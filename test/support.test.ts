import { createServer, Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { catalog } from '../src/messages.js';
import { addWorkingDays } from '../src/platform/calendar/working-days.js';
import { makeTranslator } from '../src/platform/i18n/i18n.js';
import { createSupportService, startInboundMail, supportMessages, type InboundMailServer } from '../src/modules/support/index.js';
import { Browser, latestMail, makeApp, signedIn, startSmtpSink, type TestApp } from './helpers.js';

let t: TestApp;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let inbound: InboundMailServer;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await makeApp({ smtpUrl: sink.url, supportEmail: 'support@silkline-test.example.cn', privacyEmail: 'privacy@silkline-test.example.cn' });
  inbound = await startInboundMail({
    support: t.app.silkline.support,
    host: '127.0.0.1',
    port: 0,
    addresses: [t.config.supportEmail, t.config.privacyEmail],
  });
});
afterAll(async () => {
  await inbound.close();
  await t.close();
  await sink.close();
});

const zh = supportMessages['zh-CN'];
const db = () => t.app.silkline.db.kysely;
const ticketsFrom = (email: string) => db().selectFrom('supportTicket').selectAll().where('email', '=', email).orderBy('createdAt').execute();
const threadOf = (ticketId: string) => db().selectFrom('supportMessage').selectAll().where('ticketId', '=', ticketId).orderBy('createdAt').orderBy('id').execute();
const countTickets = async () => (await db().selectFrom('supportTicket').select('id').execute()).length;
const unique = () => Math.random().toString(36).slice(2, 8);

const form = (overrides: Record<string, string> = {}) => ({
  topic: 'trade',
  message: '我们想采购 2 个 40 尺集装箱的光伏组件，请联系我们。',
  email: `visitor.${unique()}@example.cn`,
  name: '王芳',
  ...overrides,
});

/** A signed-in account with a staff role (or none), and its id. */
async function person(role: 'support' | 'admin' | 'user' | 'reviewer' | 'privacy-officer' = 'user', app = t.app) {
  const { browser, data } = await signedIn(app);
  if (role !== 'user') await app.silkline.accounts.setRole(data.loginName, role);
  const { id } = await app.silkline.db.kysely.selectFrom('account').select('id').where('email', '=', data.email).executeTakeFirstOrThrow();
  return { browser, data, accountId: id };
}

/** Real SMTP to the inbound listener, as a sending mail server would speak it. */
function mailer(port = inbound.port) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
}

describe('the contact form', () => {
  it('is at /contact with the support address, the privacy channel and the just-in-time notice', async () => {
    const page = await new Browser(t.app).get('/contact');
    expect(page.statusCode).toBe(200);
    for (const part of ['name="_csrf"', 'name="topic"', 'value="complaint"', 'name="message"', 'name="email"', 'name="name"', 'name="website"']) {
      expect(page.body).toContain(part);
    }
    expect(page.body).toContain('support@silkline-test.example.cn');
    expect(page.body).toContain('href="/privacy/contact"');
    expect(page.body).toContain('mailto:privacy@silkline-test.example.cn');
    expect(page.body).toContain(zh['support.contact.notice']);
    const en = await new Browser(t.app, { 'accept-language': 'en' }).get('/contact');
    expect(en.body).toContain(supportMessages.en['support.contact.notice']);
    expect(en.body).toContain('Trade cooperation');
  });

  it('stores a visitor’s message as a ticket due in 2 working days and acknowledges it over SMTP', async () => {
    const input = form();
    const response = await new Browser(t.app).post('/contact', input);
    expect(response.statusCode).toBe(200);

    const [ticket] = await ticketsFrom(input.email);
    expect(ticket).toMatchObject({ topic: 'trade', name: '王芳', channel: 'web', status: 'open', accountId: null, locale: 'zh-CN' });
    expect(ticket!.reference).toMatch(/^SL-[0-9A-Z]{8}$/);
    expect(ticket!.dueOn).toBe(addWorkingDays(new Date(ticket!.createdAt), 2));
    expect(response.body).toContain(ticket!.reference);
    expect(response.body).toContain(ticket!.dueOn);
    expect(await threadOf(ticket!.id)).toEqual([expect.objectContaining({ direction: 'in', body: input.message, attachmentCount: 0 })]);

    const ack = await sink.waitFor((m) => m.to.includes(input.email));
    expect(ack.subject).toContain(ticket!.reference);
    expect(ack.text).toContain(ticket!.dueOn);
    expect(ack.text).toContain('support@silkline-test.example.cn');
    expect((await latestMail(t.app, input.email)).kind).toBe('support-ticket-received');
  });

  it('answers a signed-in sender at the account email, whatever the form says', async () => {
    const { browser, data, accountId } = await person();
    const page = await browser.get('/contact');
    expect(page.body).toContain(`value="${data.email}"`);
    expect(page.body).toContain(' readonly ');
    expect(page.body).toContain('href="/account/support"');
    const response = await browser.post('/contact', form({ email: 'someone.else@example.cn', topic: 'account' }));
    expect(response.statusCode).toBe(200);
    expect(await ticketsFrom('someone.else@example.cn')).toEqual([]);
    expect(await ticketsFrom(data.email)).toEqual([expect.objectContaining({ accountId, topic: 'account' })]);
  });

  it.each([
    ['an empty message', { message: '   ' }, 'message', '请填写内容'],
    ['a message of 10,000 characters', { message: '长'.repeat(10_000) }, 'message', '内容不能超过 5000 字'],
    ['control characters in the message', { message: 'hello\u0000world' }, 'message', '含有不允许的控制字符'],
    ['a bad email', { email: 'not-an-email' }, 'email', '请填写有效的邮箱地址'],
    ['script tags as the email', { email: '<script>alert(1)</script>@example.cn' }, 'email', '请填写有效的邮箱地址'],
    ['a 10,000-character email', { email: `${'x'.repeat(10_000)}@example.cn` }, 'email', '请填写有效的邮箱地址'],
    ['no email from a visitor', { email: '' }, 'email', '请填写有效的邮箱地址'],
    ['script tags in the name', { name: '<script>alert(1)</script>' }, 'name', '称呼中不能包含'],
    ['a 10,000-character name', { name: 'x'.repeat(10_000) }, 'name', '称呼不能超过 100 字'],
    ['an unknown topic', { topic: 'drop table' }, 'topic', '请选择一个主题'],
  ])('refuses %s with a localised field message, stores nothing, in the form and the API', async (_name, overrides, field, text) => {
    const before = await countTickets();
    const input = form(overrides);
    const response = await new Browser(t.app).post('/contact', input);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`id="field-${field}-error"`);
    expect(response.body).toContain(text);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    const api = await new Browser(t.app).api('POST', '/api/support/tickets', input);
    expect(api.statusCode).toBe(400);
    expect(api.json<{ error: { code: string; fields?: Record<string, string> } }>().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { [field]: expect.stringContaining(text) } });
    expect(await countTickets()).toBe(before);
  });

  it('speaks English to an English visitor', async () => {
    const browser = new Browser(t.app, { 'accept-language': 'en' });
    const page = await browser.post('/contact', form({ message: '' }));
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain(supportMessages.en['support.error.messageRequired']);
    const api = await browser.api('POST', '/api/support/tickets', form({ email: 'nope' }));
    expect(api.json<{ error: { fields: Record<string, string> } }>().error.fields.email).toBe(supportMessages.en['support.error.email']);
  });

  it('keeps script tags inside a message as text and never renders them as markup', async () => {
    const input = form({ message: '页面报错：<script>alert(1)</script>' });
    expect((await new Browser(t.app).post('/contact', input)).statusCode).toBe(200);
    const [ticket] = await ticketsFrom(input.email);
    expect((await threadOf(ticket!.id))[0]!.body).toBe(input.message);
    const staff = await person('support');
    const page = await staff.browser.get(`/staff/support/${ticket!.id}`);
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script>');
    expect(page.body).not.toContain('<script>alert(1)</script>');
  });

  it('refuses a message whose hidden field was filled in, as automated senders do', async () => {
    const before = await countTickets();
    const input = form({ website: 'http://cheap-pills.example' });
    const response = await new Browser(t.app).post('/contact', input);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(zh['support.error.spam']);
    const api = await new Browser(t.app).api('POST', '/api/support/tickets', input);
    expect(api.statusCode).toBe(400);
    expect(api.json<{ error: { code: string } }>().error.code).toBe('BAD_REQUEST');
    expect(await countTickets()).toBe(before);
    expect(await ticketsFrom(input.email)).toEqual([]);
  });

  it('refuses a post without its CSRF token, wrong types and junk, never with a 500', async () => {
    const before = await countTickets();
    expect((await new Browser(t.app).post('/contact', { ...form(), _csrf: '' })).statusCode).toBe(403);
    const noHeader = await t.app.inject({ method: 'POST', url: '/api/support/tickets', payload: form(), remoteAddress: '198.18.9.10' });
    expect(noHeader.statusCode).toBe(403);
    for (const payload of [{ topic: ['trade'], message: { a: 1 }, email: 5 }, { topic: 'trade' }, 'plain text', { ...form(), name: 42 }]) {
      const response = await new Browser(t.app).api('POST', '/api/support/tickets', payload);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    expect(await countTickets()).toBe(before);
  });

  it('limits one address to 10 messages an hour', async () => {
    const browser = new Browser(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await browser.post('/contact', form())).statusCode);
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
  });
});

describe('a sender’s own tickets', () => {
  it('are listed and read through the API, and nobody reads anyone else’s', async () => {
    const owner = await person();
    const other = await person();
    const created = await owner.browser.api('POST', '/api/support/tickets', { topic: 'general', message: '账号无法上传营业执照。' });
    expect(created.statusCode).toBe(201);
    const receipt = created.json<{ id: string; reference: string; dueOn: string }>();
    expect(Object.keys(receipt).sort()).toEqual(['dueOn', 'id', 'reference']);

    const list = (await owner.browser.api('GET', '/api/support/tickets')).json<{ items: { id: string }[]; total: number }>();
    expect(list.items.map((i) => i.id)).toEqual([receipt.id]);
    const own = await owner.browser.api('GET', `/api/support/tickets/${receipt.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ ticket: { reference: receipt.reference, status: 'open' }, messages: [{ direction: 'in', body: '账号无法上传营业执照。' }] });
    expect(own.json<{ ticket: object }>().ticket).not.toHaveProperty('accountId');
    expect(own.json<{ ticket: object }>().ticket).not.toHaveProperty('handledBy');

    expect((await other.browser.api('GET', `/api/support/tickets/${receipt.id}`)).statusCode).toBe(404);
    expect((await other.browser.api('GET', '/api/support/tickets')).json<{ total: number }>().total).toBe(0);
    expect((await other.browser.get(`/account/support/${receipt.id}`)).statusCode).toBe(404);
    expect((await new Browser(t.app).api('GET', `/api/support/tickets/${receipt.id}`)).statusCode).toBe(401);
    expect((await owner.browser.api('GET', '/api/support/tickets/not-an-id')).statusCode).toBe(400);
    expect((await owner.browser.api('GET', `/api/support/tickets/${crypto.randomUUID()}`)).statusCode).toBe(404);
  });

  it('are shown at /account/support to their sender only', async () => {
    const owner = await person();
    await owner.browser.post('/contact', form({ message: '请问如何成为认证供应商？' }));
    const [ticket] = await ticketsFrom(owner.data.email);
    const list = await owner.browser.get('/account/support');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(ticket!.reference);
    const page = await owner.browser.get(`/account/support/${ticket!.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('请问如何成为认证供应商？');
    expect(page.body).not.toContain('action="/staff/support');

    const visitor = new Browser(t.app);
    const redirected = await visitor.get('/account/support');
    expect(redirected.statusCode).toBe(303);
    expect(redirected.headers.location).toBe('/sign-in?next=%2Faccount%2Fsupport');
    expect((await visitor.get(`/account/support/${ticket!.id}`)).statusCode).toBe(303);
    const stranger = await person();
    expect((await stranger.browser.get(`/account/support/${ticket!.id}`)).statusCode).toBe(404);
    expect((await stranger.browser.get('/account/support')).body).not.toContain(ticket!.reference);
    expect((await owner.browser.get('/account/support/nonsense')).statusCode).toBe(404);
  });

  it('appear in the OpenAPI document with their schemas', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: object } }> } }>> }>();
    expect(Object.keys(doc.paths['/api/support/tickets']!).sort()).toEqual(['get', 'post']);
    expect(doc.paths['/api/support/tickets/{id}']).toHaveProperty('get');
    expect(doc.paths['/api/support/tickets']!.post!.requestBody!.content['application/json']!.schema.properties).toHaveProperty('message');
  });
});

describe('the support staff’s queue', () => {
  it('lets only support staff and admins in', async () => {
    const visitor = new Browser(t.app);
    const page = await visitor.get('/staff/support');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/sign-in?next=%2Fstaff%2Fsupport');
    for (const role of ['user', 'reviewer', 'privacy-officer'] as const) {
      const { browser } = await person(role);
      expect((await browser.get('/staff/support')).statusCode).toBe(403);
    }
    const { browser: someone } = await person();
    const [any] = await db().selectFrom('supportTicket').select('id').limit(1).execute();
    expect((await someone.get(`/staff/support/${any!.id}`)).statusCode).toBe(403);
    expect((await someone.post(`/staff/support/${any!.id}/reply`, { body: '你好' })).statusCode).toBe(403);
    expect((await someone.post(`/staff/support/${any!.id}/close`, {})).statusCode).toBe(403);
    for (const role of ['support', 'admin'] as const) {
      const { browser } = await person(role);
      const queue = await browser.get('/staff/support');
      expect(queue.statusCode).toBe(200);
      expect((await browser.get('/staff')).body).toContain('href="/staff/support"');
    }
  });

  it('lists open tickets soonest due first, marks overdue ones, pages and filters by status', async () => {
    const own = await makeApp();
    try {
      const staff = await person('support', own.app);
      const at = (iso: string) => createSupportService({ db: own.app.silkline.db.kysely, supportEmail: 's@x.cn', translator: (l) => makeTranslator(catalog, l), audit: own.app.silkline.audit, clock: () => new Date(iso) });
      await at('2025-09-26T02:00:00Z').submit(null, { topic: 'complaint', message: '旧的来信', email: 'old@example.cn' }, 'zh-CN');
      for (let i = 0; i < 20; i++) await at(new Date().toISOString()).submit(null, { topic: 'other', message: `新的 ${i}`, email: `n${i}@example.cn` }, 'zh-CN');
      const service = own.app.silkline.support;
      const auth = { accountId: staff.accountId, sessionId: '', role: 'support', displayName: '' };

      const first = await service.queue(auth, 'open', 1);
      expect(first).toMatchObject({ total: 21, pages: 2, page: 1 });
      // Golden Week: 2 PRC working days after Friday 26 September 2025 is Monday 29 September.
      expect(first.items[0]).toMatchObject({ email: 'old@example.cn', dueOn: '2025-09-29', isOverdue: true });
      expect(first.items.slice(1).every((r) => !r.isOverdue)).toBe(true);

      const page = await staff.browser.get('/staff/support');
      expect(page.body).toContain(zh['support.staff.overdue']);
      expect(page.body.indexOf(first.items[0]!.reference)).toBeLessThan(page.body.indexOf(first.items[1]!.reference));
      expect(page.body).toContain('href="/staff/support?status=open&amp;page=2"');
      expect((await staff.browser.get('/staff/support?page=2')).body.match(/data-ticket-id=/g)).toHaveLength(1);
      expect((await staff.browser.get('/staff/support?page=abc&status=nonsense')).statusCode).toBe(200);

      await service.reply(auth, first.items[1]!.id, { body: '已答复' });
      await service.close(auth, first.items[2]!.id);
      const answered = await staff.browser.get('/staff/support?status=answered');
      expect(answered.body).toContain(first.items[1]!.reference);
      expect(answered.body).not.toContain(first.items[0]!.reference);
      const closed = await staff.browser.get('/staff/support?status=closed');
      expect(closed.body).toContain(first.items[2]!.reference);
      expect(closed.body).not.toContain(first.items[1]!.reference);
      expect((await service.queue(auth, 'open', 1)).total).toBe(19);
    } finally {
      await own.close();
    }
  });

  it('still computes a due date beyond the holiday data, and warns the operators', async () => {
    const warnings: unknown[] = [];
    const service = createSupportService({
      db: db(), supportEmail: 's@x.cn', translator: (l) => makeTranslator(catalog, l), audit: t.app.silkline.audit, clock: () => new Date('2040-06-01T02:00:00Z'),
      warn: (message, details) => warnings.push({ message, details }),
    });
    const receipt = await service.submit(null, { topic: 'other', message: 'x', email: 'far.future@example.cn' }, 'en');
    expect(receipt.dueOn).toBe(addWorkingDays('2040-06-01', 2));
    expect(warnings).toEqual([expect.objectContaining({ details: expect.objectContaining({ years: [2040] }) })]);
  });

  it('replies by email to the sender, shows the reply in the thread, then closes and reopens', async () => {
    const staff = await person('support');
    const sender = await person();
    await sender.browser.post('/contact', form({ message: '我的企业认证还在审核中吗？' }));
    const [ticket] = await ticketsFrom(sender.data.email);
    const url = `/staff/support/${ticket!.id}`;

    const page = await staff.browser.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(sender.data.email);
    expect(page.body).toContain(`action="${url}/reply"`);
    const empty = await staff.browser.post(`${url}/reply`, { body: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('id="field-body-error"');
    expect(await threadOf(ticket!.id)).toHaveLength(1);

    const replied = await staff.browser.post(`${url}/reply`, { body: '您的认证已通过，感谢耐心等待。' });
    expect(replied.statusCode).toBe(303);
    const mail = await sink.waitFor((m) => m.to.includes(sender.data.email) && m.text.includes('您的认证已通过'));
    expect(mail.subject).toContain(ticket!.reference);
    expect(mail.text).toContain('support@silkline-test.example.cn');
    expect((await ticketsFrom(sender.data.email))[0]).toMatchObject({ status: 'answered', handledBy: staff.accountId });
    expect((await staff.browser.get(`${url}?done=reply`)).body).toContain('您的认证已通过，感谢耐心等待。');
    expect((await sender.browser.get(`/account/support/${ticket!.id}`)).body).toContain('您的认证已通过，感谢耐心等待。');
    const api = (await sender.browser.api('GET', `/api/support/tickets/${ticket!.id}`)).json<{ messages: { direction: string }[] }>();
    expect(api.messages.map((m) => m.direction)).toEqual(['in', 'out']);

    expect((await staff.browser.post(`${url}/close`, {})).statusCode).toBe(303);
    expect((await ticketsFrom(sender.data.email))[0]).toMatchObject({ status: 'closed' });
    expect((await staff.browser.get(url)).body).toContain(`action="${url}/reopen"`);
    const refused = await staff.browser.post(`${url}/reply`, { body: '再补充一句' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(zh['support.error.closed']);
    expect((await staff.browser.post(`${url}/reopen`, {})).statusCode).toBe(303);
    expect((await ticketsFrom(sender.data.email))[0]).toMatchObject({ status: 'open', closedAt: null });
    expect((await staff.browser.get(`/staff/support/${crypto.randomUUID()}`)).statusCode).toBe(404);
  });
});

describe('mail sent to the site', () => {
  it('becomes a ticket that keeps the sender, with HTML turned into text and attachments only listed', async () => {
    const from = `zhang.wei.${unique()}@example.cn`;
    const info = await mailer().sendMail({
      from: `张伟 <${from}>`,
      to: 'Support@Silkline-Test.example.cn',
      subject: '询价：集装箱运输',
      html: '<p>您好，</p><p>请报价 <b>10 个集装箱</b>。</p><script>alert(1)</script>',
      attachments: [
        { filename: '规格书.pdf', content: Buffer.from('%PDF-1.4 not really') },
        { filename: 'photo.jpg', content: Buffer.from([0xff, 0xd8, 0xff]) },
      ],
    });
    expect(info.accepted).toHaveLength(1);

    const [ticket] = await ticketsFrom(from);
    expect(ticket).toMatchObject({ channel: 'email', name: '张伟', subject: '询价：集装箱运输', sentTo: 'support@silkline-test.example.cn', status: 'open', locale: 'zh-CN' });
    const [message] = await threadOf(ticket!.id);
    expect(message!.body).toContain('请报价 10 个集装箱');
    expect(message!.body).not.toContain('<b>');
    expect(message).toMatchObject({ direction: 'in', attachmentCount: 2 });
    expect(JSON.parse(message!.attachmentNames)).toEqual(['规格书.pdf', 'photo.jpg']);

    const ack = await sink.waitFor((m) => m.to.includes(from));
    expect(ack.subject).toContain(ticket!.reference);
    const staff = await person('admin');
    const page = await staff.browser.get(`/staff/support/${ticket!.id}`);
    expect(page.body).toContain('规格书.pdf');
    expect(page.body).toContain('询价：集装箱运输');
  });

  it('accepts mail to the privacy address too', async () => {
    const from = `privacy.writer.${unique()}@example.org`;
    await mailer().sendMail({ from, to: t.config.privacyEmail, subject: 'Delete my data', text: 'Please delete my account data.' });
    expect(await ticketsFrom(from)).toEqual([expect.objectContaining({ sentTo: 'privacy@silkline-test.example.cn', locale: 'en', subject: 'Delete my data' })]);
  });

  it('joins a reply that quotes the reference to its thread and puts the ticket back in the queue', async () => {
    const from = `li.na.${unique()}@example.cn`;
    await mailer().sendMail({ from, to: t.config.supportEmail, subject: '付款方式', text: '支持信用证吗？' });
    const [ticket] = await ticketsFrom(from);
    const staff = await person('support');
    await staff.browser.post(`/staff/support/${ticket!.id}/reply`, { body: '支持即期信用证。' });
    await staff.browser.post(`/staff/support/${ticket!.id}/close`, {});

    await mailer().sendMail({ from: `Li Na <${from.toUpperCase()}>`, to: t.config.supportEmail, subject: `Re: 关于您的来信的答复 [${ticket!.reference.toLowerCase()}]`, text: '好的，那远期呢？' });
    expect(await ticketsFrom(from)).toHaveLength(1);
    expect((await threadOf(ticket!.id)).map((m) => [m.direction, m.body])).toEqual([['in', '支持信用证吗？'], ['out', '支持即期信用证。'], ['in', '好的，那远期呢？']]);
    expect((await ticketsFrom(from))[0]).toMatchObject({ status: 'open', closedAt: null });

    // The same reference from another address opens a ticket of its own: no writing into others' threads.
    const stranger = `stranger.${unique()}@example.net`;
    await mailer().sendMail({ from: stranger, to: t.config.supportEmail, subject: `Re: [${ticket!.reference}]`, text: 'injected' });
    expect(await threadOf(ticket!.id)).toHaveLength(3);
    expect(await ticketsFrom(stranger)).toHaveLength(1);
  });

  it('stores a mail delivered twice once, and does not acknowledge auto-replies', async () => {
    const from = `auto.${unique()}@example.cn`;
    const mail = { from, to: t.config.supportEmail, subject: 'Out of office', text: 'I am away until Monday.', messageId: `<${unique()}@example.cn>`, headers: { 'Auto-Submitted': 'auto-replied' } };
    await mailer().sendMail(mail);
    await mailer().sendMail(mail);
    const tickets = await ticketsFrom(from);
    expect(tickets).toHaveLength(1);
    expect(await threadOf(tickets[0]!.id)).toHaveLength(1);
    expect(await db().selectFrom('mailOutbox').select('id').where('recipient', '=', from).execute()).toEqual([]);
  });

  it('refuses mail for any other address, so it is no open relay', async () => {
    const before = await countTickets();
    for (const to of ['someone@example.com', 'support@silkline-test.example.cn.evil.example', 'no-reply@silkline-test.example.cn']) {
      await expect(mailer().sendMail({ from: 'spammer@example.com', to, subject: 'relay?', text: 'x' })).rejects.toMatchObject({ code: 'EENVELOPE', rejectedErrors: [expect.objectContaining({ responseCode: 550 })] });
    }
    // A mail for the site and for others is delivered to the site only.
    const info = await mailer().sendMail({ from: `mixed.${unique()}@example.com`, to: ['other@example.com', t.config.supportEmail], subject: 'mixed', text: 'x' });
    expect(info.rejected).toEqual(['other@example.com']);
    expect(await countTickets()).toBe(before + 1);
  });

  it('advertises its size limit and refuses a mail over 10 MB', async () => {
    const greeting = await smtpConversation(inbound.port, ['EHLO test.example']);
    expect(greeting).toMatch(/250[- ]SIZE 10485760/);
    expect(greeting).not.toMatch(/STARTTLS|AUTH/);
    const before = await countTickets();
    const from = `big.${unique()}@example.cn`;
    await expect(
      mailer().sendMail({ from, to: t.config.supportEmail, subject: 'big', text: 'see attachment', attachments: [{ filename: 'big.bin', content: Buffer.alloc(8 * 1024 * 1024, 1) }] }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(await countTickets()).toBe(before);
  });

  it('refuses a mail with no address to answer', async () => {
    const answer = await smtpConversation(inbound.port, [
      'EHLO test.example', 'MAIL FROM:<>', `RCPT TO:<${t.config.supportEmail}>`, 'DATA', 'Subject: no sender\r\n\r\nhello\r\n.', 'QUIT',
    ]);
    expect(answer).toMatch(/^550 /m);
  });

  it('is started by the app when INBOUND_SMTP_PORT is set, and stopped when the app closes', async () => {
    const port = await freePort();
    const own = await makeApp({ inboundSmtpPort: port, inboundSmtpHost: '127.0.0.1', supportEmail: 'help@silkline-own.example.cn' });
    try {
      await mailer(port).sendMail({ from: 'buyer@example.cn', to: 'help@silkline-own.example.cn', subject: 'hello', text: '你好' });
      const rows = await own.app.silkline.db.kysely.selectFrom('supportTicket').select(['email', 'channel']).execute();
      expect(rows).toEqual([{ email: 'buyer@example.cn', channel: 'email' }]);
    } finally {
      await own.close();
    }
    await expect(mailer(port).sendMail({ from: 'buyer@example.cn', to: 'help@silkline-own.example.cn', subject: 'x', text: 'x' })).rejects.toMatchObject({ code: 'ESOCKET' });
  });
});

describe('support configuration', () => {
  it('defaults the support address to the public host and keeps the listener off', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://www.silkline.cn' }).supportEmail).toBe('support@www.silkline.cn');
    expect(loadConfig({ SUPPORT_EMAIL: 'help@silkline.cn' }).supportEmail).toBe('help@silkline.cn');
    const config = loadConfig({});
    expect(config.inboundSmtpPort).toBeUndefined();
    expect(config.inboundSmtpHost).toBe('127.0.0.1');
    expect(loadConfig({ INBOUND_SMTP_PORT: '2525' }).inboundSmtpPort).toBe(2525);
  });

  it.each([
    ['INBOUND_SMTP_PORT', 'smtp'],
    ['INBOUND_SMTP_PORT', '70000'],
    ['SUPPORT_EMAIL', 'not an address'],
  ])('refuses a bad %s and names the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});

describe('support tickets as personal data', () => {
  it('exports a person’s tickets found by account and by email, and erasure anonymises them', async () => {
    const subject = await person();
    const staff = await person('support');
    await subject.browser.post('/contact', form({ message: '请帮我修改公司名称。', name: '李伟' }));
    await mailer().sendMail({ from: subject.data.email, to: t.config.supportEmail, subject: '补充材料', text: '附上营业执照。', attachments: [{ filename: '执照.png', content: Buffer.from('png') }] });
    const tickets = await ticketsFrom(subject.data.email);
    expect(tickets.map((r) => r.channel).sort()).toEqual(['email', 'web']);
    await staff.browser.post(`/staff/support/${tickets[0]!.id}/reply`, { body: '已为您修改。' });

    const provider = t.app.silkline.providers.find((p) => p.name === 'support')!;
    const exported = await provider.export(subject.accountId);
    expect(exported.records.tickets).toHaveLength(2);
    expect(exported.records.messages).toEqual(expect.arrayContaining([
      expect.objectContaining({ direction: 'in', body: '请帮我修改公司名称。' }),
      expect.objectContaining({ direction: 'out', body: '已为您修改。' }),
      expect.objectContaining({ direction: 'in', body: '附上营业执照。', attachments: ['执照.png'] }),
    ]));

    expect(await provider.erase(subject.accountId)).toEqual({ erased: 2 });
    expect(Object.values((await provider.export(subject.accountId)).records).flat()).toEqual([]);
    for (const ticket of tickets) {
      const kept = await db().selectFrom('supportTicket').selectAll().where('id', '=', ticket.id).executeTakeFirstOrThrow();
      expect(kept).toMatchObject({ reference: ticket.reference, accountId: null, email: 'anonymous', name: null, subject: null, status: 'closed' });
      for (const message of await threadOf(ticket.id)) expect(message).toMatchObject({ body: '', attachmentNames: '[]' });
    }
    expect(JSON.stringify(await db().selectFrom('supportTicket').selectAll().execute())).not.toContain(subject.data.email);
    const page = await staff.browser.get(`/staff/support/${tickets[0]!.id}`);
    expect(page.body).toContain(zh['support.ticket.anonymous']);
    await staff.browser.post(`/staff/support/${tickets[0]!.id}/reopen`, {});
    expect((await staff.browser.post(`/staff/support/${tickets[0]!.id}/reply`, { body: '还在吗？' })).statusCode).toBe(409);
  });

  it('deletes tickets closed more than 3 years ago', async () => {
    const own = await makeApp();
    try {
      const staffAuth = { accountId: (await person('support', own.app)).accountId, sessionId: '', role: 'support', displayName: '' };
      const at = (iso: string) => createSupportService({ db: own.app.silkline.db.kysely, supportEmail: 's@x.cn', translator: (l) => makeTranslator(catalog, l), audit: own.app.silkline.audit, clock: () => new Date(iso) });
      const old = await at('2024-01-02T02:00:00Z').submit(null, { topic: 'other', message: '旧', email: 'old@example.cn' }, 'zh-CN');
      await at('2024-01-03T02:00:00Z').close(staffAuth, old.id);
      const recent = await at('2026-01-05T02:00:00Z').submit(null, { topic: 'other', message: '新', email: 'new@example.cn' }, 'zh-CN');
      await at('2026-01-06T02:00:00Z').close(staffAuth, recent.id);
      expect(await at('2027-06-01T00:00:00Z').deleteExpired()).toBe(1);
      const left = await own.app.silkline.db.kysely.selectFrom('supportTicket').select('id').execute();
      expect(left).toEqual([{ id: recent.id }]);
      expect(await own.app.silkline.db.kysely.selectFrom('supportMessage').select('id').where('ticketId', '=', old.id).execute()).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('has the same keys and placeholders in both languages', () => {
    expect(Object.keys(supportMessages.en).sort()).toEqual(Object.keys(supportMessages['zh-CN']).sort());
    const placeholders = (text = '') => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(supportMessages['zh-CN'])) {
      expect({ key, p: placeholders(supportMessages.en[key]) }).toEqual({ key, p: placeholders(text) });
    }
  });
});

/** Speaks raw SMTP, one line at a time, and returns everything the server answered. */
function smtpConversation(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = '';
    let next = 0;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      // A reply is complete when its last line has a space after the code; then send the next line.
      if (!/(?:^|\r\n)\d{3} [^\r\n]*\r\n$/.test(received)) return;
      const line = lines[next++];
      if (line === undefined) socket.end();
      else socket.write(`${line}\r\n`);
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.connect(port, '127.0.0.1');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
