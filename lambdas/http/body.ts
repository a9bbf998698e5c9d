import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '#kernel/errors.ts';
import type * as z from '#kernel/zod.ts';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.ts';

/** Survey answers are small; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

export function rawBody(event: APIGatewayProxyEventV2, maxBytes = MAX_BODY_BYTES): string {
  const body = event.body ?? '';
  const bytes = event.isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
  if (bytes > maxBytes) throw new PayloadTooLargeError(`The body is larger than ${maxBytes} bytes.`);
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** The request's media type, lower case, without parameters. */
export function mediaTypeOf(event: APIGatewayProxyEventV2): string {
  return (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function requireMediaType(event: APIGatewayProxyEventV2, expected: string): void {
  const actual = mediaTypeOf(event);
  if (actual !== expected) {
    throw new UnsupportedMediaTypeError(`Send the body as ${expected}${actual ? `, not ${actual}` : ''}.`);
  }
}

export function parseJsonText(text: string): unknown {
  if (text.trim() === '')
    throw new ValidationError('The body is empty.', [
      { field: '(body)', code: 'required', message: 'a JSON body is required' },
    ]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError('The body is not valid JSON.', [
      { field: '(body)', code: 'invalid_json', message: 'not valid JSON' },
    ]);
  }
  // JSON.parse keeps `__proto__` as an own key, but schemas and spreads drop it silently: refuse it here.
  const reserved = protoKeyPaths(value);
  if (reserved.length > 0)
    throw new ValidationError(
      'The body has a "__proto__" key.',
      reserved.map((field) => ({ field, code: 'reserved_key', message: '"__proto__" cannot be a key' })),
    );
  return value;
}

/** The paths of every own `__proto__` key in a parsed JSON value (iterative: deep nesting cannot overflow). */
export function protoKeyPaths(value: unknown): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[value, '']];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, path] = next;
    if (node === null || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (key === '__proto__') found.push(at);
      stack.push([child, at]);
    }
  }
  return found;
}

/** Reads a JSON body: media type, size, syntax, then the schema (ZodError becomes a 400 with field errors). */
export function jsonBody<S extends z.ZodMiniType>(event: APIGatewayProxyEventV2, schema: S): z.output<S> {
  requireMediaType(event, 'application/json');
  return schema.parse(parseJsonText(rawBody(event)));
}

export function formBody(event: APIGatewayProxyEventV2): URLSearchParams {
  requireMediaType(event, 'application/x-www-form-urlencoded');
  return new URLSearchParams(rawBody(event));
}
