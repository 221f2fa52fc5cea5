import { describe, expect, it } from 'vitest';
import { catalog } from '../src/messages.js';
import { makeTranslator } from '../src/platform/i18n/i18n.js';
import { addWorkingDays } from '../src/platform/calendar/working-days.js';
import { createPrivacyRequestsService, privacyRequestsMessages } from '../src/modules/privacy-requests/index.js';
import { Browser, latestMail, makeApp, signedIn, useTestApp } from './helpers.js';

const t = useTestApp();

interface QueueJson {
  items: { id: string; reference: string; status: string; dueOn: string; isOverdue: boolean; email: string; message: string }[];
  page: number;
  pages: number;
  total: number;
}

const db = () => t.app.silkline.db.kysely;
const rows = (email: string) => db().selectFrom('privacyRequest').selectAll().where('email', '=', email).execute();
const countAll = async () => (await db().selectFrom('privacyRequest').select('id').execute()).length;

/** The service on the app's database with a fixed clock, as the app would build it. */
function serviceAt(iso: string, warnings: unknown[] = []) {
  return createPrivacyRequestsService({
    db: db(),
    publicUrl: 'http://localhost:3000',
    translator: (locale) => makeTranslator(catalog, locale),
    audit: t.app.silkline.audit,
    clock: () => new Date(iso),
    warn: (message, details) => warnings.push({ message, details }),
  });
}

/** A signed-in account with a staff role, and its id. */
async function staff(role: 'privacy-officer' | 'admin' | 'user' | 'reviewer') {
  const { browser, data } = await signedIn(t.app);
  if (role !== 'user') await t.app.silkline.accounts.setRole(data.loginName, role);
  const { id } = await db().selectFrom('account').select('id').where('email', '=', data.email).executeTakeFirstOrThrow();
  return { browser, data, accountId: id };
}

const form = (overrides: Record<string, string> = {}) => ({
  topic: 'deletion',
  message: '请删除我在贵平台留下的联系方式。',
  email: `visitor.${Math.random().toString(36).slice(2, 8)}@example.cn`,
  ...overrides,
});

