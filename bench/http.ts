/**
 * HTTP benchmark: requests per second of the home page, the sign-in page and a trivial route
 * (/healthz) of one server, plus the cold-start time of `silkline serve`. Loopback only; every
 * loop is bounded in time. Prints a table and ends with one line of JSON.
 *
 *   npm run bench:http -- --duration 5 --connections 10
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

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

async function measure(url: string, route: string): Promise<Row> {
  const result = await autocannon({ url: `${url}${route}`, connections, duration });
  return {
    route,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

/**
 * Starts `silkline serve` in a child process on a fresh data directory and reports the
 * milliseconds from spawn until /readyz answers 200. The server runs apart from the load
 * generator so the two do not share one event loop.
 */
async function startServer(): Promise<{ url: string; coldStartMs: number; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'silkline-bench-'));
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_MAX: '100000000',
  };
  delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { env, stdio: 'ignore' });
  const stop = async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + 60_000;
  while (performance.now() < deadline) {
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) return { url, coldStartMs: Math.round(performance.now() - started), stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await stop();
  throw new Error('server did not become ready within 60 s');
}

async function main() {
  const server = await startServer();
  const rows: Row[] = [];
  try {
    for (const route of ['/healthz', '/', '/sign-in']) rows.push(await measure(server.url, route));
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
  console.log(JSON.stringify({ bench: 'http', connections, durationSeconds: duration, routes: rows, homeToTrivialRatio: Number(ratio.toFixed(3)), coldStartMs }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
