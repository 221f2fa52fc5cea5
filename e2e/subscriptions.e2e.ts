import { describe, expect, it } from 'vitest';
import { makeProduct, signedIn, supplier, withAuth } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite();

/** A verified supplier with one published product, made through the real forms and services. */
async function shopWithProduct() {
  const owner = await withAuth(site.app, await supplier(site.app));
  const productId = await makeProduct(site.app, owner);
  return { productId };
}

describe('a buyer subscribes to a search', () => {
  it('subscribes from the search page, finds the subscription under 我的订阅 and sees its products', async () => {
    const { productId } = await shopWithProduct();
    const { browser: jar } = await signedIn(site.app, { contactPerson: '王芳' });
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'sid', value: jar.cookie('sid')!, url: site.base }]);
    const page = await context.newPage();
    const errors = collectScriptErrors(page);

    await page.goto(`${site.base}/subscriptions`);
    await expect.poll(() => page.locator('.empty-state').textContent()).toContain('您还没有订阅');
    await checkPage(page, 'subscriptions-empty');

    await page.goto(`${site.base}/search?q=${encodeURIComponent('工矿灯')}&province=440000`);
    await page.click('form.subscribe-search button[type="submit"]');
    await page.waitForURL(/\/subscriptions\/new\?/);
    expect(await page.locator('#field-keyword').inputValue()).toBe('工矿灯');
    expect(await page.locator('#field-province').inputValue()).toBe('440000');
    await expect.poll(() => page.locator('#subscription-notice [data-category="subscriptions.criteria"]').count()).toBe(1);
    await checkPage(page, 'subscription-form');

    await page.check('#field-frequency-daily');
    await page.click('#subscription-form button[type="submit"]');
    await page.waitForURL(`${site.base}/subscriptions?done=created`);
    await expect.poll(() => page.locator('[role="status"]').first().textContent()).toContain('订阅已创建');
    await expect.poll(() => page.locator('.subscription-item').count()).toBe(1);
    await checkPage(page, 'subscriptions-list');

    await page.click('.subscription-item .subscription-title a');
    await page.waitForURL(/\/subscriptions\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator(`.product-grid a[href="/products/${productId}"]`).count()).toBeGreaterThan(0);
    await checkPage(page, 'subscription-matches');

    await page.click('header a[href="/me"]');
    await page.waitForURL(`${site.base}/me`);
    await page.click('a[href="/subscriptions"]');
    await page.waitForURL(`${site.base}/subscriptions`);
    await expect.poll(() => page.locator('.subscription-item').textContent()).toContain('暂无新产品');

    expect(errors).toEqual([]);
    await context.close();
  });
});