describe('the privacy contact form', () => {
  it('shows the form with the just-in-time notice to visitors, and the legal page links to it', async () => {
    const page = await new Browser(t.app).get('/privacy/contact');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="_csrf"');
    expect(page.body).toContain('name="topic"');
    expect(page.body).toContain('value="account-cancellation"');
    expect(page.body).toContain('name="email"');
    expect(page.body).toContain(privacyRequestsMessages['zh-CN']['privacyRequests.contact.notice']);
    const en = await new Browser(t.app, { 'accept-language': 'en' }).get('/privacy/contact');
    expect(en.body).toContain(privacyRequestsMessages.en['privacyRequests.contact.notice']);
    expect((await new Browser(t.app).get('/legal')).body).toContain('href="/privacy/contact"');
  });

  it('stores a visitor’s request due in 15 working days, acknowledges it and tells the officers', async () => {
    const officer = await staff('privacy-officer');
    const admin = await staff('admin');
    const reviewer = await staff('reviewer');
    const input = form();
    const response = await new Browser(t.app).post('/privacy/contact', input);
    expect(response.statusCode).toBe(200);

    const [row] = await rows(input.email);
    expect(row).toMatchObject({ topic: 'deletion', message: input.message, status: 'open', accountId: null, locale: 'zh-CN' });
    expect(row!.reference).toMatch(/^PR-[0-9A-Z]{8}$/);
    expect(row!.dueOn).toBe(addWorkingDays(new Date(row!.createdAt), 15));
    expect(response.body).toContain(row!.reference);
    expect(response.body).toContain(row!.dueOn);

    const ack = await latestMail(t.app, input.email);
    expect(ack.kind).toBe('privacy-request-received');
    expect(ack.subject).toContain(row!.reference);
    expect(ack.textBody).toContain(row!.dueOn);
    for (const person of [officer, admin]) {
      const note = await latestMail(t.app, person.data.email);
      expect(note.kind).toBe('privacy-request-new');
      expect(note.textBody).toContain(`/staff/privacy/${row!.id}`);
    }
    expect((await latestMail(t.app, reviewer.data.email)).kind).not.toBe('privacy-request-new');
  });

  it('counts 15 PRC working days across Golden Week in Asia/Shanghai', async () => {
    const email = 'golden.week@example.cn';
    // 01:00 on 26 September in Shanghai is still 25 September in UTC.
    const receipt = await serviceAt('2025-09-25T17:00:00Z').submit(null, { topic: 'access', message: '查阅', email }, 'zh-CN');
    expect(receipt.dueOn).toBe('2025-10-23');
    expect((await rows(email))[0]!.dueOn).toBe('2025-10-23');
  });

  it('still computes a due date beyond the holiday data, and warns', async () => {
    const warnings: unknown[] = [];
    const receipt = await serviceAt('2040-06-01T02:00:00Z', warnings).submit(null, { topic: 'other', message: 'x', email: 'far.future@example.cn' }, 'en');
    expect(receipt.dueOn).toBe(addWorkingDays('2040-06-01', 15));
    expect(warnings).toEqual([expect.objectContaining({ details: expect.objectContaining({ years: [2040] }) })]);
  });

  it('answers a signed-in person at the account email, whatever the form says', async () => {
    const { browser, data, accountId } = await staff('user');
    const page = await browser.get('/privacy/contact');
    expect(page.body).toContain(`value="${data.email}"`);
    expect(page.body).toContain(' readonly ');
    const response = await browser.post('/privacy/contact', form({ email: 'someone.else@example.cn', topic: 'withdraw-consent' }));
    expect(response.statusCode).toBe(200);
    expect(await rows('someone.else@example.cn')).toEqual([]);
    expect(await rows(data.email)).toEqual([expect.objectContaining({ accountId, topic: 'withdraw-consent' })]);
    expect((await latestMail(t.app, data.email)).kind).toBe('privacy-request-received');
  });

  it('accepts the JSON API and returns only the receipt', async () => {
    const email = 'api.visitor@example.cn';
    const response = await new Browser(t.app).api('POST', '/api/privacy/requests', { topic: 'complaint', message: '投诉', email });
    expect(response.statusCode).toBe(201);
    expect(Object.keys(response.json()).sort()).toEqual(['dueOn', 'reference']);
    expect(await rows(email)).toHaveLength(1);
  });

  it.each([
    ['an empty message', { message: '   ' }, 'message', '请填写内容'],
    ['a message of 10,000 characters', { message: '长'.repeat(10_001) }, 'message', '内容不能超过 5000 字'],
    ['a bad email', { email: 'not-an-email' }, 'email', '请填写有效的邮箱地址'],
    ['no email from a visitor', { email: '' }, 'email', '请填写有效的邮箱地址'],
    ['an unknown topic', { topic: 'drop table' }, 'topic', '请选择一个主题'],
  ])('refuses %s with a field error and stores nothing', async (_name, overrides, field, text) => {
    const before = await countAll();
    const input = form(overrides);
    const response = await new Browser(t.app).post('/privacy/contact', input);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`id="field-${field}-error"`);
    expect(response.body).toContain(text);
    expect(await countAll()).toBe(before);
    const api = await new Browser(t.app).api('POST', '/api/privacy/requests', input);
    expect(api.statusCode).toBe(400);
    expect(api.json<{ error: { fields?: Record<string, string> } }>().error.fields).toHaveProperty(field);
    expect(await countAll()).toBe(before);
  });

  it('refuses a post without its CSRF token, wrong types and junk, never with a 500', async () => {
    const before = await countAll();
    const browser = new Browser(t.app);
    await browser.get('/privacy/contact');
    expect((await browser.post('/privacy/contact', { ...form(), _csrf: '' })).statusCode).toBe(403);
    const noHeader = await t.app.inject({ method: 'POST', url: '/api/privacy/requests', payload: form(), remoteAddress: '198.18.9.9' });
    expect(noHeader.statusCode).toBe(403);
    for (const payload of [{ topic: ['access'], message: { a: 1 }, email: 5 }, { topic: 'access' }, 'plain text']) {
      const response = await new Browser(t.app).api('POST', '/api/privacy/requests', payload);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    expect(await countAll()).toBe(before);
  });

  it('limits one address to 5 requests an hour', async () => {
    const browser = new Browser(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await browser.post('/privacy/contact', form())).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('the privacy officers’ queue', () => {
  it('lets only privacy officers and admins in', async () => {
    const visitor = new Browser(t.app);
    const page = await visitor.get('/staff/privacy');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/sign-in?next=%2Fstaff%2Fprivacy');
    expect((await visitor.api('GET', '/api/staff/privacy/requests')).statusCode).toBe(401);
    for (const role of ['user', 'reviewer'] as const) {
      const { browser } = await staff(role);
      expect((await browser.get('/staff/privacy')).statusCode).toBe(403);
      expect((await browser.api('GET', '/api/staff/privacy/requests')).statusCode).toBe(403);
    }
    const { browser } = await staff('admin');
    expect((await browser.get('/staff/privacy')).statusCode).toBe(200);
  });

  it('lists open requests soonest due first, marks overdue ones, and pages', async () => {
    const own = await makeApp();
    try {
      const { browser, data } = await signedIn(own.app);
      await own.app.silkline.accounts.setRole(data.loginName, 'privacy-officer');
      const at = (iso: string) =>
        createPrivacyRequestsService({ db: own.app.silkline.db.kysely, publicUrl: '', translator: (l) => makeTranslator(catalog, l), audit: own.app.silkline.audit, clock: () => new Date(iso) });
      await at('2025-09-26T02:00:00Z').submit(null, { topic: 'access', message: '旧的请求', email: 'old@example.cn' }, 'zh-CN');
      for (let i = 0; i < 20; i++) await at(new Date().toISOString()).submit(null, { topic: 'other', message: `新的 ${i}`, email: `n${i}@example.cn` }, 'zh-CN');

      const first = (await browser.api('GET', '/api/staff/privacy/requests')).json<QueueJson>();
      expect(first).toMatchObject({ total: 21, pages: 2, page: 1 });
      expect(first.items[0]).toMatchObject({ email: 'old@example.cn', dueOn: '2025-10-23', isOverdue: true });
      expect(first.items.slice(1).every((r) => !r.isOverdue)).toBe(true);
      expect((await browser.api('GET', '/api/staff/privacy/requests?page=2')).json<QueueJson>().items).toHaveLength(1);

      const page = await browser.get('/staff/privacy');
      expect(page.body).toContain('已逾期');
      expect(page.body.indexOf(first.items[0]!.reference)).toBeLessThan(page.body.indexOf(first.items[1]!.reference));
      expect(page.body).toContain('href="/staff/privacy?page=2"');
      expect((await browser.get('/staff/privacy?page=abc')).statusCode).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('replies by email through the page, marks the request answered, then closes it', async () => {
    const officer = await staff('privacy-officer');
    const input = form({ message: '<script>alert(1)</script> 请更正我的手机号' });
    await new Browser(t.app).post('/privacy/contact', input);
    const [request] = await rows(input.email);

    const page = await officer.browser.get(`/staff/privacy/${request!.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(input.email);
    expect(page.body).toContain('&lt;script>alert(1)');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain(`action="/staff/privacy/${request!.id}/reply"`);

    const empty = await officer.browser.post(`/staff/privacy/${request!.id}/reply`, { body: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('id="field-body-error"');

    const replied = await officer.browser.post(`/staff/privacy/${request!.id}/reply`, { body: '已为您更正手机号。' });
    expect(replied.statusCode).toBe(303);
    const mail = await latestMail(t.app, input.email);
    expect(mail).toMatchObject({ kind: 'privacy-request-reply' });
    expect(mail.textBody).toContain('已为您更正手机号。');
    expect(mail.subject).toContain(request!.reference);
    const [answered] = await rows(input.email);
    expect(answered).toMatchObject({ status: 'answered', handledBy: officer.accountId });
    expect(answered!.answeredAt).not.toBeNull();
    expect((await officer.browser.get(`/staff/privacy/${request!.id}?done=reply`)).body).toContain('已为您更正手机号。');

    const closed = await officer.browser.post(`/staff/privacy/${request!.id}/close`, {});
    expect(closed.statusCode).toBe(303);
    expect((await rows(input.email))[0]).toMatchObject({ status: 'closed' });
    const queue = (await officer.browser.api('GET', '/api/staff/privacy/requests')).json<QueueJson>();
    expect(queue.items.map((r) => r.id)).not.toContain(request!.id);
    expect((await officer.browser.post(`/staff/privacy/${request!.id}/reply`, { body: '再补充一句' })).statusCode).toBe(409);
  });

  it('replies and closes through the API, and refuses others', async () => {
    const officer = await staff('admin');
    const user = await staff('user');
    const input = form();
    await new Browser(t.app).api('POST', '/api/privacy/requests', input);
    const [request] = await rows(input.email);
    const url = `/api/staff/privacy/requests/${request!.id}`;

    expect((await user.browser.api('POST', `${url}/replies`, { body: '你好' })).statusCode).toBe(403);
    expect((await user.browser.api('POST', `${url}/close`)).statusCode).toBe(403);
    expect((await officer.browser.api('POST', `${url}/replies`, { body: 'x'.repeat(10_001) })).statusCode).toBe(400);
    expect((await officer.browser.api('POST', '/api/staff/privacy/requests/not-an-id/replies', { body: 'x' })).statusCode).toBe(400);
    expect((await officer.browser.api('POST', `/api/staff/privacy/requests/${crypto.randomUUID()}/close`)).statusCode).toBe(404);
    expect(await db().selectFrom('privacyRequestReply').selectAll().where('requestId', '=', request!.id).execute()).toEqual([]);

    const reply = await officer.browser.api('POST', `${url}/replies`, { body: '已处理。' });
    expect(reply.statusCode).toBe(201);
    expect(Object.keys(reply.json()).sort()).toEqual(['body', 'id', 'sentAt']);
    const closed = await officer.browser.api('POST', `${url}/close`);
    expect(closed.json()).toMatchObject({ status: 'closed', reference: request!.reference });
    expect(closed.json()).not.toHaveProperty('accountId');
    expect(closed.json()).not.toHaveProperty('handledBy');
  });
});

describe('privacy requests as personal data', () => {
  it('exports a person’s requests and replies, and erasure anonymises them', async () => {
    const person = await staff('user');
    const officer = await staff('privacy-officer');
    await person.browser.post('/privacy/contact', form({ message: '请告诉我你们保存了哪些信息' }));
    const [request] = await rows(person.data.email);
    await officer.browser.api('POST', `/api/staff/privacy/requests/${request!.id}/replies`, { body: '附件为您的信息副本。' });

    const provider = t.app.silkline.providers.find((p) => p.name === 'privacy-requests')!;
    const exported = await provider.export(person.accountId);
    expect(exported.records.requests).toEqual([expect.objectContaining({ reference: request!.reference, message: '请告诉我你们保存了哪些信息' })]);
    expect(exported.records.replies).toEqual([expect.objectContaining({ reference: request!.reference, body: '附件为您的信息副本。' })]);

    expect(await provider.erase(person.accountId)).toEqual({ erased: 1 });
    expect(Object.values((await provider.export(person.accountId)).records).flat()).toEqual([]);
    const kept = await db().selectFrom('privacyRequest').selectAll().where('id', '=', request!.id).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ reference: request!.reference, accountId: null, email: '', message: '', status: 'answered' });
    const replies = await db().selectFrom('privacyRequestReply').select('body').where('requestId', '=', request!.id).execute();
    expect(replies).toEqual([{ body: '' }]);
  });

  it('has the same keys and placeholders in both languages', () => {
    expect(Object.keys(privacyRequestsMessages.en).sort()).toEqual(Object.keys(privacyRequestsMessages['zh-CN']).sort());
    const placeholders = (text = '') => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(privacyRequestsMessages['zh-CN'])) {
      expect({ key, p: placeholders(privacyRequestsMessages.en[key]) }).toEqual({ key, p: placeholders(text) });
    }
  });
});
