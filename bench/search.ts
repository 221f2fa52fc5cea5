/**
 * Search benchmark: builds a realistic catalogue (default 1,000,000 products of 50,000 companies,
 * see search-catalogue.ts) in a real, freshly migrated app database and measures p50/p95/p99 of a
 * fixed query mix through the products service (what a /search request costs), through the bare
 * index, and as the naive `LIKE '%term%'` scan for comparison. SQLite and PostgreSQL; prints the
 * build times, database sizes and tables, and ends with one line of JSON.
 *
 *   npm run bench:search -- --size 100000 --engine sqlite --runs 30
 *
 * Flags: --size (products, default 1,000,000), --companies (default size / 20), --engine
 * sqlite|postgres|both, --runs (timed runs of each query, default 50), --like-runs (of the LIKE
 * scan, default 2), --seed, --keep (keep the SQLite file or PostgreSQL database for inspection),
 * --pg-url (a PostgreSQL URL allowed to create databases; default DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres).
 *
 * Goal at 1M products on SQLite: p95 ≤ 30 ms and p99 ≤ 60 ms for every query class.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import type { Database } from '../src/database.js';
import { createScratchDatabase } from '../src/platform/db/scratch-database.js';
import { ancestorIds, leafCategories } from '../src/modules/catalogue/index.js';
import { companyDocument, productDocument } from '../src/modules/products/indexing.js';
import { searchQuery, type SearchParams } from '../src/modules/products/schema.js';
import { queryTokens } from '../src/platform/search/analyzer.js';
import { cleanToken, createSearchIndex, type SearchDocument } from '../src/platform/search/search-index.js';
import { createCatalogue, mulberry32 } from './search-catalogue.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1000000' },
    companies: { type: 'string' },
    engine: { type: 'string', default: 'both' },
    runs: { type: 'string', default: '50' },
    'like-runs': { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
    seed: { type: 'string', default: '20261129' },
    'pg-url': { type: 'string' },
  },
});
const size = Math.min(Math.max(Math.round(Number(values.size)) || 1_000_000, 1_000), 10_000_000);
const companyCount = Math.min(Math.max(Math.round(Number(values.companies)) || Math.round(size / 20), 10), size);
const runs = Math.min(Math.max(Math.round(Number(values.runs)) || 50, 5), 10_000);
const likeRuns = Math.min(Math.max(Math.round(Number(values['like-runs'])) || 2, 1), 100);
const seed = Math.round(Number(values.seed)) || 20261129;
const engineNames = ['sqlite', 'postgres'] as const;
type EngineName = (typeof engineNames)[number];
const engines: EngineName[] = engineNames.filter((name) => values.engine === 'both' || values.engine === name);
if (engines.length === 0) {
  console.error('--engine must be sqlite, postgres or both');
  process.exit(2);
}
const environment = loadConfig();
const adminUrl = values['pg-url'] ?? (environment.database.kind === 'postgres' ? environment.database.url : 'postgres://postgres@127.0.0.1:5432/postgres');
const pageSize = 20;
/** Rows per transaction while loading (SQLite) or per batch (PostgreSQL). */
const batchSize = 10_000;
const goal = { p95Ms: 30, p99Ms: 60 };

interface Target {
  app: FastifyInstance;
  db: Kysely<Database>;
  engine: EngineName;
  bytes(): Promise<number>;
  close(): Promise<void>;
  /** Where the SQLite file or the PostgreSQL database stays with --keep. */
  kept: string;
}

