import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DEVICE_ID_PATTERN } from '#capture/rules/rate-limit.ts';
import { MAX_WINDOW_MINUTES } from '#kernel/survey.ts';

/**
 * The device id behind the per-device rate limit: a random id in a cookie set by the survey page. `__Host-`
 * (Secure, whole site, no Domain) over https; a plain name locally over http, where browsers refuse `__Host-`.
 */
const SECURE_NAME = '__Host-pulso_device';
const PLAIN_NAME = 'pulso_device';

const isHttps = (event: APIGatewayProxyEventV2) => event.headers?.['x-forwarded-proto'] === 'https';

/** The device id the browser sent, if it is one of ours. */
export function deviceIdOf(event: APIGatewayProxyEventV2): string | undefined {
  const names = isHttps(event) ? [SECURE_NAME] : [SECURE_NAME, PLAIN_NAME];
  for (const cookie of event.cookies ?? []) {
    const eq = cookie.indexOf('=');
    const value = cookie.slice(eq + 1).trim();
    if (eq > 0 && names.includes(cookie.slice(0, eq).trim()) && DEVICE_ID_PATTERN.test(value)) return value;
  }
  return undefined;
}

/** A Set-Cookie value with a new device id when the browser has none; undefined when it has one. */
export function newDeviceCookie(event: APIGatewayProxyEventV2): string | undefined {
  if (deviceIdOf(event)) return undefined;
  const id = randomBytes(16).toString('base64url');
  // It only has to outlive the longest rate-limit window.
  const attributes = `Path=/; Max-Age=${MAX_WINDOW_MINUTES * 60}; HttpOnly; SameSite=Lax`;
  return isHttps(event)
    ? `${SECURE_NAME}=${id}; ${attributes}; Secure`
    : `${PLAIN_NAME}=${id}; ${attributes}`;
}
