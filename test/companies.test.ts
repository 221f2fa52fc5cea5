import { describe, expect, it } from 'vitest';
import { executable, jpegWithGps, minimalPdf } from '../src/platform/storage/sample-files.js';
import { Browser, make, postMultipart, signedIn, useTestApp } from './helpers.js';

const t = useTestApp();

// Real, published codes (their check characters are right).
const huawei = '914403001922038216';
const tencent = '9144030071526726XG';

/** The registration form of the tests' lighting company, under Huawei's code unless told otherwise. */
function company(overrides: Record<string, string> = {}) {
  return make.company({ creditCode: huawei, ...overrides });
}

async function registerCompany(browser: Browser, overrides: Record<string, string> = {}) {
  const response = await browser.post('/shop/new', company(overrides));
  expect(response.statusCode).toBe(303);
  const id = /\/shop\/([0-9a-f-]{36})\/verification/.exec(response.headers.location as string)?.[1];
  expect(id).toBeDefined();
  return id!;
}

async function makeReviewer() {
  const reviewer = await signedIn(t.app);
  await t.app.silkline.accounts.setRole(reviewer.data.loginName, 'reviewer');
  return reviewer;
}

describe('company registration', () => {
  it('makes the registering account the owner and normalises what it stores', async () => {
    const { browser } = await signedIn(t.app, { contactPerson: '李伟' });
    const id = await registerCompany(browser, { creditCode: tencent.toLowerCase() });
    const view = (await browser.api('GET', `/api/companies/${id}/manage`)).json();
    expect(view).toMatchObject({
      creditCode: tencent,
      memberRole: 'owner',
      status: 'draft',
      mainProducts: ['LED工矿灯', '太阳能路灯', '投光灯'],
      phone: '+8675588886666;ext=802',
      fax: null,
      contactMobile: '+8613800138000',
    });
    expect((await browser.get('/shop')).body).toContain('深圳光明照明科技有限公司');
  });

  it.each([
    ['9144030071526726X', '应为 18 位'],
    ['9144030071526726XO', '不允许的字符'],
    ['9144030071526726XA', '校验码不正确'],
    ['Z144030071526726XG', '不允许的字符'],
  ])('refuses the credit code %s saying which part is wrong', async (code, message) => {
    const { browser } = await signedIn(t.app);
    const response = await browser.post('/shop/new', company({ creditCode: code }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(message);
    expect((await browser.api('GET', '/api/me/companies')).json().companies).toEqual([]);
  });

  it('refuses a second company with the same credit code and says how to join', async () => {
    const first = await signedIn(t.app);
    await registerCompany(first.browser, { creditCode: '91110000100010433L' });
    const second = await signedIn(t.app);
    const response = await second.browser.post('/shop/new', company({ creditCode: '91110000100010433l' }));
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('邀请您加入');
    expect(response.body).toContain('action="/shop/join-request"');
    const asked = await second.browser.post('/shop/join-request', { creditCode: '91110000100010433L' });
    expect(asked.statusCode).toBe(200);
    const mail = await t.app.silkline.db.kysely.selectFrom('mailOutbox').select(['recipient', 'textBody']).where('kind', '=', 'company-join-request').execute();
    expect(mail).toEqual([{ recipient: first.data.email, textBody: expect.stringContaining(second.data.email) }]);
  });

  it("asks for confirmation of a contact person's authorisation when it is someone else", async () => {
    const { browser } = await signedIn(t.app, { contactPerson: '王芳' });
    const refused = await browser.post('/shop/new', company({ creditCode: '913100001322632074', contactPerson: '张三' }));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('请确认已获得其授权');
    const id = await registerCompany(browser, { creditCode: '913100001322632074', contactPerson: '张三', contactAuthorised: 'on' });
    const row = await t.app.silkline.db.kysely.selectFrom('company').select('contactAuthorisedAt').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.contactAuthorisedAt).not.toBeNull();
  });

  it('refuses regions that do not belong together, bad phones and missing products', async () => {
    const { browser } = await signedIn(t.app);
    for (const [override, field] of [
      [{ cityCode: '110100' }, 'cityCode'],
      [{ phone: '12345' }, 'phone'],
      [{ mainProducts: ' , ，' }, 'mainProducts'],
      [{ description: 'x'.repeat(10_000) }, 'description'],
    ] as const) {
      const response = await browser.post('/shop/new', company({ creditCode: '91330100799655058B', ...override }));
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(`id="field-${field}-error"`);
    }
  });
});

describe('shop management and verification', () => {
  it('uploads a licence, submits, and a reviewer verifies it; the badge and directory show it', async () => {
    const owner = await signedIn(t.app);
    const id = await registerCompany(owner.browser, { creditCode: '91440300708461136T' });

    const early = await owner.browser.post(`/shop/${id}/submit`, {});
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('请先上传营业执照');

    const exe = await postMultipart(owner.browser, t.app, `/shop/${id}/licence`, {}, { field: 'licence', name: 'licence.pdf', bytes: executable(), type: 'application/pdf' });
    expect(exe.statusCode).toBe(415);
    const huge = await postMultipart(owner.browser, t.app, `/shop/${id}/licence`, {}, { field: 'licence', name: 'big.pdf', bytes: Buffer.alloc(11 * 1024 * 1024, 1) });
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain('10');
    expect((await owner.browser.api('GET', `/api/companies/${id}/manage`)).json().hasLicence).toBe(false);

    const ok = await postMultipart(owner.browser, t.app, `/shop/${id}/licence`, {}, { field: 'licence', name: 'licence.pdf', bytes: minimalPdf() });
    expect(ok.statusCode).toBe(303);
    const licence = await owner.browser.get(`/shop/${id}/licence`);
    expect(licence.statusCode).toBe(200);
    expect(licence.headers['cache-control']).toBe('no-store');
    expect(licence.body.startsWith('%PDF-')).toBe(true);
    const stored = await t.app.silkline.db.kysely.selectFrom('company').select('licenceFileId').where('id', '=', id).executeTakeFirstOrThrow();
    expect((await new Browser(t.app).get(`/media/${stored.licenceFileId}`)).statusCode).toBe(404);

    expect((await owner.browser.post(`/shop/${id}/submit`, {})).statusCode).toBe(303);
    expect((await new Browser(t.app).get(`/companies/${id}`)).statusCode).toBe(200);

    const stranger = await signedIn(t.app);
    expect((await stranger.browser.get(`/shop/${id}/licence`)).statusCode).toBe(404);
    expect((await stranger.browser.get(`/staff/reviews/${id}`)).statusCode).toBe(403);

    const reviewer = await makeReviewer();
    const queue = await reviewer.browser.get('/staff/reviews');
    expect(queue.body).toContain(id);
    expect((await reviewer.browser.get(`/staff/reviews/${id}/licence`)).statusCode).toBe(200);
    const views = await t.app.silkline.db.kysely.selectFrom('licenceView').selectAll().where('companyId', '=', id).execute();
    expect(views).toHaveLength(1);

    const noChecks = await reviewer.browser.post(`/staff/reviews/${id}`, { decision: 'approve' });
    expect(noChecks.statusCode).toBe(400);
    const body = new URLSearchParams({ decision: 'approve' });
    body.append('checks', 'licence');
    body.append('checks', 'creditCode');
    const approved = await t.app.inject({
      method: 'POST',
      url: `/staff/reviews/${id}`,
      remoteAddress: reviewer.browser.remoteAddress,
      headers: { cookie: reviewer.browser.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': await reviewer.browser.csrf() },
      payload: body.toString(),
    });
    expect(approved.statusCode).toBe(303);

    const profile = await new Browser(t.app).get(`/companies/${id}`);
    expect(profile.body).toContain('已认证');
    expect(profile.body).toContain('"@type":"Organization"');
    expect(profile.body).toContain('rel="canonical"');
    expect(profile.body).not.toContain('sales@guangming-lighting.example.cn');
    expect(profile.body).not.toContain('科技园南区');
    expect(profile.body).toContain('登录后可查看联系方式');
    const mail = await t.app.silkline.db.kysely.selectFrom('mailOutbox').select('subject').where('kind', '=', 'company-verified').execute();
    expect(mail.length).toBeGreaterThan(0);
    const notices = await owner.browser.get('/notices');
    expect(notices.body).toContain('已通过企业认证');

    const directory = (await new Browser(t.app).api('GET', '/api/companies?verified=1&province=440000')).json();
    expect(directory.items.map((c: { id: string }) => c.id)).toContain(id);

    // Changing the credit code of a verified company sends it back to review.
    const info = (await owner.browser.api('GET', `/api/companies/${id}/manage`)).json();
    const changed = await owner.browser.api('PATCH', `/api/companies/${id}`, {
      nameZh: info.nameZh, nameEn: info.nameEn, creditCode: '91440300708461136t'.replace('t', 'T'), country: 'CN', provinceCode: '440000', cityCode: '440300',
      districtCode: '440305', street: info.street, mainProducts: info.mainProducts, description: info.description,
    });
    expect(changed.json().status).toBe('verified');
    const recoded = await owner.browser.api('PATCH', `/api/companies/${id}`, {
      nameZh: info.nameZh, creditCode: '12100000400000624D', country: 'CN', provinceCode: '440000', cityCode: '440300',
      street: info.street, mainProducts: info.mainProducts, description: info.description,
    });
    expect(recoded.statusCode).toBe(200);
    expect(recoded.json()).toMatchObject({ status: 'submitted', verifiedAt: null, creditCode: '12100000400000624D' });
    expect((await new Browser(t.app).get(`/companies/${id}`)).body).toContain('未认证');

    // So does a new licence.
    await t.app.silkline.companies.decide(
      { accountId: reviewer.data.loginName, sessionId: 'x', role: 'reviewer', displayName: 'r' },
      id,
      { decision: 'approve', checks: ['licence'] },
      'zh-CN',
    );
    expect((await owner.browser.api('GET', `/api/companies/${id}/manage`)).json().status).toBe('verified');
    await postMultipart(owner.browser, t.app, `/shop/${id}/licence`, {}, { field: 'licence', name: 'new.pdf', bytes: minimalPdf() });
    expect((await owner.browser.api('GET', `/api/companies/${id}/manage`)).json().status).toBe('submitted');
  });

  it('shows contact details only to signed-in viewers and records each reveal', async () => {
    const owner = await signedIn(t.app);
    const id = await registerCompany(owner.browser, { creditCode: '91110108551385082Q' });
    await postMultipart(owner.browser, t.app, `/shop/${id}/licence`, {}, { field: 'licence', name: 'l.pdf', bytes: minimalPdf() });
    await owner.browser.post(`/shop/${id}/submit`, {});

    expect((await new Browser(t.app).api('POST', `/api/companies/${id}/contact`)).statusCode).toBe(401);
    const buyer = await signedIn(t.app);
    const revealed = await buyer.browser.post(`/companies/${id}/contact`, {});
    expect(revealed.statusCode).toBe(200);
    expect(revealed.body).toContain('sales@guangming-lighting.example.cn');
    const events = await t.app.silkline.db.kysely.selectFrom('serviceEvent').selectAll().where('targetId', '=', id).execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'contact.view', targetType: 'company' });
    expect(JSON.stringify(events)).not.toContain(buyer.data.email);
  });

  it("keeps members' pages from anyone else", async () => {
    const owner = await signedIn(t.app);
    const id = await registerCompany(owner.browser, { creditCode: '91110000802100433B' });
    const other = await signedIn(t.app);
    expect((await other.browser.get(`/shop/${id}/info`)).statusCode).toBe(404);
    expect((await other.browser.post(`/shop/${id}/contact`, company())).statusCode).toBe(404);
    expect((await other.browser.api('GET', `/api/companies/${id}/manage`)).statusCode).toBe(404);
    // Drafts are not public.
    expect((await new Browser(t.app).get(`/companies/${id}`)).statusCode).toBe(404);
  });
});

