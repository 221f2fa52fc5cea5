/** Stable error codes and the HTTP status each maps to: the one table for the whole app. */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_INVALID: 403,
  FORBIDDEN: 403,
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOGIN_NAME_TAKEN: 409,
  EMAIL_TAKEN: 409,
  TOKEN_INVALID: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  ACCOUNT_LOCKED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** A field name → message key, for forms and API clients to show beside each input. */
export type FieldErrors = Record<string, string>;

/**
 * What services throw. The message is a catalog key (`error.<code>` unless given), so the one
 * error handler can localise it for the page or the API response.
 * @example throw new AppError('EMAIL_TAKEN', { fields: { email: 'accounts.error.emailTaken' } })
 */
export class AppError extends Error {
  readonly status: number;
  readonly messageKey: string;
  readonly fields?: FieldErrors;
  readonly params?: Record<string, string | number>;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    options: {
      messageKey?: string;
      fields?: FieldErrors;
      params?: Record<string, string | number>;
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(code);
    this.name = 'AppError';
    this.status = errorStatus[code];
    this.messageKey = options.messageKey ?? `error.${code}`;
    this.fields = options.fields;
    this.params = options.params;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
