import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidateLimit, cleanToken, createSearchIndex, type SearchDocument, type SearchIndex } from '../src/platform/search/search-index.js';
import { makeApp, type TestApp } from './helpers.js';

// The same documents and the same expected answers on SQLite (FTS5) and PostgreSQL (tsvector):
// the suite runs on both engines, so these literal expectations are the parity test.
let t: TestApp;
let index: SearchIndex;
const db = () => t.app.silkline.db.kysely;

function doc(key: string, title: string, body: string, facets: SearchDocument['facets'], boost = 0): SearchDocument {
  const titleTokens = title.split(' ');
  return { key, tokens: [...titleTokens, ...body.split(' ')], titleTokens, facets, boost };
}

const corpus: SearchDocument[] = [
  doc('d1', '不锈钢 钢管 304', '无缝 工业', { c: ['metals', 'metals.pipe'], p: ['330000'], m: ['11-100'] }),
  doc('d2', 'led 工矿灯 100w', '不锈钢 外壳 ip65', { c: ['lighting', 'lighting.highbay'], p: ['440000'], m: ['1-10'] }, 40),
  doc('d3', '不锈钢 保温杯 500ml', '304 内胆', { c: ['home', 'home.cup'], p: ['330000'], m: ['101-1000'] }, 10),
  doc('d4', '光伏 单晶硅 组件', 'solar panel 不锈钢 支架', { c: ['energy', 'energy.solar'], p: ['320000'], m: ['11-100'] }),
  doc('d5', 'm8x20 螺栓', '不锈钢 304 紧固件', { c: ['metals', 'metals.fastener'], p: ['330000'], m: ['1000+'] }, 20),
  doc('d6', 'led 投光灯 ip65', '户外 照明', { c: ['lighting', 'lighting.flood'], p: ['440000'], m: ['1-10'] }, 5),
];

beforeAll(async () => {
  t = await makeApp();
  index = createSearchIndex('product', t.app.silkline.db.engine);
  for (const d of corpus) await index.put(db(), d);
});
afterAll(async () => {
  await t.close();
});

const search = (tokens: string[], extra: Partial<Parameters<SearchIndex['search']>[1]> = {}) =>
  index.search(db(), { tokens, sort: 'relevance', offset: 0, limit: 10, facets: ['c', 'p', 'm'], ...extra });

