import { describe, expect, it } from 'vitest';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite();

describe('cookie consent in a real browser', () => {
  it('sets only necessary cookies before a choice, hides the banner after accept all, and deletes a withdrawn purpose’s cookie', async () => {
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const scriptErrors = collectScriptErrors(page);

    for (const path of ['/', '/companies', '/legal']) {
      await page.goto(`${site.base}${path}`);
      await expect.poll(() => page.locator('#consent-banner').isVisible()).toBe(true);
    }
    // The banner is a form, so its CSRF cookie is the only one; no consent id before a choice.
    const before = (await context.cookies()).map((c) => c.name);
    expect(before.filter((name) => name !== '_csrf')).toEqual([]);
    await checkPage(page, 'consent-banner');

    await page.click('#consent-banner >> text=全部接受');
    await expect.poll(() => page.locator('#consent-banner').isVisible()).toBe(false);
    const after = await context.cookies();
    expect(after.find((c) => c.name === 'consent')?.value).toMatch(/\.p1a1n1m1s1$/);
    expect(after.some((c) => c.name === 'consent_id')).toBe(true);
    await page.reload();
    expect(await page.locator('#consent-banner').count()).toBe(0);

    // An analytics cookie as a beacon would set it, so its deletion can be seen.
    await page.evaluate(() => {
      document.cookie = 'sl_an=visitor-1; path=/; max-age=3600';
    });
    expect((await context.cookies()).some((c) => c.name === 'sl_an')).toBe(true);
    await page.click('footer >> text=Cookie 与隐私设置');
    await page.waitForURL(`${site.base}/privacy/settings`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Cookie 与隐私设置');
    await expect.poll(() => page.locator('#settings-analytics').isChecked()).toBe(true);
    await checkPage(page, 'consent-settings');
    await page.uncheck('#settings-analytics');
    await page.click('#consent-settings button[type="submit"]');
    await page.waitForURL(`${site.base}/privacy/settings?saved=1`);
    await expect.poll(() => page.locator('.notice-success').textContent()).toBe('您的选择已保存。');
    await expect.poll(() => page.locator('#settings-analytics').isChecked()).toBe(false);
    const withdrawn = await context.cookies();
    expect(withdrawn.some((c) => c.name === 'sl_an')).toBe(false);
    expect(withdrawn.find((c) => c.name === 'consent')?.value).toMatch(/\.p1a0n1m1s1$/);

    await page.click('text=我的同意记录');
    await page.waitForURL(`${site.base}/privacy/consents`);
    await expect.poll(() => page.locator('table.data tbody tr').count()).toBe(10);
    await checkPage(page, 'consent-history');
    expect(scriptErrors).toEqual([]);
    await context.close();
  });

  it('treats analytics as refused for a browser that sends Sec-GPC: 1', async () => {
    const context = await site.browser.newContext({ locale: 'zh-CN', extraHTTPHeaders: { 'Sec-GPC': '1' } });
    const page = await context.newPage();
    const scriptErrors = collectScriptErrors(page);
    await page.goto(`${site.base}/`);
    expect(await page.locator('#consent-banner').count()).toBe(0);
    const state = await page.evaluate(async () => (await fetch('/api/consent')).json() as Promise<{ gpc: boolean; purposes: Record<string, boolean> }>);
    expect(state.gpc).toBe(true);
    expect(state.purposes.analytics).toBe(false);
    await page.goto(`${site.base}/privacy/settings`);
    await expect.poll(() => page.locator('.notice-info').textContent()).toContain('全球隐私控制');
    await checkPage(page, 'consent-settings-gpc');
    expect(scriptErrors).toEqual([]);
    await context.close();
  });
});
