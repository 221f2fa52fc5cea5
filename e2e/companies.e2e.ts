import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { minimalPdf } from '../src/platform/storage/sample-files.js';
import { signedIn } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite();

/** A browser context signed in as a fresh, verified account (made through the real forms). */
async function contextFor(role?: 'reviewer'): Promise<{ context: BrowserContext; page: Page; name: string }> {
  const { browser: jar, data } = await signedIn(site.app, { contactPerson: role ? '审核员小周' : '李伟' });
  if (role) await site.app.silkline.accounts.setRole(data.loginName, role);
  const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'sid', value: jar.cookie('sid')!, url: site.base }]);
  return { context, page: await context.newPage(), name: data.contactPerson };
}

describe('a supplier gets verified and a buyer reaches them', () => {
  it('registers a company, uploads the licence, is verified by a reviewer, and shows contact details to a signed-in buyer', async () => {
    const supplier = await contextFor();
    const page = supplier.page;
    const errors = collectScriptErrors(page);

    await page.goto(`${site.base}/shop`);
    await checkPage(page, 'shop-empty');
    await page.click('a[href="/shop/new"]');
    await page.waitForURL(`${site.base}/shop/new`);
    await page.fill('#field-nameZh', '深圳光明照明科技有限公司');
    await page.fill('#field-nameEn', 'Shenzhen Guangming Lighting Technology Co., Ltd.');
    await page.fill('#field-creditCode', '9144030071526726xg');
    await page.selectOption('#field-provinceCode', '440000');
    // The city list is filled by the region island from the API.
    await expect.poll(() => page.locator('#field-cityCode option').count()).toBeGreaterThan(10);
    await page.selectOption('#field-cityCode', '440300');
    await expect.poll(() => page.locator('#field-districtCode option').count()).toBeGreaterThan(5);
    await page.selectOption('#field-districtCode', '440305');
    await page.fill('#field-street', '科技园南区 8 栋 501');
    await page.fill('#field-mainProducts', 'LED工矿灯，太阳能路灯');
    await page.fill('#field-description', '专业生产 LED 工业照明产品。');
    await page.fill('#field-phone', '0755-8888 6666 转 802');
    await checkPage(page, 'company-register');
    await page.click('form[action="/shop/new"] button[type="submit"]');
    await page.waitForURL(/\/shop\/[0-9a-f-]{36}\/verification$/);
    const companyPath = new URL(page.url()).pathname.replace('/verification', '');
    const companyId = companyPath.split('/')[2]!;
    await checkPage(page, 'company-verification');

    await page.setInputFiles('#field-licence', { name: '营业执照.pdf', mimeType: 'application/pdf', buffer: minimalPdf() });
    await page.click(`form[action="${companyPath}/licence"] button[type="submit"]`);
    await page.waitForURL(/done=licence/);
    await page.click(`form[action="${companyPath}/submit"] button[type="submit"]`);
    await page.waitForURL(/done=submitted/);
    await expect.poll(() => page.locator('[role="status"]').first().textContent()).toContain('已提交审核');

    await page.click('text=店铺管理-联系信息');
    await expect.poll(() => page.locator('#field-phone').inputValue()).toBe('0755-8888 6666 转 802');
    await checkPage(page, 'company-contact');

    const reviewer = await contextFor('reviewer');
    await reviewer.page.goto(`${site.base}/staff/reviews`);
    await checkPage(reviewer.page, 'review-queue');
    await reviewer.page.click(`a[href="/staff/reviews/${companyId}"]`);
    await checkPage(reviewer.page, 'review-company');
    await reviewer.page.check('input[name="checks"][value="licence"]');
    await reviewer.page.check('input[name="checks"][value="creditCode"]');
    await reviewer.page.click('form:has(input[name="decision"][value="approve"]) button[type="submit"]');
    await reviewer.page.waitForURL(`${site.base}/staff/reviews`);

    const buyer = await contextFor();
    await buyer.page.goto(`${site.base}/companies?verified=1`);
    await checkPage(buyer.page, 'directory');
    await buyer.page.click(`a[href="/companies/${companyId}"]`);
    await expect.poll(() => buyer.page.locator('.badge-verified').first().textContent()).toContain('已认证');
    await checkPage(buyer.page, 'company-profile');
    await buyer.page.click('text=查看联系方式');
    await expect.poll(() => buyer.page.locator('dl.contact').textContent()).toContain('0755');
    await checkPage(buyer.page, 'company-contact-revealed');

    expect(errors).toEqual([]);
    for (const c of [supplier, reviewer, buyer]) await c.context.close();
  });
});
