/** One machine-readable problem with one field of the input. */
export interface FieldError {
  /** Dotted path, e.g. `answers.nps`. */
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** Base of errors the domain raises on purpose; each maps to one HTTP status. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly kind: string;
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly kind = 'validation';
  constructor(
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly kind = 'not-found';
}

/** The same id was used for something else (e.g. a submission id reused with different answers). */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly kind = 'conflict';
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly kind = 'unauthorized';
}

export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly kind = 'payload-too-large';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly kind = 'unsupported-media-type';
}

/** A state change that the current state does not allow (e.g. resolving a resolved case). */
export class InvalidStateError extends DomainError {
  readonly status = 409;
  readonly kind = 'invalid-state';
}

/** The request is understood and refused (e.g. a survey link whose signature does not verify). */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly kind = 'forbidden';
}

/** The thing existed and is no more (e.g. an invitation link past its expiry). */
export class GoneError extends DomainError {
  readonly status = 410;
  readonly kind = 'gone';
}

/** Over a rate limit; nothing was stored or counted. */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly kind = 'too-many-requests';
  constructor(
    message: string,
    /** Seconds until the limit's window ends. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
