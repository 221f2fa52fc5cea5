import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import { isFileId } from './file-store.js';
import { createLocalFileStore, type LocalFileStore } from './local-file-store.js';

const pdf = { bytes: Buffer.from('%PDF-1.4\n% stand-in bytes\n%%EOF\n'), mime: 'application/pdf', extension: 'pdf' };
const png = { bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), mime: 'image/png', extension: 'png' };
const fixedNow = new Date('2025-03-01T08:00:00.000Z');

/** Every file below a directory, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function notFound(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('NOT_FOUND');
}

describe('local file store', () => {
  let dir: string;
  let files: LocalFileStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'silkline-files-'));
    files = createLocalFileStore({ dir, now: () => fixedNow });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps bytes with their metadata under a random id and gives both back', async () => {
    const stored = await files.put(pdf, { visibility: 'private' });
    expect(isFileId(stored.id)).toBe(true);
    expect(stored).toEqual({
      id: stored.id,
      visibility: 'private',
      mime: 'application/pdf',
      extension: 'pdf',
      size: pdf.bytes.length,
      sha256: createHash('sha256').update(pdf.bytes).digest('hex'),
      createdAt: '2025-03-01T08:00:00.000Z',
    });
    const { file, bytes } = await files.get(stored.id);
    expect(file).toEqual(stored);
    expect(bytes.equals(pdf.bytes)).toBe(true);
    expect(await files.find(stored.id)).toEqual(stored);
  });

  it('gives each file a new id, even for the same bytes', async () => {
    const a = await files.put(pdf, { visibility: 'private' });
    const b = await files.put(pdf, { visibility: 'private' });
    expect(a.id).not.toBe(b.id);
    expect(a.sha256).toBe(b.sha256);
  });

  it('streams a file', async () => {
    const stored = await files.put(png, { visibility: 'public' });
    const { file, stream } = await files.open(stored.id);
    expect(file.mime).toBe('image/png');
    expect((await buffer(stream)).equals(png.bytes)).toBe(true);
  });

  it('keeps private files, metadata and temp files out of the public tree', async () => {
    const secret = await files.put(pdf, { visibility: 'private' });
    const logo = await files.put(png, { visibility: 'public' });
    expect(await filesUnder(files.publicDir)).toEqual([files.publicPathOf(logo)]);
    expect(files.publicPathOf(logo)).toBe(`${logo.id.slice(0, 2)}/${logo.id}.png`);
    expect(await filesUnder(dir)).toEqual(
      [
        `meta/${secret.id.slice(0, 2)}/${secret.id}.json`,
        `meta/${logo.id.slice(0, 2)}/${logo.id}.json`,
        `private/${secret.id.slice(0, 2)}/${secret.id}`,
        `public/${logo.id.slice(0, 2)}/${logo.id}.png`,
      ].sort(),
    );
    expect(statSync(join(dir, 'private', secret.id.slice(0, 2), secret.id)).mode & 0o077).toBe(0);
  });

  it('deletes the bytes and the metadata', async () => {
    const stored = await files.put(pdf, { visibility: 'private' });
    expect(await files.delete(stored.id)).toBe(true);
    expect(await filesUnder(dir)).toEqual([]);
    expect(await files.find(stored.id)).toBeNull();
    await notFound(files.get(stored.id));
    expect(await files.delete(stored.id)).toBe(false);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    await notFound(files.get('0123456789abcdef0123456789abcdef'));
    await notFound(files.open('0123456789abcdef0123456789abcdef'));
  });

  it.each(['../../etc/passwd', '..', '', 'ABCDEF0123456789ABCDEF0123456789', '0123456789abcdef0123456789abcdef/../x'])(
    'never turns a malformed id (%j) into a path',
    async (id) => {
      expect(await files.find(id)).toBeNull();
      await notFound(files.get(id));
      expect(await files.delete(id)).toBe(false);
    },
  );

  it('refuses a MIME type or extension that could break a path or a header', async () => {
    await expect(files.put({ ...png, extension: '../x' }, { visibility: 'public' })).rejects.toThrow(/extension/);
    await expect(files.put({ ...png, mime: 'image/png\r\nx: y' }, { visibility: 'public' })).rejects.toThrow(/MIME/);
    expect(await filesUnder(dir)).toEqual([]);
  });
});
