import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/errors.js';
import { isFileId, type FileStore } from './file-store.js';

/** The URL a public file is served at. */
export function publicFileUrl(fileId: string): string {
  return `/media/${fileId}`;
}

/**
 * Serves files stored as public (logos, product images) at /media/:id, immutable. Private files
 * answer 404 here, exactly like files that do not exist.
 */
export async function registerPublicFiles(app: FastifyInstance, files: FileStore): Promise<void> {
  app.get<{ Params: { id: string } }>('/media/:id', { config: { rateLimit: false } }, async (request, reply) => {
    const { id } = request.params;
    const file = isFileId(id) ? await files.find(id) : null;
    if (!file || file.visibility !== 'public') throw new AppError('NOT_FOUND');
    const { stream } = await files.open(id);
    return reply
      .header('content-type', file.mime)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(stream);
  });
}
