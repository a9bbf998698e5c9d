/** One machine-readable problem with one field of the input. */
export interface FieldError {
  /** Dotted path, e.g. `answers.nps`. */
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Base of errors the domain raises on purpose. Each says what went wrong in domain words (`kind`); the HTTP layer
 * (lambdas/http/problem.ts) decides which status a kind answers with.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
}

export type DomainErrorKind =
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'invalid-state'
  | 'refused'
  | 'expired'
  | 'rate-limited';

/** The input breaks the contract; `errors` says which fields and why. */
export class ValidationError extends DomainError {
  readonly kind = 'validation';
  constructor(
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** The same id was used for something else (e.g. a submission id reused with different answers). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** A state change that the current state does not allow (e.g. resolving a resolved case). */
export class InvalidStateError extends DomainError {
  readonly kind = 'invalid-state';
}

/** Understood and refused (e.g. a survey link whose signature does not verify, a link for another case). */
export class RefusedError extends DomainError {
  readonly kind = 'refused';
}

/** The thing existed and is no more (e.g. an invitation link past its expiry). */
export class ExpiredError extends DomainError {
  readonly kind = 'expired';
}

/** Over a rate limit; nothing was stored or counted. */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate-limited';
  constructor(
    message: string,
    /** Seconds until the limit's window ends. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
