import { sql, SqliteAdapter, type Kysely, type Migration, type QueryExecutorProvider } from 'kysely';
import { technical, type DataMap } from '../privacy/data-map.js';

/**
 * One full-text index per collection (products, companies), over tokens the analyser made in
 * TypeScript, so both engines see exactly the same words:
 *
 * - `<collection>_search` (both engines): one row per document with an integer `doc_id` that
 *   orders documents by first indexing, the title's tokens, facet values and a static boost.
 * - `<collection>_fts`: SQLite FTS5 (contentless, detail=none) or a PostgreSQL tsvector with GIN,
 *   holding the tokens plus one `#facet_value` token per facet value, so facet filters are index
 *   lookups too.
 *
 * A query takes the newest `candidateLimit` matches (both engines can stop early in doc_id order),
 * ranks them in TypeScript (title matches first, then the boost, then newness) and counts facets
 * over them. Plain bm25 over every match of a term found in a quarter of a million rows is what
 * this avoids; bench/search.ts measures the difference. The ranking being in TypeScript is also
 * why results are identical on both engines.
 */

/** Facet name → the values a document has (a category and its ancestors, say). */
export type FacetValues = Record<string, readonly string[]>;

export interface SearchDocument {
  /** The owner's id for the document (a product id). */
  key: string;
  /** Every searchable token (title, attributes, description, company …). */
  tokens: readonly string[];
  /** The title's tokens; a query term found here ranks above one found only elsewhere. */
  titleTokens: readonly string[];
  facets: FacetValues;
  /** A static quality rank, 0–100 (verified supplier, photos, completeness). */
  boost: number;
}

export interface SearchQuery {
  /** All must match; an empty list browses by the filters alone. */
  tokens: readonly string[];
  /** Facet name → the one value to keep. */
  filters?: Readonly<Record<string, string | undefined>>;
  sort: 'relevance' | 'newest';
  offset: number;
  limit: number;
  /** Facets to count over the candidates. */
  facets?: readonly string[];
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  /** How many documents match, counted up to `totalLimit`. */
  total: number;
  /** True when there are more matches than `total` says. */
  totalIsLowerBound: boolean;
  /** Document keys of the requested page, best first. */
  keys: string[];
  /** Counted over the candidates (all matches when there are at most `candidateLimit`). */
  facets: Record<string, FacetCount[]>;
  /** True when the facet counts come from the newest `candidateLimit` matches only. */
  facetsAreSampled: boolean;
  /** How far relevance-ordered pages can go (the candidate set). */
  reachable: number;
}

export interface SearchIndex {
  readonly collection: string;
  put(db: QueryExecutorProvider, doc: SearchDocument): Promise<void>;
  /** Adds many documents not yet in the index, in order, with multi-row inserts (bulk loads). */
  putMany(db: QueryExecutorProvider, docs: readonly SearchDocument[]): Promise<void>;
  remove(db: QueryExecutorProvider, key: string): Promise<void>;
  search(db: QueryExecutorProvider, query: SearchQuery): Promise<SearchResult>;
}

export const candidateLimit = 1000;
export const totalLimit = 10_000;

interface CandidateRow {
  docId: number | string;
  docKey: string;
  titleTokens: string;
  facets: string;
  boost: number;
}

/**
 * Keeps only what both engines treat as one word (letters, digits and `._-` inside specs); the
 * analyser already produces such tokens, this guards the query syntax whatever a caller passes.
 */
export function cleanToken(token: string): string {
  return token.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}._-]/gu, '').slice(0, 64);
}

function facetToken(name: string, value: string): string {
  return `#${cleanToken(name)}_${cleanToken(value)}`;
}

function documentTokens(doc: SearchDocument): string[] {
  const words = doc.tokens.map(cleanToken).filter(Boolean);
  const facets = Object.entries(doc.facets).flatMap(([name, values]) => values.map((value) => facetToken(name, value)));
  return [...new Set([...words, ...facets])];
}

function queryTerms(query: SearchQuery): string[] {
  const words = query.tokens.map(cleanToken).filter(Boolean);
  const filters = Object.entries(query.filters ?? {}).flatMap(([name, value]) => (value ? [facetToken(name, value)] : []));
  return [...new Set([...words, ...filters])];
}

/** The document's row in `<collection>_search`, as put() and putMany() write it. */
function documentRow(doc: SearchDocument): { titleTokens: string; facets: string; boost: number } {
  return {
    titleTokens: [...new Set(doc.titleTokens.map(cleanToken).filter(Boolean))].join(' '),
    facets: encodeFacets(doc.facets),
    boost: Math.max(0, Math.min(100, Math.round(doc.boost))),
  };
}

