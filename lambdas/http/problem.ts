import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { $ZodError } from 'zod/v4/core';
import {
  DomainError,
  type DomainErrorKind,
  type FieldError,
  RateLimitedError,
  ValidationError,
} from '#kernel/errors.ts';
import { HttpError } from './errors.ts';

/** Problem types are URNs (RFC 9457 allows non-resolvable identifiers); docs/architecture.md lists them. */
export const PROBLEM_TYPE_BASE = 'urn:pulso:problem:';

/** An RFC 9457 problem document. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
};

export function problemOf(
  status: number,
  detail?: string,
  errors?: readonly FieldError[],
  kind?: string,
): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${kind ?? String(status)}`,
    title: TITLES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function problemResponse(problem: Problem): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify(problem),
  };
}

export function fieldErrorsOfZod(err: $ZodError, prefix = ''): FieldError[] {
  return err.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    code: issue.code,
    message: issue.message,
  }));
}

/** The status and public problem type (a stable part of the contract) that each domain error kind answers with. */
const DOMAIN_PROBLEMS: Record<DomainErrorKind, { readonly status: number; readonly type: string }> = {
  validation: { status: 400, type: 'validation' },
  'not-found': { status: 404, type: 'not-found' },
  conflict: { status: 409, type: 'conflict' },
  'invalid-state': { status: 409, type: 'invalid-state' },
  refused: { status: 403, type: 'forbidden' },
  expired: { status: 410, type: 'gone' },
  'rate-limited': { status: 429, type: 'too-many-requests' },
};

/** Maps any thrown error to a problem: domain errors by their kind, zod errors to 400, the rest to 500. */
export function problemFromError(err: unknown): Problem {
  if (err instanceof ValidationError) return problemOf(400, err.message, err.errors, 'validation');
  if (err instanceof DomainError) {
    const { status, type } = DOMAIN_PROBLEMS[err.kind];
    return problemOf(status, err.message, undefined, type);
  }
  if (err instanceof HttpError) return problemOf(err.status, err.message, undefined, err.kind);
  if (err instanceof $ZodError)
    return problemOf(400, 'The request does not match the schema.', fieldErrorsOfZod(err), 'validation');
  return problemOf(500, 'Something went wrong on our side; the request can be retried safely.');
}

/** One error mapper per handler: every error becomes problem+json (or a page, when `render` is given). */
export function problemErrors(options: {
  log: (message: string, err: unknown) => void;
  render?: (problem: Problem, event: APIGatewayProxyEventV2) => APIGatewayProxyStructuredResultV2;
}): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      const problem = problemFromError(request.error);
      if (problem.status >= 500) options.log('Request failed', request.error);
      const response = options.render ? options.render(problem, request.event) : problemResponse(problem);
      // A limit says when it ends (RFC 9110 Retry-After).
      if (request.error instanceof RateLimitedError) {
        response.headers = { ...response.headers, 'retry-after': String(request.error.retryAfterSeconds) };
      }
      request.response = response;
    },
  };
}

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** The answer to a recorded response: 201 the first time, 200 with the same body for a repeat. */
export function recorded(result: {
  status: 'created' | 'duplicate';
  response: { surveyId: string; submissionId: string; receivedAt: string };
  /** Answers sent one question at a time: the questions this request added. */
  added?: readonly string[];
}) {
  const { surveyId, submissionId, receivedAt } = result.response;
  return json(result.status === 'created' ? 201 : 200, {
    surveyId,
    submissionId,
    receivedAt,
    status: result.status,
    ...(result.added ? { added: result.added } : {}),
  });
}
