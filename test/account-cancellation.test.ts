import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousLabel } from '../src/modules/inquiries/service.js';
import { png } from '../src/platform/storage/sample-files.js';
import { Browser, latestMail, linkIn, makeApp, makeProduct, postMultipart, signedIn, supplier, withAuth, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(async () => {
  await t.close();
});

const db = () => t.app.silkline.db.kysely;
const reviewer = { accountId: '00000000-0000-4000-8000-000000000001', sessionId: 'test', role: 'reviewer', displayName: 'reviewer' };

/** Everything every provider holds about the account, as one comparable value. */
async function everything(accountId: string) {
  return Promise.all(t.app.silkline.providers.map((p) => p.export(accountId)));
}

/**
 * How many records of each kind every provider holds about the person. Counts, not contents:
 * a session's last-seen time and a message's delivery state move on by themselves.
 */
async function heldCounts(accountId: string) {
  return (await everything(accountId)).map(({ provider, records }) => [provider, Object.fromEntries(Object.entries(records).map(([kind, list]) => [kind, list.length]))]);
}

async function accountExists(accountId: string): Promise<boolean> {
  return (await db().selectFrom('account').select('id').where('id', '=', accountId).executeTakeFirst()) !== undefined;
}

/** Invites a fresh signed-in person into the company with the role, and has them accept. */
async function join(owner: { browser: Browser; companyId: string }, role: 'admin' | 'member') {
  const person = await withAuth(t.app, await signedIn(t.app));
  expect((await owner.browser.post(`/shop/${owner.companyId}/members/invite`, { email: person.data.email, role })).statusCode).toBe(303);
  const mail = await latestMail(t.app, person.data.email);
  expect((await person.browser.post(linkIn(mail.textBody, '/invitations/'), {})).statusCode).toBe(303);
  return person;
}

describe('the cancellation page', () => {
  it('sends visitors to sign in, and answers the API with 401', async () => {
    const visitor = new Browser(t.app);
    const page = await visitor.get('/account/cancel');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/sign-in?next=${encodeURIComponent('/account/cancel')}`);
    expect((await visitor.post('/account/cancel', { password: 'whatever password', confirm: 'on' })).statusCode).toBe(303);
    expect((await visitor.api('GET', '/api/account/cancel')).statusCode).toBe(401);
    expect((await visitor.api('POST', '/api/account/cancel', { password: 'whatever password', confirm: true })).statusCode).toBe(401);
  });

  it('explains what happens in both languages and offers the form, linked from 我的个人信息', async () => {
    const person = await supplier(t.app);
    const zh = await person.browser.get('/account/cancel');
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['cache-control']).toContain('no-store');
    expect(zh.body).toContain('<h1>注销账号</h1>');
    expect(zh.body).toContain('无法恢复');
    expect(zh.body).toContain('已注销用户');
    expect(zh.body).toContain('3 年');
    expect(zh.body).toContain('同意记录');
    expect(zh.body).toContain(`data-closing="${person.companyId}"`);
    expect(zh.body).toContain('action="/account/cancel"');
    expect(zh.body).toContain('我了解注销后无法恢复');
    const en = await person.browser.get('/account/cancel?lang=en');
    expect(en.body).toContain('<h1>Cancel my account</h1>');
    expect(en.body).toContain('Deleted user');
    expect(en.body).toContain('I understand this cannot be undone');
    expect(en.body).toContain('Companies that will be closed');
    expect((await person.browser.get('/account/personal-data')).body).toContain('href="/account/cancel"');
    expect((await person.browser.get('/account/cancelled')).statusCode).toBe(200);
  });

  it('refuses a wrong password or an unticked box with 400 beside the field, changing nothing', async () => {
    const person = await withAuth(t.app, await supplier(t.app));
    const before = await heldCounts(person.accountId);
    const wrong = await person.browser.post('/account/cancel', { password: 'not-my-password', confirm: 'on' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('当前密码不正确');
    expect(wrong.body).toContain('aria-invalid="true"');
    const unticked = await person.browser.post('/account/cancel', { password: person.data.password });
    expect(unticked.statusCode).toBe(400);
    expect(unticked.body).toContain('请勾选确认');
    expect(unticked.body).toContain('id="field-confirm-error"');
    const apiUnconfirmed = await person.browser.api('POST', '/api/account/cancel', { password: person.data.password, confirm: false });
    expect(apiUnconfirmed.statusCode).toBe(400);
    expect(apiUnconfirmed.json().error.code).toBe('VALIDATION_FAILED');
    const huge = await person.browser.api('POST', '/api/account/cancel', { password: 'x'.repeat(100_000), confirm: true });
    expect(huge.statusCode).toBe(400);
    const script = await person.browser.post('/account/cancel', { password: '<script>alert(1)</script>', confirm: '<script>' });
    expect(script.statusCode).toBe(400);
    expect(script.body).not.toContain('<script>alert(1)');
    expect(await accountExists(person.accountId)).toBe(true);
    expect(await heldCounts(person.accountId)).toEqual(before);
    expect((await person.browser.get('/account')).statusCode).toBe(200);
    const company = await db().selectFrom('company').select('status').where('id', '=', person.companyId).executeTakeFirstOrThrow();
    expect(company.status).toBe('verified');
  });
});

describe('blockers', () => {
  it('stops the owner of a company with other members until ownership moves, with 409 and nothing changed', async () => {
    const owner = await withAuth(t.app, await supplier(t.app));
    await join(owner, 'member');
    const page = await owner.browser.get('/account/cancel');
    expect(page.body).toContain('data-blocker="company-owner"');
    expect(page.body).toContain(`href="/shop/${owner.companyId}/members"`);
    expect(page.body).not.toContain('action="/account/cancel"');
    const api = await owner.browser.api('GET', '/api/account/cancel');
    expect(api.json().blockers).toEqual([expect.objectContaining({ code: 'company-owner', companyId: owner.companyId })]);

    const before = await heldCounts(owner.accountId);
    const refused = await owner.browser.post('/account/cancel', { password: owner.data.password, confirm: 'on' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('转让');
    const refusedApi = await owner.browser.api('POST', '/api/account/cancel', { password: owner.data.password, confirm: true });
    expect(refusedApi.statusCode).toBe(409);
    expect(refusedApi.json().error.code).toBe('CONFLICT');
    expect(await heldCounts(owner.accountId)).toEqual(before);
    expect(await accountExists(owner.accountId)).toBe(true);
    expect((await db().selectFrom('company').select('status').where('id', '=', owner.companyId).executeTakeFirstOrThrow()).status).toBe('verified');
  });

  it('stops the only administrator until there is another, with 409 and nothing changed', async () => {
    const admin = await withAuth(t.app, await signedIn(t.app));
    await t.app.silkline.accounts.setRole(admin.data.loginName, 'admin');
    try {
      const page = await admin.browser.get('/account/cancel?lang=en');
      expect(page.body).toContain('data-blocker="last-admin"');
      expect(page.body).toContain('only administrator');
      const before = await heldCounts(admin.accountId);
      const refused = await admin.browser.api('POST', '/api/account/cancel', { password: admin.data.password, confirm: true });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('CONFLICT');
      expect(await heldCounts(admin.accountId)).toEqual(before);
    } finally {
      await t.app.silkline.accounts.setRole(admin.data.loginName, 'user');
    }
  });
});

describe('cancelling', () => {
  it('deletes the person everywhere, closes their own company, keeps trade records anonymised, and ends the session', async () => {
    const person = await withAuth(t.app, await supplier(t.app, { company: { nameEn: 'Wombatlight Trading Co., Ltd.' } }));
    const productId = await makeProduct(t.app, person, { fields: { titleEn: 'Quokkalamp high bay light 100W' } });
    expect((await postMultipart(person.browser, t.app, `/shop/${person.companyId}/logo`, {}, { field: 'logo', name: 'logo.png', bytes: await png() })).statusCode).toBe(303);
    const other = await withAuth(t.app, await supplier(t.app));
    // Their membership in someone else's company ends; that company names them as its contact.
    const elsewhere = await withAuth(t.app, await supplier(t.app, { company: { contactPerson: person.data.contactPerson, contactEmail: person.data.email } }));
    await elsewhere.browser.post(`/shop/${elsewhere.companyId}/members/invite`, { email: person.data.email, role: 'admin' });
    expect((await person.browser.post(linkIn((await latestMail(t.app, person.data.email)).textBody, '/invitations/'), {})).statusCode).toBe(303);
    // A trade record they started.
    const sent = await person.browser.api('POST', '/api/inquiries', { companyId: other.companyId, subject: '注销前的询盘', message: '请报 500 件 FOB 价格。', quantity: 500, unit: 'piece' });
    expect(sent.statusCode, sent.body).toBe(201);
    const threadId = sent.json<{ threadId: string }>().threadId;
    expect((await person.browser.api('POST', '/api/follows', { type: 'company', id: other.companyId })).statusCode).toBe(200);
    // Something in (almost) every module, so the check after cancellation is not vacuous.
    const held = (await everything(person.accountId)).filter((e) => Object.values(e.records).some((r) => r.length > 0)).map((e) => e.provider);
    expect(held).toEqual(expect.arrayContaining(['accounts', 'companies', 'company-invitations', 'inquiries', 'social', 'products', 'mail', 'telemetry']));

    const visitor = new Browser(t.app);
    expect((await visitor.get(`/companies/${person.companyId}`)).statusCode).toBe(200);
    expect((await visitor.get(`/products/${productId}`)).statusCode).toBe(200);
    expect((await visitor.get('/search?q=quokkalamp')).body).toContain(`/products/${productId}`);
    expect((await visitor.get('/search?type=companies&q=wombatlight')).body).toContain(`/companies/${person.companyId}`);
    const { licenceFileId, logoFileId } = await db().selectFrom('company').select(['licenceFileId', 'logoFileId']).where('id', '=', person.companyId).executeTakeFirstOrThrow();
    expect(licenceFileId).not.toBeNull();
    expect(await t.app.silkline.files.find(logoFileId!)).not.toBeNull();
    expect(await t.app.silkline.files.find(licenceFileId!)).not.toBeNull();
    const preview = (await person.browser.api('GET', '/api/account/cancel')).json<{ blockers: unknown[]; closing: { companyId: string }[]; leaving: { companyId: string }[] }>();
    expect(preview.blockers).toEqual([]);
    expect(preview.closing.map((c) => c.companyId)).toEqual([person.companyId]);
    expect(preview.leaving.map((c) => c.companyId)).toEqual([elsewhere.companyId]);

    const done = await person.browser.post('/account/cancel', { password: person.data.password, confirm: 'on' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/account/cancelled');
    expect(String(done.headers['set-cookie'])).toMatch(/sid=;/);
    expect(person.browser.cookie('sid')).toBeUndefined();
    const cancelled = await person.browser.get('/account/cancelled');
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.body).toContain('账号已注销');

    // The account is gone: the old password gets the same refusal as any unknown one.
    expect(await accountExists(person.accountId)).toBe(false);
    const again = await new Browser(t.app).post('/sign-in', { identifier: person.data.email, password: person.data.password });
    expect(again.statusCode).toBe(401);
    expect(again.body).toContain('账户或密码不正确');
    for (const result of await everything(person.accountId)) {
      for (const [kind, records] of Object.entries(result.records)) expect(records, `${result.provider}.${kind}`).toEqual([]);
    }
    for (const line of t.logs) expect(line).not.toContain(person.data.email);
    expect(t.logs.some((line) => line.includes('account cancelled') && line.includes(t.app.silkline.telemetry.subjectRef(person.accountId)))).toBe(true);

    // Their own company is closed: kept for trade records, gone from public view.
    const company = await db().selectFrom('company').selectAll().where('id', '=', person.companyId).executeTakeFirstOrThrow();
    expect(company).toMatchObject({ status: 'closed', contactPerson: '', contactEmail: '', contactMobile: null, street: '', phone: '', fax: null, licenceFileId: null, logoFileId: null });
    expect(company.nameZh).not.toBe('');
    expect(company.creditCode).toHaveLength(18);
    expect(await t.app.silkline.files.find(licenceFileId!)).toBeNull();
    expect(await t.app.silkline.files.find(logoFileId!)).toBeNull();
    await expect(t.app.silkline.companies.getForReview(reviewer, person.companyId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await visitor.get(`/companies/${person.companyId}`)).statusCode).toBe(404);
    expect((await visitor.get(`/products/${productId}`)).statusCode).toBe(404);
    expect((await db().selectFrom('product').select('status').where('id', '=', productId).executeTakeFirstOrThrow()).status).toBe('unpublished');
    expect((await visitor.get('/search?q=quokkalamp')).body).not.toContain(`/products/${productId}`);
    expect((await visitor.get('/search?type=companies&q=wombatlight')).body).not.toContain(`/companies/${person.companyId}`);
    expect((await visitor.get('/companies')).body).not.toContain(`/companies/${person.companyId}"`);
    expect((await t.app.silkline.companies.reviewQueue(reviewer, 1)).map((c) => c.id)).not.toContain(person.companyId);

    // The other company only loses the member, and the contact that was theirs.
    const remaining = await db().selectFrom('companyMember').select(['accountId', 'role']).where('companyId', '=', elsewhere.companyId).execute();
    expect(remaining).toEqual([{ accountId: elsewhere.accountId, role: 'owner' }]);
    const contact = await db().selectFrom('company').select(['status', 'contactPerson', 'contactEmail']).where('id', '=', elsewhere.companyId).executeTakeFirstOrThrow();
    expect(contact).toEqual({ status: 'verified', contactPerson: '', contactEmail: '' });

    // The supplier still has the inquiry, from a deleted user.
    const thread = await other.browser.get(`/messages/${threadId}`);
    expect(thread.statusCode).toBe(200);
    expect(thread.body).toContain(anonymousLabel);
    expect(thread.body).toContain('注销前的询盘');

    const mail = await db().selectFrom('mailOutbox').select(['subjectId', 'subject', 'textBody', 'kind']).where('recipient', '=', person.data.email).where('kind', '=', 'account-cancelled').executeTakeFirstOrThrow();
    expect(mail.subjectId).toBeNull();
    expect(mail.subject).toBe('您的丝路账号已注销');
    expect(mail.textBody).not.toContain(person.data.contactPerson);
  });

  it('cancels through the API in English, ends the session, and mails in English', async () => {
    const person = await withAuth(t.app, await signedIn(t.app));
    const preview = await person.browser.api('GET', '/api/account/cancel');
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({ blockers: [], closing: [], leaving: [] });
    const done = await person.browser.api('POST', '/api/account/cancel?lang=en', { password: person.data.password, confirm: true });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ cancelled: true });
    expect(person.browser.cookie('sid')).toBeUndefined();
    expect(await accountExists(person.accountId)).toBe(false);
    expect((await person.browser.api('GET', '/api/me')).statusCode).toBe(401);
    const mail = await latestMail(t.app, person.data.email);
    expect(mail.kind).toBe('account-cancelled');
    expect(mail.subject).toBe('Your Silkline account is cancelled');
  });

  it('lists both routes in the API document', async () => {
    const doc = (await new Browser(t.app).get('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(doc.paths['/api/account/cancel'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});
