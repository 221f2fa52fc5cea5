import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import { acceptUpload, type AcceptUploadOptions } from './uploads.js';
import * as samples from './sample-files.js';

const MB = 1024 * 1024;
const anything: AcceptUploadOptions = { allowed: ['pdf', 'jpeg', 'png', 'webp'], maxBytes: 10 * MB };

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('acceptUpload', () => {
  it('strips EXIF (with GPS), ICC and other metadata from a JPEG after turning it upright', async () => {
    const input = await samples.jpegWithGps();
    const before = await sharp(input).metadata();
    expect(before.exif?.includes('SilklineCam')).toBe(true);
    expect(before.icc).toBeDefined();

    const upload = await acceptUpload(input, anything);
    const after = await sharp(upload.bytes).metadata();
    expect(upload).toMatchObject({ kind: 'jpeg', mime: 'image/jpeg', extension: 'jpg' });
    expect(after.format).toBe('jpeg');
    expect(after.exif).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(upload.bytes.includes('Exif\0\0')).toBe(false);
    expect(upload.bytes.includes('SilklineCam')).toBe(false);
    // Orientation 6 means "turn 90°": the 40×20 picture is stored as 20×40.
    expect([after.width, after.height, upload.width, upload.height]).toEqual([20, 40, 20, 40]);
  });

  it('keeps a PNG a PNG, without its EXIF', async () => {
    const upload = await acceptUpload(await samples.png(), anything);
    const after = await sharp(upload.bytes).metadata();
    expect(upload).toMatchObject({ kind: 'png', mime: 'image/png', extension: 'png' });
    expect(after.format).toBe('png');
    expect(after.exif).toBeUndefined();
  });

  it('keeps a WebP a WebP, without its EXIF', async () => {
    const upload = await acceptUpload(await samples.webp(), anything);
    const after = await sharp(upload.bytes).metadata();
    expect(upload).toMatchObject({ kind: 'webp', mime: 'image/webp', extension: 'webp' });
    expect(after.format).toBe('webp');
    expect(after.exif).toBeUndefined();
  });

  it('keeps a real PDF byte for byte and reports its size and SHA-256', async () => {
    const pdf = samples.minimalPdf();
    const upload = await acceptUpload(pdf, anything);
    expect(upload).toMatchObject({ kind: 'pdf', mime: 'application/pdf', extension: 'pdf', size: pdf.length });
    expect(upload.bytes.equals(pdf)).toBe(true);
    expect(upload.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
  });

  it('refuses a PDF without an end-of-file marker', async () => {
    const truncated = samples.minimalPdf().subarray(0, 100);
    const error = await refusal(acceptUpload(truncated, anything));
    expect([error.code, error.messageKey]).toEqual(['UNSUPPORTED_MEDIA_TYPE', 'upload.error.unreadable']);
  });

  it('refuses an ELF executable, whatever it is called', async () => {
    const error = await refusal(acceptUpload(samples.executable(), { allowed: ['pdf'], maxBytes: 10 * MB }));
    expect([error.code, error.status, error.messageKey]).toEqual(['UNSUPPORTED_MEDIA_TYPE', 415, 'upload.error.type']);
    expect(error.params).toEqual({ allowed: 'PDF' });
  });

  it('refuses a shell script', async () => {
    const error = await refusal(acceptUpload(samples.shellScript(), anything));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses plain text', async () => {
    const error = await refusal(acceptUpload(samples.plainText(), { allowed: ['jpeg', 'png'], maxBytes: MB }));
    expect([error.code, error.params]).toEqual(['UNSUPPORTED_MEDIA_TYPE', { allowed: 'JPEG / PNG' }]);
  });

  it('refuses a real image of a kind the caller does not allow', async () => {
    const error = await refusal(acceptUpload(await samples.png(), { allowed: ['pdf'], maxBytes: MB }));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a zero-byte file', async () => {
    const error = await refusal(acceptUpload(Buffer.alloc(0), anything));
    expect([error.code, error.messageKey]).toEqual(['BAD_REQUEST', 'upload.error.empty']);
  });

  it('refuses 11 MB against a 10 MB limit, naming the limit', async () => {
    const big = Buffer.concat([samples.minimalPdf(), Buffer.alloc(11 * MB)]);
    const error = await refusal(acceptUpload(big, anything));
    expect([error.code, error.status, error.messageKey, error.params]).toEqual([
      'PAYLOAD_TOO_LARGE',
      413,
      'upload.error.tooLarge',
      { maxMb: 10 },
    ]);
  });

  it('refuses an image claiming more than 50 megapixels before decoding it', async () => {
    const bomb = samples.pngClaiming(10_000, 6_000);
    expect(bomb.length).toBeLessThan(MB);
    const error = await refusal(acceptUpload(bomb, anything));
    expect([error.code, error.messageKey, error.params]).toEqual([
      'PAYLOAD_TOO_LARGE',
      'upload.error.tooManyPixels',
      { maxMegapixels: 50 },
    ]);
  });

  it('applies a lower pixel limit when the caller sets one', async () => {
    const error = await refusal(acceptUpload(await samples.png(), { ...anything, maxPixels: 100 }));
    expect(error.messageKey).toBe('upload.error.tooManyPixels');
  });

  it('refuses an image whose data is broken', async () => {
    const jpeg = await samples.jpegWithGps();
    const broken = Buffer.concat([jpeg.subarray(0, 200), Buffer.alloc(200, 0x41)]);
    const error = await refusal(acceptUpload(broken, anything));
    expect([error.code, error.messageKey]).toEqual(['UNSUPPORTED_MEDIA_TYPE', 'upload.error.unreadable']);
  });
});
