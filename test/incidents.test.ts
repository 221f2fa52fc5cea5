import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { catalog } from '../src/messages.js';
import { createIncidentsService } from '../src/modules/incidents/index.js';
import { incidentInput } from '../src/modules/incidents/schema.js';
import type { AuthState } from '../src/platform/http/context.js';
import { makeTranslator } from '../src/platform/i18n/i18n.js';
import { Browser, signedIn, useTestApp, withAuth } from './helpers.js';

const t = useTestApp({}, { mail: true });

const db = () => t.app.silkline.db.kysely;
const incidents = () => t.app.silkline.incidents;
type Person = Awaited<ReturnType<typeof signedIn>> & { accountId: string; auth: AuthState };

const person = async (): Promise<Person> => withAuth(t.app, await signedIn(t.app));
const withRole = async (role: 'privacy-officer' | 'admin' | 'reviewer' | 'support'): Promise<Person> => {
  const p = await person();
  await t.app.silkline.accounts.setRole(p.data.loginName, role);
  return { ...p, auth: { ...p.auth, role } };
};
const officerAuth: AuthState = { accountId: randomUUID(), sessionId: 'test', role: 'privacy-officer', displayName: 'officer' };

/** A complete incident form; `accounts` lists who is affected. */
const incidentForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
  titleZh: '部分账户联系方式可能泄露',
  titleEn: 'Contact details of some accounts may have leaked',
  summaryZh: '2025 年 11 月 20 日，我们发现一个导出接口在未授权的情况下可被访问。',
  summaryEn: 'On 20 November 2025 we found that an export endpoint could be reached without authorisation.',
  foundOn: '2025-11-20',
  categories: 'account.contact',
  consequencesZh: '您可能收到冒充丝路的诈骗电话或邮件。',
  consequencesEn: 'You may receive scam calls or emails pretending to be Silkline.',
  measuresZh: '我们已关闭该接口，并向监管部门报告。',
  measuresEn: 'We closed the endpoint and reported the incident to the regulator.',
  selfHelpZh: '请警惕索要密码或验证码的来电，并修改密码。',
  selfHelpEn: 'Beware of calls asking for passwords or codes, and change your password.',
  contact: '',
  scope: 'listed',
  accounts: '',
  ...overrides,
});
const incidentCount = async () => (await db().selectFrom('incident').select('id').execute()).length;
const incidentRow = (id: string) => db().selectFrom('incident').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const noticesOf = (accountId: string, id: string) => db().selectFrom('notice').select(['kind', 'link']).where('accountId', '=', accountId).where('link', '=', `/announcements/${id}`).execute();
const mailsTo = (to: string, kind: string) => db().selectFrom('mailOutbox').select(['subject', 'textBody']).where('recipient', '=', to).where('kind', '=', kind).execute();
const idFrom = (location: unknown) => /\/staff\/incidents\/([0-9a-f-]{36})/.exec(String(location))![1]!;

/** A draft listing the given people, made through the service with the form's schema. */
async function draft(people: Person[], overrides: Record<string, string> = {}) {
  return incidents().create(officerAuth, incidentInput.parse(incidentForm({ accounts: people.map((p) => p.data.loginName).join('\n'), ...overrides })));
}

describe('the public announcements', () => {
  it('shows an empty state before anything is published, in both languages, linked from the footer', async () => {
    const zh = await new Browser(t.app).get('/announcements');
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('目前没有安全事件公告。');
    expect(zh.body).toContain('<a href="/announcements">安全事件公告</a>');
    const en = await new Browser(t.app).get('/announcements?lang=en');
    expect(en.body).toContain('There are no security incident announcements.');
    expect((await new Browser(t.app).get('/api/announcements')).json()).toEqual({ items: [], page: 1, pages: 1, total: 0 });
  });
});

