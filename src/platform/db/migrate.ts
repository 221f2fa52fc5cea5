import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** Migrations keyed by a timestamped name (`20261129T0900_accounts`), gathered from every owner. */
export type MigrationSet = Record<string, Migration>;

class StaticProvider implements MigrationProvider {
  constructor(private readonly migrations: MigrationSet) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(this.migrations);
  }
}

/**
 * Applies every pending migration in name order; throws with the failing migration's name.
 * @example await migrateToLatest(db.kysely, allMigrations)
 */
export async function migrateToLatest(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before any table type exists
  db: Kysely<any>,
  migrations: MigrationSet,
  /** Postgres: the schema that holds the migration bookkeeping (others may exist in the database). */
  schema?: string,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(migrations),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    // Rare non-Error throws are shown as String() shows them; JSON.stringify would throw on cycles.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
