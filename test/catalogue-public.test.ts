import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryPath, leafCategories } from '../src/modules/catalogue/index.js';
import { citiesOf, districtsOf } from '../src/modules/companies/regions.js';
import { productInput } from '../src/modules/products/schema.js';
import type { AuthState } from '../src/platform/http/context.js';
import { indexTokens } from '../src/platform/search/analyzer.js';
import { jpegWithGps } from '../src/platform/storage/sample-files.js';
import { Browser, leafWithSelect, makeApp, postMultipart, supplier, type TestApp } from './helpers.js';

let t: TestApp;
let visitor: Browser;


const leaf = leafWithSelect();
const option = leaf.select.options![0]!;
/** Another leaf of a different industry, for the category facet. */
const otherLeaf = leafCategories().find((c) => categoryPath(c.id)[0]!.id !== categoryPath(leaf.id)[0]!.id)!;

type Supplier = Awaited<ReturnType<typeof supplier>> & { auth: AuthState };

async function supplierWithAuth(options: Parameters<typeof supplier>[1] = {}): Promise<Supplier> {
  const s = await supplier(t.app, options);
  const account = await t.app.silkline.db.kysely.selectFrom('account').select('id').where('loginNameKey', '=', s.data.loginName.toLowerCase()).executeTakeFirstOrThrow();
  return { ...s, auth: { accountId: account.id, sessionId: 'test', role: 'user', displayName: s.data.contactPerson } };
}

/** Creates a product through the service with the API's own input schema, published unless told otherwise. */
async function product(owner: Supplier, fields: Record<string, unknown> = {}, publish = true): Promise<string> {
  const input = productInput.parse({
    titleZh: 'LED工矿灯 100W 防水IP65',
    titleEn: 'LED high bay light 100W waterproof',
    categoryId: leaf.id,
    attributes: { [leaf.select.key]: option.value },
    moq: 50,
    unit: 'piece',
    currency: 'USD',
    priceTiers: [
      { minQty: 50, price: '12.50' },
      { minQty: 500, price: '10.80' },
    ],
    ...fields,
  });
  const { products } = t.app.silkline;
  const { id } = await products.create(owner.auth, owner.companyId, input);
  if (publish) await products.setStatus(owner.auth, owner.companyId, id, 'published');
  return id;
}

let guangdong: Supplier;
let zhejiang: Supplier;
let flagship: string;

beforeAll(async () => {
  t = await makeApp();
  visitor = new Browser(t.app);
  guangdong = await supplierWithAuth();
  const city = citiesOf('330000')[0]!;
  zhejiang = await supplierWithAuth({
    company: {
      nameZh: '杭州西湖保温器皿有限公司',
      nameEn: 'Hangzhou West Lake Vacuumware Co., Ltd.',
      provinceCode: '330000',
      cityCode: city.code,
      districtCode: districtsOf(city.code)[0]!.code,
      mainProducts: '保温杯，真空保温壶',
    },
  });
  flagship = await product(guangdong, {
    customAttributes: [{ name: '质保', value: '5 年' }],
    leadTimeDays: 15,
    port: '深圳',
    incoterms: ['FOB', 'CIF'],
    description: '铝合金散热器，尺寸 < 50cm，五年质保。',
  });
  const upload = `/shop/${guangdong.companyId}/products/${flagship}/images`;
  for (let i = 0; i < 2; i++) {
    const response = await postMultipart(guangdong.browser, t.app, upload, {}, { field: 'images', name: 'photo.jpg', bytes: await jpegWithGps(), type: 'image/jpeg' });
    expect(response.statusCode).toBe(303);
  }
});

afterAll(async () => {
  await t?.close();
});

/** The parsed JSON-LD of a page; it fails to parse if text in it could have closed the element. */
function jsonLdOf(html: string): Record<string, unknown> {
  const start = html.indexOf('<script type="application/ld+json">');
  expect(start).toBeGreaterThan(-1);
  const from = start + '<script type="application/ld+json">'.length;
  return JSON.parse(html.slice(from, html.indexOf('</script>', from))) as Record<string, unknown>;
}

const productCards = (html: string) => html.match(/class="product-card"/g)?.length ?? 0;

