import { describe, expect, it } from 'vitest';
import { signedIn } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite , signInThrough } from './browser.js';

const site = useSite();

describe('surveys in a real browser', () => {
  it('lets an administrator write and open a survey, and a person consent, answer and see the results counted', async () => {
    const staff = await signedIn(site.app);
    await site.app.silkline.accounts.setRole(staff.data.loginName, 'admin');
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectScriptErrors(page);
    await signInThrough(page, site.base, staff.data.email, staff.data.password);

    await page.goto(`${site.base}/staff/surveys`);
    await page.click('main >> text=新建问卷');
    await page.fill('#field-titleZh', '平台使用体验');
    await page.fill('#field-titleEn', 'Your experience of Silkline');
    await page.fill('#field-introZh', '两分钟即可完成。');
    await page.fill('#field-introEn', 'It takes two minutes.');
    await checkPage(page, 'surveys-staff-new');
    await page.click('main form button[type="submit"]');
    await page.waitForURL(/\/staff\/surveys\/[0-9a-f-]{36}\?done=created/);
    const surveyPath = new URL(page.url()).pathname;

    await page.selectOption('#question-add #field-kind', 'single');
    await page.fill('#question-add #field-promptZh', '您从事哪类业务？');
    await page.fill('#question-add #field-promptEn', 'What is your business?');
    await page.check('#question-add input[name="isRequired"]');
    await page.fill('#question-add #field-optionsZh', '采购\n供应\n两者都有');
    await page.fill('#question-add #field-optionsEn', 'Buying\nSupplying\nBoth');
    await page.click('#question-add button[type="submit"]');
    await page.waitForURL(`${site.base}${surveyPath}?done=saved`);
    await page.selectOption('#question-add #field-kind', 'rating');
    await page.fill('#question-add #field-promptZh', '您对丝路的总体评价');
    await page.fill('#question-add #field-promptEn', 'Your overall rating of Silkline');
    await page.click('#question-add button[type="submit"]');
    await page.waitForURL(`${site.base}${surveyPath}?done=saved`);
    await expect.poll(() => page.locator('[data-question-id]').count()).toBe(2);
    await checkPage(page, 'surveys-staff-draft');
    await page.click(`form[action="${surveyPath}/open"] button`);
    await page.waitForURL(`${site.base}${surveyPath}?done=opened`);
    await expect.poll(() => page.locator('main').textContent()).toContain('问题已锁定');

    const person = await signedIn(site.app);
    const other = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const personPage = await other.newPage();
    const personErrors = collectScriptErrors(personPage);
    await signInThrough(personPage, site.base, person.data.email, person.data.password);
    await personPage.goto(`${site.base}/surveys`);
    await personPage.click('main >> text=平台使用体验');
    await expect.poll(() => personPage.locator('#survey-consent').isVisible()).toBe(true);
    await checkPage(personPage, 'surveys-consent-needed');
    await personPage.click('#survey-consent button[type="submit"]');
    await personPage.waitForURL(/done=consented/);
    await expect.poll(() => personPage.locator('#survey-notice [data-category="survey.responses"]').isVisible()).toBe(true);
    await checkPage(personPage, 'surveys-form');

    // Sent without the required answers first: the page says which, and keeps the form.
    await personPage.click('#survey-form button[type="submit"]');
    await expect.poll(() => personPage.locator('.error-text').count()).toBeGreaterThan(0);
    await personPage.check('#survey-form label:has-text("供应") input');
    await personPage.check('#survey-form label:has-text("4（较好）") input');
    await personPage.click('#survey-form button[type="submit"]');
    await personPage.waitForURL(/done=answered/);
    await expect.poll(() => personPage.locator('#own-response-title').isVisible()).toBe(true);
    await checkPage(personPage, 'surveys-own-response');

    await page.goto(`${site.base}${surveyPath}/results`);
    await expect.poll(() => page.locator('#response-count').textContent()).toBe('共收到 1 份回答');
    await expect.poll(() => page.locator('.survey-average').textContent()).toBe('平均分：4.0');
    await checkPage(page, 'surveys-results');
    expect(errors).toEqual([]);
    expect(personErrors).toEqual([]);
    await other.close();
    await context.close();
  });
});
