import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../http/errors.js';

/** The kinds of file Silkline accepts anywhere; each caller allows a subset. */
export const uploadKinds = {
  pdf: { mime: 'application/pdf', extension: 'pdf', label: 'PDF' },
  jpeg: { mime: 'image/jpeg', extension: 'jpg', label: 'JPEG' },
  png: { mime: 'image/png', extension: 'png', label: 'PNG' },
  webp: { mime: 'image/webp', extension: 'webp', label: 'WebP' },
} as const;

export type UploadKind = keyof typeof uploadKinds;

/** What to store: the bytes after cleaning, with the type read from the content itself. */
export interface AcceptedUpload {
  kind: UploadKind;
  bytes: Buffer;
  mime: string;
  extension: string;
  size: number;
  sha256: string;
  /** Images only, after auto-rotation. */
  width?: number;
  height?: number;
}

export interface AcceptUploadOptions {
  allowed: readonly UploadKind[];
  maxBytes: number;
  /** Images with more pixels are refused before they are decoded; 50 megapixels unless given. */
  maxPixels?: number;
}

const defaultMaxPixels = 50_000_000;
const mebibyte = 1024 * 1024;

/** Sniffed MIME type → kind; an animated PNG is still a PNG (only its first frame is kept). */
const kindByMime: Record<string, UploadKind> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/apng': 'png',
  'image/webp': 'webp',
};

function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', {
    messageKey: 'upload.error.tooLarge',
    params: { maxMb: Number((maxBytes / mebibyte).toFixed(1)) },
  });
}

const unreadable = () => new AppError('UNSUPPORTED_MEDIA_TYPE', { messageKey: 'upload.error.unreadable' });

/** A PDF by its header at byte 0 and an end-of-file marker where readers look for it (the last KB). */
function isPlausiblePdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 5).toString('latin1') === '%PDF-' && bytes.subarray(-1024).includes('%%EOF', 0, 'latin1');
}

/**
 * Decodes and re-encodes an image in its own format: rotated upright by its EXIF orientation,
 * then every piece of metadata (EXIF with GPS, ICC profile, comments, XMP) left behind.
 */
async function cleanImage(bytes: Buffer, kind: Exclude<UploadKind, 'pdf'>, maxPixels: number) {
  try {
    // limitInputPixels stops a decoding bomb even if the header check below were fooled.
    const image = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', autoOrient: true });
    const { width, height } = await image.metadata();
    if (width * height > maxPixels) {
      throw new AppError('PAYLOAD_TOO_LARGE', {
        messageKey: 'upload.error.tooManyPixels',
        params: { maxMegapixels: Math.floor(maxPixels / 1_000_000) },
      });
    }
    const encoded =
      kind === 'jpeg' ? image.jpeg({ quality: 88 }) : kind === 'png' ? image.png({ compressionLevel: 9 }) : image.webp({ quality: 88 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new AppError('PAYLOAD_TOO_LARGE', {
        messageKey: 'upload.error.tooManyPixels',
        params: { maxMegapixels: Math.floor(maxPixels / 1_000_000) },
      });
    }
    throw unreadable();
  }
}

/**
 * Decides whether uploaded bytes may be kept: the type is sniffed from the content (the file's
 * name and declared type are never consulted), images are re-encoded without metadata, PDFs are
 * checked for a plausible start and end and kept as they are.
 * @example const upload = await acceptUpload(body.licence.bytes, { allowed: ['pdf', 'jpeg', 'png'], maxBytes: 10 * 1024 * 1024 })
 */
export async function acceptUpload(input: Uint8Array, options: AcceptUploadOptions): Promise<AcceptedUpload> {
  const { allowed, maxBytes, maxPixels = defaultMaxPixels } = options;
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length === 0) throw new AppError('BAD_REQUEST', { messageKey: 'upload.error.empty' });
  if (bytes.length > maxBytes) throw tooLarge(maxBytes);

  const sniffed = await fileTypeFromBuffer(bytes);
  const kind = sniffed ? kindByMime[sniffed.mime] : undefined;
  if (!kind || !allowed.includes(kind)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      messageKey: 'upload.error.type',
      params: { allowed: allowed.map((k) => uploadKinds[k].label).join(' / ') },
    });
  }

  let kept: { bytes: Buffer; width?: number; height?: number };
  if (kind === 'pdf') {
    if (!isPlausiblePdf(bytes)) throw unreadable();
    kept = { bytes: Buffer.from(bytes) };
  } else {
    kept = await cleanImage(bytes, kind, maxPixels);
    // Re-encoding rarely grows a file, but the limit holds for what is stored too.
    if (kept.bytes.length > maxBytes) throw tooLarge(maxBytes);
  }
  return {
    kind,
    ...kept,
    mime: uploadKinds[kind].mime,
    extension: uploadKinds[kind].extension,
    size: kept.bytes.length,
    sha256: createHash('sha256').update(kept.bytes).digest('hex'),
  };
}

/**
 * A WebP thumbnail that fits in a square of `size` pixels, from bytes `acceptUpload` cleaned
 * (so already upright and without metadata; sharp writes none unless asked).
 * @example const thumb = await makeThumbnail(upload.bytes, 400)
 */
export async function makeThumbnail(bytes: Uint8Array, size: number): Promise<AcceptedUpload> {
  const { data, info } = await sharp(bytes, { failOn: 'error' })
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  return {
    kind: 'webp',
    bytes: data,
    mime: uploadKinds.webp.mime,
    extension: uploadKinds.webp.extension,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    width: info.width,
    height: info.height,
  };
}
