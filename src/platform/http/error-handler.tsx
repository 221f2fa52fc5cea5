import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { makeTranslator, defaultLocale } from '../i18n/i18n.js';
import { sendPage } from './context.js';
import { AppError, type ErrorCode, type FieldErrors } from './errors.js';
import { toFieldErrors } from './validation.js';

const frameworkCodes: Record<string, ErrorCode> = {
  FST_CSRF_INVALID_TOKEN: 'CSRF_INVALID',
  FST_CSRF_MISSING_SECRET: 'CSRF_INVALID',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  // @fastify/multipart
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_PROTO_VIOLATION: 'BAD_REQUEST',
  FST_INVALID_JSON_FIELD_ERROR: 'BAD_REQUEST',
  FST_MP_PREMATURE_CLOSE: 'BAD_REQUEST',
};

/** Maps anything thrown to an AppError; null for an unexpected failure (a bug). */
export function classifyError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    return new AppError('VALIDATION_FAILED', {
      fields: toFieldErrors(
        error.validation.map((v) => ({
          path: v.instancePath.split('/').filter(Boolean),
          code: v.keyword,
          message: v.message ?? '',
        })),
      ),
    });
  }
  const fastifyError = error as Partial<FastifyError>;
  const mapped = fastifyError.code ? frameworkCodes[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped);
  if (fastifyError.statusCode === 429) return new AppError('RATE_LIMITED');
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError(fastifyError.statusCode === 404 ? 'NOT_FOUND' : 'BAD_REQUEST');
  }
  return null;
}

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/api';
}

/** The JSON body every API error has. */
export function errorBody(request: FastifyRequest, error: AppError) {
  const t = request.t ?? makeTranslator(request.server.platform.catalog, defaultLocale);
  const fields: FieldErrors | undefined = error.fields
    ? Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, t(key)]))
    : undefined;
  return { error: { code: error.code, message: t(error.messageKey, error.params), ...(fields ? { fields } : {}) } };
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
  if (isApi(request) || !request.t) return reply.status(error.status).send(errorBody(request, error));
  return sendPage(request, reply, { title: request.t(`error.title.${error.status}`), status: error.status }, (ctx) => (
    <section class="card narrow">
      <h1>{ctx.t(`error.title.${error.status}`)}</h1>
      <p>{ctx.t(error.messageKey, error.params)}</p>
      <p class="muted">{ctx.t('error.codeLabel', { code: error.code })}</p>
      <p>
        <a href="/">{ctx.t('error.backHome')}</a>
      </p>
    </section>
  ));
}

/** One handler for every error and for unknown routes: stable codes, localised, no stack traces. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const known = classifyError(error);
    if (known) {
      if (known.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendError(request, reply, known);
    }
    request.log.error({ err: error }, 'unexpected error');
    if (isApi(request) || !request.t) {
      return reply.status(500).send(errorBody(request, new AppError('INTERNAL')));
    }
    return reply.status(500).type('text/plain; charset=utf-8').send(`500 Internal Server Error (${request.id})`);
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError('NOT_FOUND')));
}
