import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { linkIn } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite({ mail: true });

const person = {
  loginName: `li_wei_${Date.now().toString(36)}`,
  email: `li.wei.${Date.now().toString(36)}@example.cn`,
  password: 'vermilion teapot orbit 42',
  newPassword: 'copper lantern river 2027',
};

async function signIn(page: Page, identifier: string, password: string) {
  await page.goto(`${site.base}/sign-in`);
  await page.fill('#field-identifier', identifier);
  await page.fill('#field-password', password);
  await page.click('form[action="/sign-in"] button[type="submit"]');
}

async function signOut(page: Page) {
  await page.click('form[action="/sign-out"] button');
  await page.waitForURL(`${site.base}/`);
  await expect.poll(() => page.locator('header').textContent()).toContain('登录');
}

describe('an account from registration to a new password', () => {
  it('registers, verifies the email, signs in both ways, edits basic information and changes the password', async () => {
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const scriptErrors = collectScriptErrors(page);

    const home = await page.goto(site.base);
    // The strength meter below proves its script loads under this policy, not around it.
    expect(home?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => page.locator('h1').textContent()).toBe('丝路：可信的 B2B 外贸平台');
    await checkPage(page, 'home');

    await page.click('header >> text=免费注册');
    await page.waitForURL(`${site.base}/register`);
    await page.fill('#field-loginName', person.loginName);
    await page.fill('#field-email', person.email);
    await page.fill('#field-mobile', '13800138000');
    await page.fill('#field-contactPerson', '李伟');
    await page.fill('#field-password', 'password1');
    await expect.poll(() => page.locator('[data-strength-for="field-password"] meter').evaluate((m: HTMLMeterElement) => m.value)).toBeLessThan(3);
    await page.fill('#field-password', person.password);
    // The strength meter is a client island: it only moves if its script loaded under the CSP.
    await expect.poll(() => page.locator('[data-strength-for="field-password"] meter').evaluate((m: HTMLMeterElement) => m.value)).toBeGreaterThanOrEqual(3);
    await page.check('#field-acceptTerms');
    await checkPage(page, 'register-filled');
    await page.click('#register-form button[type="submit"]');
    await page.waitForURL(`${site.base}/register/sent`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('请查收验证邮件');
    await checkPage(page, 'register-sent');

    const mail = await site.sink.waitFor((m) => m.to.includes(person.email));
    expect(mail.subject).toContain('验证');
    await page.goto(`${site.base}${linkIn(mail.text, '/verify-email?token=')}`);
    await checkPage(page, 'verify-email');
    await page.click('form[action="/verify-email"] button');
    await expect.poll(() => page.locator('h1').textContent()).toBe('邮箱已验证');

    await signIn(page, person.email, person.password);
    await page.waitForURL(`${site.base}/account`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('个人信息-基本信息');
    await expect.poll(() => page.locator('#field-contactPerson').inputValue()).toBe('李伟');
    await checkPage(page, 'account');
    await signOut(page);

    await signIn(page, person.loginName.toUpperCase(), person.password);
    await page.waitForURL(`${site.base}/account`);
    await page.fill('#field-contactPerson', '李伟明');
    await page.fill('#field-mobile', '+86 139 0013 9000');
    await page.click('form[action="/account"] button[type="submit"]');
    await page.waitForURL(`${site.base}/account?saved=1`);
    await expect.poll(() => page.locator('.notice-success').textContent()).toContain('已保存');
    await expect.poll(() => page.locator('#field-contactPerson').inputValue()).toBe('李伟明');
    await expect.poll(() => page.locator('#field-mobile').inputValue()).toBe('+8613900139000');
    await checkPage(page, 'account-saved');

    await page.click('nav >> text=我的设备');
    await expect.poll(() => page.locator('table.data tbody tr').count()).toBe(1);
    await expect.poll(() => page.locator('table.data').textContent()).toContain('当前设备');
    await checkPage(page, 'sessions');

    await page.click('nav >> text=修改密码');
    await page.fill('#field-currentPassword', person.password);
    await page.fill('#field-newPassword', person.newPassword);
    await page.click('form[action="/account/password"] button[type="submit"]');
    await page.waitForURL(`${site.base}/account/password?saved=1`);
    await expect.poll(() => page.locator('.notice-success').textContent()).toContain('密码已修改');
    await checkPage(page, 'password-changed');
    await signOut(page);

    await signIn(page, person.email, person.password);
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toBe('账户或密码不正确。');
    await signIn(page, person.email, person.newPassword);
    await page.waitForURL(`${site.base}/account`);
    await expect.poll(() => page.locator('header').textContent()).toContain('李伟明');
    expect(scriptErrors).toEqual([]);
    await context.close();
  });

  it('switches to English with one click and keeps the choice', async () => {
    const context = await site.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const scriptErrors = collectScriptErrors(page);
    await page.goto(`${site.base}/sign-in`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('登录');
    await page.click('header >> text=English');
    await page.waitForURL(`${site.base}/sign-in`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in');
    await page.goto(`${site.base}/register`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Join free');
    await checkPage(page, 'register-english');
    expect(scriptErrors).toEqual([]);
    await context.close();
  });

  it('explains a wrong password and empty fields where they are', async () => {
    const context = await site.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const scriptErrors = collectScriptErrors(page);
    await signIn(page, person.email, 'not the right password at all');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toBe('账户或密码不正确。');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await checkPage(page, 'sign-in-refused');

    await page.goto(`${site.base}/register`);
    await page.click('#register-form button[type="submit"]');
    await expect.poll(() => page.locator('#field-loginName').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('#field-loginName-error').textContent()).toBe('此项为必填项。');
    await expect.poll(() => page.locator('#field-acceptTerms-error').isVisible()).toBe(true);
    await checkPage(page, 'register-errors');
    expect(scriptErrors).toEqual([]);
    await context.close();
  });
});
