import { describe, expect, it } from 'vitest';
import { privacyMessages } from '../src/modules/privacy/index.js';
import { Browser, latestMail, signedIn, supplier, useTestApp } from './helpers.js';

const t = useTestApp();

const db = () => t.app.silkline.db.kysely;
const mailsOfKind = async (to: string, kind: string) =>
  (await db().selectFrom('mailOutbox').select('id').where('recipient', '=', to).where('kind', '=', kind).execute()).length;

interface Download {
  format: string;
  accountId: string;
  statementUrl: string;
  fields: { field: string; category: string; basis: string; retention: string }[];
  records: Record<string, Record<string, Record<string, unknown>[]>>;
}

describe('my personal data', () => {
  it('sends visitors to sign in, and answers the API with 401', async () => {
    const visitor = new Browser(t.app);
    const page = await visitor.get('/account/personal-data');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toContain('/sign-in?next=');
    expect((await visitor.api('GET', '/api/account/personal-data')).statusCode).toBe(401);
  });

  it('lists what each module keeps about the person, in both languages, without caching', async () => {
    const member = await supplier(t.app);
    const zh = await member.browser.get('/account/personal-data');
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['cache-control']).toContain('no-store');
    expect(zh.body).toContain('<h1>我的个人信息</h1>');
    expect(zh.body).toContain('data-provider="accounts"');
    expect(zh.body).toContain('data-provider="companies"');
    expect(zh.body).toContain('公司信息与营业执照');
    expect(zh.body).toContain('href="/legal#personal-data"');
    expect(zh.body).toContain('aria-current="page"');
    const en = await member.browser.get('/account/personal-data?lang=en');
    expect(en.body).toContain('Company information and licences');
    const api = await member.browser.api('GET', '/api/account/personal-data');
    expect(api.statusCode).toBe(200);
    const providers = api.json<{ items: { provider: string; total: number }[] }>().items.map((i) => i.provider);
    expect(providers).toContain('accounts');
    expect(providers).toContain('companies');
  });

  it('downloads everything held about the person, and only about them, after the password, and says so by mail', async () => {
    const person = await supplier(t.app);
    const other = await signedIn(t.app);
    const response = await person.browser.post('/account/personal-data/download', { password: person.data.password });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.headers['cache-control']).toContain('no-store');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="silkline-personal-data-\d{4}-\d{2}-\d{2}\.json"$/);
    const download = response.json<Download>();
    expect(download.format).toBe('silkline.personal-data.v1');
    expect(download.statementUrl).toBe(`${t.config.publicUrl}/legal`);
    expect(download.records.accounts!.account![0]).toMatchObject({ email: person.data.email, loginName: person.data.loginName });
    const company = await db().selectFrom('company').select('nameZh').where('id', '=', person.companyId).executeTakeFirstOrThrow();
    expect(JSON.stringify(download.records.companies)).toContain(company.nameZh);
    expect(response.body).not.toContain(other.data.email);
    expect(response.body).not.toContain('passwordHash');
    expect(download.fields).toContainEqual(expect.objectContaining({ field: 'account.email', category: 'account.contact', basis: 'contract' }));
    const mail = await latestMail(t.app, person.data.email);
    expect(mail.kind).toBe('personal-data-exported');
    expect(mail.subject).toBe('您的个人信息副本已被下载');
    expect(mail.textBody).toContain('/account/sessions');
    for (const line of t.logs) expect(line).not.toContain(person.data.email);
  });

  it('refuses a wrong or missing password beside the field, sending nothing', async () => {
    const person = await signedIn(t.app);
    const wrong = await person.browser.post('/account/personal-data/download', { password: 'not-my-password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.headers['content-disposition']).toBeUndefined();
    expect(wrong.body).toContain('当前密码不正确');
    expect(wrong.body).toContain('aria-invalid="true"');
    const missing = await person.browser.post('/account/personal-data/download', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('请输入密码');
    const api = await person.browser.api('POST', '/api/account/personal-data/download', { password: 42 });
    expect(api.statusCode).toBe(400);
    expect(api.json().error.code).toBe('VALIDATION_FAILED');
    const huge = await person.browser.api('POST', '/api/account/personal-data/download', { password: 'x'.repeat(100_000) });
    expect(huge.statusCode).toBe(400);
    expect(await mailsOfKind(person.data.email, 'personal-data-exported')).toBe(0);
  });

  it('downloads through the API, needs the CSRF token, and limits downloads to five an hour', async () => {
    const person = await signedIn(t.app);
    const noToken = await person.browser.post('/account/personal-data/download', { _csrf: '', password: person.data.password });
    expect(noToken.statusCode).toBe(403);
    const api = await person.browser.api('POST', '/api/account/personal-data/download', { password: person.data.password });
    expect(api.statusCode).toBe(200);
    expect(api.json<Download>().records.accounts!.account![0]).toMatchObject({ email: person.data.email });
    for (let i = 0; i < 4; i++) {
      expect((await person.browser.api('POST', '/api/account/personal-data/download', { password: person.data.password })).statusCode).toBe(200);
    }
    const limited = await person.browser.api('POST', '/api/account/personal-data/download', { password: person.data.password });
    expect(limited.statusCode).toBe(429);
    expect(await mailsOfKind(person.data.email, 'personal-data-exported')).toBe(5);
  });

  it('names every registered module in both languages', () => {
    for (const provider of t.app.silkline.providers) {
      expect(privacyMessages['zh-CN'][`privacy.provider.${provider.name}`], provider.name).toBeDefined();
      expect(privacyMessages.en[`privacy.provider.${provider.name}`], provider.name).toBeDefined();
    }
    expect(Object.keys(privacyMessages.en).sort()).toEqual(Object.keys(privacyMessages['zh-CN']).sort());
  });

  it('lists both routes in the API document', async () => {
    const doc = (await new Browser(t.app).get('/api/openapi.json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/account/personal-data', '/api/account/personal-data/download']));
  });
});