/** Facet values are stored as `name=value` lines on the document row, for counting candidates. */
function encodeFacets(facets: FacetValues): string {
  return Object.entries(facets)
    .flatMap(([name, values]) => values.map((value) => `${name}=${value}`))
    .join('\n');
}

function rank(rows: CandidateRow[], words: readonly string[], sort: SearchQuery['sort']): CandidateRow[] {
  const byNewest = (a: CandidateRow, b: CandidateRow) => Number(b.docId) - Number(a.docId);
  if (sort === 'newest' || words.length === 0) return [...rows].sort(byNewest);
  const scored = rows.map((row) => {
    // Tokens never hold a space, so a padded substring test is a whole-token match, without
    // building a Set for each of the candidates.
    const title = ` ${row.titleTokens} `;
    const inTitle = words.filter((word) => title.includes(` ${word} `)).length;
    // Title hits dominate; the boost orders documents that match alike.
    return { row, score: inTitle * 1000 + (inTitle === words.length ? 500 : 0) + row.boost };
  });
  scored.sort((a, b) => b.score - a.score || byNewest(a.row, b.row));
  return scored.map((s) => s.row);
}

function countFacets(rows: CandidateRow[], names: readonly string[]): Record<string, FacetCount[]> {
  const counts: Record<string, Map<string, number>> = Object.fromEntries(names.map((name) => [name, new Map()]));
  for (const row of rows) {
    if (!row.facets) continue;
    for (const line of row.facets.split('\n')) {
      const at = line.indexOf('=');
      const bucket = counts[line.slice(0, at)];
      if (bucket) bucket.set(line.slice(at + 1), (bucket.get(line.slice(at + 1)) ?? 0) + 1);
    }
  }
  return Object.fromEntries(
    Object.entries(counts).map(([name, map]) => [
      name,
      [...map].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
    ]),
  );
}

/** The engine-specific part: how to match, count and store tokens. */
interface Engine {
  /** PostgreSQL counts on a second pooled connection while the candidates load; SQLite runs one statement at a time. */
  readonly countsAlongside: boolean;
  candidates(db: QueryExecutorProvider, terms: string[], limit: number, offset: number): Promise<CandidateRow[]>;
  count(db: QueryExecutorProvider, terms: string[]): Promise<number>;
  storeTokens(db: QueryExecutorProvider, docId: number, tokens: string[], isNew: boolean): Promise<void>;
  /** Stores the tokens of documents new to the index in one statement. */
  storeNewTokens(db: QueryExecutorProvider, docs: { docId: number; tokens: string[] }[]): Promise<void>;
  removeTokens(db: QueryExecutorProvider, docId: number): Promise<void>;
}

const ident = (name: string) => sql.id(name);

function sqliteEngine(collection: string): Engine {
  const fts = `${collection}_fts`;
  const docs = `${collection}_search`;
  const match = (terms: string[]) => terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND ');
  return {
    countsAlongside: false,
    async candidates(db, terms, limit, offset) {
      const matched =
        terms.length > 0
          ? sql`select rowid as doc_id from ${ident(fts)} where ${ident(fts)} match ${match(terms)} order by rowid desc limit ${limit} offset ${offset}`
          : sql`select doc_id from ${ident(docs)} order by doc_id desc limit ${limit} offset ${offset}`;
      const { rows } = await sql<CandidateRow>`
        with m as (${matched})
        select d.doc_id, d.doc_key, d.title_tokens, d.facets, d.boost
        from m join ${ident(docs)} d on d.doc_id = m.doc_id
        order by d.doc_id desc`.execute(db);
      return rows;
    },
    async count(db, terms) {
      const matched =
        terms.length > 0
          ? sql`select rowid from ${ident(fts)} where ${ident(fts)} match ${match(terms)} limit ${totalLimit + 1}`
          : sql`select doc_id from ${ident(docs)} limit ${totalLimit + 1}`;
      const { rows } = await sql<{ n: number }>`select count(*) as n from (${matched})`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },
    async storeTokens(db, docId, tokens, isNew) {
      if (!isNew) await sql`delete from ${ident(fts)} where rowid = ${docId}`.execute(db);
      await sql`insert into ${ident(fts)} (rowid, tokens) values (${docId}, ${tokens.join(' ')})`.execute(db);
    },
    async storeNewTokens(db, docs) {
      const values = docs.map((d) => sql`(${d.docId}, ${d.tokens.join(' ')})`);
      await sql`insert into ${ident(fts)} (rowid, tokens) values ${sql.join(values)}`.execute(db);
    },
    async removeTokens(db, docId) {
      await sql`delete from ${ident(fts)} where rowid = ${docId}`.execute(db);
    },
  };
}