/** A freshly migrated app on a temporary SQLite file or a PostgreSQL database of its own. */
async function openTarget(engine: EngineName): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'silkline-bench-search-'));
  const base = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
  const cleanups: (() => Promise<void> | void)[] = [];
  let database: Config['database'];
  if (engine === 'postgres') {
    const scratch = await createScratchDatabase(adminUrl, 'silkline_bench');
    database = { kind: 'postgres', url: scratch.url, schema: scratch.schema };
    if (!values.keep) cleanups.push(() => scratch.drop());
  } else {
    database = { kind: 'sqlite', file: join(dataDir, 'silkline.db') };
  }
  if (engine === 'postgres' || !values.keep) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const kept = database.kind === 'sqlite' ? database.file : `${database.url} (schema silkline; drop the database when done)`;
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = await buildApp({ ...base, database, dataDir, ledgerDir: join(dataDir, 'ledger') }, { logStream: silent });
  const db = app.silkline.db.kysely;
  return {
    app,
    db,
    engine,
    kept,
    async bytes() {
      if (database.kind === 'sqlite') {
        return ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (existsSync(database.file + suffix) ? statSync(database.file + suffix).size : 0), 0);
      }
      const { rows } = await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },
    async close() {
      await app.close();
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

interface BuildTimes {
  generateMs: number;
  loadRowsMs: number;
  analyseMs: number;
  indexWriteMs: number;
  /** PostgreSQL: the GIN index built once after loading. */
  ginBuildMs?: number;
  /** PostgreSQL: VACUUM ANALYZE after loading. */
  analyzeMs?: number;
  totalMs: number;
}

/**
 * Loads the catalogue in large transactions with multi-row inserts and indexes every product
 * through productDocument and index.putMany, exactly the tokens the app would write. Returns the
 * document frequency of every token, from which the rare query terms are chosen.
 */
async function loadCatalogue(target: Target): Promise<{ times: BuildTimes; frequency: Map<string, number> }> {
  const { db, engine } = target;
  const started = performance.now();
  const times: BuildTimes = { generateMs: 0, loadRowsMs: 0, analyseMs: 0, indexWriteMs: 0, totalMs: 0 };
  const products = createSearchIndex('product', engine);
  const companyIndex = createSearchIndex('company', engine);
  const frequency = new Map<string, number>();
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return elapsed;
  };

  const catalogue = createCatalogue({ seed, companies: companyCount, start: new Date('2024-01-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z') });
  times.generateMs += lap();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < catalogue.companies.length; i += 500) {
      await trx.insertInto('company').values(catalogue.companies.slice(i, i + 500).map((c) => c.row)).execute();
    }
    times.loadRowsMs += lap();
    const documents = catalogue.companies.filter((c) => c.indexed.isPublic).map((c) => companyDocument(c.indexed));
    times.analyseMs += lap();
    await companyIndex.putMany(trx, documents);
    times.indexWriteMs += lap();
  });

  // PostgreSQL builds a GIN index far faster in one go than row by row.
  if (engine === 'postgres') await sql`drop index product_fts_doc`.execute(db);
  lap();
  const companies = new Map(catalogue.companies.map((c) => [c.indexed.id, c.indexed]));
  for (let start = 0; start < size; start += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, size - start) }, (_, i) => catalogue.product(start + i, size));
    times.generateMs += lap();
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < batch.length; i += 500) {
        await trx.insertInto('product').values(batch.slice(i, i + 500).map((p) => p.row)).execute();
      }
      times.loadRowsMs += lap();
      const documents: SearchDocument[] = batch.map((p) => productDocument(p.row, companies.get(p.row.companyId)!, p.imageCount));
      times.analyseMs += lap();
      await products.putMany(trx, documents);
      times.indexWriteMs += lap();
      for (const doc of documents) {
        for (const token of new Set(doc.tokens.map(cleanToken))) frequency.set(token, (frequency.get(token) ?? 0) + 1);
      }
      lap();
    });
    if (process.stderr.isTTY) process.stderr.write(`\r${engine}: ${start + batch.length} / ${size} products`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');

  if (engine === 'postgres') {
    await db.connection().execute(async (connection) => {
      // As an operator would for a bulk build; the default 64 MB makes GIN spill to disk.
      await sql`set maintenance_work_mem = '512MB'`.execute(connection);
      lap();
      await sql`create index product_fts_doc on product_fts using gin (doc)`.execute(connection);
      times.ginBuildMs = lap();
      await sql`vacuum analyze`.execute(connection);
      times.analyzeMs = lap();
    });
  }
  times.totalMs = performance.now() - started;
  return { times, frequency };
}

