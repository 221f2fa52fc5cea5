import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../http/errors.js';
import { createFileId, isFileId, type FileContent, type FileStore, type FileVisibility, type StoredFile } from './file-store.js';

export interface LocalFileStoreOptions {
  /** The store's own directory, e.g. `${config.dataDir}/files`; created on first write. */
  dir: string;
  /** The clock for `createdAt` (tests fix it). */
  now?: () => Date;
}

export interface LocalFileStore extends FileStore {
  /**
   * The only tree a static route may serve; holds `<2 hex>/<id>.<ext>` and nothing else, so
   * metadata and private files are out of its reach.
   */
  readonly publicDir: string;
  /** Where a public file sits below `publicDir`, as a URL path without the leading slash. */
  publicPathOf(file: StoredFile): string;
}

const mimePattern = /^[a-z]+\/[a-z0-9.+-]{1,100}$/;
const extensionPattern = /^[a-z0-9]{1,10}$/;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * A file store on local disk. Layout below `dir`:
 * `meta/ab/<id>.json` (what `find` reads), `private/ab/<id>`, `public/ab/<id>.<ext>`, and `tmp/`
 * where every write starts before it is renamed into place (same disk, so the rename is atomic:
 * readers see a whole file or none).
 * @example const files = createLocalFileStore({ dir: join(config.dataDir, 'files') })
 */
export function createLocalFileStore({ dir, now = () => new Date() }: LocalFileStoreOptions): LocalFileStore {
  const publicDir = join(dir, 'public');
  const tmpDir = join(dir, 'tmp');
  const shard = (id: string) => id.slice(0, 2);
  const metaPath = (id: string) => join(dir, 'meta', shard(id), `${id}.json`);
  const bytesPath = (file: StoredFile) =>
    file.visibility === 'public'
      ? join(publicDir, shard(file.id), `${file.id}.${file.extension}`)
      : join(dir, 'private', shard(file.id), file.id);

  async function writeAtomically(path: string, data: Uint8Array | string, mode: number): Promise<void> {
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.tmp`);
    try {
      const handle = await open(tmp, 'wx', mode);
      try {
        await handle.writeFile(data);
        // Flushed before the rename so a crash cannot leave a complete-looking but empty file.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await mkdir(dirname(path), { recursive: true, mode: mode & 0o004 ? 0o755 : 0o700 });
      await rename(tmp, path);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async function find(id: string): Promise<StoredFile | null> {
    if (!isFileId(id)) return null;
    try {
      return JSON.parse(await readFile(metaPath(id), 'utf8')) as StoredFile;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async function getFile(id: string): Promise<StoredFile> {
    const file = await find(id);
    if (!file) throw new AppError('NOT_FOUND');
    return file;
  }

  return {
    publicDir,

    publicPathOf(file) {
      return `${shard(file.id)}/${file.id}.${file.extension}`;
    },

    async put(content: FileContent, { visibility }: { visibility: FileVisibility }) {
      // Both end up in paths or headers: refuse anything but the plain shapes.
      if (!mimePattern.test(content.mime)) throw new Error(`Refusing to store a file with MIME type ${JSON.stringify(content.mime)}`);
      if (!extensionPattern.test(content.extension)) throw new Error(`Refusing to store a file with extension ${JSON.stringify(content.extension)}`);
      const file: StoredFile = {
        id: createFileId(),
        visibility,
        mime: content.mime,
        extension: content.extension,
        size: content.bytes.byteLength,
        sha256: createHash('sha256').update(content.bytes).digest('hex'),
        createdAt: now().toISOString(),
      };
      const mode = visibility === 'public' ? 0o644 : 0o600;
      // Bytes first, metadata last: a file exists for readers only once both are in place.
      await writeAtomically(bytesPath(file), content.bytes, mode);
      try {
        await writeAtomically(metaPath(file.id), JSON.stringify(file), 0o600);
      } catch (error) {
        await rm(bytesPath(file), { force: true });
        throw error;
      }
      return file;
    },

    find,

    async get(id) {
      const file = await getFile(id);
      try {
        return { file, bytes: await readFile(bytesPath(file)) };
      } catch (error) {
        if (isMissing(error)) throw new AppError('NOT_FOUND');
        throw error;
      }
    },

    async open(id) {
      const file = await getFile(id);
      try {
        // Opened here so a missing file is a NOT_FOUND now, not a stream error mid-response.
        const handle = await open(bytesPath(file), 'r');
        return { file, stream: handle.createReadStream() };
      } catch (error) {
        if (isMissing(error)) throw new AppError('NOT_FOUND');
        throw error;
      }
    },

    async delete(id) {
      const file = await find(id);
      if (!file) return false;
      // Metadata first: from then on the file is gone for readers even if removing the bytes fails.
      await unlink(metaPath(id)).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
      await rm(bytesPath(file), { force: true });
      return true;
    },
  };
}
