import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../../config.js';

export type Engine = 'sqlite' | 'postgres';

/** A Kysely handle plus what callers need to know about the engine behind it. */
export interface Db<T> {
  kysely: Kysely<T>;
  engine: Engine;
  /** Answers when the database can run a query; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Either the root handle or an open transaction: repos take this first. */
export type Executor<T> = Kysely<T> | Transaction<T>;

/**
 * Opens the configured database: an embedded SQLite file (WAL, foreign keys on) or PostgreSQL.
 * `onIdleError` hears of pooled PostgreSQL connections lost while idle; the pool replaces them.
 * @example const db = openDb<Database>(config.database)
 */
export function openDb<T>(database: Config['database'], onIdleError: (error: Error) => void = () => undefined): Db<T> {
  const plugins = [new CamelCasePlugin()];
  let kysely: Kysely<T>;
  if (database.kind === 'sqlite') {
    if (database.file !== ':memory:') mkdirSync(dirname(database.file), { recursive: true });
    const sqlite = new SQLite(database.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    // 64 MiB of page cache (the driver's default is 16 MB): a search joins its newest 1,000
    // candidates to their rows, and those pages then stay in memory for the next search
    // (bench/search.ts: about 15% less time per search at a million products).
    sqlite.pragma('cache_size = -65536');
    kysely = new Kysely<T>({ dialect: new SqliteDialect({ database: sqlite }), plugins });
  } else {
    const pool = new pg.Pool({
      connectionString: database.url,
      max: 10,
      ...(database.schema ? { options: `-c search_path=${database.schema}` } : {}),
    });
    // An idle connection the server ends (restart, failover, a terminated backend) is reported
    // here; without a listener the pool's 'error' event would end the process.
    pool.on('error', onIdleError);
    kysely = new Kysely<T>({ dialect: new PostgresDialect({ pool }), plugins });
  }
  return {
    kysely,
    engine: database.kind,
    ping: async () => {
      await sql`select 1`.execute(kysely);
    },
    close: () => kysely.destroy(),
  };
}

/** Rows count as a number on both engines (Postgres returns bigint counts as strings). */
export function toCount(value: string | number | bigint | null | undefined): number {
  return Number(value ?? 0);
}
