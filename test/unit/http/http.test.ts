import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { jsonBody } from '#http/body.ts';
import { PayloadTooLargeError, UnauthorizedError, UnsupportedMediaTypeError } from '#http/errors.ts';
import { problemFromError } from '#http/problem.ts';
import { verifyStandardWebhook } from '#http/standard-webhooks.ts';
import {
  ExpiredError,
  InvalidStateError,
  NotFoundError,
  RateLimitedError,
  RefusedError,
  ValidationError,
} from '#kernel/errors.ts';
import * as z from '#kernel/zod.ts';

const event = (body: string, contentType = 'application/json', isBase64Encoded = false) =>
  ({ body, isBase64Encoded, headers: { 'content-type': contentType } }) as unknown as APIGatewayProxyEventV2;
const schema = z.strictObject({ a: z.number() });
const catching = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
};

describe('jsonBody', () => {
  it('parses a body that fits the schema', () => {
    expect(jsonBody(event('{"a":1}', 'application/json; charset=utf-8'), schema)).toEqual({ a: 1 });
  });
  it.each([
    {
      name: 'the media type is form data',
      e: event('{"a":1}', 'application/x-www-form-urlencoded'),
      err: UnsupportedMediaTypeError,
    },
    { name: 'the body is not JSON', e: event('{"a":'), err: ValidationError },
    { name: 'the body is empty', e: event(''), err: ValidationError },
    { name: 'the body is over 64 KB', e: event(`{"a":"${'x'.repeat(70_000)}"}`), err: PayloadTooLargeError },
  ])('throws when $name', ({ e, err }) => {
    expect(() => jsonBody(e, schema)).toThrow(err);
  });
  it.each([
    { name: 'at the top', body: '{"__proto__":{"a":1},"a":1}', fields: ['__proto__'] },
    { name: 'nested', body: '{"a":1,"b":{"c":[{"__proto__":{}}]}}', fields: ['b.c.0.__proto__'] },
  ])('refuses a "__proto__" key $name with its path, before the schema drops it', ({ body, fields }) => {
    const problem = problemFromError(catching(() => jsonBody(event(body), z.looseObject({ a: z.number() }))));
    expect(problem).toMatchObject({
      status: 400,
      errors: fields.map((field) => ({ field, code: 'reserved_key' })),
    });
  });
  it('reads a body nested far deeper than the call stack without crashing', () => {
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    expect(() => jsonBody(event(deep), schema)).toThrow();
    expect(problemFromError(catching(() => jsonBody(event(deep), schema))).status).toBe(400);
  });
  it('throws a zod error with the path when a field has the wrong type', () => {
    const problem = problemFromError(
      (() => {
        try {
          jsonBody(event('{"a":"1"}'), schema);
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(problem).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'a' })] });
  });
});

describe('problemFromError', () => {
  it.each([
    { err: new NotFoundError('x'), status: 404 },
    { err: new UnauthorizedError('x'), status: 401 },
    { err: new ValidationError('x', [{ field: 'f', code: 'c', message: 'm' }]), status: 400 },
    { err: new RefusedError('x'), status: 403 },
    { err: new ExpiredError('x'), status: 410 },
    { err: new RateLimitedError('x', 60), status: 429 },
    { err: new InvalidStateError('x'), status: 409 },
    { err: new Error('boom'), status: 500 },
  ])('maps $err.constructor.name to $status', ({ err, status }) => {
    expect(problemFromError(err).status).toBe(status);
  });
  it('does not leak the message of an unexpected error', () => {
    expect(problemFromError(new Error('secret table name')).detail).not.toContain('secret');
  });
});

describe('verifyStandardWebhook', () => {
  const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
  const sign = (body: string, id = 'msg_1', at = new Date()) => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  });

  it('returns the webhook id when the signature matches', () => {
    expect(verifyStandardWebhook('{}', sign('{}'), [secret])).toBe('msg_1');
  });
  it('returns the webhook id of a signed body that is not JSON, leaving the parse (and its 400) to the caller', () => {
    expect(verifyStandardWebhook('not json {', sign('not json {'), [secret])).toBe('msg_1');
  });
  it('accepts the second secret while secrets rotate', () => {
    const other = `whsec_${Buffer.from('ffffffffffffffffffffffffffffffff').toString('base64')}`;
    expect(verifyStandardWebhook('{}', sign('{}'), [other, secret])).toBe('msg_1');
  });
  it.each([
    { name: 'the body was changed', body: '{"x":1}', headers: sign('{}') },
    {
      name: 'the timestamp is 6 minutes old',
      body: '{}',
      headers: sign('{}', 'msg_1', new Date(Date.now() - 6 * 60_000)),
    },
    { name: 'a header is missing', body: '{}', headers: { 'webhook-id': 'msg_1' } },
  ])('refuses when $name', ({ body, headers }) => {
    expect(() => verifyStandardWebhook(body, headers, [secret])).toThrow(UnauthorizedError);
  });
});
