import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect } from 'kysely';
import { createSearchIndex } from '../src/platform/search/search-index.js';
const file = process.argv[2]!;
const mode = process.argv[3] ?? 'default';
const raw = new SQLite(file);
raw.pragma('journal_mode = WAL');
if (mode.includes('mmap')) raw.pragma('mmap_size = 4294967296');
if (mode.includes('cache')) raw.pragma('cache_size = -65536');
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }), plugins: [new CamelCasePlugin()] });
async function t(label: string, f: () => Promise<unknown> | unknown, n = 40) {
  for (let i = 0; i < 3; i++) await f();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) { const s = performance.now(); await f(); xs.push(performance.now() - s); }
  xs.sort((a, b) => a - b);
  console.log(label.padEnd(40), 'p50', xs[n >> 1]!.toFixed(2), 'p90', xs[Math.floor(n * 0.9)]!.toFixed(2), 'max', xs[n-1]!.toFixed(2));
}
const index = createSearchIndex('product', 'sqlite');
for (const tokens of [['不锈钢'], ['活性染料'], ['time'], ['钢管'], ['不锈钢', '304', '钢管']]) {
  await t(`${mode} ${tokens.join(' ')}`, () => index.search(db, { tokens, sort: 'relevance', offset: 0, limit: 20, facets: ['c', 'p', 'm'] }));
}
await t(`${mode} 不锈钢 #c_machinery`, () => index.search(db, { tokens: ['不锈钢'], filters: { c: 'machinery' }, sort: 'relevance', offset: 0, limit: 20, facets: ['c', 'p', 'm'] }));
await t(`${mode} 不锈钢 #p_440000`, () => index.search(db, { tokens: ['不锈钢'], filters: { p: '440000' }, sort: 'relevance', offset: 0, limit: 20, facets: ['c', 'p', 'm'] }));