function postgresEngine(collection: string): Engine {
  const fts = `${collection}_fts`;
  const docs = `${collection}_search`;
  // Tokens are cleaned to letters, digits and `._-#`, so quoting each one is enough to make
  // the tsquery literal; `::tsquery` takes quoted lexemes as they are, without a parser.
  const tsquery = (terms: string[]) => terms.map((t) => `'${t}'`).join(' & ');
  return {
    countsAlongside: true,
    async candidates(db, terms, limit, offset) {
      const { rows } =
        terms.length > 0
          ? await sql<CandidateRow>`
              select d.doc_id, d.doc_key, d.title_tokens, d.facets, d.boost
              from ${ident(fts)} f join ${ident(docs)} d on d.doc_id = f.doc_id
              where f.doc @@ ${tsquery(terms)}::tsquery
              order by f.doc_id desc limit ${limit} offset ${offset}`.execute(db)
          : await sql<CandidateRow>`
              select doc_id, doc_key, title_tokens, facets, boost from ${ident(docs)}
              order by doc_id desc limit ${limit} offset ${offset}`.execute(db);
      return rows;
    },
    async count(db, terms) {
      const matched =
        terms.length > 0
          ? sql`select 1 from ${ident(fts)} where doc @@ ${tsquery(terms)}::tsquery limit ${totalLimit + 1}`
          : sql`select 1 from ${ident(docs)} limit ${totalLimit + 1}`;
      const { rows } = await sql<{ n: string }>`select count(*) as n from (${matched}) as m`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },
    async storeTokens(db, docId, tokens) {
      await sql`
        insert into ${ident(fts)} (doc_id, doc) values (${docId}, array_to_tsvector(${tokens}::text[]))
        on conflict (doc_id) do update set doc = excluded.doc`.execute(db);
    },
    async storeNewTokens(db, docs) {
      const values = docs.map((d) => sql`(${d.docId}, array_to_tsvector(${d.tokens}::text[]))`);
      await sql`insert into ${ident(fts)} (doc_id, doc) values ${sql.join(values)}`.execute(db);
    },
    async removeTokens(db, docId) {
      await sql`delete from ${ident(fts)} where doc_id = ${docId}`.execute(db);
    },
  };
}

/**
 * The index of one collection on the given engine; its tables come from `searchMigration`.
 * @example const index = createSearchIndex('product', db.engine); await index.put(trx, doc)
 */
