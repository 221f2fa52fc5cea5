import { describe, expect, it } from 'vitest';
import { makeProduct, signedIn, supplier, withAuth } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite();

/** A verified supplier with one published product, made through the real forms and services. */
async function shopWithProduct() {
  const owner = await withAuth(site.app, await supplier(site.app));
  const productId = await makeProduct(site.app, owner);
  return { companyId: owner.companyId, productId };
}

describe('a buyer follows a supplier and shares a product', () => {
  it('follows a company, finds it on the Following page, and shares a product by link, QR code and email', async () => {
    const { companyId, productId } = await shopWithProduct();
    const { browser: jar } = await signedIn(site.app, { contactPerson: '王芳' });
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.base });
    await context.addCookies([{ name: 'sid', value: jar.cookie('sid')!, url: site.base }]);
    const page = await context.newPage();
    const errors = collectScriptErrors(page);

    await page.goto(`${site.base}/following`);
    await expect.poll(() => page.locator('.empty-state').textContent()).toContain('您还没有关注任何公司');
    await checkPage(page, 'following-empty');

    await page.goto(`${site.base}/companies/${companyId}`);
    await expect.poll(() => page.locator('.social-actions .followers').textContent()).toBe('关注者：0');
    await checkPage(page, 'company-follow');
    await page.click('.social-actions form[action="/follows"] button[type="submit"]');
    await page.waitForURL(`${site.base}/companies/${companyId}#social-actions`);
    await expect.poll(() => page.locator('.social-actions .followers').textContent()).toBe('关注者：1');
    await expect.poll(() => page.locator('.social-actions').textContent()).toContain('您已关注此公司。');
    await checkPage(page, 'company-followed');

    await page.click('header a[href="/me"]');
    await page.waitForURL(`${site.base}/me`);
    await checkPage(page, 'my-silkline');
    await page.click('a[href="/following"]');
    await page.waitForURL(`${site.base}/following`);
    await expect.poll(() => page.locator(`.followed-list a[href="/companies/${companyId}"]`).count()).toBe(1);
    await checkPage(page, 'following-companies');

    await page.goto(`${site.base}/products/${productId}`);
    await page.click(`.social-actions a[href="/share?type=product&id=${productId}"]`);
    await page.waitForURL(`${site.base}/share?type=product&id=${productId}`);
    const link = await page.locator('#share-link').inputValue();
    expect(link).toMatch(new RegExp(`^${site.base}/products/${productId}\\?s=[A-Za-z0-9_-]{22}$`));
    await expect.poll(() => page.locator('.share-qr svg').isVisible()).toBe(true);
    // The island shows the copy button and copies the link to the clipboard.
    await page.click('button.share-copy');
    await expect.poll(() => page.locator('#share-copy-status').textContent()).toBe('链接已复制。');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await checkPage(page, 'share-product');

    await page.fill('#field-email', 'colleague@example.cn');
    await page.fill('#field-note', '这个灯适合我们的仓库。');
    await page.click('form[action="/share/email"] button[type="submit"]');
    await page.waitForURL(/done=emailed/);
    await expect.poll(() => page.locator('[role="status"]').first().textContent()).toContain('邮件已发送');
    await checkPage(page, 'share-emailed');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a visitor without JavaScript the link to copy by hand and the QR code', async () => {
    const { productId } = await shopWithProduct();
    const context = await site.browser.newContext({ locale: 'en', viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.base}/share?type=product&id=${productId}&lang=en`);
    expect(await page.locator('#share-link').inputValue()).toBe(`${site.base}/products/${productId}`);
    expect(await page.locator('button.share-copy').isVisible()).toBe(false);
    expect(await page.locator('.share-qr svg').isVisible()).toBe(true);
    expect(await page.locator('a[href^="/sign-in?next="]').last().textContent()).toBe('Sign in to email it to a colleague');
    await context.close();
    // axe runs as a script, so the accessibility check uses a context with JavaScript.
    const checked = await site.browser.newContext({ locale: 'en', viewport: { width: 390, height: 844 } });
    const again = await checked.newPage();
    await again.goto(`${site.base}/share?type=product&id=${productId}&lang=en`);
    await checkPage(again, 'share-visitor-mobile');
    await checked.close();
  });
});
