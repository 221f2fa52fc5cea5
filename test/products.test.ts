import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findCategory, leafCategories } from '../src/modules/catalogue/index.js';
import { executable, jpegWithGps } from '../src/platform/storage/sample-files.js';
import { Browser, leafWithSelect, make, postMultipart, signedIn, supplier, useTestApp } from './helpers.js';

const t = useTestApp();

function productForm(categoryId: string, overrides: Record<string, string> = {}) {
  return {
    categoryId,
    titleZh: 'LED工矿灯 100W 防水IP65',
    titleEn: 'LED high bay light 100W waterproof IP65',
    moq: '50',
    unit: 'piece',
    currency: 'USD',
    tier1Qty: '50',
    tier1Price: '12.50',
    tier2Qty: '500',
    tier2Price: '10.80',
    leadTimeDays: '15',
    packaging: '出口纸箱，每箱 4 只',
    port: '深圳',
    hsCode: '9405.40',
    certifications: 'CE, RoHS',
    description: '<p>铝合金散热器，<strong>5 年质保</strong>。</p><script>alert(1)</script>',
    ...overrides,
  };
}

const stored = (id: string) => t.app.silkline.db.kysely.selectFrom('product').selectAll().where('id', '=', id).executeTakeFirst();
const indexed = async (id: string) => (await t.app.silkline.db.kysely.selectFrom('productSearch').select('docKey').where('docKey', '=', id).executeTakeFirst()) !== undefined;

async function createProduct(browser: Browser, companyId: string, form: Record<string, string>) {
  const response = await browser.post(`/shop/${companyId}/products/new`, form);
  expect(response.statusCode).toBe(303);
  const id = /\/products\/([0-9a-f-]{36})\?/.exec(String(response.headers.location))?.[1];
  expect(id).toBeDefined();
  return id!;
}

