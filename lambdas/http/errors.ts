/** Errors only the HTTP layer raises: they are about the request's envelope, not about the domain. */
export abstract class HttpError extends Error {
  abstract readonly status: number;
  /** The last part of the problem type URN. */
  abstract readonly kind: string;
}

/** No token, a token that names nobody, or a vendor signature that does not verify. */
export class UnauthorizedError extends HttpError {
  readonly status = 401;
  readonly kind = 'unauthorized';
}

/** A caller the API knows, whose role does not let them do this. */
export class ForbiddenError extends HttpError {
  readonly status = 403;
  readonly kind = 'forbidden';
}

export class PayloadTooLargeError extends HttpError {
  readonly status = 413;
  readonly kind = 'payload-too-large';
}

export class UnsupportedMediaTypeError extends HttpError {
  readonly status = 415;
  readonly kind = 'unsupported-media-type';
}
