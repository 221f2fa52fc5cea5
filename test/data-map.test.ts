import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isSearchTokenTable } from '../src/platform/search/search-index.js';
import { Browser, make, useTestApp } from './helpers.js';

const t = useTestApp();

/** Every table and column of the migrated schema, read from the engine itself. */
async function schemaColumns(): Promise<Map<string, string[]>> {
  const { db, config } = t.app.silkline;
  const rows =
    db.engine === 'sqlite'
      ? (
          await sql<{ table: string; column: string }>`
            select m.name as "table", p.name as "column"
            from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite_%'`.execute(db.kysely)
        ).rows
      : (
          await sql<{ table: string; column: string }>`
            select table_name as "table", column_name as "column"
            from information_schema.columns
            where table_schema = ${config.database.kind === 'postgres' ? (config.database.schema ?? 'public') : ''}`.execute(db.kysely)
        ).rows;
  const tables = new Map<string, string[]>();
  for (const { table, column } of rows) {
    // Engine-specific token tables (FTS5 and its shadow tables, or the tsvector table) hold only
    // words derived from listings the data map declares; they differ between engines.
    if (table.startsWith('kysely_migration') || isSearchTokenTable(table)) continue;
    tables.set(table, [...(tables.get(table) ?? []), column]);
  }
  return tables;
}

describe('the data map', () => {
  it('declares every column of every table in the migrated schema', async () => {
    const { dataMap } = t.app.silkline;
    const tables = await schemaColumns();
    expect(tables.size).toBeGreaterThanOrEqual(5);
    const undeclared = [...tables].flatMap(([table, columns]) =>
      columns.filter((column) => !dataMap[table]?.[column]).map((column) => `${table}.${column}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('declares no column that the schema lacks', async () => {
    const tables = await schemaColumns();
    const stale = Object.entries(t.app.silkline.dataMap).flatMap(([table, columns]) =>
      Object.keys(columns).filter((column) => !tables.get(table)?.includes(column)).map((column) => `${table}.${column}`),
    );
    expect(stale).toEqual([]);
  });

  it('gives every personal column a purpose, a legal basis and a retention', () => {
    for (const [table, columns] of Object.entries(t.app.silkline.dataMap)) {
      for (const [column, c] of Object.entries(columns)) {
        if (!c.personal) continue;
        expect({ column: `${table}.${column}`, ok: c.purpose.length > 3 && c.basis !== 'none' && c.retention.length > 1 }).toEqual({
          column: `${table}.${column}`,
          ok: true,
        });
      }
    }
  });

  it('has a provider for every table that holds personal data', () => {
    const covered = new Set(t.app.silkline.providers.flatMap((p) => Object.keys(p.describe())));
    const personalTables = Object.entries(t.app.silkline.dataMap)
      .filter(([, columns]) => Object.values(columns).some((c) => c.personal))
      .map(([table]) => table);
    expect(personalTables.filter((table) => !covered.has(table))).toEqual([]);
  });
});

describe('personal-data providers', () => {
  it('export everything held about a person and erase it', async () => {
    const browser = new Browser(t.app);
    const data = make.registration();
    await browser.post('/register', data);
    const { accounts, providers, db } = t.app.silkline;
    const account = await db.kysely.selectFrom('account').select('id').where('email', '=', data.email).executeTakeFirstOrThrow();
    await accounts.setRole(data.loginName, 'reviewer');

    const exported = await Promise.all(providers.map((p) => p.export(account.id)));
    const byName = Object.fromEntries(exported.map((e) => [e.provider, e.records]));
    expect(byName.accounts?.account).toEqual([
      expect.objectContaining({ loginName: data.loginName, email: data.email, mobile: '+8613800138000', contactPerson: data.contactPerson }),
    ]);
    expect(JSON.stringify(byName.accounts)).not.toContain('argon2');
    expect(byName.accounts?.tokens).toHaveLength(1);
    expect(byName.mail?.messages).toEqual([expect.objectContaining({ recipient: data.email, kind: 'verify-email' })]);

    for (const provider of providers) await provider.erase(account.id);
    const after = await Promise.all(providers.map((p) => p.export(account.id)));
    for (const result of after) {
      for (const records of Object.values(result.records)) expect(records).toEqual([]);
    }
    expect(JSON.stringify(await db.kysely.selectFrom('mailOutbox').selectAll().execute())).not.toContain(data.email);
  });
});
