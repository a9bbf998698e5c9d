import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { deviceIdOf, newDeviceCookie } from '#http/device-cookie.ts';

const ID = 'AbCdEfGhIjKlMnOpQrSt_-';
const event = (proto: 'http' | 'https', cookies?: string[]) =>
  ({
    headers: { 'x-forwarded-proto': proto },
    ...(cookies ? { cookies } : {}),
  }) as unknown as APIGatewayProxyEventV2;

describe('the device cookie', () => {
  it('is __Host- prefixed, Secure, HttpOnly and SameSite=Lax over https', () => {
    const cookie = newDeviceCookie(event('https')) ?? '';
    expect(cookie).toMatch(
      /^__Host-pulso_device=[A-Za-z0-9_-]{22}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/,
    );
    expect(cookie).not.toContain('Domain');
  });

  it('has a plain name and no Secure flag over http (local runs)', () => {
    expect(newDeviceCookie(event('http'))).toMatch(
      /^pulso_device=[A-Za-z0-9_-]{22}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/,
    );
  });

  it('is not set again when the browser has one', () => {
    expect(newDeviceCookie(event('https', [`__Host-pulso_device=${ID}`]))).toBeUndefined();
  });

  it.each([
    {
      name: 'the secure cookie over https',
      proto: 'https' as const,
      cookies: ['a=b', `__Host-pulso_device=${ID}`],
      id: ID,
    },
    { name: 'the plain cookie over http', proto: 'http' as const, cookies: [`pulso_device=${ID}`], id: ID },
    {
      name: 'a plain cookie over https (it could be planted)',
      proto: 'https' as const,
      cookies: [`pulso_device=${ID}`],
      id: undefined,
    },
    {
      name: 'a value that is not ours',
      proto: 'http' as const,
      cookies: ['pulso_device=<script>'],
      id: undefined,
    },
    { name: 'no cookies', proto: 'http' as const, cookies: undefined, id: undefined },
  ])('reads $name', ({ proto, cookies, id }) => {
    expect(deviceIdOf(event(proto, cookies))).toBe(id);
  });
});
