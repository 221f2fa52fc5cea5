import { describe, expect, it } from 'vitest';
import { png } from '../src/platform/storage/sample-files.js';
import { supplier } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite();

describe('a supplier publishes a product and a buyer finds it', () => {
  it('publishes through the forms, then a visitor finds it by a two-character Chinese word and by English, and opens it', async () => {
    const owner = await supplier(site.app);
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'sid', value: owner.browser.cookie('sid')!, url: site.base }]);
    const page = await context.newPage();
    const errors = collectScriptErrors(page);

    await page.goto(`${site.base}/shop/${owner.companyId}/products`);
    await checkPage(page, 'products-empty');
    await page.click(`a[href="/shop/${owner.companyId}/products/new"]`);
    await page.selectOption('#field-categoryId', 'lighting.led-high-bay');
    await checkPage(page, 'product-category');
    await page.click('form[method="get"][action$="/products/new"] button[type="submit"]');
    await page.waitForURL(/categoryId=lighting\.led-high-bay/);
    await page.fill('#field-titleZh', '不锈钢外壳 LED工矿灯 100W 防水灯具');
    await page.fill('#field-titleEn', 'Stainless steel LED high bay light 100W');
    await page.fill('#field-moq', '50');
    await page.fill('#field-tier1Qty', '50');
    await page.fill('#field-tier1Price', '12.50');
    await page.fill('#field-tier2Qty', '500');
    await page.fill('#field-tier2Price', '10.80');
    await page.check('#field-incoterm-FOB');
    await page.fill('#field-description', '铝合金散热，5 年质保。');
    await checkPage(page, 'product-form');
    await page.click(`form[action="/shop/${owner.companyId}/products/new"] button[type="submit"]`);
    await page.waitForURL(/\/products\/[0-9a-f-]{36}\?done=saved$/);
    const productId = /\/products\/([0-9a-f-]{36})/.exec(page.url())![1]!;

    await page.setInputFiles('#field-images', { name: '工矿灯.png', mimeType: 'image/png', buffer: await png() });
    await page.click(`form[action$="/products/${productId}/images"] button[type="submit"]`);
    await page.waitForURL(/done=saved/);
    await expect.poll(() => page.locator('.image-grid img').count()).toBe(1);
    await page.click(`form[action$="/products/${productId}/publish"] button[type="submit"]`);
    await page.waitForURL(/done=published/);
    await checkPage(page, 'product-published');

    const visitor = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const buyer = await visitor.newPage();
    const buyerErrors = collectScriptErrors(buyer);
    await buyer.goto(site.base);
    await buyer.fill('#site-search', '灯具');
    await buyer.press('#site-search', 'Enter');
    await buyer.waitForURL(/\/search\?q=/);
    await expect.poll(() => buyer.locator(`a[href="/products/${productId}"]`).count()).toBeGreaterThan(0);
    await expect.poll(() => buyer.locator('mark').first().textContent()).toBe('灯具');
    await checkPage(buyer, 'search-chinese');

    await buyer.goto(`${site.base}/search?q=${encodeURIComponent('high bay lights')}`);
    await expect.poll(() => buyer.locator(`a[href="/products/${productId}"]`).count()).toBeGreaterThan(0);
    await checkPage(buyer, 'search-english');
    await buyer.locator(`a[href="/products/${productId}"]`).first().click();
    await buyer.waitForURL(`${site.base}/products/${productId}`);
    await expect.poll(() => buyer.locator('h1').textContent()).toContain('LED工矿灯');
    await checkPage(buyer, 'product-page');

    await buyer.goto(`${site.base}/search?q=${encodeURIComponent('"(AND OR 不存在的东西')}`);
    await checkPage(buyer, 'search-nothing');

    expect(errors).toEqual([]);
    expect(buyerErrors).toEqual([]);
    await context.close();
    await visitor.close();
  });
});
