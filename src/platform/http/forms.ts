import type { FastifyReply } from 'fastify';
import { isAppError, type FieldErrors } from './errors.js';

/** Submitted text fields by name. */
export type Values = Record<string, string>;

/** What a form page shows besides its fields: the values to keep, field errors, a message. */
export interface FormState {
  values?: Values;
  errors?: FieldErrors;
  /** A message key shown above the form. */
  message?: string;
  messageParams?: Record<string, string | number>;
  messageKind?: 'error' | 'success' | 'info';
}

const secretFields = new Set(['password', 'currentPassword', 'newPassword', '_csrf', 'token']);

/** The submitted text fields, to show again beside the errors (never passwords or tokens). */
export function formValues(body: unknown): Values {
  const values: Values = {};
  if (!body || typeof body !== 'object') return values;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' && !secretFields.has(key)) values[key] = value.slice(0, 5000);
  }
  return values;
}

/**
 * Turns a service refusal into what the form shows; anything that is not a known refusal is
 * rethrown to the error handler. Returns the status the page should have.
 */
export function formFailure(error: unknown, reply: FastifyReply, values: Values): { state: FormState; status: number } {
  if (!isAppError(error)) throw error;
  if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
  return {
    status: error.status,
    state: {
      values,
      errors: error.fields,
      message: error.fields ? 'error.VALIDATION_FAILED' : error.messageKey,
      messageParams: error.params,
      messageKind: 'error',
    },
  };
}
