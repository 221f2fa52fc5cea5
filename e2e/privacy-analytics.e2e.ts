import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signedIn } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite();

/** Every beacon the context's pages send, as the form body each carried. */
function watchBeacons(context: BrowserContext): URLSearchParams[] {
  const sent: URLSearchParams[] = [];
  context.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/beacon') sent.push(new URLSearchParams(request.postData() ?? ''));
  });
  return sent;
}

/** Opens a page and waits until its scripts ran and the network is quiet. */
async function browse(page: Page, path: string): Promise<void> {
  await page.goto(`${site.base}${path}`);
  await page.waitForLoadState('networkidle');
}

/** The cookies that are not necessary ones: the session, the CSRF secret, the language and the consent choice itself. */
async function nonEssentialCookies(context: BrowserContext): Promise<string[]> {
  const necessary = new Set(['_csrf', 'sid', 'lang', 'consent', 'consent_id']);
  return (await context.cookies()).map((c) => c.name).filter((name) => !necessary.has(name));
}

function viewsOf(path: string) {
  return site.app.silkline.db.kysely.selectFrom('analyticsPageCount').select('views').where('path', '=', path).execute();
}

function visitsOf(visitId: string) {
  return site.app.silkline.db.kysely.selectFrom('analyticsVisit').selectAll().where('visitId', '=', visitId).execute();
}

describe('consent-gated analytics in a real browser', () => {
  it('sends no beacon before a choice, counts pages once analytics is accepted, and stops and forgets after withdrawing', async () => {
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const beacons = watchBeacons(context);
    const page = await context.newPage();
    const scriptErrors = collectScriptErrors(page);

    // 1. A fresh visitor browses: the island is on every page, but the gate keeps it idle.
    for (const path of ['/', '/companies', '/legal']) {
      await browse(page, path);
      expect(await page.locator('body').getAttribute('data-consent')).toBe('necessary');
      expect(await page.locator('script[src*="/assets/analytics."]').count()).toBe(1);
    }
    expect(beacons).toHaveLength(0);
    expect(await nonEssentialCookies(context)).toEqual([]);
    expect(await viewsOf('/companies')).toEqual([]);
    await checkPage(page, 'analytics-before-choice');

    // 2. Accepting on the banner starts counting at once, on this very page, without a reload.
    await page.click('#consent-banner >> text=全部接受');
    await expect.poll(() => page.locator('#consent-banner').isVisible()).toBe(false);
    await expect.poll(() => beacons.length).toBe(1);
    expect(beacons[0]!.get('path')).toBe('/legal');
    expect(await page.locator('body').getAttribute('data-consent')).toContain('analytics');
    const visitCookie = (await context.cookies()).find((c) => c.name === 'sl_an');
    expect(visitCookie?.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // At most 12 months.
    expect(visitCookie!.expires * 1000 - Date.now()).toBeLessThanOrEqual(366 * 86_400_000);
    expect(visitCookie!.httpOnly).toBe(false);

    // Followed through a link, so the page it came from is counted too.
    await page.click('header a[href="/companies"]');
    await page.waitForURL(`${site.base}/companies`);
    await expect.poll(() => beacons.length).toBe(2);
    expect(beacons[1]!.get('path')).toBe('/companies');
    expect(beacons[1]!.get('ref')).toBe('/legal');
    await expect.poll(async () => (await viewsOf('/companies')).length).toBe(1);
    await expect.poll(async () => (await visitsOf(visitCookie!.value)).length).toBe(2);
    await checkPage(page, 'analytics-accepted');

    // 3. Withdrawing on the settings page: the cookie goes, the visit events go, beacons stop.
    await page.click('footer >> text=Cookie 与隐私设置');
    await page.waitForURL(`${site.base}/privacy/settings`);
    await expect.poll(() => beacons.length).toBe(3);
    await page.uncheck('#settings-analytics');
    await page.click('#consent-settings button[type="submit"]');
    await page.waitForURL(`${site.base}/privacy/settings?saved=1`);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('body').getAttribute('data-consent')).not.toContain('analytics');
    expect((await context.cookies()).some((c) => c.name === 'sl_an')).toBe(false);
    expect(await visitsOf(visitCookie!.value)).toEqual([]);
    await checkPage(page, 'analytics-withdrawn');

    for (const path of ['/', '/companies', '/legal']) await browse(page, path);
    expect(beacons).toHaveLength(3);
    expect(await nonEssentialCookies(context)).toEqual([]);
    expect(scriptErrors).toEqual([]);
    await context.close();
  });

  it('with Sec-GPC: 1 sends no beacon and sets no analytics cookie, until the visitor opts in on the site', async () => {
    const context = await site.browser.newContext({ locale: 'zh-CN', extraHTTPHeaders: { 'Sec-GPC': '1' } });
    const beacons = watchBeacons(context);
    const page = await context.newPage();
    const scriptErrors = collectScriptErrors(page);

    for (const path of ['/', '/companies', '/legal']) {
      await browse(page, path);
      expect(await page.locator('#consent-banner').count()).toBe(0);
      expect(await page.locator('body').getAttribute('data-consent')).toBe('necessary');
    }
    // An analytics cookie left from before is deleted on the first page, by the server and the gate.
    await page.evaluate(() => {
      document.cookie = 'sl_an=0b8e5f52-3c1a-4d0e-9a43-5f2f3c4b6d7e; path=/; max-age=3600';
    });
    await browse(page, '/companies');
    expect(beacons).toHaveLength(0);
    expect(await nonEssentialCookies(context)).toEqual([]);
    await checkPage(page, 'analytics-gpc');

    // An explicit opt-in on the settings page overrides the signal, and only then do beacons flow.
    await browse(page, '/privacy/settings');
    await page.check('#settings-analytics');
    await page.click('#consent-settings button[type="submit"]');
    await page.waitForURL(`${site.base}/privacy/settings?saved=1`);
    await expect.poll(() => beacons.length).toBe(1);
    expect(beacons[0]!.get('path')).toBe('/privacy/settings');
    expect((await context.cookies()).some((c) => c.name === 'sl_an')).toBe(true);
    expect(scriptErrors).toEqual([]);
    await context.close();
  });

  it('shows administrators the daily page counts', async () => {
    const admin = await signedIn(site.app);
    await site.app.silkline.accounts.setRole(admin.data.loginName, 'admin');
    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await context.addCookies(
      ['sid', 'consent', 'consent_id']
        .map((name) => ({ name, value: admin.browser.cookie(name) ?? '' }))
        .filter((c) => c.value !== '')
        .map((c) => ({ ...c, url: site.base })),
    );
    const page = await context.newPage();
    const scriptErrors = collectScriptErrors(page);
    await browse(page, '/staff/analytics');
    await expect.poll(() => page.locator('h1').textContent()).toBe('访问统计');
    expect(await page.locator('#analytics-days tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#analytics-pages').textContent()).toContain('/companies');
    await checkPage(page, 'analytics-staff-report');
    expect(scriptErrors).toEqual([]);
    await context.close();
  });
});