type QueryClass = 'common' | 'rare' | 'twoChar' | 'english' | 'mixed' | 'facets' | 'newest' | 'page5';
const classNames: Record<QueryClass, string> = {
  common: 'very common terms',
  rare: 'rare terms (< 0.1%)',
  twoChar: 'two-character Chinese',
  english: 'English words',
  mixed: 'mixed queries',
  facets: 'facet filters',
  newest: 'newest first',
  page5: 'page 5',
};

interface BenchQuery {
  queryClass: QueryClass;
  label: string;
  params: SearchParams;
}

/** The largest top-level category and one of its leaves, for the facet queries. */
function facetCategory(): { root: string; leaf: string } {
  const leaves = leafCategories();
  const roots = new Map<string, number>();
  for (const leaf of leaves) roots.set(ancestorIds(leaf.id)[0]!, (roots.get(ancestorIds(leaf.id)[0]!) ?? 0) + 1);
  const root = [...roots].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  return { root, leaf: leaves.find((l) => ancestorIds(l.id)[0] === root)!.id };
}

/**
 * The fixed mix. Rare terms are read off the loaded catalogue (found in fewer than 0.1% of the
 * products), picked with the seed so the same catalogue gives the same queries.
 */
function queryMix(frequency: Map<string, number>): BenchQuery[] {
  const q = (queryClass: QueryClass, text: string, extra: Record<string, string> = {}): BenchQuery => {
    const params = searchQuery.parse({ q: text, ...extra });
    const label = [text || '(no text)', ...Object.entries(extra).map(([k, v]) => `${k}=${v}`)].join(' ');
    return { queryClass, label, params };
  };
  const random = mulberry32(seed);
  // Words a buyer would type: the tokens of the vocabularies' nouns, modifiers and specs.
  const words = new Set(leafCategories().flatMap((l) => [...l.vocabulary.nouns, ...l.vocabulary.modifiers].flatMap((t) => [...queryTokens(t.zh), ...queryTokens(t.en)]).concat(l.vocabulary.specs.flatMap(queryTokens))));
  const ceiling = size * 0.001;
  const floor = Math.max(1, size * 0.0001);
  const rare = [...words].filter((token) => (frequency.get(token) ?? 0) >= floor && (frequency.get(token) ?? 0) < ceiling).sort();
  const rareTerms = [/^\p{Script=Han}+$/u, /^[a-z]{3,}$/, /\d/].flatMap((kind) => {
    const list = rare.filter((t) => kind.test(t));
    return list.length ? [list[Math.floor(random() * list.length)]!] : [];
  });
  // Two-character words of the trade, those the catalogue has.
  const twoChar = ['钢管', '水泵', '轴承', '阀门', '电机', '灯具', '面料', '开关', '插座', '电缆'].filter((w) => (frequency.get(w) ?? 0) > 0).slice(0, 4);
  const { root, leaf } = facetCategory();
  return [
    q('common', '不锈钢'),
    q('common', 'led'),
    q('common', '304'),
    ...rareTerms.map((term) => q('rare', term)),
    ...twoChar.map((word) => q('twoChar', word)),
    q('english', 'stainless'),
    q('english', 'pump'),
    q('english', 'solar panel'),
    q('mixed', 'LED工矿灯 100W'),
    q('mixed', '不锈钢 304 钢管'),
    q('facets', '不锈钢', { category: root }),
    q('facets', '不锈钢', { province: '440000' }),
    q('facets', '不锈钢', { moq: '11-100' }),
    q('facets', '', { category: leaf }),
    q('newest', '不锈钢', { sort: 'newest' }),
    q('newest', 'led', { sort: 'newest' }),
    q('page5', '不锈钢', { page: '5' }),
    q('page5', 'pump', { page: '5' }),
  ];
}

