import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signedIn, supplier, type Browser as Jar } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite();

/** A day in Asia/Shanghai, `days` from today, as `YYYY-MM-DD`. */
function day(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** Chromium signed in with the session of a jar made through the real forms. */
async function contextFor(jar: Jar): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'sid', value: jar.cookie('sid')!, url: site.base }]);
  const page = await context.newPage();
  return { context, page, errors: collectScriptErrors(page) };
}

/** A verified supplier (registered, licence uploaded, approved) with one published product in LED lighting. */
async function lightingSupplier(nameZh: string) {
  const member = await supplier(site.app, { company: { nameZh } });
  const product = await member.browser.api('POST', `/api/companies/${member.companyId}/products`, {
    titleZh: `${nameZh} LED工矿灯`,
    categoryId: 'lighting.led-floodlight',
    moq: 100,
    unit: 'piece',
    currency: 'USD',
    priceTiers: [{ minQty: 100, price: '15.00' }],
  });
  await member.browser.api('POST', `/api/companies/${member.companyId}/products/${product.json().id}/publish`);
  return { ...member, ...(await contextFor(member.browser)) };
}

/** A supplier finds the request on the board and quotes through the form. */
async function quote(page: Page, rfqId: string, tiers: [string, string][], leadTime: string, name: string) {
  await page.goto(`${site.base}/rfq`);
  await page.click(`a[href="/rfq/${rfqId}"]`);
  await page.waitForURL(`${site.base}/rfq/${rfqId}`);
  await page.selectOption('#field-currency', 'USD');
  for (const [i, [quantity, price]] of tiers.entries()) {
    await page.fill(`#field-tier${i + 1}Qty`, quantity);
    await page.fill(`#field-tier${i + 1}Price`, price);
  }
  await page.fill('#field-leadTimeDays', leadTime);
  await page.fill('#field-validUntil', day(30));
  await page.fill('#field-message', '可提供样品，FOB 深圳，T/T 30% 预付。');
  if (name) await checkPage(page, name);
  await page.click(`form[action="/rfq/${rfqId}/quotes"] button[type="submit"]`);
  await page.waitForURL(`${site.base}/rfq/${rfqId}?done=quoted`);
}

describe('a buying request meets two quotes', () => {
  it('is posted, quoted by two suppliers, compared side by side, and accepted, which opens a thread with the chosen supplier', async () => {
    const first = await lightingSupplier('深圳明辉照明有限公司');
    const second = await lightingSupplier('中山星光灯饰有限公司');
    const buyerJar = await signedIn(site.app, { contactPerson: '王芳' });
    const buyer = await contextFor(buyerJar.browser);

    // 1. The buyer posts the request.
    await buyer.page.goto(`${site.base}/rfq/mine`);
    await checkPage(buyer.page, 'rfq-mine-empty');
    await buyer.page.click('a[href="/rfq/new"]');
    await buyer.page.waitForURL(`${site.base}/rfq/new`);
    await buyer.page.fill('#field-productName', 'LED投光灯 200W');
    await buyer.page.selectOption('#field-categoryId', 'lighting.led-floodlight');
    await buyer.page.fill('#field-quantity', '2000');
    await buyer.page.selectOption('#field-unit', 'piece');
    await buyer.page.fill('#field-specifications', '压铸铝外壳，IP66，CE/RoHS 认证，色温 5000K，5 年质保。');
    await buyer.page.fill('#field-destination', '德国 汉堡港');
    await buyer.page.fill('#field-deadline', day(14));
    await checkPage(buyer.page, 'rfq-new');
    await buyer.page.click('form[action="/rfq/new"] button[type="submit"]');
    await buyer.page.waitForURL(/\/rfq\/[0-9a-f-]{36}\?done=posted$/);
    const rfqId = /\/rfq\/([0-9a-f-]{36})/.exec(buyer.page.url())![1]!;
    await expect.poll(() => buyer.page.locator('[role="status"]').first().textContent()).toContain('采购需求已发布');
    await checkPage(buyer.page, 'rfq-posted');

    // 2. Two suppliers find it on the board and quote.
    await first.page.goto(`${site.base}/rfq`);
    await expect.poll(() => first.page.locator(`a[href="/rfq/${rfqId}"]`).count()).toBe(1);
    await checkPage(first.page, 'rfq-board');
    await quote(first.page, rfqId, [['500', '13.20'], ['1000', '12.50']], '20', 'rfq-quote-form');
    await checkPage(first.page, 'rfq-quote-sent');
    await quote(second.page, rfqId, [['100', '12.90']], '35', '');

    // 3. The buyer compares the quotes side by side: unit price at 2,000 pieces, lead time, validity, verified badge.
    await buyer.page.goto(`${site.base}/rfq/mine`);
    await checkPage(buyer.page, 'rfq-mine');
    await buyer.page.click(`a[href="/rfq/${rfqId}"]`);
    await buyer.page.waitForURL(`${site.base}/rfq/${rfqId}`);
    const rows = buyer.page.locator('table.compare tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => rows.nth(0).locator('th').textContent()).toContain('深圳明辉照明有限公司');
    await expect.poll(() => rows.nth(0).textContent()).toContain('12.50');
    await expect.poll(() => rows.nth(1).locator('th').textContent()).toContain('中山星光灯饰有限公司');
    await expect.poll(() => buyer.page.locator('table.compare .badge-verified').count()).toBe(2);
    await checkPage(buyer.page, 'rfq-compare');

    // 4. The buyer accepts the first supplier's quote.
    await rows.nth(0).locator('a.button').click();
    await buyer.page.waitForURL(/\/quotes\/[0-9a-f-]{36}\/accept$/);
    await checkPage(buyer.page, 'rfq-accept-confirm');
    await buyer.page.click('form[action$="/accept"] button[type="submit"]');
    await buyer.page.waitForURL(`${site.base}/rfq/${rfqId}?done=accepted`);
    await expect.poll(() => buyer.page.locator('[role="status"]').first().textContent()).toContain('询盘会话已开启');
    await checkPage(buyer.page, 'rfq-accepted');
    const threadHref = await buyer.page.locator('a[href^="/messages/"]').first().getAttribute('href');
    expect(threadHref).toMatch(/^\/messages\/[0-9a-f-]{36}$/);

    // 5. The chosen supplier has the thread; the other is told politely.
    await first.page.goto(`${site.base}/messages?box=supplier`);
    await expect.poll(() => first.page.locator('main').textContent()).toContain('采购需求：LED投光灯 200W');
    await first.page.goto(`${site.base}/rfq/${rfqId}`);
    await expect.poll(() => first.page.locator('main').textContent()).toContain('采购商接受了贵司的报价');
    await second.page.goto(`${site.base}/notices`);
    await expect.poll(() => second.page.locator('main').textContent()).toContain('选择了其他报价');
    await checkPage(second.page, 'rfq-declined-notice');
    await second.page.goto(`${site.base}/rfq/${rfqId}`);
    await expect.poll(() => second.page.locator('main').textContent()).toContain('采购商选择了其他报价');
    await checkPage(second.page, 'rfq-declined');

    for (const person of [buyer, first, second]) {
      expect(person.errors).toEqual([]);
      await person.context.close();
    }
  });
});
