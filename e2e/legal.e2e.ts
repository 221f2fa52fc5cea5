import { describe, expect, it } from 'vitest';
import { signedIn } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite , signInThrough } from './browser.js';

const site = useSite({ mail: true });

/** A day from today in Asia/Shanghai, as the date input wants it. */
function shanghaiDay(offsetDays: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

describe('legal documents in a real browser', () => {
  it('lets a visitor read the statement in effect, its archive and a stored version', async () => {
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectScriptErrors(page);

    await page.goto(`${site.base}/`);
    await page.click('footer >> text=法律声明');
    await page.waitForURL(`${site.base}/legal`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('隐私政策');
    await expect.poll(() => page.locator('#data-account-contact').isVisible()).toBe(true);
    await checkPage(page, 'legal-current');

    await page.click('main >> text=历史版本');
    await page.waitForURL(`${site.base}/legal/privacy/versions`);
    await expect.poll(() => page.locator('tr[data-version="1"]').isVisible()).toBe(true);
    await checkPage(page, 'legal-archive');

    await page.click('tr[data-version="1"] >> text=English');
    await page.waitForURL(`${site.base}/legal/privacy/v1.en.html`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Privacy policy');
    // The stored page's own stylesheet applies (its address never changes).
    await expect.poll(() => page.locator('.legal-site').evaluate((el) => getComputedStyle(el).fontWeight)).toBe('600');
    await checkPage(page, 'legal-stored-version');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets a privacy officer edit, preview and publish a material change that every page then announces', async () => {
    const officer = await signedIn(site.app);
    await site.app.silkline.accounts.setRole(officer.data.loginName, 'privacy-officer');
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectScriptErrors(page);
    await signInThrough(page, site.base, officer.data.email, officer.data.password);

    await page.goto(`${site.base}/staff/legal`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('法律文件管理');
    await checkPage(page, 'legal-staff');
    await page.click('[data-document="privacy"] >> text=编辑草稿');
    await page.waitForURL(`${site.base}/staff/legal/privacy`);
    const zh = await page.inputValue('#field-textZh');
    await page.fill('#field-textZh', zh.replace('用于统计访问量、邮件打开情况和转化情况。', '用于统计访问量和邮件打开情况。'));
    const en = await page.inputValue('#field-textEn');
    await page.fill('#field-textEn', en.replace('used to count visits, email opens and conversions.', 'used to count visits and email opens.'));
    await checkPage(page, 'legal-edit');
    await page.click('#legal-draft-form button[type="submit"]');
    await page.waitForURL(`${site.base}/staff/legal/privacy/preview?saved=1`);
    await expect.poll(() => page.locator('[data-status="changed"]').count()).toBe(1);
    await checkPage(page, 'legal-preview');

    // Too soon for a material change: refused with the earliest date allowed.
    await page.fill('#field-effectiveOn', shanghaiDay(2));
    await page.check('#field-material');
    await page.click('#legal-publish-form button[type="submit"]');
    await page.waitForURL(`${site.base}/staff/legal/privacy/publish`);
    await expect.poll(() => page.locator('.notice-error').textContent()).toContain('重大变更至少须在发布 7 天后生效');

    const effectiveOn = shanghaiDay(9);
    await page.fill('#field-effectiveOn', effectiveOn);
    await page.check('#field-material');
    await expect.poll(() => page.inputValue('#field-effectiveOn')).toBe(effectiveOn);
    await page.click('#legal-publish-form button[type="submit"]');
    await page.waitForURL(`${site.base}/staff/legal?document=privacy&published=2`);
    await expect.poll(() => page.locator('.notice-success').textContent()).toBe('《隐私政策》第 2 版已发布。');

    await page.goto(`${site.base}/`);
    await expect.poll(() => page.locator('#legal-change-banner').textContent()).toContain(effectiveOn);
    await checkPage(page, 'legal-change-banner');
    await page.click('#legal-change-banner >> text=查看变更内容');
    await page.waitForURL(`${site.base}/legal/privacy/compare?from=1&to=2`);
    await expect.poll(() => page.locator('.legal-diff del').first().textContent()).toBe('、');
    await checkPage(page, 'legal-compare');
    await site.sink.waitFor((m) => m.to.includes(officer.data.email) && m.subject.includes('重大变更'));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('tells a person at registration what is collected and why', async () => {
    const context = await site.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${site.base}/register`);
    await expect.poll(() => page.locator('#jit-notice [data-category="account.contact"]').textContent()).toContain('Account contact details');
    await page.click('#jit-notice a[href="/legal#data-account-contact"]');
    await expect.poll(() => page.url()).toBe(`${site.base}/legal#data-account-contact`);
    await expect.poll(() => page.locator('#data-account-contact').isVisible()).toBe(true);
    await context.close();
  });
});