describe('the public product page', () => {
  it('shows the gallery, attributes, price tiers and the supplier card', async () => {
    const page = await visitor.get(`/products/${flagship}`);
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(html).toContain('<h1 lang="zh-CN">LED工矿灯 100W 防水IP65</h1>');
    expect(html).toContain('LED high bay light 100W waterproof');
    // Gallery: every photo has an anchor and an alt text, the thumbnails link to them.
    expect(html).toContain('id="image-1"');
    expect(html).toContain('href="#image-2"');
    expect(html).toMatch(/<img src="\/media\/[^"]+" alt="LED工矿灯 100W 防水IP65（第 1 张，共 2 张）"/);
    // Attributes: the template's label and the option's label in the page language.
    expect(html).toContain(`<th scope="row">${leaf.select.zh}</th><td>${option.zh}</td>`);
    expect(html).toContain('<th scope="row">质保</th><td>5 年</td>');
    // Price tiers, money written the page language's way.
    const usd = (n: number) => new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'USD' }).format(n);
    expect(html).toContain(`<td>50 – 499</td><td>${usd(12.5)}</td>`);
    expect(html).toContain(`<td>≥ 500</td><td>${usd(10.8)}</td>`);
    // Supplier card with the verified badge and a link to the profile.
    expect(html).toContain(`href="/companies/${guangdong.companyId}"`);
    expect(html).toContain('深圳光明照明科技有限公司');
    expect(html).toContain('badge-verified');
    // Breadcrumb of the category path.
    for (const category of categoryPath(leaf.id)) expect(html).toContain(`href="/categories/${category.id}"`);
  });

  it('speaks English with ?lang=en, formats money for it, and names the other title', async () => {
    const html = (await visitor.get(`/products/${flagship}?lang=en`)).body;
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('<h1 lang="en">LED high bay light 100W waterproof</h1>');
    expect(html).toContain('<p class="product-other-title" lang="zh-CN">LED工矿灯 100W 防水IP65</p>');
    expect(html).toContain(`<th scope="row">${leaf.select.en}</th><td>${option.en}</td>`);
    expect(html).toContain('$12.50');
  });

  it('declares its canonical URL and its language alternates', async () => {
    const html = (await visitor.get(`/products/${flagship}?lang=en`)).body;
    const url = `http://localhost:3000/products/${flagship}`;
    expect(html).toContain(`<link rel="canonical" href="${url}"/>`);
    expect(html).toContain(`<link rel="alternate" hreflang="zh-CN" href="${url}?lang=zh-CN"/>`);
    expect(html).toContain(`<link rel="alternate" hreflang="en" href="${url}?lang=en"/>`);
    expect(html).toContain(`<link rel="alternate" hreflang="x-default" href="${url}"/>`);
    // The language switch on such a page goes back without the parameter, which would outrank the choice.
    const next = encodeURIComponent(`/products/${flagship}?lang=en`);
    const switched = await new Browser(t.app).get(`/lang/zh-CN?next=${next}`);
    expect(switched.headers.location).toBe(`/products/${flagship}`);
  });

  it('describes the product as schema.org JSON-LD', async () => {
    const data = jsonLdOf((await visitor.get(`/products/${flagship}`)).body);
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: 'LED工矿灯 100W 防水IP65',
      sku: flagship,
      description: '铝合金散热器，尺寸 < 50cm，五年质保。',
      brand: { '@type': 'Brand', name: '深圳光明照明科技有限公司' },
      offers: { '@type': 'AggregateOffer', lowPrice: '10.8', highPrice: '12.5', priceCurrency: 'USD' },
    });
    expect(data.category).toBe(categoryPath(leaf.id).map((c) => c.zh).join(' > '));
    expect(data.image).toEqual([expect.stringMatching(/^http:\/\/localhost:3000\/media\//), expect.stringMatching(/^http:\/\/localhost:3000\/media\//)]);
  });

  it('keeps text that could close the script element inside the JSON-LD', async () => {
    const id = await product(guangdong, { titleEn: 'Lamp </script><script>alert(1)</script>', priceNegotiable: true, priceTiers: [] });
    const html = (await visitor.get(`/products/${id}?lang=en`)).body;
    expect(html).not.toContain('<script>alert(1)');
    const data = jsonLdOf(html);
    expect(data.name).toBe('Lamp </script><script>alert(1)</script>');
    expect(data.offers).toMatchObject({ '@type': 'Offer' });
    expect(data.offers).not.toHaveProperty('price');
    expect(html).toContain('Price negotiable: ask the supplier for a quote.');
  });

  it('answers 404 for drafts, unpublished products, unverified suppliers and unknown ids', async () => {
    const draft = await product(guangdong, {}, false);
    const withdrawn = await product(guangdong);
    await t.app.silkline.products.setStatus(guangdong.auth, guangdong.companyId, withdrawn, 'unpublished');
    const unverified = await supplierWithAuth({ verified: false });
    const hidden = await product(unverified);
    for (const id of [draft, withdrawn, hidden, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', '..%2F..%2Fetc']) {
      const response = await visitor.get(`/products/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain('<html');
    }
  });
});

describe('category pages', () => {
  it('lists the tree with links to every level', async () => {
    const html = (await visitor.get('/categories')).body;
    for (const category of categoryPath(leaf.id)) expect(html).toContain(`href="/categories/${category.id}"`);
  });

  it('pages through the products of a category and its descendants, newest first', async () => {
    const owner = await supplierWithAuth();
    const ids: string[] = [];
    for (let i = 0; i < 21; i++) ids.push(await product(owner, { categoryId: otherLeaf.id, attributes: {}, titleZh: `分页测试产品 ${i + 1}` }));
    const first = await visitor.get(`/categories/${otherLeaf.id}`);
    expect(first.statusCode).toBe(200);
    expect(productCards(first.body)).toBe(20);
    expect(first.body).toContain(`/products/${ids[20]}`);
    expect(first.body).toContain(`href="/categories/${otherLeaf.id}?page=2" rel="next"`);
    const second = await visitor.get(`/categories/${otherLeaf.id}?page=2`);
    expect(productCards(second.body)).toBe(1);
    expect(second.body).toContain(`/products/${ids[0]}`);
    const root = categoryPath(otherLeaf.id)[0]!;
    expect(productCards((await visitor.get(`/categories/${root.id}`)).body)).toBe(20);
  });

  it('answers 404 for an unknown category and ignores a bad page number', async () => {
    expect((await visitor.get('/categories/no-such-category')).statusCode).toBe(404);
    expect((await visitor.get('/categories/%3Cscript%3E')).statusCode).toBe(404);
    expect((await visitor.get(`/categories/${leaf.id}?page=-3`)).statusCode).toBe(200);
    expect((await visitor.get(`/categories/${leaf.id}?page=abc`)).statusCode).toBe(200);
  });
});

describe('search', () => {
  it('finds a product by a two-character Chinese word and marks it', async () => {
    const html = (await visitor.get(`/search?q=${encodeURIComponent('防水')}`)).body;
    expect(html).toContain(`/products/${flagship}`);
    expect(html).toContain('<mark>防水</mark>');
  });

  it('finds a product by an English word and marks it', async () => {
    const html = (await visitor.get('/search?q=waterproof')).body;
    expect(html).toContain(`/products/${flagship}`);
    expect(html).toMatch(/<mark>waterproof<\/mark>/i);
  });

  it('finds companies on the suppliers tab', async () => {
    const html = (await visitor.get(`/search?type=companies&q=${encodeURIComponent('杭州')}`)).body;
    expect(html).toContain(`href="/companies/${zhejiang.companyId}"`);
    expect(html).toContain('<mark>杭州</mark>');
    expect(html).not.toContain(`href="/companies/${guangdong.companyId}"`);
  });

  it('counts facets and filters by them, keeping the other parameters', async () => {
    const flask = await product(zhejiang, { titleZh: '真空保温杯 500毫升', titleEn: 'Vacuum flask 500ml waterproof', moq: 1000 + 200, priceTiers: [{ minQty: 1200, price: '3.20' }] });
    const html = (await visitor.get('/search?q=waterproof&sort=newest')).body;
    expect(html).toContain(`/products/${flask}`);
    // Province facet: a link per province with its count, keeping the query and the sort.
    expect(html).toMatch(/href="\/search\?q=waterproof&amp;province=330000&amp;sort=newest">[^<]+<\/a> <span class="facet-count">（1）<\/span>/);
    expect(html).toMatch(/href="\/search\?q=waterproof&amp;moq=1000%2B&amp;sort=newest">/);
    const filtered = (await visitor.get('/search?q=waterproof&province=330000&sort=newest')).body;
    expect(filtered).toContain(`/products/${flask}`);
    expect(filtered).not.toContain(`/products/${flagship}"`);
    // The active filter can be removed, and the removal keeps the query.
    expect(filtered).toContain('href="/search?q=waterproof&amp;sort=newest"');
    const byMoq = (await visitor.get('/search?q=waterproof&moq=1000%2B')).body;
    expect(byMoq).toContain(`/products/${flask}`);
    expect(byMoq).not.toContain(`/products/${flagship}"`);
  });

  it('says counts are approximate when they come from a sample of many matches', async () => {
    const { db, products } = t.app.silkline;
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < 1001; i++) {
        await products.index.products.put(trx, { key: `sample-${i}`, tokens: indexTokens('samplemany'), titleTokens: indexTokens('samplemany'), facets: { p: ['440000'], m: ['1-10'] }, boost: 0 });
      }
    });
    const html = (await visitor.get('/search?q=samplemany')).body;
    expect(html).toContain('共找到 1,001 个结果');
    expect(html).toContain('（约 1,000）');
    expect(html).toContain('各项数量按最新的 1,000 个结果估算');
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < 1001; i++) await products.index.products.remove(trx, `sample-${i}`);
    });
  });

  it('shows suggestions when nothing matches', async () => {
    const response = await visitor.get('/search?q=zzqxvkw');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('没有找到与“zzqxvkw”相关的产品');
    expect(response.body).toContain('检查关键词是否有错别字');
    expect(response.body).toContain('href="/categories"');
    expect(response.body).toContain('href="/search?q=zzqxvkw&amp;type=companies"');
  });

  it('answers any query string with a page, never an error', async () => {
    const hostile = [
      '"', "'", '(', ')))', '((a', '[', '{}', 'a AND', 'OR', 'NOT x', 'NEAR(a b)', 'a* OR b*', 'title:led', '^led', '-led', '+led',
      "'; DROP TABLE product; --", "1' OR '1'='1", 'led & | ! :* <-> @@', '#c_x', '\\', '%', '_', '\u0000\u0001\u001f\u007f',
      'x'.repeat(10_000), '防'.repeat(10_000), '<script>alert(1)</script>', '   ', '.', '-', '..', '*',
    ];
    const before = t.logs.length;
    for (const q of hostile) {
      for (const extra of ['', '&type=companies', '&sort=newest&page=999', '&category=%27&province=%22&moq=x']) {
        const response = await visitor.get(`/search?q=${encodeURIComponent(q)}${extra}`);
        expect(response.statusCode, q.slice(0, 40)).toBe(200);
        expect(response.body).not.toContain('<script>alert(1)');
      }
    }
    for (const raw of ['q=a&q=b&type[]=x&page[a]=1', 'q=%', 'q=%E0%A4%A', 'q=%ED%A0%80', 'q=%00', 'q=%F0%9F%98%80%E2%80%AE']) {
      expect((await visitor.get(`/search?${raw}`)).statusCode, raw).toBe(200);
    }
    expect(t.logs.slice(before).join('')).not.toMatch(/"level":50|unexpected error/);
  });
});

