import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { retentionJobs } from '../src/retention.js';

const dataDir = mkdtempSync(join(tmpdir(), 'silkline-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ARGON2_MEMORY_KIB: '1024', ...options.env };
  delete env.DATABASE_URL;
  if (options.env?.DATABASE_URL) env.DATABASE_URL = options.env.DATABASE_URL;
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env, input: options.input ?? '', encoding: 'utf8', timeout: 60_000 });
}

// Each case starts the real CLI in a child process (a few seconds each on a small machine).
describe('the command line', { timeout: 180_000 }, () => {
  it('exits at once on a bad setting, naming the variable', () => {
    const result = cli(['serve'], { env: { PORT: 'eighty' } });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT');
  });

  it('creates the first administrator with a password read from standard input, and grants roles', async () => {
    const missing = cli(['create-admin', '--login', 'site_admin']);
    expect(missing.status).toBe(2);

    const weak = cli(['create-admin', '--login', 'site_admin', '--email', 'admin@example.cn', '--mobile', '13500135000', '--name', '管理员'], { input: 'password\n' });
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('太容易被猜到');

    const created = cli(['create-admin', '--login', 'site_admin', '--email', 'admin@example.cn', '--mobile', '13500135000', '--name', '管理员'], {
      input: 'slate harbour lantern 31\n',
    });
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toContain('site_admin');

    expect(cli(['grant-role', '--login', 'site_admin', '--role', 'emperor']).status).toBe(2);
    expect(cli(['grant-role', '--login', 'site_admin', '--role', 'reviewer']).status).toBe(0);

    const app = await buildApp({ ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }) });
    try {
      const row = await app.silkline.db.kysely
        .selectFrom('account')
        .select(['role', 'emailVerifiedAt', 'passwordHash'])
        .where('loginNameKey', '=', 'site_admin')
        .executeTakeFirstOrThrow();
      expect(row.role).toBe('reviewer');
      expect(row.emailVerifiedAt).not.toBeNull();
      expect(row.passwordHash.startsWith('$argon2id$')).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('migrates and reports it', () => {
    const result = cli(['migrate']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Migrations applied.');
  });

  it('runs every retention job on request', () => {
    const result = cli(['retention']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Retention run finished (${retentionJobs.length} jobs).`);
  });

  it('rebuilds the search indexes on request', () => {
    const result = cli(['reindex']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Search indexes rebuilt');
  });
});
