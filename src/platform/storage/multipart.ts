import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../http/errors.js';

/** A file from a multipart form, held in memory (the limits keep that small). */
export interface UploadedFile {
  /** As the client named it, cleaned for display: never for a path, never for the type. */
  filename: string;
  bytes: Buffer;
}

/** The zod schema of an uploaded file in a route's body schema. */
export const uploadedFile = z.object({ filename: z.string(), bytes: z.instanceof(Buffer) });

/** Per-route limits; each falls back to what `registerMultipart` was given. */
export interface UploadRouteOptions {
  maxFileBytes?: number;
  maxFiles?: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Opts the route in to multipart bodies; every other route answers them with 415. */
    upload?: true | UploadRouteOptions;
  }
}

export interface MultipartOptions {
  /** The largest file a route takes unless its `config.upload.maxFileBytes` says otherwise. */
  maxFileBytes: number;
}

const maxFiles = 5;
const maxFields = 50;
const maxFieldBytes = 100 * 1024;
const mebibyte = 1024 * 1024;

/**
 * Accepts `multipart/form-data` on routes that opt in with `config: { upload: true }` (or their
 * own limits) and turns it into a plain body before validation: text fields as strings, files as
 * `UploadedFile`. The body exists before the preHandler stage, so the global CSRF check reads
 * `_csrf` from the form as it does for URL-encoded forms (or `x-csrf-token` from the header).
 * A route body schema strips unknown keys during validation, before that check: a form route
 * with a body schema declares `_csrf: z.string().optional()`.
 * @example await registerMultipart(app, { maxFileBytes: 10 * 1024 * 1024 })
 */
export async function registerMultipart(app: FastifyInstance, options: MultipartOptions): Promise<void> {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: {
      fileSize: options.maxFileBytes,
      files: maxFiles,
      fields: maxFields,
      fieldSize: maxFieldBytes,
      parts: maxFiles + maxFields,
    },
  });
  app.addHook('preValidation', async (request) => {
    if (!request.isMultipart() || request.is404) return;
    const upload = request.routeOptions.config.upload;
    if (!upload) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    request.body = await readMultipartBody(request, {
      maxFileBytes: (upload === true ? undefined : upload.maxFileBytes) ?? options.maxFileBytes,
      maxFiles: (upload === true ? undefined : upload.maxFiles) ?? maxFiles,
    });
  });
}

function addValue(body: Record<string, unknown>, name: string, value: unknown): void {
  const existing = body[name];
  if (existing === undefined) body[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else body[name] = [existing, value];
}

/** The last path segment, without control characters, at most 255 characters. */
function cleanFilename(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  return base.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim().slice(0, 255);
}

async function readMultipartBody(request: FastifyRequest, limits: Required<UploadRouteOptions>) {
  const body: Record<string, unknown> = {};
  try {
    const parts = request.parts({
      limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, parts: limits.maxFiles + maxFields },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // Busboy leaves the name undefined when the part has none (typed as a string all the same).
        const filename = cleanFilename(typeof part.filename === 'string' ? part.filename : '');
        // A browser sends an untouched file input as a nameless empty file: nothing was chosen.
        if (filename === '' && bytes.length === 0) continue;
        addValue(body, part.fieldname, { filename, bytes } satisfies UploadedFile);
      } else {
        // Busboy cuts an over-long field silently; a cut value must not pass as the real one.
        if (part.valueTruncated || part.fieldnameTruncated) throw new AppError('PAYLOAD_TOO_LARGE');
        addValue(body, part.fieldname, part.value);
      }
    }
  } catch (error) {
    throw toAppError(error, limits);
  }
  return body;
}

/** Names the limit a multipart error broke; malformed multipart is the client's fault, not a 500. */
function toAppError(error: unknown, limits: Required<UploadRouteOptions>): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new AppError('PAYLOAD_TOO_LARGE', {
      messageKey: 'upload.error.tooLarge',
      params: { maxMb: Number((limits.maxFileBytes / mebibyte).toFixed(1)) },
    });
  }
  if (code === 'FST_FILES_LIMIT') {
    return new AppError('PAYLOAD_TOO_LARGE', { messageKey: 'upload.error.tooManyFiles', params: { maxFiles: limits.maxFiles } });
  }
  // Busboy reports a broken body (no boundary, a part cut short) with a plain Error.
  if (error instanceof Error && error.constructor === Error && code === undefined) return new AppError('BAD_REQUEST');
  return error;
}
