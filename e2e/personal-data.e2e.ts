import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { supplier } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite();

describe('a person downloads what Silkline keeps about them', () => {
  it('sees the summary, is refused with a wrong password, then downloads the JSON copy', async () => {
    const member = await supplier(site.app);
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await context.addCookies([{ name: 'sid', value: member.browser.cookie('sid')!, url: site.base }]);
    const page = await context.newPage();
    const errors = collectScriptErrors(page);

    await page.goto(`${site.base}/account`);
    await page.click('nav.side-nav a[href="/account/personal-data"]');
    await page.waitForURL(`${site.base}/account/personal-data`);
    await expect.poll(() => page.locator('tr[data-provider="companies"] th').textContent()).toBe('公司信息与营业执照');
    await checkPage(page, 'personal-data');

    await page.fill('#field-password', 'not-the-password');
    await page.click('form[action="/account/personal-data/download"] button[type="submit"]');
    await expect.poll(() => page.locator('#field-password-error').textContent()).toContain('当前密码不正确');
    await checkPage(page, 'personal-data-wrong-password');

    await page.fill('#field-password', member.data.password);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('form[action="/account/personal-data/download"] button[type="submit"]')]);
    expect(download.suggestedFilename()).toMatch(/^silkline-personal-data-\d{4}-\d{2}-\d{2}\.json$/);
    const copy = JSON.parse(await readFile(await download.path(), 'utf8')) as { records: { accounts: { account: { email: string }[] } } };
    expect(copy.records.accounts.account[0]!.email).toBe(member.data.email);
    expect(errors).toEqual([]);
    await context.close();
  });
});