describe('crawler files', () => {
  it('index the sitemaps, and a chunk lists public product URLs', async () => {
    const index = await visitor.get('/sitemap.xml');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('application/xml');
    expect(index.body).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(index.body).toContain('<loc>http://localhost:3000/sitemaps/static.xml</loc>');
    expect(index.body).toContain('<loc>http://localhost:3000/sitemaps/products-1.xml</loc>');
    const chunk = await visitor.get('/sitemaps/products-1.xml');
    expect(chunk.statusCode).toBe(200);
    expect(chunk.body).toContain(`<loc>http://localhost:3000/products/${flagship}</loc>`);
    expect(chunk.body).toMatch(/<lastmod>\d{4}-\d\d-\d\dT/);
    const fixed = await visitor.get('/sitemaps/static.xml');
    expect(fixed.body).toContain('<loc>http://localhost:3000/categories</loc>');
    expect(fixed.body).toContain('<loc>http://localhost:3000/companies</loc>');
    for (const url of ['/sitemaps/products-0.xml', '/sitemaps/products-999.xml', '/sitemaps/products-x.xml', '/sitemaps/other.xml']) {
      expect((await visitor.get(url)).statusCode, url).toBe(404);
    }
  });

  it('leave hidden products out of the sitemap', async () => {
    const draft = await product(guangdong, {}, false);
    expect((await visitor.get('/sitemaps/products-1.xml')).body).not.toContain(draft);
  });

  it('serve robots.txt that keeps crawlers out of private areas and names the sitemap', async () => {
    const robots = await visitor.get('/robots.txt');
    expect(robots.statusCode).toBe(200);
    expect(robots.headers['content-type']).toContain('text/plain');
    for (const path of ['/shop', '/account', '/staff', '/api', '/privacy/settings']) expect(robots.body).toContain(`Disallow: ${path}\n`);
    expect(robots.body).toContain('Allow: /\n');
    expect(robots.body).toContain('Sitemap: http://localhost:3000/sitemap.xml');
  });
});
