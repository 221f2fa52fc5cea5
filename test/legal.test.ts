import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalog } from '../src/messages.js';
import { currentStatementVersion } from '../src/modules/consent/index.js';
import { announceBatchSize, createLegalService, dataCategories, firstVersionDate, legalMessages, missingDataTexts, requiredTextKeys } from '../src/modules/legal/index.js';
import { locales } from '../src/platform/i18n/i18n.js';
import { personal } from '../src/platform/privacy/data-map.js';
import { Browser, makeApp, signedIn, startSmtpSink, type TestApp } from './helpers.js';

const content = (name: string) => readFileSync(new URL(`../src/modules/legal/content/${name}`, import.meta.url), 'utf8');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Today in Asia/Shanghai, and days from it, as `YYYY-MM-DD`. */
function shanghaiDay(offsetDays = 0, from = new Date()): string {
  return new Date(from.getTime() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The privacy statement's sources with one sentence of the cookies section changed in each language. */
function editedPrivacy() {
  const zh = content('privacy.zh-CN.md');
  const en = content('privacy.en.md');
  const zhOld = '用于统计访问量、邮件打开情况和转化情况。';
  const enOld = 'used to count visits, email opens and conversions.';
  expect(zh).toContain(zhOld);
  expect(en).toContain(enOld);
  return { textZh: zh.replace(zhOld, '用于统计访问量和邮件打开情况。'), textEn: en.replace(enOld, 'used to count visits and email opens.') };
}

/** A signed-in privacy officer. */
async function officerOf(t: TestApp) {
  const officer = await signedIn(t.app);
  await t.app.silkline.accounts.setRole(officer.data.loginName, 'privacy-officer');
  return officer;
}

async function versionCount(t: TestApp) {
  const rows = await t.app.silkline.db.kysely.selectFrom('legalVersion').select('id').execute();
  return rows.length;
}

async function draftRows(t: TestApp) {
  return t.app.silkline.db.kysely.selectFrom('legalDraft').select(['document', 'locale', 'source', 'updatedAt']).orderBy('locale').execute();
}

describe('published legal documents', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('publishes the first version of each document at startup, with a hash that does not depend on the installation', async () => {
    const rows = await t.app.silkline.db.kysely.selectFrom('legalVersion').select(['document', 'number', 'contentHash', 'effectiveOn', 'isMaterial']).orderBy('document').execute();
    expect(rows.map((r) => [r.document, Number(r.number), r.effectiveOn, Number(r.isMaterial)])).toEqual([
      ['privacy', 1, firstVersionDate, 0],
      ['terms', 1, firstVersionDate, 0],
    ]);
    const other = await makeApp();
    try {
      const again = await other.app.silkline.db.kysely.selectFrom('legalVersion').select(['document', 'contentHash']).orderBy('document').execute();
      expect(again.map((r) => r.contentHash)).toEqual(rows.map((r) => r.contentHash));
      // Starting again on a database that has them publishes nothing more.
      await other.app.silkline.legal.start();
      expect(await versionCount(other)).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('stamps consents with the hash of the privacy statement in effect', async () => {
    const privacy = await t.app.silkline.db.kysely.selectFrom('legalVersion').select('contentHash').where('document', '=', 'privacy').executeTakeFirstOrThrow();
    expect(t.app.silkline.legal.statementVersion()).toBe(privacy.contentHash);
    expect(currentStatementVersion()).toBe(privacy.contentHash);
    const body = (await new Browser(t.app).get('/api/consent')).json<{ statementVersion: string }>();
    expect(body.statementVersion).toBe(privacy.contentHash);
  });

  it('serves a version as a complete standalone page, the same bytes to everyone, with its facts at the top', async () => {
    const row = await t.app.silkline.db.kysely
      .selectFrom('legalText')
      .innerJoin('legalVersion', 'legalVersion.id', 'legalText.versionId')
      .select(['legalText.html as html', 'legalVersion.contentHash as hash'])
      .where('legalVersion.document', '=', 'privacy')
      .where('legalText.locale', '=', 'en')
      .executeTakeFirstOrThrow();
    const visitor = await new Browser(t.app).get('/legal/privacy/v1.en.html');
    const { browser } = await signedIn(t.app);
    const member = await browser.get('/legal/privacy/v1.en.html');
    expect(visitor.statusCode).toBe(200);
    expect(visitor.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(visitor.rawPayload.equals(Buffer.from(row.html, 'utf8'))).toBe(true);
    expect(member.rawPayload.equals(visitor.rawPayload)).toBe(true);
    const html = visitor.body;
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(html).toContain('<link rel="stylesheet" href="/legal/legal.css"/>');
    expect(html).not.toMatch(/csrf|consent-banner|\/assets\//i);
    const top = html.slice(0, html.indexOf('<main>'));
    expect(top).toContain(`<time datetime="${firstVersionDate}">${firstVersionDate}</time>`);
    expect(top).toContain('Last modified');
    expect(top).toContain(row.hash);
    expect(html).toContain('id="personal-data"');
    expect((await new Browser(t.app).get('/legal/legal.css')).statusCode).toBe(200);
    expect((await new Browser(t.app).get('/legal/privacy/v1.zh-CN.html')).body).toContain('生效日期');
  });

  it('shows the version in effect in the site layout, in the page language, with links to the archive', async () => {
    const zh = await new Browser(t.app).get('/legal');
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('<h1>隐私政策</h1>');
    expect(zh.body).toContain('class="site-header"');
    expect(zh.body).toContain('第 1 版');
    expect(zh.body).toContain('href="/legal/privacy/versions"');
    expect(zh.body).toContain('href="/legal/privacy/v1.zh-CN.html"');
    expect(zh.body).toContain('您访问或使用本网站，并不表示您同意我们为非必要目的处理您的个人信息。');
    expect(zh.body).toContain('15 个工作日');
    expect(zh.body).toContain('href="/privacy/contact"');
    expect(zh.body).toContain(`mailto:${t.config.privacyEmail}`);
    expect(zh.body).not.toContain('恕不另行通知');
    const en = await new Browser(t.app).get('/legal?lang=en');
    expect(en.body).toContain('<h1>Privacy policy</h1>');
    expect(en.body).toContain('does not mean you consent to processing of your personal information for non-essential purposes');
    const terms = await new Browser(t.app).get('/legal/terms');
    expect(terms.body).toContain('<h1>服务条款</h1>');
    expect(terms.body).toContain('href="/legal/terms/versions"');
    expect((await new Browser(t.app).get('/legal/privacy')).headers.location).toBe('/legal');
  });

  it('answers unknown documents, versions and files with 404', async () => {
    for (const url of ['/legal/cookies/versions', '/legal/privacy/v99.en.html', '/legal/privacy/v1.fr.html', '/legal/privacy/latest', '/legal/privacy/compare?from=1&to=99']) {
      expect((await new Browser(t.app).get(url)).statusCode, url).toBe(404);
    }
  });

  it('keeps staff pages to privacy officers: visitors sign in, other accounts are refused', async () => {
    const visitor = await new Browser(t.app).get('/staff/legal');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/sign-in?next=%2Fstaff%2Flegal');
    const { browser } = await signedIn(t.app);
    for (const url of ['/staff/legal', '/staff/legal/privacy', '/staff/legal/privacy/preview']) {
      expect((await browser.get(url)).statusCode, url).toBe(403);
    }
    const before = await versionCount(t);
    expect((await browser.post('/staff/legal/privacy/draft', editedPrivacy())).statusCode).toBe(403);
    expect((await browser.post('/staff/legal/privacy/publish', { effectiveOn: shanghaiDay() })).statusCode).toBe(403);
    expect(await versionCount(t)).toBe(before);
    expect(await draftRows(t)).toEqual([]);
  });

  it('refuses bad drafts with a localised message and stores nothing', async () => {
    const { browser } = await officerOf(t);
    const good = editedPrivacy();
    const cases: [Record<string, string>, number, string][] = [
      [{ textEn: good.textEn }, 400, '请填写文本。'],
      [{ textZh: '   ', textEn: good.textEn }, 400, '请填写文本。'],
      [{ textZh: `## 标题\n${'字'.repeat(20_001)}`, textEn: good.textEn }, 400, '文本过长，最多 20000 个字符。'],
      [{ textZh: '只有段落，没有标题', textEn: good.textEn }, 400, '文本至少需要一个以“## ”开头的章节标题。'],
      [{ textZh: `## 标题\n控制字符\u0000`, textEn: good.textEn }, 400, '文本中含有不允许的控制字符。'],
      [{ textZh: 'x'.repeat(300_000), textEn: good.textEn }, 413, '提交的内容过大。'],
    ];
    for (const [form, status, message] of cases) {
      const response = await browser.post('/staff/legal/privacy/draft', form);
      expect(response.statusCode, message).toBe(status);
      expect(response.body).toContain(message);
    }
    expect(await draftRows(t)).toEqual([]);
  });

  it('shows a draft with scripts as text in the preview, never as markup', async () => {
    const { browser } = await officerOf(t);
    const form = { textZh: '## 标题 {#x}\n<script>alert(1)</script> [点我](javascript:alert(1))', textEn: '## Title\n<img src=x onerror=alert(1)>' };
    expect((await browser.post('/staff/legal/terms/draft', form)).statusCode).toBe(303);
    const preview = await browser.get('/staff/legal/terms/preview?lang=zh-CN');
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('&lt;script>alert(1)&lt;/script>');
    expect(preview.body).not.toContain('<script>alert');
    expect(preview.body).not.toContain('href="javascript:');
    expect((await browser.post('/staff/legal/terms/discard', {})).statusCode).toBe(303);
    expect(await draftRows(t)).toEqual([]);
  });

  it('refuses bad effective dates and a material change due in under 7 days, and publishes nothing', async () => {
    const { browser } = await officerOf(t);
    expect((await browser.post('/staff/legal/privacy/draft', editedPrivacy())).statusCode).toBe(303);
    const before = await versionCount(t);
    const cases: [Record<string, string>, string][] = [
      [{}, '请填写有效的日期（年-月-日）。'],
      [{ effectiveOn: '2027-02-30' }, '请填写有效的日期（年-月-日）。'],
      [{ effectiveOn: 'tomorrow' }, '请填写有效的日期（年-月-日）。'],
      [{ effectiveOn: shanghaiDay(-1) }, '生效日期不能早于今天。'],
      [{ effectiveOn: shanghaiDay(400) }, '生效日期不能晚于一年之后。'],
      [{ effectiveOn: shanghaiDay(3), material: 'on' }, '重大变更至少须在发布 7 天后生效'],
      [{ effectiveOn: shanghaiDay(), material: 'on' }, '重大变更至少须在发布 7 天后生效'],
      [{ effectiveOn: shanghaiDay(1), material: 'yes' }, '内容无效。'],
    ];
    for (const [form, message] of cases) {
      const response = await browser.post('/staff/legal/privacy/publish', form);
      expect(response.statusCode, JSON.stringify(form)).toBe(400);
      expect(response.body).toContain(message);
    }
    const tooSoon = await browser.post('/staff/legal/privacy/publish', { effectiveOn: shanghaiDay(6), material: 'on' });
    expect(tooSoon.body).toMatch(/生效日期最早为 \d{4}-\d{2}-\d{2}/);
    expect(await versionCount(t)).toBe(before);
    expect((await draftRows(t)).length).toBe(2);
    await browser.post('/staff/legal/privacy/discard', {});
  });

  it('publishes a new version while the first stays byte-identical; the archive lists both and the comparison shows only the changed section', async () => {
    const { browser } = await officerOf(t);
    const v1Before = (await new Browser(t.app).get('/legal/privacy/v1.zh-CN.html')).rawPayload;
    const v1EnBefore = (await new Browser(t.app).get('/legal/privacy/v1.en.html')).rawPayload;

    const saved = await browser.post('/staff/legal/privacy/draft', editedPrivacy());
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/staff/legal/privacy/preview?saved=1');
    const preview = await browser.get(saved.headers.location as string);
    expect(preview.body).toContain('草稿已保存。');
    expect(preview.body).toContain('data-status="changed" data-section="cookies"');
    const published = await browser.post('/staff/legal/privacy/publish', { effectiveOn: shanghaiDay() });
    expect(published.statusCode).toBe(303);
    expect(published.headers.location).toBe('/staff/legal?document=privacy&published=2');
    expect((await browser.get(published.headers.location as string)).body).toContain('《隐私政策》第 2 版已发布。');
    expect(await draftRows(t)).toEqual([]);

    const v1After = (await new Browser(t.app).get('/legal/privacy/v1.zh-CN.html')).rawPayload;
    expect(sha256(v1After)).toBe(sha256(v1Before));
    expect((await new Browser(t.app).get('/legal/privacy/v1.en.html')).rawPayload.equals(v1EnBefore)).toBe(true);

    const versions = await t.app.silkline.db.kysely.selectFrom('legalVersion').select(['number', 'contentHash']).where('document', '=', 'privacy').orderBy('number').execute();
    expect(versions.map((v) => Number(v.number))).toEqual([1, 2]);
    expect(t.app.silkline.legal.statementVersion()).toBe(versions[1]!.contentHash);
    const v2 = await new Browser(t.app).get('/legal/privacy/v2.zh-CN.html');
    expect(v2.body).toContain(versions[1]!.contentHash);
    expect(v2.body).toContain('用于统计访问量和邮件打开情况。');

    const archive = await new Browser(t.app).get('/legal/privacy/versions');
    expect(archive.statusCode).toBe(200);
    for (const v of versions) {
      expect(archive.body).toContain(`data-version="${Number(v.number)}"`);
      expect(archive.body).toContain(v.contentHash);
    }
    expect(archive.body).toContain('href="/legal/privacy/compare?from=1&amp;to=2"');

    const compare = await new Browser(t.app).get('/legal/privacy/compare?from=1&to=2');
    expect(compare.statusCode).toBe(200);
    const changed = [...compare.body.matchAll(/data-status="(\w+)" data-section="([\w-]+)"/g)].map((m) => [m[1], m[2]]);
    expect(changed).toEqual([['changed', 'cookies']]);
    expect(compare.body).toContain('<del>和转化情况</del>');
    expect(compare.body).toMatch(/<details class="legal-unchanged"><summary>未修改的章节（\d+ 节）<\/summary>/);
    const english = await new Browser(t.app).get('/legal/privacy/compare?from=1&to=2&lang=en');
    expect([...english.body.matchAll(/data-status="(\w+)" data-section="([\w-]+)"/g)].map((m) => m[2])).toEqual(['cookies']);
    expect(english.body).toContain('<del> and conversions</del>');
    // The newest and the one before by default, and junk in the query is ignored.
    expect((await new Browser(t.app).get('/legal/privacy/compare?from=abc')).body).toContain('data-section="cookies"');
  });

  it('refuses to publish what has not changed', async () => {
    const { browser } = await officerOf(t);
    const before = await versionCount(t);
    const response = await browser.post('/staff/legal/terms/publish', { effectiveOn: shanghaiDay() });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('与最新版本相比没有任何变化，无需发布。');
    expect(await versionCount(t)).toBe(before);
  });
});

describe('the data map in the privacy statement', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('has words in both languages for every category, purpose, basis and retention the data map uses', () => {
    expect(missingDataTexts(t.app.silkline.dataMap, catalog)).toEqual([]);
  });

  it('notices a data-map value without words', () => {
    const extended = { ...t.app.silkline.dataMap, survey_answer: { answer: personal('survey.answers', 'learn what people think of the service', 'consent', '90 days') } };
    expect(missingDataTexts(extended, catalog)).toEqual(
      locales.flatMap((locale) => [
        `${locale}:legal.category.survey.answers`,
        `${locale}:legal.categoryAbout.survey.answers`,
        `${locale}:legal.purpose.learn-what-people-think-of-the-service`,
        `${locale}:legal.retention.90-days`,
      ]),
    );
  });

  it('lists every category of personal data declared by the data map in the statement in effect', async () => {
    expect(t.app.silkline.legal.coverage()).toEqual({ missingTexts: [], missingCategories: [] });
    const page = await new Browser(t.app).get('/legal');
    for (const category of dataCategories(t.app.silkline.dataMap)) {
      expect(page.body).toContain(`id="data-${category.replace(/[^a-z0-9]+/g, '-')}"`);
    }
    expect(page.body).toContain('账户联系信息');
    expect(page.body).toContain('法律依据：订立、履行您作为一方当事人的合同所必需');
  });

  it('finds a category the statement in effect does not list', async () => {
    const extended = { ...t.app.silkline.dataMap, survey_answer: { answer: personal('survey.answers', 'learn what people think of the service', 'consent', '90 days') } };
    const legal = createLegalService({ db: t.app.silkline.db.kysely, dataMap: extended, catalog, privacyEmail: t.config.privacyEmail, publicUrl: t.config.publicUrl });
    await legal.start();
    expect(legal.coverage().missingCategories).toEqual(['survey.answers']);
    expect(requiredTextKeys(extended).length).toBeGreaterThan(requiredTextKeys(t.app.silkline.dataMap).length);
  });

  it('keeps both catalogs of the legal messages in step', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(legalMessages.en).sort()).toEqual(Object.keys(legalMessages['zh-CN']).sort());
    for (const key of Object.keys(legalMessages['zh-CN'])) {
      expect(placeholders(legalMessages.en[key]!), key).toEqual(placeholders(legalMessages['zh-CN'][key]!));
    }
  });

  it('tells people at registration what each category of the registration fields is for, in their language', async () => {
    const zh = await new Browser(t.app).get('/register');
    expect(zh.statusCode).toBe(200);
    const categories = [...zh.body.matchAll(/data-category="([\w.-]+)"/g)].map((m) => m[1]);
    expect(categories).toEqual(['account.identifier', 'account.contact', 'account.security', 'account.consent', 'device']);
    expect(zh.body).toContain('我们收集哪些信息，用于什么');
    expect(zh.body).toContain('<strong>账户联系信息</strong>');
    expect(zh.body).toContain('用途：登录、接收服务消息，以及供贸易伙伴联系您');
    expect(zh.body).toContain('href="/legal#data-account-contact"');
    expect(zh.body).toContain('（敏感个人信息）');
    const en = await new Browser(t.app).get('/register?lang=en');
    expect(en.body).toContain('<strong>Account contact details</strong>');
    expect(en.body).toContain('Purpose: sign-in, service messages, and contact by trade partners');
  });

  it('tells a supplier what the business licence upload is for', async () => {
    const { browser } = await signedIn(t.app);
    const created = await browser.post('/shop/new', {
      nameZh: '深圳光明照明科技有限公司',
      nameEn: 'Shenzhen Guangming Lighting Technology Co., Ltd.',
      creditCode: '914403001922038216',
      country: 'CN',
      provinceCode: '440000',
      cityCode: '440300',
      districtCode: '440305',
      street: '科技园南区 8 栋 501',
      mainProducts: 'LED工矿灯',
      description: '专业生产 LED 工业照明产品。',
      contactPerson: '李伟',
      contactEmail: 'sales@guangming-lighting.example.cn',
      contactMobile: '13800138000',
      phone: '0755-8888 6666',
      fax: '',
    });
    expect(created.statusCode).toBe(303);
    const page = await browser.get(created.headers.location as string);
    expect(page.body).toContain('data-category="company.licence"');
    expect(page.body).toContain('<strong>营业执照</strong>');
    expect(page.body).toContain('href="/legal#data-company-licence"');
  });
});

describe('a material change', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await makeApp({ smtpUrl: sink.url });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('does not pause consents for a change that is not material', async () => {
    const { app } = t;
    const member = await signedIn(app);
    const memberId = (await app.silkline.db.kysely.selectFrom('account').select('id').where('email', '=', member.data.email).executeTakeFirstOrThrow()).id;
    await member.browser.post('/privacy/consent', { choice: 'accept-all', method: 'banner' });
    const officer = await officerOf(t);
    const draft = { textZh: content('privacy.zh-CN.md').replace('您的信任对我们非常重要。', '您的信任对我们至关重要。'), textEn: content('privacy.en.md') };
    expect((await officer.browser.post('/staff/legal/privacy/draft', draft)).statusCode).toBe(303);
    expect((await officer.browser.post('/staff/legal/privacy/publish', { effectiveOn: shanghaiDay() })).statusCode).toBe(303);
    await app.silkline.legal.drain();
    const announced = await app.silkline.db.kysely.selectFrom('mailOutbox').select('id').where('kind', '=', 'legal-material-change').execute();
    expect(announced).toEqual([]);
    expect(app.silkline.legal.acceptedStatementVersions()).toHaveLength(2);
    expect(await app.silkline.consent.hasConsent(memberId, 'analytics')).toBe(true);
    expect((await member.browser.get('/')).body).not.toContain('id="consent-banner"');
  });
  it('is mailed to every account and announced until it takes effect; then consents given before it pause until confirmed again, while the account keeps working', { timeout: 90_000 }, async () => {
    const { app } = t;
    const kysely = app.silkline.db.kysely;
    const member = await signedIn(app);
    const other = await signedIn(app);
    const officer = await officerOf(t);
    // Enough accounts for more than one batch.
    const now = new Date().toISOString();
    const many = Array.from({ length: 100 }, (_, i) => ({
      id: randomUUID(),
      loginName: `bulk_${i}`,
      loginNameKey: `bulk_${i}`,
      email: `bulk.${i}@example.cn`,
      pendingEmail: null,
      emailVerifiedAt: now,
      mobile: '+8613800138000',
      contactPerson: '王芳',
      passwordHash: 'not-a-real-hash',
      role: 'user' as const,
      termsAcceptedAt: now,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    await kysely.insertInto('account').values(many).execute();
    const accounts = await kysely.selectFrom('account').select(['id', 'email']).execute();
    const memberId = accounts.find((a) => a.email === member.data.email)!.id;

    expect((await member.browser.post('/privacy/consent', { choice: 'accept-all', method: 'banner' })).statusCode).toBe(303);
    expect(await app.silkline.consent.hasConsent(memberId, 'analytics')).toBe(true);
    const visitor = new Browser(app);
    expect((await visitor.post('/privacy/consent', { choice: 'accept-all', method: 'banner' })).statusCode).toBe(303);
    const v1 = app.silkline.legal.statementVersion();

    const effectiveOn = shanghaiDay(8);
    expect((await officer.browser.post('/staff/legal/privacy/draft', editedPrivacy())).statusCode).toBe(303);
    const published = await officer.browser.post('/staff/legal/privacy/publish', { effectiveOn, material: 'on' });
    expect(published.statusCode).toBe(303);
    await app.silkline.legal.drain();

    // Every account gets one message, over real SMTP.
    const subject = `【丝路】《隐私政策》将于 ${effectiveOn} 作出重大变更`;
    const first = await sink.waitFor((m) => m.to.includes(member.data.email) && m.subject.startsWith(subject), 60_000);
    expect(first.text).toContain(`${t.config.publicUrl}/legal/privacy/compare?from=2&to=3`);
    expect(first.text).toContain('非必要用途');
    expect(first.text).toContain('Silkline is making a material change to its Privacy policy');
    await expect.poll(() => sink.received.filter((m) => m.subject.startsWith(subject)).length, { timeout: 60_000 }).toBe(accounts.length);
    expect(announceBatchSize).toBeLessThan(accounts.length);
    const recipients = sink.received.filter((m) => m.subject.startsWith(subject)).flatMap((m) => m.to);
    expect(new Set(recipients)).toEqual(new Set(accounts.map((a) => a.email)));
    const version = await kysely.selectFrom('legalVersion').select(['notifiedAt', 'effectiveAt']).where('number', '=', 3).where('document', '=', 'privacy').executeTakeFirstOrThrow();
    expect(version.notifiedAt).not.toBeNull();

    // Announced on every page until it takes effect; the old version applies meanwhile.
    for (const page of [await new Browser(app).get('/'), await member.browser.get('/account'), await new Browser(app).get('/legal')]) {
      expect(page.body).toContain('id="legal-change-banner"');
      expect(page.body).toContain(`新版本于 ${effectiveOn} 生效`);
      expect(page.body).toContain('href="/legal/privacy/compare?from=2&amp;to=3"');
    }
    expect(app.silkline.legal.statementVersion()).toBe(v1);
    expect(await app.silkline.consent.hasConsent(memberId, 'analytics')).toBe(true);
    expect((await visitor.get('/')).body).not.toContain('id="consent-banner"');

    // It takes effect.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.parse(version.effectiveAt) + 60_000));
    const home = await new Browser(app).get('/');
    expect(home.body).not.toContain('legal-change-banner');
    expect(app.silkline.legal.statementVersion()).not.toBe(v1);
    expect(await app.silkline.consent.hasConsent(memberId, 'analytics')).toBe(false);
    expect(await app.silkline.consent.hasConsent(memberId, 'necessary')).toBe(true);
    const state = (await member.browser.get('/api/consent')).json<{ decided: boolean; purposes: Record<string, boolean> }>();
    expect(state.decided).toBe(false);
    expect(state.purposes.analytics).toBe(false);
    const asked = await member.browser.get('/');
    expect(asked.body).toContain('id="consent-banner"');
    expect(asked.body).toContain(`《隐私政策》已于 ${effectiveOn} 作出重大变更`);
    expect(asked.body).toContain('class="consent-changed"');
    expect(asked.body).toContain('href="/legal/privacy/compare?from=2&amp;to=3"');
    // An anonymous browser's choice, kept in its cookie, is asked again too.
    const anonymous = await visitor.get('/');
    expect(anonymous.body).toContain('id="consent-banner"');
    expect((await visitor.get('/api/consent')).json<{ purposes: Record<string, boolean> }>().purposes.analytics).toBe(false);

    // The contract-based core keeps working: signing in and the account pages.
    expect((await member.browser.get('/account')).statusCode).toBe(200);
    const again = new Browser(app);
    expect((await again.post('/sign-in', { identifier: other.data.email, password: other.data.password })).statusCode).toBe(303);
    expect((await again.get('/account')).statusCode).toBe(200);

    // Confirming again restores the purposes, under the new version.
    expect((await member.browser.post('/privacy/consent', { choice: 'accept-all', method: 'banner' })).statusCode).toBe(303);
    expect(await app.silkline.consent.hasConsent(memberId, 'analytics')).toBe(true);
    const latest = await kysely.selectFrom('consentRecord').select('statementVersion').where('subject', '=', memberId).orderBy('createdAt', 'desc').executeTakeFirstOrThrow();
    expect(latest.statementVersion).toBe(app.silkline.legal.statementVersion());
    expect((await member.browser.get('/')).body).not.toContain('id="consent-banner"');
  });

});
