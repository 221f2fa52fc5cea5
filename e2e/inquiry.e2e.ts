import { describe, expect, it } from 'vitest';
import { minimalPdf } from '../src/platform/storage/sample-files.js';
import { makeProduct, signedIn, supplier, withAuth } from '../test/helpers.js';
import { checkPage, collectScriptErrors, useSite } from './browser.js';

const site = useSite({ mail: true });

/** A published product of a verified supplier, through the service (the catalogue journey covers the forms). */
async function publishedProduct() {
  const owner = await withAuth(site.app, await supplier(site.app));
  const productId = await makeProduct(site.app, owner, {
    fields: { titleZh: '不锈钢外壳 LED工矿灯 150W 防水灯具', titleEn: 'Stainless steel LED high bay light 150W', moq: 100, priceTiers: [{ minQty: 100, price: '14.20' }] },
  });
  return { owner, productId };
}

describe('a buyer asks a supplier about a product', () => {
  it('finds it by search, sends an inquiry with a file, the supplier replies, and the buyer reads the reply from the email notice', async () => {
    const { owner, productId } = await publishedProduct();
    const asker = await signedIn(site.app);

    const buyerContext = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await buyerContext.addCookies([{ name: 'sid', value: asker.browser.cookie('sid')!, url: site.base }]);
    const buyerPage = await buyerContext.newPage();
    const buyerErrors = collectScriptErrors(buyerPage);

    await buyerPage.goto(site.base);
    await buyerPage.fill('#site-search', '工矿灯');
    await buyerPage.press('#site-search', 'Enter');
    await buyerPage.waitForURL(/\/search\?q=/);
    await buyerPage.locator(`a[href="/products/${productId}"]`).first().click();
    await buyerPage.waitForURL(`${site.base}/products/${productId}`);
    await checkPage(buyerPage, 'inquiry-product-page');

    await buyerPage.click(`a[href="/inquiries/new?product=${productId}"]`);
    await buyerPage.waitForURL(`${site.base}/inquiries/new?product=${productId}`);
    await expect.poll(() => buyerPage.inputValue('#field-subject')).toContain('LED工矿灯');
    await buyerPage.fill('#field-message', '您好，我们需要 800 件，请报 FOB 深圳价格和交期。\n需要 CE 和 RoHS 认证。');
    await buyerPage.fill('#field-quantity', '800');
    await buyerPage.fill('#field-targetPrice', '13.50');
    await buyerPage.selectOption('#field-currency', 'USD');
    await buyerPage.setInputFiles('#field-attachments', { name: '采购规格书.pdf', mimeType: 'application/pdf', buffer: minimalPdf() });
    await checkPage(buyerPage, 'inquiry-form');
    await buyerPage.click('form[action="/inquiries/new"] button[type="submit"]');
    await buyerPage.waitForURL(/\/messages\/[0-9a-f-]{36}\?done=sent$/);
    const threadId = /\/messages\/([0-9a-f-]{36})/.exec(buyerPage.url())![1]!;
    await expect.poll(() => buyerPage.locator('.notice-success').textContent()).toContain('询盘已发送');
    await expect.poll(() => buyerPage.locator('.attachments a').textContent()).toBe('采购规格书.pdf');
    await checkPage(buyerPage, 'inquiry-sent');

    const newInquiry = await site.sink.waitFor((m) => m.to.includes(owner.data.email) && m.subject.startsWith('新询盘：'));
    expect(newInquiry.text).toContain(`${site.base}/messages/${threadId}`);

    const supplierContext = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await supplierContext.addCookies([{ name: 'sid', value: owner.browser.cookie('sid')!, url: site.base }]);
    const supplierPage = await supplierContext.newPage();
    const supplierErrors = collectScriptErrors(supplierPage);
    await supplierPage.goto(`${site.base}/messages?box=supplier`);
    await expect.poll(() => supplierPage.locator('header .messages-link').textContent()).toContain('消息 (1)');
    await expect.poll(() => supplierPage.locator(`tr[data-thread-id="${threadId}"]`).textContent()).toContain('未读');
    await checkPage(supplierPage, 'supplier-inbox');
    await supplierPage.click(`a[href="/messages/${threadId}"]`);
    await supplierPage.waitForURL(`${site.base}/messages/${threadId}`);
    await expect.poll(() => supplierPage.locator('.message-body').first().textContent()).toContain('需要 CE 和 RoHS 认证');
    await checkPage(supplierPage, 'supplier-thread');
    await supplierPage.fill('#field-message', '您好，800 件 FOB 深圳 13.80 美元，交期 20 天，可提供 CE 和 RoHS 证书。');
    await supplierPage.click(`form[action="/messages/${threadId}/reply"] button[type="submit"]`);
    await supplierPage.waitForURL(/done=reply/);
    await expect.poll(() => supplierPage.locator('.message-mine .message-body').textContent()).toContain('13.80 美元');
    await checkPage(supplierPage, 'supplier-replied');

    const notice = await site.sink.waitFor((m) => m.to.includes(asker.data.email) && m.subject.startsWith('新消息：'));
    const link = /https?:\/\/\S+\/messages\/[0-9a-f-]{36}/.exec(notice.text)![0];
    expect(link).toBe(`${site.base}/messages/${threadId}`);

    await buyerPage.goto(`${site.base}/messages`);
    await expect.poll(() => buyerPage.locator('header .messages-link').textContent()).toContain('消息 (1)');
    await checkPage(buyerPage, 'buyer-message-centre');
    await buyerPage.goto(link);
    await expect.poll(() => buyerPage.locator('.message-body').last().textContent()).toContain('交期 20 天');
    await expect.poll(() => buyerPage.locator('h1 .badge').textContent()).toBe('已回复');
    await expect.poll(() => buyerPage.locator('header .messages-link').count()).toBe(0);
    await checkPage(buyerPage, 'buyer-reads-reply');

    expect(buyerErrors).toEqual([]);
    expect(supplierErrors).toEqual([]);
    await buyerContext.close();
    await supplierContext.close();
  });

  it('shows the notice settings, the handler settings and the staff queue of reported threads accessibly', async () => {
    const { owner } = await publishedProduct();
    const asker = await signedIn(site.app);
    const csrf = await asker.browser.csrf();
    const sent = await asker.browser.api('POST', '/api/inquiries', { companyId: owner.companyId, subject: '可疑的询盘', message: '请先付款到个人账户。', quantity: 1, unit: 'piece' }, { 'x-csrf-token': csrf });
    const { threadId } = sent.json<{ threadId: string }>();

    const context = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'sid', value: owner.browser.cookie('sid')!, url: site.base }]);
    const page = await context.newPage();
    const errors = collectScriptErrors(page);
    await page.goto(`${site.base}/shop/${owner.companyId}/inquiries/settings`);
    await page.check('#field-mode-named');
    await page.click(`form[action="/shop/${owner.companyId}/inquiries/settings"] button[type="submit"]`);
    await page.waitForURL(/done=saved/);
    await checkPage(page, 'inquiry-handlers');
    await page.goto(`${site.base}/messages/settings`);
    await page.check('#field-frequency-daily');
    await page.click('form[action="/messages/settings"] button[type="submit"]');
    await page.waitForURL(/done=saved/);
    await checkPage(page, 'message-settings');
    await page.goto(`${site.base}/messages/${threadId}`);
    await page.click('details.report summary');
    await page.selectOption('#field-reason', 'fraud');
    await page.fill('#field-details', '要求付款到个人账户');
    await page.click(`form[action="/messages/${threadId}/report"] button[type="submit"]`);
    await page.waitForURL(/done=reported/);
    await checkPage(page, 'thread-reported');

    const staff = await signedIn(site.app);
    await site.app.silkline.accounts.setRole(staff.data.loginName, 'support');
    const staffContext = await site.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await staffContext.addCookies([{ name: 'sid', value: staff.browser.cookie('sid')!, url: site.base }]);
    const staffPage = await staffContext.newPage();
    const staffErrors = collectScriptErrors(staffPage);
    await staffPage.goto(`${site.base}/staff/inquiry-reports`);
    await checkPage(staffPage, 'inquiry-report-queue');
    await staffPage.click('a:text("查看")');
    await expect.poll(() => staffPage.locator('.thread-messages .message-body').first().textContent()).toContain('请先付款到个人账户。');
    await checkPage(staffPage, 'inquiry-report');
    await staffPage.click('form[action$="/handle"] button[type="submit"]');
    await staffPage.waitForURL(/done=handled/);

    expect(errors).toEqual([]);
    expect(staffErrors).toEqual([]);
    await context.close();
    await staffContext.close();
  });
});
