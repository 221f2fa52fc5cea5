import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A PostgreSQL database made for one test run or benchmark, with the tables' schema in it. */
export interface ScratchDatabase {
  url: string;
  schema: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database of its own (so catalog queries never meet another run's objects being
 * dropped), with a `silkline` schema as DATABASE_SCHEMA gives in production.
 * @example const scratch = await createScratchDatabase('postgres://postgres@127.0.0.1/test', 't'); … await scratch.drop();
 */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await run(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await run(url.toString(), 'create schema silkline');
  return { url: url.toString(), schema: 'silkline', drop: () => run(adminUrl, `drop database ${name} with (force)`) };
}