describe('the search index', () => {
  it('ranks title matches above matches elsewhere, then by boost, then newest', async () => {
    const found = await search(['不锈钢']);
    // d1, d3 have it in the title (d3 has the higher boost); d5, d2, d4 only in the body.
    expect(found.keys).toEqual(['d3', 'd1', 'd2', 'd5', 'd4']);
    expect(found.total).toBe(5);
    expect(found.totalIsLowerBound).toBe(false);
  });

  it('requires every term and keeps specs whole', async () => {
    expect((await search(['不锈钢', '304'])).keys).toEqual(['d1', 'd3', 'd5']);
    expect((await search(['m8x20'])).keys).toEqual(['d5']);
    expect((await search(['led', 'ip65'])).keys).toEqual(['d6', 'd2']);
    expect((await search(['不存在'])).keys).toEqual([]);
  });

  it('counts facets over the matches and filters by them', async () => {
    const found = await search(['不锈钢']);
    expect(found.facets.p).toEqual([
      { value: '330000', count: 3 },
      { value: '320000', count: 1 },
      { value: '440000', count: 1 },
    ]);
    expect(found.facets.c?.find((f) => f.value === 'metals')).toEqual({ value: 'metals', count: 2 });
    expect(found.facetsAreSampled).toBe(false);
    const filtered = await search(['不锈钢'], { filters: { c: 'metals', p: '330000' } });
    expect(filtered.keys).toEqual(['d1', 'd5']);
    expect((await search([], { filters: { c: 'lighting' }, sort: 'newest' })).keys).toEqual(['d6', 'd2']);
    expect((await search([], { filters: { m: '1000+' } })).keys).toEqual(['d5']);
  });

  it('sorts by newest and pages', async () => {
    expect((await search(['不锈钢'], { sort: 'newest' })).keys).toEqual(['d5', 'd4', 'd3', 'd2', 'd1']);
    expect((await search(['不锈钢'], { sort: 'newest', offset: 2, limit: 2 })).keys).toEqual(['d3', 'd2']);
  });

  it('follows edits and removals in place', async () => {
    await index.put(db(), doc('d4', '光伏 逆变器', '并网', { c: ['energy', 'energy.inverter'], p: ['320000'], m: ['1-10'] }));
    expect((await search(['不锈钢'])).keys).not.toContain('d4');
    expect((await search(['逆变器'])).keys).toEqual(['d4']);
    await index.remove(db(), 'd6');
    expect((await search(['led'])).keys).toEqual(['d2']);
    await index.remove(db(), 'never-indexed');
    // Re-indexing keeps a document's place in the newest order.
    expect((await search([], { sort: 'newest' })).keys).toEqual(['d5', 'd4', 'd3', 'd2', 'd1']);
  });

  it('bulk-loads new documents with putMany exactly as put would store them', async () => {
    const bulk = createSearchIndex('company', t.app.silkline.db.engine);
    const one = (key: string, title: string, c: string) => doc(key, title, '不锈钢 body', { p: [c] }, 10);
    await bulk.putMany(db(), [one('b1', 'bulk 钢管', '330000'), one('b2', 'bulk 水泵', '440000'), one('b3', 'bulk 钢管 水泵', '440000')]);
    const found = await bulk.search(db(), { tokens: ['bulk'], sort: 'relevance', offset: 0, limit: 10, facets: ['p'] });
    expect(found.keys).toEqual(['b3', 'b2', 'b1']);
    expect(found.facets.p).toEqual([
      { value: '440000', count: 2 },
      { value: '330000', count: 1 },
    ]);
    expect((await bulk.search(db(), { tokens: ['钢管'], filters: { p: '440000' }, sort: 'relevance', offset: 0, limit: 10 })).keys).toEqual(['b3']);
    // A later put of the same key updates it in place, as after put.
    await bulk.put(db(), one('b1', 'bulk 轴承', '330000'));
    expect((await bulk.search(db(), { tokens: ['钢管'], sort: 'newest', offset: 0, limit: 10 })).keys).toEqual(['b3']);
    for (const key of ['b1', 'b2', 'b3']) await bulk.remove(db(), key);
  });

  it('treats hostile tokens as words, never as query syntax', async () => {
    const hostile = ['"', 'AND', 'OR', 'NOT', 'NEAR(', '*', '^', ':', "'", '&', '|', '!', '(', ')', '{', '}', "'; drop table product_search; --", '\\', '\u0000', 'x'.repeat(5000)];
    for (const token of hostile) {
      const found = await search([token]);
      expect(found.keys).toEqual([]);
    }
    expect(cleanToken('Ｍ8-20；')).toBe('m8-20');
    expect((await search(['不锈钢', '"'])).keys).toEqual(['d3', 'd1', 'd2', 'd5']);
  });

  it('bounds the candidates it ranks and says when counts are sampled', async () => {
    const many = createSearchIndex('company', t.app.silkline.db.engine);
    const docs = Array.from({ length: candidateLimit + 30 }, (_, i) => doc(`c${i}`, `common w${i}`, 'body', { p: [i % 2 ? '440000' : '330000'] }, i % 7));
    await db().transaction().execute(async (trx) => {
      for (const d of docs) await many.put(trx, d);
    });
    const found = await many.search(db(), { tokens: ['common'], sort: 'relevance', offset: 0, limit: 5, facets: ['p'] });
    expect(found.total).toBe(candidateLimit + 30);
    expect(found.facetsAreSampled).toBe(true);
    expect(found.reachable).toBe(candidateLimit);
    expect(found.facets.p!.reduce((sum, f) => sum + f.count, 0)).toBe(candidateLimit);
    // Newest-first pages go past the candidates.
    const deep = await many.search(db(), { tokens: ['common'], sort: 'newest', offset: candidateLimit + 25, limit: 10 });
    expect(deep.keys).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
  });
});
