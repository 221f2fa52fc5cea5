/**
 * HTTP benchmark: requests per second of the home page, the sign-in page and a trivial route
 * (/healthz) of one server, plus the cold-start time of `silkline serve`. Loopback only; every
 * loop is bounded in time. Prints a table and ends with one line of JSON.
 *
 *   npm run bench:http -- --duration 5 --connections 10
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const root = join(import.meta.dirname, '..');

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
  },
});
const duration = Math.min(Math.max(Number(values.duration) || 5, 1), 60);
const connections = Math.min(Math.max(Number(values.connections) || 10, 1), 100);

interface Row {
  route: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

async function measure(url: string, route: string, seconds = duration): Promise<Row> {
  const result = await autocannon({ url: `${url}${route}`, connections, duration: seconds });
  return {
    route,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

/** A loopback port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `silkline serve` in a child process on a fresh data directory and reports the
 * milliseconds from spawn until /readyz answers 200. The server runs apart from the load
 * generator so the two do not share one event loop.
 */
async function startServer(): Promise<{ url: string; coldStartMs: number; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'silkline-bench-'));
  const port = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_MAX: '100000000',
  };
  // The embedded default: SQLite in the temporary directory, no Redis, mail kept in the outbox.
  for (const name of ['DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'SMTP_URL']) delete env[name];
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { cwd: root, env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (!hasExited()) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + 60_000;
  while (performance.now() < deadline && !hasExited()) {
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return { url, coldStartMs: Math.round(performance.now() - started), stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const reason = hasExited() ? `server exited (code ${child.exitCode}, signal ${child.signalCode})` : 'server did not become ready within 60 s';
  await stop();
  throw new Error(reason);
}

async function main() {
  const server = await startServer();
  const rows: Row[] = [];
  const routes = ['/healthz', '/', '/sign-in'];
  try {
    // One second on each route first, so the figures do not include the warm-up of the JIT.
    for (const route of routes) await measure(server.url, route, 1);
    for (const route of routes) rows.push(await measure(server.url, route));
  } finally {
    await server.stop();
  }
  const { coldStartMs } = server;

  const trivial = rows[0]!.requestsPerSecond;
  const home = rows[1]!.requestsPerSecond;
  const ratio = trivial > 0 ? home / trivial : 0;
  console.log(`\nSilkline HTTP benchmark: ${connections} connections, ${duration} s per route, Node ${process.version}\n`);
  console.log('| route | requests/s | p50 ms | p99 ms | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(`| ${row.route} | ${row.requestsPerSecond} | ${row.p50Ms} | ${row.p99Ms} | ${row.non2xx} |`);
  console.log(`\nhome page / trivial route: ${(ratio * 100).toFixed(1)}% (goal: at least 50%) ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
  console.log(`cold start (spawn to /readyz 200): ${coldStartMs} ms\n`);
  console.log(JSON.stringify({ bench: 'http', node: process.version, connections, durationSeconds: duration, routes: rows, homeToTrivialRatio: Number(ratio.toFixed(3)), homeGoalMet: ratio >= 0.5, coldStartMs }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
