import { describe, expect, it } from 'vitest';
import { signedIn } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite , signInThrough } from './browser.js';

const site = useSite({ mail: true });

describe('a security incident notice in a real browser', () => {
  it('lets a privacy officer draft, preview and publish it, tells the affected person, and a visitor reads it', async () => {
    const officer = await signedIn(site.app);
    await site.app.silkline.accounts.setRole(officer.data.loginName, 'privacy-officer');
    const affected = await signedIn(site.app);
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectScriptErrors(page);
    await signInThrough(page, site.base, officer.data.email, officer.data.password);

    await page.goto(`${site.base}/staff`);
    await page.click('main a[href="/staff/incidents"]');
    await page.waitForURL(`${site.base}/staff/incidents`);
    await checkPage(page, 'incidents-staff-empty');
    await page.click('main >> text=新建事件告知');
    await page.fill('#field-titleZh', '部分账户联系方式可能泄露');
    await page.fill('#field-titleEn', 'Contact details of some accounts may have leaked');
    await page.fill('#field-summaryZh', '我们发现一个导出接口在未授权的情况下可被访问。');
    await page.fill('#field-summaryEn', 'We found that an export endpoint could be reached without authorisation.');
    await page.fill('#field-foundOn', '2025-11-20');
    await page.check('input[name="categories"][value="account.contact"]');
    await page.fill('#field-consequencesZh', '您可能收到冒充丝路的诈骗电话。');
    await page.fill('#field-consequencesEn', 'You may receive scam calls pretending to be Silkline.');
    await page.fill('#field-measuresZh', '我们已关闭该接口。');
    await page.fill('#field-measuresEn', 'We closed the endpoint.');
    await page.fill('#field-selfHelpZh', '请警惕索要验证码的来电。');
    await page.fill('#field-selfHelpEn', 'Beware of calls asking for codes.');
    await page.check('input[name="scope"][value="listed"]');
    // One unknown name first: the page names it and keeps what was typed.
    await page.fill('#field-accounts', `${affected.data.loginName}\nno_such_person`);
    await page.click('#incident-form button[type="submit"]');
    await expect.poll(() => page.locator('.notice-error').textContent()).toContain('no_such_person');
    await checkPage(page, 'incidents-staff-unknown-account');
    await page.fill('#field-accounts', affected.data.email);
    await page.click('#incident-form button[type="submit"]');
    await page.waitForURL(/\/staff\/incidents\/[0-9a-f-]{36}\?done=created/);
    const incidentPath = new URL(page.url()).pathname;

    await page.click(`a[href="${incidentPath}/preview"]`);
    await page.waitForURL(`${site.base}${incidentPath}/preview`);
    await expect.poll(() => page.locator('#incident-affected').textContent()).toContain('将告知 1 个指定账户');
    await checkPage(page, 'incidents-staff-preview');
    await page.click(`form[action="${incidentPath}/publish"] button`);
    await page.waitForURL(`${site.base}${incidentPath}?done=published`);
    await site.app.silkline.incidents.drainNotices();
    await page.reload();
    await expect.poll(() => page.locator('#delivery-progress').getAttribute('data-told')).toBe('1');
    await checkPage(page, 'incidents-staff-published');
    const mail = await site.sink.waitFor((m) => m.to.includes(affected.data.email) && m.subject.includes('个人信息安全事件告知'));
    expect(mail.text).toContain(`${site.base}/announcements/`);

    const visitor = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const visitorPage = await visitor.newPage();
    const visitorErrors = collectScriptErrors(visitorPage);
    await visitorPage.goto(site.base);
    await visitorPage.click('footer a[href="/announcements"]');
    await visitorPage.waitForURL(`${site.base}/announcements`);
    await checkPage(visitorPage, 'announcements-list');
    await visitorPage.click('main >> text=部分账户联系方式可能泄露');
    await expect.poll(() => visitorPage.locator('#incident-measures').isVisible()).toBe(true);
    await expect.poll(() => visitorPage.locator('main').textContent()).toContain('我们已关闭该接口。');
    await checkPage(visitorPage, 'announcement-zh');
    await visitorPage.goto(`${visitorPage.url()}?lang=en`);
    await expect.poll(() => visitorPage.locator('main').textContent()).toContain('We closed the endpoint.');
    await checkPage(visitorPage, 'announcement-en');

    expect(errors).toEqual([]);
    expect(visitorErrors).toEqual([]);
    await context.close();
    await visitor.close();
  });
});
