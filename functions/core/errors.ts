/**
 * The one error taxonomy. Every error the product raises on purpose is a GridWhistleError with a
 * stable `code` (what clients and tests match on) and a `kind` (what it means). The kind is turned
 * into an HTTP status in exactly one place (handlers/http) and error names are what Step Functions
 * Retry/Catch match on, so neither mapping is repeated anywhere else.
 */
export type ErrorKind =
  | 'validation' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'unsupported_media_type' // 415
  | 'refused' // 422: a valid request the domain refuses
  | 'throttled' // 429
  | 'unavailable'; // 503: a dependency is busy past its retries; the same request may be sent again

export class GridWhistleError extends Error {
  // Every class spells its own name: bundles are minified, which renames classes, and the name is
  // the error type Step Functions matches on and the logs show.
  override name = 'GridWhistleError';
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: unknown;

  constructor(kind: ErrorKind, code: string, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.code = code;
    this.details = options?.details;
  }
}

export class ValidationError extends GridWhistleError {
  override name = 'ValidationError';

  constructor(code: string, message: string, details?: unknown) {
    super('validation', code, message, { details });
  }
}

export class AuthenticationError extends GridWhistleError {
  override name = 'AuthenticationError';

  constructor(code: string, message: string) {
    super('unauthenticated', code, message);
  }
}

export class ForbiddenError extends GridWhistleError {
  override name = 'ForbiddenError';

  constructor(code: string, message: string) {
    super('forbidden', code, message);
  }
}

export class NotFoundError extends GridWhistleError {
  override name = 'NotFoundError';

  constructor(code: string, message: string) {
    super('not_found', code, message);
  }
}

export class ConflictError extends GridWhistleError {
  override name = 'ConflictError';

  constructor(code: string, message: string, details?: unknown) {
    super('conflict', code, message, { details });
  }
}

export class DomainRefusalError extends GridWhistleError {
  override name = 'DomainRefusalError';

  constructor(code: string, message: string, details?: unknown) {
    super('refused', code, message, { details });
  }
}

export class PayloadTooLargeError extends GridWhistleError {
  override name = 'PayloadTooLargeError';

  constructor(message: string) {
    super('too_large', 'REQUEST.TOO_LARGE', message);
  }
}

export class UnsupportedMediaTypeError extends GridWhistleError {
  override name = 'UnsupportedMediaTypeError';

  constructor(message: string) {
    super('unsupported_media_type', 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message);
  }
}

/** Too many attempts, or too many at once: try again after `retryAfterSeconds` (the Retry-After header). */
export class ThrottledError extends GridWhistleError {
  override name = 'ThrottledError';
  readonly retryAfterSeconds: number;

  constructor(code: string, message: string, retryAfterSeconds: number) {
    super('throttled', code, message, { details: { retryAfterSeconds } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The store (or another dependency) kept refusing for load after every retry: nothing is wrong with
 * the request and nothing of it is half-done that a retry cannot finish, so the client sends it
 * again (with the same Idempotency-Key) after `retryAfterSeconds`.
 */
export class UnavailableError extends GridWhistleError {
  override name = 'UnavailableError';
  readonly retryAfterSeconds: number;

  constructor(code: string, message: string, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super('unavailable', code, message, { cause: options?.cause, details: { retryAfterSeconds } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Raised by the SMS port when the provider did not take a message. Its `name` is the error name
 * the state machine retries with backoff (`Sms.SendFailed`), so it must not change.
 */
export class SmsSendFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Sms.SendFailed';
  }
}