describe('company logo', () => {
  it('is stored public without metadata, served under /media, and replaced cleanly', async () => {
    const owner = await signedIn(t.app);
    const id = await registerCompany(owner.browser, { creditCode: '91330100799655058B' });
    const upload = await postMultipart(owner.browser, t.app, `/shop/${id}/logo`, {}, { field: 'logo', name: 'logo.jpg', bytes: await jpegWithGps() });
    expect(upload.statusCode).toBe(303);
    const first = (await owner.browser.api('GET', `/api/companies/${id}/manage`)).json().logoFileId as string;
    const media = await new Browser(t.app).get(`/media/${first}`);
    expect(media.statusCode).toBe(200);
    expect(media.headers['content-type']).toBe('image/jpeg');
    expect(media.rawPayload.includes(Buffer.from('Exif'))).toBe(false);

    const pdf = await postMultipart(owner.browser, t.app, `/shop/${id}/logo`, {}, { field: 'logo', name: 'logo.png', bytes: minimalPdf() });
    expect(pdf.statusCode).toBe(415);

    await postMultipart(owner.browser, t.app, `/shop/${id}/logo`, {}, { field: 'logo', name: 'logo2.jpg', bytes: await jpegWithGps() });
    const second = (await owner.browser.api('GET', `/api/companies/${id}/manage`)).json().logoFileId as string;
    expect(second).not.toBe(first);
    expect((await new Browser(t.app).get(`/media/${first}`)).statusCode).toBe(404);
    const licenceId = '0'.repeat(32);
    expect((await new Browser(t.app).get(`/media/${licenceId}`)).statusCode).toBe(404);
  });
});

describe('companies outside mainland China', () => {
  it('choose a country from the list; the Chinese region fields are then not used', async () => {
    const { browser } = await signedIn(t.app);
    const page = await browser.get('/shop/new');
    expect(page.body).toContain('<option value="DE">德国</option>');
    const refused = await browser.post('/shop/new', company({ creditCode: '91440300MA5FX8Q43A', country: 'XX' }));
    expect(refused.statusCode).toBe(400);
    const id = await registerCompany(browser, { creditCode: '91100000100003962T', country: 'DE', provinceCode: '', cityCode: '', districtCode: '', street: 'Hauptstraße 1, 10115 Berlin', phone: '+49 30 1234567' });
    const view = (await browser.api('GET', `/api/companies/${id}/manage`)).json();
    expect(view).toMatchObject({ country: 'DE', provinceCode: null, cityCode: null, phone: '+49301234567' });
  });
});