/** The naive approach: substring scans over the titles, newest first, and a count of the same. */
function likeQuery(engine: EngineName, params: SearchParams): { page: RawBuilder<{ id: string }>; count: RawBuilder<{ n: number | string }> } {
  const like = engine === 'postgres' ? sql.raw('ilike') : sql.raw('like');
  const conditions: RawBuilder<unknown>[] = [sql`p.status = 'published'`, sql`c.status = 'verified'`];
  for (const word of params.q.split(/\s+/).filter(Boolean)) {
    const pattern = `%${word.replace(/[%_\\]/g, '')}%`;
    conditions.push(sql`(p.title_zh ${like} ${pattern} or p.title_en ${like} ${pattern})`);
  }
  if (params.category) {
    const ids = leafCategories().filter((l) => ancestorIds(l.id).includes(params.category!)).map((l) => l.id);
    conditions.push(sql`p.category_id in (${sql.join(ids)})`);
  }
  if (params.province) conditions.push(sql`c.province_code = ${params.province}`);
  if (params.moq) {
    const [low, high] = { '1-10': [1, 10], '11-100': [11, 100], '101-1000': [101, 1000], '1000+': [1001, 2_000_000_000] }[params.moq];
    conditions.push(sql`p.moq between ${low} and ${high}`);
  }
  const where = sql.join(conditions, sql` and `);
  const from = sql`product p join company c on c.id = p.company_id`;
  return {
    page: sql<{ id: string }>`select p.id from ${from} where ${where} order by p.published_at desc limit ${pageSize} offset ${(params.page - 1) * pageSize}`,
    count: sql<{ n: number | string }>`select count(*) as n from ${from} where ${where}`,
  };
}

interface Stats {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  const mean = sorted.reduce((sum, n) => sum + n, 0) / Math.max(1, sorted.length);
  return { samples: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), mean: round(mean), max: round(sorted.at(-1) ?? 0) };
}

type Path = 'service' | 'index' | 'like';

interface QueryResult {
  queryClass: QueryClass;
  query: string;
  matches: number;
  matchesIsLowerBound: boolean;
  likeMatches: number;
  service: Stats;
  index: Stats;
  like: Stats;
}

