import type { z } from 'zod';
import { AppError, type FieldErrors } from './errors.js';

interface IssueLike {
  path: PropertyKey[];
  code: string;
  message: string;
}

const keyPattern = /^[a-z][\w-]*(\.[\w-]+)+$/;
const codeKeys: Record<string, string> = {
  too_small: 'validation.tooShort',
  too_big: 'validation.tooLong',
  invalid_type: 'validation.invalidType',
  invalid_format: 'validation.invalidFormat',
};

/** Turns validation issues into field → message key, keeping a schema's own message keys. */
export function toFieldErrors(issues: IssueLike[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || '_';
    if (fields[field]) continue;
    fields[field] = keyPattern.test(issue.message) ? issue.message : (codeKeys[issue.code] ?? 'validation.invalid');
  }
  return fields;
}

/**
 * Validates untrusted input with a zod schema; throws VALIDATION_FAILED with field errors.
 * @example const input = parseInput(registrationSchema, request.body)
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new AppError('VALIDATION_FAILED', { fields: toFieldErrors(result.error.issues) });
}
