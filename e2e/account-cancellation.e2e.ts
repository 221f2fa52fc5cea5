import { describe, expect, it } from 'vitest';
import { supplier } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite();

describe('a person cancels their account', () => {
  it('finds 注销账号 on 我的丝路, reads what happens, is held back by the box, then cancels', async () => {
    const member = await supplier(site.app);
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'sid', value: member.browser.cookie('sid')!, url: site.base }]);
    const page = await context.newPage();
    const errors = collectScriptErrors(page);

    await page.goto(`${site.base}/me`);
    await page.click('a[href="/account/cancel"]');
    await page.waitForURL(`${site.base}/account/cancel`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('注销账号');
    await expect.poll(() => page.locator(`li[data-closing="${member.companyId}"]`).count()).toBe(1);
    await checkPage(page, 'account-cancel');

    // The form is not sent without the box ticked; the server says why.
    await page.fill('#field-password', member.data.password);
    await page.locator('#field-confirm').evaluate((box) => box.removeAttribute('required'));
    await page.click('form[action="/account/cancel"] button[type="submit"]');
    await expect.poll(() => page.locator('#field-confirm-error').textContent()).toContain('请勾选确认');
    await checkPage(page, 'account-cancel-unconfirmed');

    await page.fill('#field-password', member.data.password);
    await page.check('#field-confirm');
    await page.click('form[action="/account/cancel"] button[type="submit"]');
    await page.waitForURL(`${site.base}/account/cancelled`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('账号已注销');
    await checkPage(page, 'account-cancelled');
    expect((await context.cookies(site.base)).find((c) => c.name === 'sid')).toBeUndefined();

    // Signed out for good: 我的丝路 asks to sign in again.
    await page.goto(`${site.base}/me`);
    await page.waitForURL(/\/sign-in\?next=/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