describe('suppliers publishing products', () => {
  it('creates a draft through the form, publishes it, and the index follows every change', async () => {
    const leaf = leafWithSelect();
    const owner = await supplier(t.app);
    const form = await owner.browser.get(`/shop/${owner.companyId}/products/new?categoryId=${leaf.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`name="attr.${leaf.select.key}"`);

    const id = await createProduct(owner.browser, owner.companyId, productForm(leaf.id, { [`attr.${leaf.select.key}`]: leaf.select.options![0]!.value, incoterms: 'FOB' }));
    const row = await stored(id);
    expect(row).toMatchObject({ status: 'draft', moq: 50, currency: 'USD', priceNegotiable: 0 });
    expect(row!.hsCode).toBe('940540');
    expect(row!.description).toBe('<p>铝合金散热器，<strong>5 年质保</strong>。</p>');
    expect(JSON.parse(row!.priceTiers)).toEqual([{ minQty: 50, price: '12.50' }, { minQty: 500, price: '10.80' }]);
    expect(await indexed(id)).toBe(false);
    expect((await new Browser(t.app).api('GET', `/api/products/${id}`)).statusCode).toBe(404);

    expect((await owner.browser.post(`/shop/${owner.companyId}/products/${id}/publish`, {})).statusCode).toBe(303);
    expect(await indexed(id)).toBe(true);
    const publicView = await new Browser(t.app).api('GET', `/api/products/${id}`);
    expect(publicView.statusCode).toBe(200);
    expect(publicView.json()).toMatchObject({ titleZh: 'LED工矿灯 100W 防水IP65', status: 'published', incoterms: ['FOB'] });

    const edited = await owner.browser.post(`/shop/${owner.companyId}/products/${id}`, productForm(leaf.id, { titleZh: '不锈钢工矿灯外壳', titleEn: '' }));
    expect(edited.statusCode).toBe(303);
    const afterEdit = await t.app.silkline.products.search({ q: '工矿灯', type: 'products', sort: 'relevance', page: 1 });
    expect(afterEdit.items.map((i) => i.id)).toContain(id);
    expect((await stored(id))!.status).toBe('published');

    expect((await owner.browser.post(`/shop/${owner.companyId}/products/${id}/unpublish`, {})).statusCode).toBe(303);
    expect(await indexed(id)).toBe(false);
    expect((await new Browser(t.app).api('GET', `/api/products/${id}`)).statusCode).toBe(404);

    await owner.browser.post(`/shop/${owner.companyId}/products/${id}/publish`, {});
    expect((await owner.browser.post(`/shop/${owner.companyId}/products/${id}/delete`, {})).statusCode).toBe(303);
    expect(await stored(id)).toBeUndefined();
    expect(await indexed(id)).toBe(false);
  });

  it('keeps products of an unverified company out of public view until it is verified', async () => {
    const leaf = leafCategories()[0]!;
    const owner = await supplier(t.app, { verified: false });
    const list = await owner.browser.get(`/shop/${owner.companyId}/products`);
    expect(list.body).toContain('贵公司通过认证后');
    const id = await createProduct(owner.browser, owner.companyId, productForm(leaf.id));
    await owner.browser.post(`/shop/${owner.companyId}/products/${id}/publish`, {});
    expect(await indexed(id)).toBe(false);
    expect((await new Browser(t.app).api('GET', `/api/products/${id}`)).statusCode).toBe(404);
  });

  it('takes a verified company\'s products out of search when it goes back to review', async () => {
    const leaf = leafCategories()[1]!;
    const owner = await supplier(t.app);
    const id = await createProduct(owner.browser, owner.companyId, productForm(leaf.id));
    await owner.browser.post(`/shop/${owner.companyId}/products/${id}/publish`, {});
    expect(await indexed(id)).toBe(true);
    const info = (await owner.browser.api('GET', `/api/companies/${owner.companyId}/manage`)).json();
    const { nameZh, nameEn, country, provinceCode, cityCode, districtCode, street, mainProducts, description } = info;
    const moved = await owner.browser.api('PATCH', `/api/companies/${owner.companyId}`, { nameZh, nameEn, country, provinceCode, cityCode, districtCode, street, mainProducts, description, creditCode: make.creditCode() });
    expect(moved.statusCode).toBe(200);
    expect(await indexed(id)).toBe(false);
  });

  it('uploads images without their metadata, makes thumbnails, and refuses other files', async () => {
    const leaf = leafCategories()[2]!;
    const owner = await supplier(t.app);
    const id = await createProduct(owner.browser, owner.companyId, productForm(leaf.id));
    const url = `/shop/${owner.companyId}/products/${id}/images`;
    const ok = await postMultipart(owner.browser, t.app, url, {}, { field: 'images', name: 'photo.jpg', bytes: await jpegWithGps(), type: 'image/jpeg' });
    expect(ok.statusCode).toBe(303);
    const view = (await owner.browser.api('GET', `/api/companies/${owner.companyId}/products/${id}`)).json();
    expect(view.images).toHaveLength(1);
    const image = await new Browser(t.app).get(view.images[0].url);
    expect(image.statusCode).toBe(200);
    const metadata = await sharp(image.rawPayload).metadata();
    expect(metadata.exif).toBeUndefined();
    const thumb = await new Browser(t.app).get(view.images[0].thumbnailUrl);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect((await sharp(thumb.rawPayload).metadata()).width).toBeLessThanOrEqual(400);

    const exe = await postMultipart(owner.browser, t.app, url, {}, { field: 'images', name: 'photo.jpg', bytes: executable(), type: 'image/jpeg' });
    expect(exe.statusCode).toBe(415);
    expect((await owner.browser.api('GET', `/api/companies/${owner.companyId}/products/${id}`)).json().images).toHaveLength(1);
  });

  it('lets nobody outside the company see or change its products', async () => {
    const leaf = leafCategories()[3]!;
    const owner = await supplier(t.app);
    const id = await createProduct(owner.browser, owner.companyId, productForm(leaf.id));
    const stranger = await signedIn(t.app);
    const strangerCompany = await supplier(t.app);
    for (const browser of [stranger.browser, strangerCompany.browser]) {
      expect((await browser.get(`/shop/${owner.companyId}/products`)).statusCode).toBe(404);
      expect((await browser.get(`/shop/${owner.companyId}/products/${id}`)).statusCode).toBe(404);
      expect((await browser.post(`/shop/${owner.companyId}/products/${id}/publish`, {})).statusCode).toBe(404);
      expect((await browser.api('DELETE', `/api/companies/${owner.companyId}/products/${id}`)).statusCode).toBe(404);
      expect((await browser.api('PUT', `/api/companies/${owner.companyId}/products/${id}`, { ...productForm(leaf.id), moq: 1, priceNegotiable: true })).statusCode).toBe(404);
    }
    // A member of another company cannot reach this product through their own company either.
    expect((await strangerCompany.browser.get(`/shop/${strangerCompany.companyId}/products/${id}`)).statusCode).toBe(404);
    expect((await strangerCompany.browser.post(`/shop/${strangerCompany.companyId}/products/${id}/delete`, {})).statusCode).toBe(404);
    expect(await stored(id)).toBeDefined();
    expect((await new Browser(t.app).get(`/shop/${owner.companyId}/products`)).statusCode).toBe(303);
  });
});

describe('the products API', () => {
  it('creates, updates, publishes and lists with the same rules as the form', async () => {
    const leaf = leafWithSelect();
    const owner = await supplier(t.app);
    const base = `/api/companies/${owner.companyId}/products`;
    const body = {
      titleEn: 'Stainless steel vacuum flask 500ml',
      categoryId: leaf.id,
      attributes: { [leaf.select.key]: leaf.select.options![0]!.value },
      moq: 100,
      unit: 'piece',
      currency: 'CNY',
      priceTiers: [{ minQty: 100, price: '18' }],
      incoterms: ['FOB', 'CIF'],
    };
    const created = await owner.browser.api('POST', base, body);
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ status: 'draft', titleZh: null, attributes: body.attributes });

    const updated = await owner.browser.api('PUT', `${base}/${id}`, { ...body, priceNegotiable: true, priceTiers: [] });
    expect(updated.json()).toMatchObject({ priceNegotiable: true, priceTiers: [] });
    expect((await owner.browser.api('POST', `${base}/${id}/publish`)).statusCode).toBe(204);
    const list = (await owner.browser.api('GET', `${base}?status=published`)).json();
    expect(list.items.map((p: { id: string }) => p.id)).toEqual([id]);

    const doc = (await new Browser(t.app).api('GET', '/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/categories', '/api/categories/{id}', '/api/products', '/api/products/{id}', '/api/companies/{id}/products']));
  });

  it('serves the category tree with attribute templates', async () => {
    const categories = (await new Browser(t.app).api('GET', '/api/categories')).json().categories;
    expect(categories.filter((c: { isLeaf: boolean }) => c.isLeaf).length).toBeGreaterThanOrEqual(150);
    const leaf = leafWithSelect();
    const one = (await new Browser(t.app).api('GET', `/api/categories/${leaf.id}`)).json();
    expect(one.attributes.length).toBe(findCategory(leaf.id)!.attributes!.length);
    expect((await new Browser(t.app).api('GET', '/api/categories/no-such')).statusCode).toBe(404);
  });

  it('refuses bad input with a localised message and stores nothing', async () => {
    const leaf = leafWithSelect();
    const owner = await supplier(t.app);
    const base = `/shop/${owner.companyId}/products/new`;
    const count = async () => (await t.app.silkline.db.kysely.selectFrom('product').select((eb) => eb.fn.countAll<number>().as('n')).where('companyId', '=', owner.companyId).executeTakeFirst())?.n;
    const cases: [Record<string, string>, string][] = [
      [{ titleZh: '', titleEn: '' }, '请至少填写中文或英文产品名称'],
      [{ moq: '0' }, '起订量须为 1 到 10 亿之间的整数'],
      [{ moq: 'abc' }, '起订量须为'],
      [{ tier1Price: '-3' }, '价格须大于 0'],
      [{ tier2Qty: '10' }, '各档起订量须从小到大排列'],
      [{ tier1Qty: '', tier1Price: '', tier2Qty: '', tier2Price: '' }, '请填写至少一档价格'],
      [{ hsCode: '12' }, 'HS 编码须为 6 到 10 位数字'],
      [{ unit: 'parsec' }, '请选择计量单位'],
      [{ categoryId: 'no-such-category' }, '请选择一个最末级的产品类目'],
      [{ [`attr.${leaf.select.key}`]: 'not-an-option' }, '请从列表中选择'],
      [{ 'attr.noSuchAttribute': 'x' }, '该类目没有这个属性'],
      [{ titleZh: '灯'.repeat(500) }, '产品名称太长'],
      [{ leadTimeDays: '9999' }, '交货期须为 1 到 365 天'],
      [{ incoterms: 'XYZ' }, '请选择有效的贸易术语'],
      [{ description: 'x'.repeat(20_001) }, '描述太长'],
    ];
    for (const [override, message] of cases) {
      const response = await owner.browser.post(base, productForm(leaf.id, override));
      expect({ override: Object.keys(override), status: response.statusCode }).toEqual({ override: Object.keys(override), status: 400 });
      expect(response.body).toContain(message);
    }
    const english = await owner.browser.api('POST', `/api/companies/${owner.companyId}/products`, { categoryId: leaf.id, moq: -1, unit: 'piece' }, { 'accept-language': 'en' });
    expect(english.statusCode).toBe(400);
    expect(english.json().error.code).toBe('VALIDATION_FAILED');
    expect(Number(await count())).toBe(0);
  });
});

describe('rebuilding the search indexes', () => {
  it('rebuilds from the rows when another analyser version built them', async () => {
    const leaf = leafCategories()[4]!;
    const owner = await supplier(t.app);
    const id = await createProduct(owner.browser, owner.companyId, productForm(leaf.id));
    await owner.browser.post(`/shop/${owner.companyId}/products/${id}/publish`, {});
    const { db, products } = t.app.silkline;
    expect(await products.index.isCurrent(db.kysely)).toBe(true);

    // An index left by an older analyser, missing this product.
    await products.index.products.remove(db.kysely, id);
    await db.kysely.updateTable('searchState').set({ analyzerVersion: 'older' }).where('name', '=', 'catalogue').execute();
    expect(await products.index.isCurrent(db.kysely)).toBe(false);
    const { companies } = await products.index.rebuild(db.kysely);
    expect(companies).toBeGreaterThan(0);
    expect(await indexed(id)).toBe(true);
    expect(await products.index.isCurrent(db.kysely)).toBe(true);
  });
});

describe('the company profile', () => {
  it('lists the company\'s public products and says what revealing contacts records', async () => {
    const owner = await supplier(t.app);
    const leaf = leafWithSelect();
    const id = await createProduct(owner.browser, owner.companyId, productForm(leaf.id, { titleZh: '不锈钢保温杯 500ml', [`attr.${leaf.select.key}`]: leaf.select.options![0]!.value }));
    const before = await new Browser(t.app).get(`/companies/${owner.companyId}`);
    expect(before.body).toContain('暂未发布产品');
    await owner.browser.post(`/shop/${owner.companyId}/products/${id}/publish`, {});
    const buyer = await signedIn(t.app);
    const profile = await buyer.browser.get(`/companies/${owner.companyId}`);
    expect(profile.body).toContain(`href="/products/${id}"`);
    expect(profile.body).toContain('不锈钢保温杯 500ml');
    expect(profile.body).toContain('id="contact-reveal-notice"');
  });
});
