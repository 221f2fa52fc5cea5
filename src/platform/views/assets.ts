import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';

const staticDir = fileURLToPath(new URL('./assets/', import.meta.url));
const clientDir = fileURLToPath(new URL('../../client/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Asset {
  body: Buffer;
  type: string;
  url: string;
}

export interface AssetTable {
  /** Logical name (`site.css`, `register.js`) → hashed public URL. */
  url(name: string): string;
  byFile: Map<string, Asset>;
}

function hashed(name: string, body: Buffer): Asset {
  const ext = extname(name);
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { body, type: contentTypes[ext] ?? 'application/octet-stream', url: `/assets/${name.slice(0, -ext.length)}.${digest}${ext}` };
}

/** Bundles the client islands (src/client/*.ts[x]) and fingerprints every static asset. */
async function buildAssets(): Promise<AssetTable> {
  const byName = new Map<string, Asset>();
  for (const file of await readdir(staticDir)) {
    byName.set(file, hashed(file, await readFile(join(staticDir, file))));
  }
  const entries = (await readdir(clientDir)).filter((f) => /^[\w-]+\.tsx?$/.test(f) && !f.includes('.test.'));
  if (entries.length > 0) {
    const result = await build({
      entryPoints: entries.map((f) => join(clientDir, f)),
      bundle: true,
      write: false,
      format: 'esm',
      target: 'es2020',
      minify: true,
      outdir: '/out',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      logLevel: 'silent',
      legalComments: 'none',
    });
    for (const output of result.outputFiles) {
      const name = output.path.split('/').pop()!;
      byName.set(name, hashed(name, Buffer.from(output.contents)));
    }
  }
  const byFile = new Map([...byName.values()].map((asset) => [asset.url.slice('/assets/'.length), asset]));
  return {
    byFile,
    url(name) {
      const asset = byName.get(name);
      if (!asset) throw new Error(`Unknown asset ${name}`);
      return asset.url;
    },
  };
}

let shared: Promise<AssetTable> | null = null;

/** Builds the assets once per process (tests build many apps) and serves them immutable. */
export async function registerAssets(app: FastifyInstance): Promise<AssetTable> {
  shared ??= buildAssets();
  const table = await shared;
  app.get<{ Params: { file: string } }>(
    '/assets/:file',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (request, reply) => {
      const asset = table.byFile.get(request.params.file);
      if (!asset) return reply.callNotFound();
      return reply
        .header('content-type', asset.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(asset.body);
    },
  );
  return table;
}