export function createSearchIndex(collection: string, engine: 'sqlite' | 'postgres'): SearchIndex {
  const impl = engine === 'sqlite' ? sqliteEngine(collection) : postgresEngine(collection);
  const docs = `${collection}_search`;

  /** The newest candidates and how many documents match; fewer candidates than asked for are all of them. */
  async function matchAndCount(db: QueryExecutorProvider, terms: string[]): Promise<[CandidateRow[], number]> {
    if (impl.countsAlongside) return Promise.all([impl.candidates(db, terms, candidateLimit, 0), impl.count(db, terms)]);
    const candidates = await impl.candidates(db, terms, candidateLimit, 0);
    return [candidates, candidates.length < candidateLimit ? candidates.length : await impl.count(db, terms)];
  }

  return {
    collection,
    async put(db, doc) {
      const tokens = documentTokens(doc);
      const row = documentRow(doc);
      const { rows: existing } = await sql<{ docId: number }>`select doc_id from ${ident(docs)} where doc_key = ${doc.key}`.execute(db);
      let docId = existing[0] ? Number(existing[0].docId) : undefined;
      if (docId !== undefined) {
        await sql`update ${ident(docs)} set title_tokens = ${row.titleTokens}, facets = ${row.facets}, boost = ${row.boost} where doc_id = ${docId}`.execute(db);
      } else {
        const { rows } = await sql<{ docId: number }>`
          insert into ${ident(docs)} (doc_key, title_tokens, facets, boost)
          values (${doc.key}, ${row.titleTokens}, ${row.facets}, ${row.boost}) returning doc_id`.execute(db);
        docId = Number(rows[0]!.docId);
      }
      await impl.storeTokens(db, docId, tokens, existing.length === 0);
    },
    async putMany(db, documents) {
      // 500 rows keep every statement well below both engines' limits on bound parameters.
      for (let start = 0; start < documents.length; start += 500) {
        const chunk = documents.slice(start, start + 500);
        const values = chunk.map((doc) => {
          const row = documentRow(doc);
          return sql`(${doc.key}, ${row.titleTokens}, ${row.facets}, ${row.boost})`;
        });
        const { rows } = await sql<{ docId: number; docKey: string }>`
          insert into ${ident(docs)} (doc_key, title_tokens, facets, boost) values ${sql.join(values)} returning doc_id, doc_key`.execute(db);
        const ids = new Map(rows.map((r) => [r.docKey, Number(r.docId)]));
        await impl.storeNewTokens(
          db,
          chunk.map((doc) => ({ docId: ids.get(doc.key)!, tokens: documentTokens(doc) })),
        );
      }
    },
    async remove(db, key) {
      const { rows } = await sql<{ docId: number }>`select doc_id from ${ident(docs)} where doc_key = ${key}`.execute(db);
      if (!rows[0]) return;
      await impl.removeTokens(db, Number(rows[0].docId));
      await sql`delete from ${ident(docs)} where doc_id = ${rows[0].docId}`.execute(db);
    },
    async search(db, query) {
      const terms = queryTerms(query);
      const words = query.tokens.map(cleanToken).filter(Boolean);
      if (query.tokens.length > 0 && words.length === 0) {
        return { total: 0, totalIsLowerBound: false, keys: [], facets: {}, facetsAreSampled: false, reachable: 0 };
      }
      const [candidates, counted] = await matchAndCount(db, terms);
      const total = Math.min(counted, totalLimit);
      const sampled = counted > candidates.length;
      let keys: string[];
      if (query.sort === 'newest' && query.offset + query.limit > candidates.length && sampled) {
        // Newest-first pages past the candidates come straight from the index, in doc_id order.
        keys = (await impl.candidates(db, terms, query.limit, query.offset)).map((row) => row.docKey);
      } else {
        keys = rank(candidates, words, query.sort)
          .slice(query.offset, query.offset + query.limit)
          .map((row) => row.docKey);
      }
      return {
        total,
        totalIsLowerBound: counted > totalLimit,
        keys,
        facets: countFacets(candidates, query.facets ?? []),
        facetsAreSampled: sampled,
        reachable: query.sort === 'newest' ? total : Math.min(total, candidates.length),
      };
    },
  };
}

/**
 * The migration creating a collection's index tables on whichever engine runs it.
 * @example export const productsMigrations = { '20261129T1000_product_search': searchMigration('product') }
 */
export function searchMigration(collection: string): Migration {
  const docs = `${collection}_search`;
  const fts = `${collection}_fts`;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before any table type exists
    async up(db: Kysely<any>) {
      const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
      await db.schema
        .createTable(docs)
        .addColumn('doc_id', isSqlite ? 'integer' : 'bigserial', (c) => c.primaryKey())
        .addColumn('doc_key', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('title_tokens', 'text', (c) => c.notNull())
        .addColumn('facets', 'text', (c) => c.notNull())
        .addColumn('boost', 'integer', (c) => c.notNull())
        .execute();
      if (isSqlite) {
        await sql`create virtual table ${ident(fts)} using fts5(tokens, content='', contentless_delete=1, detail=none, tokenize="unicode61 remove_diacritics 0 tokenchars '#._-'")`.execute(db);
      } else {
        await sql`create table ${ident(fts)} (doc_id bigint primary key references ${ident(docs)} (doc_id) on delete cascade, doc tsvector not null)`.execute(db);
        await sql`create index ${ident(`${fts}_doc`)} on ${ident(fts)} using gin (doc)`.execute(db);
      }
    },
  };
}

/** The data-map entries of a collection's document table (derived, non-personal search data). */
export function searchDataMap(collection: string): DataMap {
  const derived = technical('search index derived from published listings', 'while-listed');
  return {
    [`${collection}_search`]: {
      doc_id: technical('orders search documents'),
      doc_key: technical('links a search document to its listing'),
      title_tokens: derived,
      facets: derived,
      boost: derived,
    },
  };
}

/** Tables holding engine-specific search tokens (FTS5 and its shadow tables, or the tsvector table). */
export function isSearchTokenTable(table: string): boolean {
  return /_fts(_(data|idx|config|docsize|content))?$/.test(table);
}
