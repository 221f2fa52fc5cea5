import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { searchQuery } from '../src/modules/products/schema.js';
import * as repo from '../src/modules/products/repo.js';
const file = process.argv[2]!;
const base = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/sbprof' });
const app = await buildApp({ ...base, database: { kind: 'sqlite', file } }, { logStream: new Writable({ write: (_c, _e, d) => d() }) });
const db = app.silkline.db.kysely;
if (process.argv[3] === 'mmap') await sql`pragma mmap_size = 4294967296`.execute(db);
async function t(label: string, f: () => Promise<unknown>, n = 60) {
  for (let i = 0; i < 3; i++) await f();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) { const s = performance.now(); await f(); xs.push(performance.now() - s); }
  xs.sort((a, b) => a - b);
  console.log(label.padEnd(40), 'p50', xs[n >> 1]!.toFixed(2), 'p90', xs[Math.floor(n * 0.9)]!.toFixed(2), 'max', xs[n - 1]!.toFixed(2));
}
const products = app.silkline.products;
for (const q of ['不锈钢', '活性染料', '钢管']) {
  const params = searchQuery.parse({ q });
  const found = await products.index.products.search(db, { tokens: [q], sort: 'relevance', offset: 0, limit: 20 });
  const ids = found.keys;
  await t(`${q} service`, () => products.search(params));
  await t(`${q} index`, () => products.index.products.search(db, { tokens: [q], sort: 'relevance', offset: 0, limit: 20, facets: ['c', 'p', 'm'] }));
  await t(`${q} findProducts`, () => repo.findProducts(db, ids));
  await t(`${q} listCovers`, () => repo.listCovers(db, ids));
  const rows = await repo.findProducts(db, ids);
  const companyIds = [...new Set(rows.map((r) => r.companyId))];
  await t(`${q} findForIndex x${companyIds.length}`, async () => { for (const id of companyIds) await app.silkline.companies.findForIndex(db, id); });
}
await app.close();