/** Times every query on the three paths; runs interleave the queries so none has the cache to itself. */
async function measure(target: Target, mix: BenchQuery[]) {
  const { db, engine } = target;
  const products = target.app.silkline.products;
  const index = createSearchIndex('product', engine);
  const bare = (params: SearchParams) =>
    index.search(db, {
      tokens: queryTokens(params.q),
      filters: { c: params.category, p: params.province, m: params.moq },
      sort: params.sort,
      offset: (params.page - 1) * pageSize,
      limit: pageSize,
      facets: ['c', 'p', 'm'],
    });
  const like = async (params: SearchParams) => {
    const { page, count } = likeQuery(engine, params);
    const [, counted] = await Promise.all([page.execute(db), count.execute(db)]);
    return Number(counted.rows[0]?.n ?? 0);
  };
  const samples: Record<Path, number[][]> = { service: mix.map(() => []), index: mix.map(() => []), like: mix.map(() => []) };
  const time = async (path: Path, i: number, run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    samples[path][i]!.push(performance.now() - started);
  };
  // Warm-up: every query a few times on each path, unmeasured.
  for (let w = 0; w < 3; w++) {
    for (const query of mix) {
      await products.search(query.params);
      await bare(query.params);
    }
  }
  for (let r = 0; r < runs; r++) {
    for (const [i, query] of mix.entries()) {
      await time('service', i, () => products.search(query.params));
      await time('index', i, () => bare(query.params));
    }
  }
  // A scan of the whole table each: a few runs say enough, without a warm-up of their own.
  const likeMatches: number[] = [];
  for (let r = 0; r < likeRuns; r++) {
    for (const [i, query] of mix.entries()) {
      await time('like', i, async () => {
        likeMatches[i] = await like(query.params);
      });
    }
  }
  const results: QueryResult[] = [];
  for (const [i, query] of mix.entries()) {
    const found = await bare(query.params);
    results.push({
      queryClass: query.queryClass,
      query: query.label,
      matches: found.total,
      matchesIsLowerBound: found.totalIsLowerBound,
      likeMatches: likeMatches[i]!,
      service: stats(samples.service[i]!),
      index: stats(samples.index[i]!),
      like: stats(samples.like[i]!),
    });
  }
  const classes = (Object.keys(classNames) as QueryClass[])
    .filter((c) => mix.some((q) => q.queryClass === c))
    .map((queryClass) => {
      const of = (path: Path) => stats(mix.flatMap((q, i) => (q.queryClass === queryClass ? samples[path][i]! : [])));
      const service = of('service');
      return {
        queryClass,
        queries: mix.filter((q) => q.queryClass === queryClass).length,
        service,
        index: of('index'),
        like: of('like'),
        goalMet: service.p95 <= goal.p95Ms && service.p99 <= goal.p99Ms,
      };
    });
  return { queries: results, classes };
}

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const seconds = (n: number | undefined) => (n === undefined ? '–' : `${(n / 1000).toFixed(1)} s`);
const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function benchEngine(engine: EngineName) {
  const target = await openTarget(engine);
  try {
    const { times, frequency } = await loadCatalogue(target);
    const bytes = await target.bytes();
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from product_search`.execute(target.db);
    const indexed = Number(rows[0]?.n ?? 0);
    const stainlessShare = (frequency.get('不锈钢') ?? 0) / size;
    const loadBefore = loadavg()[0]!;
    const result = await measure(target, queryMix(frequency));
    // Other processes on the machine show up in the tail latencies; the load average says if there were any.
    const load = { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) };

    console.log(`\n## ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ${size.toLocaleString('en')} products of ${companyCount.toLocaleString('en')} companies\n`);
    console.log(`indexed products: ${indexed.toLocaleString('en')}; 不锈钢 in ${(stainlessShare * 100).toFixed(1)}% of them`);
    console.log(
      `build: ${seconds(times.totalMs)} (generate ${seconds(times.generateMs)}, load rows ${seconds(times.loadRowsMs)}, analyse ${seconds(times.analyseMs)}, ` +
        `write index ${seconds(times.indexWriteMs)}${times.ginBuildMs !== undefined ? `, GIN build ${seconds(times.ginBuildMs)}, vacuum analyze ${seconds(times.analyzeMs)}` : ''})`,
    );
    console.log(`database size: ${megabytes(bytes)}${engine === 'sqlite' ? ' (file + WAL)' : ' (pg_database_size)'}`);
    console.log(`runs: ${runs} per query (LIKE: ${likeRuns}), after 3 warm-up runs; load average ${load.before} before, ${load.after} after\n`);
    console.log('| query class | queries | p50 ms | p95 ms | p99 ms | mean ms | index only p95 ms | LIKE p50 ms | LIKE / service (p50) | goal |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const c of result.classes) {
      console.log(
        `| ${classNames[c.queryClass]} | ${c.queries} | ${ms(c.service.p50)} | ${ms(c.service.p95)} | ${ms(c.service.p99)} | ${ms(c.service.mean)} | ${ms(c.index.p95)} | ${ms(c.like.p50)} | ${(c.like.p50 / Math.max(0.01, c.service.p50)).toFixed(0)}× | ${c.goalMet ? 'met' : 'NOT met'} |`,
      );
    }
    console.log('\n| query | class | matches | p50 ms | p95 ms | p99 ms | LIKE p50 ms | LIKE matches |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of result.queries) {
      console.log(`| ${r.query} | ${r.queryClass} | ${r.matches}${r.matchesIsLowerBound ? '+' : ''} | ${ms(r.service.p50)} | ${ms(r.service.p95)} | ${ms(r.service.p99)} | ${ms(r.like.p50)} | ${r.likeMatches} |`);
    }
    if (values.keep) console.log(`\nkept: ${target.kept}`);
    return { engine, indexed, stainlessShare: Number(stainlessShare.toFixed(4)), build: roundAll(times), databaseBytes: bytes, loadAverage: load, ...result, goalMet: result.classes.every((c) => c.goalMet) };
  } finally {
    await target.close();
  }
}

function roundAll<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v) : v])) as T;
}

async function main() {
  console.log(`Silkline search benchmark: Node ${process.version}, ${availableParallelism()} cores, seed ${seed}, goal p95 ≤ ${goal.p95Ms} ms and p99 ≤ ${goal.p99Ms} ms per class (service path)`);
  const results = [];
  for (const engine of engines) results.push(await benchEngine(engine));
  console.log(JSON.stringify({ bench: 'search', node: process.version, cores: availableParallelism(), size, companies: companyCount, runs, likeRuns, seed, goal, engines: results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
