import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Private files are only ever handed out by code that checked who may see them; public ones may be served as is. */
export type FileVisibility = 'private' | 'public';

/** What the store keeps about a file besides its bytes. */
export interface StoredFile {
  /** Opaque and random: never derived from anything a user sent. */
  id: string;
  visibility: FileVisibility;
  mime: string;
  /** Without the dot, e.g. `jpg`. */
  extension: string;
  size: number;
  /** Hex SHA-256 of the stored bytes, computed by the store. */
  sha256: string;
  /** UTC, ISO 8601. */
  createdAt: string;
}

/** Bytes to keep, as `acceptUpload` returns them (only what the store needs is read). */
export interface FileContent {
  bytes: Uint8Array;
  mime: string;
  extension: string;
}

/**
 * Where uploaded files live: local disk now, an S3-compatible bucket later. Callers keep the id
 * (in their own table) and decide who may read the file; the store never sees a user's file name.
 * @example const file = await files.put(await acceptUpload(bytes, rules), { visibility: 'private' })
 */
export interface FileStore {
  /** Keeps the bytes atomically under a new random id. */
  put(content: FileContent, options: { visibility: FileVisibility }): Promise<StoredFile>;
  /** The metadata of a file, or null when there is none (or the id is malformed). */
  find(id: string): Promise<StoredFile | null>;
  /** The whole file in memory; throws AppError NOT_FOUND. */
  get(id: string): Promise<{ file: StoredFile; bytes: Buffer }>;
  /** The file as a stream, for sending large files; throws AppError NOT_FOUND. */
  open(id: string): Promise<{ file: StoredFile; stream: Readable }>;
  /** Removes the file; false when it did not exist. */
  delete(id: string): Promise<boolean>;
}

const idPattern = /^[0-9a-f]{32}$/;

/** A new file id: 128 random bits as lowercase hex (safe in paths on case-insensitive disks). */
export function createFileId(): string {
  return randomBytes(16).toString('hex');
}

/** Whether a string has the shape of a file id; anything else never reaches a path. */
export function isFileId(value: unknown): value is string {
  return typeof value === 'string' && idPattern.test(value);
}
