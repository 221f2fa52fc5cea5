import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requestContext } from '../http/context.js';
import { registerCsrf } from '../http/csrf.js';
import { registerErrorHandling } from '../http/error-handler.js';
import { mergeCatalogs } from '../i18n/i18n.js';
import { platformMessages } from '../i18n/messages.js';
import { createLocalFileStore } from './local-file-store.js';
import { registerMultipart, uploadedFile } from './multipart.js';
import * as samples from './sample-files.js';
import { acceptUpload } from './uploads.js';

const MB = 1024 * 1024;

interface Part {
  name: string;
  type: string;
  bytes: Buffer;
}

/** Encodes a form the way a browser does (undici's FormData serialiser). */
async function multipart(fields: [string, string | Part][]) {
  const form = new FormData();
  for (const [key, value] of fields) {
    if (typeof value === 'string') form.append(key, value);
    else form.append(key, new Blob([new Uint8Array(value.bytes)], { type: value.type }), value.name);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

/** Every file below a directory (none when it does not exist yet). */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * The platform plugins in the order src/app.ts registers them, plus two routes: one that takes
 * a document the way a module will, one that never opted in to multipart.
 */
async function buildUploadApp(storeDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie, { secret: 'a test secret that is long enough to sign' });
  await app.register(formbody);
  await registerMultipart(app, { maxFileBytes: 10 * MB });
  await app.register(requestContext, {
    catalog: mergeCatalogs([platformMessages]),
    visitorPages: new Map(),
    assets: { url: (name) => `/assets/${name}`, byFile: new Map() },
    showDevMailbox: false,
    isProduction: false,
  });
  await registerCsrf(app, false);
  registerErrorHandling(app);

  const files = createLocalFileStore({ dir: storeDir });
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/api/csrf-token', async (_request, reply) => ({ token: reply.generateCsrf() }));
  const handler = (maxBytes: number) =>
    async (request: { body: { document: z.infer<typeof uploadedFile> } }) => {
      const upload = await acceptUpload(request.body.document.bytes, { allowed: ['pdf', 'jpeg', 'png', 'webp'], maxBytes });
      const file = await files.put(upload, { visibility: 'private' });
      return { id: file.id, mime: file.mime, size: file.size, filename: request.body.document.filename };
    };
  // A body schema drops unknown keys before the CSRF preHandler runs, so a form's token is declared.
  const body = z.object({ _csrf: z.string().optional(), title: z.string().max(200).optional(), document: uploadedFile });
  api.post('/api/documents', { config: { upload: true }, schema: { body } }, handler(10 * MB));
  api.post('/api/avatars', { config: { upload: { maxFileBytes: MB } }, schema: { body } }, handler(MB));
  api.post('/api/notes', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('multipart uploads', () => {
  let root: string;
  let storeDir: string;
  let app: FastifyInstance;
  let csrfCookie: string;
  let token: string;

  /** Posts a form with the CSRF cookie; `_csrf` is added unless `withToken` is false. */
  async function post(url: string, fields: [string, string | Part][], options: { withToken?: boolean; headers?: Record<string, string> } = {}) {
    const form = await multipart(options.withToken === false ? fields : [['_csrf', token], ...fields]);
    return app.inject({
      method: 'POST',
      url,
      headers: { cookie: csrfCookie, 'content-type': form.contentType, ...options.headers },
      payload: form.payload,
    });
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'silkline-uploads-'));
    storeDir = join(root, 'files');
    app = await buildUploadApp(storeDir);
    const response = await app.inject({ method: 'GET', url: '/api/csrf-token' });
    csrfCookie = String(response.headers['set-cookie']).split(';')[0]!;
    token = response.json<{ token: string }>().token;
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => rmSync(storeDir, { recursive: true, force: true }));

  it('refuses a multipart form without a CSRF token with 403 and stores nothing', async () => {
    const response = await post('/api/documents', [['document', { name: 'licence.pdf', type: 'application/pdf', bytes: samples.minimalPdf() }]], { withToken: false });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('CSRF_INVALID');
    expect(await filesUnder(storeDir)).toEqual([]);
  });

  it('refuses a multipart form whose CSRF token is wrong', async () => {
    const response = await post('/api/documents', [['_csrf', 'forged'], ['document', { name: 'licence.pdf', type: 'application/pdf', bytes: samples.minimalPdf() }]], { withToken: false });
    expect(response.statusCode).toBe(403);
  });

  it('accepts a real PDF with the CSRF token in the form and stores it unchanged', async () => {
    const pdf = samples.minimalPdf();
    const response = await post('/api/documents', [['title', '营业执照'], ['document', { name: 'licence.pdf', type: 'application/pdf', bytes: pdf }]]);
    expect(response.statusCode).toBe(200);
    const { id, mime, filename } = response.json();
    expect([mime, filename]).toEqual(['application/pdf', 'licence.pdf']);
    const stored = await createLocalFileStore({ dir: storeDir }).get(id);
    expect(stored.bytes.equals(pdf)).toBe(true);
  });

  it('accepts the CSRF token in the x-csrf-token header and stores a JPEG without its EXIF', async () => {
    const response = await post('/api/documents', [['document', { name: 'photo.jpg', type: 'image/jpeg', bytes: await samples.jpegWithGps() }]], {
      withToken: false,
      headers: { 'x-csrf-token': token },
    });
    expect(response.statusCode).toBe(200);
    const stored = await createLocalFileStore({ dir: storeDir }).get(response.json().id);
    const metadata = await sharp(stored.bytes).metadata();
    expect([metadata.format, metadata.exif, metadata.icc]).toEqual(['jpeg', undefined, undefined]);
    expect(stored.bytes.includes('SilklineCam')).toBe(false);
  });

  it.each([
    ['PNG', 'logo.png', samples.png, 'image/png'],
    ['WebP', 'logo.webp', samples.webp, 'image/webp'],
  ])('keeps a %s as it is sent', async (_kind, name, make, mime) => {
    const response = await post('/api/documents', [['document', { name, type: mime, bytes: await make() }]]);
    expect(response.statusCode).toBe(200);
    expect(response.json().mime).toBe(mime);
  });

  it('refuses an executable renamed licence.pdf with 415 and stores nothing', async () => {
    const response = await post('/api/documents', [['document', { name: 'licence.pdf', type: 'application/pdf', bytes: samples.executable() }]], {
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'This file type is not accepted. Allowed: PDF / JPEG / PNG / WebP.',
    });
    expect(await filesUnder(storeDir)).toEqual([]);
  });

  it('refuses a shell script renamed licence.pdf with 415', async () => {
    const response = await post('/api/documents', [['document', { name: 'licence.pdf', type: 'application/pdf', bytes: samples.shellScript() }]]);
    expect(response.statusCode).toBe(415);
    expect(await filesUnder(storeDir)).toEqual([]);
  });

  it('refuses an 11 MB file against a 10 MB limit with 413 and a localised message, storing nothing', async () => {
    const big = Buffer.concat([samples.minimalPdf(), Buffer.alloc(11 * MB)]);
    const document: Part = { name: 'big.pdf', type: 'application/pdf', bytes: big };
    const zh = await post('/api/documents', [['document', document]]);
    expect(zh.statusCode).toBe(413);
    expect(zh.json().error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: '文件过大，不能超过 10 MB。' });
    const en = await post('/api/documents', [['document', document]], { headers: { 'accept-language': 'en' } });
    expect(en.json().error.message).toBe('The file is too large: at most 10 MB.');
    expect(await filesUnder(storeDir)).toEqual([]);
  });

  it('holds a route to its own lower limit', async () => {
    const response = await post('/api/avatars', [['document', { name: 'a.png', type: 'image/png', bytes: Buffer.concat([await samples.png(), Buffer.alloc(2 * MB)]) }]], {
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toBe('The file is too large: at most 1 MB.');
  });

  it('refuses a text file called image.jpg with 415', async () => {
    const response = await post('/api/documents', [['document', { name: 'image.jpg', type: 'image/jpeg', bytes: samples.plainText() }]]);
    expect(response.statusCode).toBe(415);
    expect(await filesUnder(storeDir)).toEqual([]);
  });

  it('refuses a zero-byte file with 400', async () => {
    const response = await post('/api/documents', [['document', { name: 'empty.pdf', type: 'application/pdf', bytes: Buffer.alloc(0) }]], {
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({ code: 'BAD_REQUEST', message: 'The file is empty. Please choose another one.' });
    expect(await filesUnder(storeDir)).toEqual([]);
  });

  it('treats an untouched file input as a missing file', async () => {
    // What a browser sends for a file input nobody used: an empty part with an empty file name.
    const payload = [
      '--b0undary',
      'Content-Disposition: form-data; name="_csrf"',
      '',
      token,
      '--b0undary',
      'Content-Disposition: form-data; name="document"; filename=""',
      'Content-Type: application/octet-stream',
      '',
      '',
      '--b0undary--',
      '',
    ].join('\r\n');
    const response = await app.inject({
      method: 'POST',
      url: '/api/documents',
      headers: { cookie: csrfCookie, 'content-type': 'multipart/form-data; boundary=b0undary' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(response.json().error.fields)).toEqual(['document']);
  });

  it('keeps only the last segment of a file name and never uses it on disk', async () => {
    const response = await post('/api/documents', [['document', { name: '../../etc/passwd.pdf', type: 'application/pdf', bytes: samples.minimalPdf() }]]);
    expect(response.statusCode).toBe(200);
    expect(response.json().filename).toBe('passwd.pdf');
    const onDisk = await filesUnder(storeDir);
    expect(onDisk.every((path) => path.startsWith(storeDir) && !path.includes('passwd'))).toBe(true);
  });

  it('refuses more than five files with 413', async () => {
    const pdf: Part = { name: 'a.pdf', type: 'application/pdf', bytes: samples.minimalPdf() };
    const response = await post('/api/documents', Array.from({ length: 6 }, () => ['document', pdf] as [string, Part]), {
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toBe('At most 5 files can be uploaded at once.');
    expect(await filesUnder(storeDir)).toEqual([]);
  });

  it('refuses a text field over 100 KB instead of cutting it short', async () => {
    const response = await post('/api/documents', [['title', 'x'.repeat(101 * 1024)], ['document', { name: 'a.pdf', type: 'application/pdf', bytes: samples.minimalPdf() }]]);
    expect(response.statusCode).toBe(413);
  });

  it('refuses more than 50 text fields with 413', async () => {
    const fields = Array.from({ length: 60 }, (_, i) => [`f${i}`, 'v'] as [string, string]);
    const response = await post('/api/documents', fields);
    expect(response.statusCode).toBe(413);
  });

  it('answers a multipart body on a route that did not opt in with 415', async () => {
    const response = await post('/api/notes', [['note', 'hello']]);
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('leaves a multipart body to an unknown address unread, for the not-found handler', async () => {
    const response = await post('/api/nowhere', [['note', 'hello']], { withToken: false, headers: { 'x-csrf-token': token } });
    expect(response.statusCode).toBe(404);
  });

  it.each([
    ['no boundary', 'multipart/form-data', 'garbage'],
    ['a part cut short', 'multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="document"; filename="a.pdf"\r\n\r\n%PDF-1.4'],
    ['a broken part header', 'multipart/form-data; boundary=xyz', '--xyz\r\nthis is not a header\r\n\r\nvalue\r\n--xyz--\r\n'],
  ])('answers a malformed body (%s) with 400, never a 500', async (_case, contentType, payload) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/documents',
      headers: { cookie: csrfCookie, 'content-type': contentType, 'x-csrf-token': token },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(await filesUnder(storeDir)).toEqual([]);
  });

  it('refuses a field named after an Object.prototype property', async () => {
    const response = await post('/api/documents', [['__proto__', 'x']]);
    expect(response.statusCode).toBe(400);
  });
});