describe('who may write incident notices', () => {
  it('refuses users, reviewers and support staff (403) and sends visitors to sign in, changing nothing', async () => {
    const affected = await person();
    const { id } = await draft([affected]);
    const before = await incidentCount();
    const user = await person();
    for (const p of [user, await withRole('reviewer'), await withRole('support')]) {
      for (const path of ['/staff/incidents', '/staff/incidents/new', `/staff/incidents/${id}`, `/staff/incidents/${id}/preview`]) {
        expect((await p.browser.get(path)).statusCode, path).toBe(403);
      }
      expect((await p.browser.post('/staff/incidents', incidentForm({ accounts: affected.data.loginName }))).statusCode).toBe(403);
      expect((await p.browser.post(`/staff/incidents/${id}`, incidentForm({ titleZh: '冒充', accounts: affected.data.loginName }))).statusCode).toBe(403);
      expect((await p.browser.post(`/staff/incidents/${id}/publish`, {})).statusCode).toBe(403);
      expect((await p.browser.post(`/staff/incidents/${id}/updates`, { bodyZh: '冒充', bodyEn: 'Fake' })).statusCode).toBe(403);
    }
    const visitor = new Browser(t.app);
    const page = await visitor.get('/staff/incidents');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/sign-in?next=%2Fstaff%2Fincidents');
    expect((await visitor.post(`/staff/incidents/${id}/publish`, {})).statusCode).toBe(303);
    expect(await incidentCount()).toBe(before);
    const row = await incidentRow(id);
    expect(row.status).toBe('draft');
    expect(row.titleZh).toBe('部分账户联系方式可能泄露');
    await expect(incidents().publish(user.auth, id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets privacy officers and administrators in, and lists the area on their workbench', async () => {
    for (const role of ['privacy-officer', 'admin'] as const) {
      const p = await withRole(role);
      expect((await p.browser.get('/staff')).body).toContain('href="/staff/incidents"');
      expect((await p.browser.get('/staff/incidents')).statusCode).toBe(200);
      expect((await p.browser.get('/staff/incidents/new')).body).toContain(t.config.privacyEmail);
    }
  });
});

describe('drafts refused', () => {
  const huge = '事'.repeat(10_000);
  const bad: [string, Record<string, string>, string][] = [
    ['no Chinese title', { titleZh: '' }, 'titleZh'],
    ['no account of what happened', { summaryEn: '   ' }, 'summaryEn'],
    ['a 10,000-character text', { measuresZh: huge }, 'measuresZh'],
    ['a 10,000-character title', { titleEn: huge }, 'titleEn'],
    ['control characters in a title', { titleZh: '泄露\u0000' }, 'titleZh'],
    ['a day that does not exist', { foundOn: '2025-02-30' }, 'foundOn'],
    ['words as a day', { foundOn: 'yesterday' }, 'foundOn'],
    ['a day in the future', { foundOn: '2999-01-01' }, 'foundOn'],
    ['a category not in the data map', { categories: 'bank.cards' }, 'categories'],
    ['no category', { categories: '' }, 'categories'],
    ['an unknown scope', { scope: 'some' }, 'scope'],
    ['a list scope without accounts', { accounts: '' }, 'accounts'],
    ['a 300-character contact', { contact: 'x'.repeat(300) }, 'contact'],
  ];
  it.each(bad)('refuses %s with a clear 400 and stores nothing', async (_name, overrides, field) => {
    const officer = await withRole('privacy-officer');
    const form = incidentForm({ accounts: officer.data.loginName, ...overrides });
    if (overrides.categories === '') delete form.categories;
    const before = await incidentCount();
    const response = await officer.browser.post('/staff/incidents', form);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`id="field-${field}-error"`);
    expect(response.body).toContain('提交的信息有误');
    expect(await incidentCount()).toBe(before);
  });

  it('names the login names and emails that match no account, escaped, and saves nothing', async () => {
    const officer = await withRole('privacy-officer');
    const known = await person();
    const before = await incidentCount();
    const response = await officer.browser.post('/staff/incidents', incidentForm({ accounts: `${known.data.loginName}\nnobody_${known.data.loginName}\n<script>alert(1)</script>\n${known.data.email}` }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('以下 2 个登录名或邮箱找不到对应账户');
    expect(response.body).toContain(`nobody_${known.data.loginName}`);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(response.body).toContain('&lt;script>alert(1)&lt;/script>');
    // Only the unknown ones are named: the known login name and email are not in the list.
    expect(response.body).toContain(`未保存任何内容：nobody_${known.data.loginName}, &lt;script>alert(1)&lt;/script></div>`);
    expect(await incidentCount()).toBe(before);
    expect(await db().selectFrom('incidentAccount').select('accountId').where('accountId', '=', known.accountId).execute()).toEqual([]);
  });

  it('refuses malformed forms and paths without a 500', async () => {
    const officer = await withRole('privacy-officer');
    expect((await officer.browser.get('/staff/incidents/not-an-id')).statusCode).toBe(404);
    expect((await officer.browser.get(`/staff/incidents/${randomUUID()}`)).statusCode).toBe(404);
    expect((await officer.browser.post(`/staff/incidents/${randomUUID()}/publish`, {})).statusCode).toBe(404);
    expect((await officer.browser.post('/staff/incidents', {})).statusCode).toBe(400);
    expect((await officer.browser.post('/staff/incidents', { ...incidentForm({ accounts: officer.data.loginName }), _csrf: '' })).statusCode).toBe(403);
    expect((await new Browser(t.app).get('/announcements/not-an-id')).statusCode).toBe(404);
    expect((await new Browser(t.app).get('/api/announcements/not-an-id')).statusCode).toBe(400);
    expect((await new Browser(t.app).get('/announcements?page=abc')).statusCode).toBe(200);
  });
});

describe('publishing', () => {
  it('drafts, previews and publishes; the announcement is public in both languages and each affected person is told once', async () => {
    const officer = await withRole('privacy-officer');
    const [a, b, bystander] = [await person(), await person(), await person()];
    const created = await officer.browser.post('/staff/incidents', incidentForm({
      titleZh: '联系方式泄露 <script>alert(1)</script>',
      accounts: `${a.data.loginName.toUpperCase()}\n${b.data.email}\n${a.data.email}`,
    }));
    expect(created.statusCode).toBe(303);
    const id = idFrom(created.headers.location);
    expect((await db().selectFrom('incidentAccount').select('accountId').where('incidentId', '=', id).execute()).map((r) => r.accountId).sort()).toEqual([a.accountId, b.accountId].sort());
    expect((await incidentRow(id)).contact).toBe(t.config.privacyEmail);
    expect((await new Browser(t.app).get(`/announcements/${id}`)).statusCode).toBe(404);

    const edited = await officer.browser.post(`/staff/incidents/${id}`, incidentForm({ titleZh: '联系方式泄露 <script>alert(1)</script>', accounts: `${a.data.loginName}\n${b.data.loginName}`, contact: 'dpo@silkline.example.cn' }));
    expect(edited.statusCode).toBe(303);
    const preview = await officer.browser.get(`/staff/incidents/${id}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('将告知 2 个指定账户');
    expect(preview.body).toContain('账户联系信息');
    expect(preview.body).not.toContain('<script>alert(1)</script>');
    expect((await officer.browser.get(`/staff/incidents/${id}/preview?lang=en`)).body).toContain('Contact details of some accounts may have leaked');

    expect((await officer.browser.post(`/staff/incidents/${id}/publish`, {})).statusCode).toBe(303);
    const recorded = await db().selectFrom('auditEntry').select(['actorId', 'actorRole', 'purpose']).where('action', '=', 'incident.publish').where('targetId', '=', id).execute();
    expect(recorded).toEqual([{ actorId: officer.accountId, actorRole: 'privacy-officer', purpose: 'breach-notice' }]);
    await incidents().drainNotices();
    for (const p of [a, b]) {
      expect(await noticesOf(p.accountId, id)).toEqual([{ kind: 'incident.published', link: `/announcements/${id}` }]);
      const mails = await mailsTo(p.data.email, 'incident-notice');
      expect(mails).toHaveLength(1);
      expect(mails[0]!.textBody.indexOf('您好')).toBeLessThan(mails[0]!.textBody.indexOf('Hello'));
      const received = await t.sink.waitFor((m) => m.to.includes(p.data.email) && m.subject.includes('个人信息安全事件告知'));
      expect(received.text).toContain(`/announcements/${id}`);
      expect(received.text).toContain('dpo@silkline.example.cn');
      expect(received.text).toContain('Contact details of some accounts may have leaked');
      expect(received.text).toContain('Account contact details');
    }
    expect(await noticesOf(bystander.accountId, id)).toEqual([]);
    expect(await mailsTo(bystander.data.email, 'incident-notice')).toEqual([]);
    expect(await incidents().sendNotices()).toBe(0);
    expect(await mailsTo(a.data.email, 'incident-notice')).toHaveLength(1);

    const staffPage = await officer.browser.get(`/staff/incidents/${id}`);
    expect(staffPage.body).toContain('已告知 2 / 2 位受影响的用户');
    expect((await a.browser.get('/notices')).body).toContain('个人信息安全事件公告');

    const list = await new Browser(t.app).get('/announcements');
    expect(list.body).toContain('联系方式泄露 &lt;script>alert(1)&lt;/script>');
    expect(list.body).not.toContain('<script>alert(1)</script>');
    const zh = await new Browser(t.app).get(`/announcements/${id}`);
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('我们已关闭该接口');
    expect(zh.body).toContain('mailto:dpo@silkline.example.cn');
    const en = await new Browser(t.app).get(`/announcements/${id}?lang=en`);
    expect(en.body).toContain('We closed the endpoint and reported the incident to the regulator.');
    expect(en.body).toContain('Account contact details');
    const api = (await new Browser(t.app).get(`/api/announcements/${id}`)).json();
    expect(api).toMatchObject({ id, titleEn: 'Contact details of some accounts may have leaked', foundOn: '2025-11-20', categories: [{ key: 'account.contact', zh: '账户联系信息', en: 'Account contact details' }], updates: [] });
    expect(JSON.stringify(api)).not.toContain(a.data.email);
    expect((await new Browser(t.app).get('/api/announcements')).json().items.map((i: { id: string }) => i.id)).toContain(id);

    // Published is final: the text cannot change, and it cannot be published again.
    const before = await incidentRow(id);
    const refused = await officer.browser.post(`/staff/incidents/${id}`, incidentForm({ titleZh: '改过的标题', accounts: a.data.loginName }));
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('公告已发布，内容不能再修改');
    expect((await officer.browser.post(`/staff/incidents/${id}/publish`, {})).statusCode).toBe(409);
    expect(await incidentRow(id)).toEqual(before);

    // A follow-up is appended, public at once, and told to the same people once.
    expect((await officer.browser.post(`/staff/incidents/${id}/updates`, { bodyZh: '', bodyEn: 'x' })).statusCode).toBe(400);
    expect((await officer.browser.post(`/staff/incidents/${id}/updates`, { bodyZh: '调查已完成，未发现进一步泄露。', bodyEn: 'The investigation is complete; no further leak was found.' })).statusCode).toBe(303);
    await incidents().drainNotices();
    expect(await incidents().sendNotices()).toBe(0);
    for (const p of [a, b]) {
      expect((await noticesOf(p.accountId, id)).map((n) => n.kind).sort()).toEqual(['incident.published', 'incident.updated']);
      expect(await mailsTo(p.data.email, 'incident-update')).toHaveLength(1);
    }
    expect(await mailsTo(bystander.data.email, 'incident-update')).toEqual([]);
    expect((await new Browser(t.app).get(`/announcements/${id}?lang=en`)).body).toContain('no further leak was found');
    expect((await new Browser(t.app).get(`/api/announcements/${id}`)).json().updates).toHaveLength(1);
    expect((await officer.browser.get(`/staff/incidents/${id}`)).body).toContain('已告知 2 位用户');
  });

  it('refuses a follow-up to a draft (409)', async () => {
    const officer = await withRole('privacy-officer');
    const { id } = await draft([officer]);
    expect((await officer.browser.post(`/staff/incidents/${id}/updates`, { bodyZh: '进展', bodyEn: 'News' })).statusCode).toBe(409);
    expect(await db().selectFrom('incidentUpdate').select('id').where('incidentId', '=', id).execute()).toEqual([]);
  });

  it('tells every verified account once when all are affected, even with two runs at once in small batches', async () => {
    const people = [await person(), await person(), await person()];
    const { id } = await draft([], { scope: 'all', titleZh: '全体账户事件', accounts: '' });
    // Published straight in the database, so only the two services below send.
    await db().updateTable('incident').set({ status: 'published', publishedAt: new Date().toISOString() }).where('id', '=', id).execute();
    const small = createIncidentsService({ db: db(), publicUrl: t.config.publicUrl, privacyEmail: t.config.privacyEmail, categories: incidents().categories(), translator: (l) => makeTranslator(catalog, l), notices: t.app.silkline.notices, audit: t.app.silkline.audit, batchSize: 2 });
    const [first, second] = await Promise.all([small.sendNotices(), incidents().sendNotices()]);
    const verified = await db().selectFrom('account').select('id').where('emailVerifiedAt', 'is not', null).execute();
    expect(first + second).toBe(verified.length);
    const rows = await db().selectFrom('incidentDelivery').select('accountId').where('incidentId', '=', id).execute();
    expect(rows).toHaveLength(verified.length);
    expect(new Set(rows.map((r) => r.accountId)).size).toBe(rows.length);
    for (const p of people) {
      expect(await noticesOf(p.accountId, id)).toHaveLength(1);
      expect((await mailsTo(p.data.email, 'incident-notice')).filter((m) => m.subject.includes('全体账户事件'))).toHaveLength(1);
    }
    expect((await incidentRow(id)).notifiedAt).not.toBeNull();
    expect(await small.sendNotices()).toBe(0);
    expect(await incidents().progress(officerAuth, id)).toMatchObject({ told: verified.length, affected: verified.length, done: true });
  });

  it('lists announcements newest first, 20 a page', async () => {
    const p = await person();
    for (let i = 0; i < 21; i += 1) {
      const { id } = await draft([p], { titleZh: `分页事件 ${i}`, titleEn: `Paged incident ${i}` });
      await incidents().publish(officerAuth, id);
      await incidents().drainNotices();
    }
    const first = (await new Browser(t.app).get('/api/announcements')).json();
    expect(first.items).toHaveLength(20);
    expect(first.items[0].titleZh).toBe('分页事件 20');
    expect(first.pages).toBeGreaterThanOrEqual(2);
    const page = await new Browser(t.app).get('/announcements?page=2');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('rel="prev"');
  });
});

describe('personal data', () => {
  it('exports which incidents a person was told of and when, and erasure deletes their rows', async () => {
    const p = await person();
    const { id } = await draft([p], { titleZh: '导出测试事件' });
    await incidents().publish(officerAuth, id);
    await incidents().drainNotices();
    const provider = t.app.silkline.providers.find((x) => x.name === 'incidents')!;
    const exported = await provider.export(p.accountId);
    expect(exported.records.told).toEqual([expect.objectContaining({ incidentId: id, about: 'incident', titleZh: '导出测试事件', toldAt: expect.any(String) })]);
    expect(exported.records.listed).toEqual([expect.objectContaining({ incidentId: id })]);
    expect((await provider.erase(p.accountId)).erased).toBe(2);
    expect((await provider.export(p.accountId)).records).toEqual({ told: [], listed: [] });
    expect((await new Browser(t.app).get(`/announcements/${id}`)).statusCode).toBe(200);
  });

  it('deletes who was listed and told 3 years after publication, keeping the announcement', async () => {
    const p = await person();
    const { id } = await draft([p]);
    await incidents().publish(officerAuth, id);
    await incidents().drainNotices();
    await incidents().deleteExpired(new Date(Date.now() + 3 * 365 * 86_400_000 - 86_400_000));
    expect(await db().selectFrom('incidentDelivery').select('accountId').where('incidentId', '=', id).execute()).toHaveLength(1);
    await incidents().deleteExpired(new Date(Date.now() + 3 * 366 * 86_400_000));
    expect(await db().selectFrom('incidentDelivery').select('accountId').where('incidentId', '=', id).execute()).toEqual([]);
    expect(await db().selectFrom('incidentAccount').select('accountId').where('incidentId', '=', id).execute()).toEqual([]);
    expect((await incidentRow(id)).status).toBe('published');
  });

  it('lists the announcements API in the OpenAPI document', async () => {
    const doc = (await new Browser(t.app).get('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(doc.paths['/api/announcements'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/announcements/{id}'] ?? {})).toEqual(['get']);
  });
});
