import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LOCALES, type Locale } from '#kernel/survey.ts';
import { negotiateLocale } from '#views/i18n.ts';
import { formBody } from './body.ts';

/**
 * A server-rendered page: never cached, no scripts, no framing (but by its own origin when `framedBy` is `self`: the
 * editor's preview); `images` allows the data: images of QR codes.
 */
export const htmlPage = (
  statusCode: number,
  body: string,
  extra: { headers?: Record<string, string>; cookies?: string[]; images?: boolean; framedBy?: 'self' } = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  ...(extra.cookies?.length ? { cookies: extra.cookies } : {}),
  headers: {
    ...extra.headers,
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; ${extra.images ? 'img-src data:; ' : ''}form-action 'self'; base-uri 'none'; frame-ancestors ${extra.framedBy === 'self' ? "'self'" : "'none'"}`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  },
  body,
});

/** One field of a form post, or undefined for a GET or a body that cannot be read (for error pages). */
export function formField(event: APIGatewayProxyEventV2, name: string): string | undefined {
  if (event.requestContext.http.method !== 'POST') return undefined;
  try {
    return formBody(event).get(name) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The page's language: the form's `locale` on a post, else `lang`, else Accept-Language, within `locales`. */
export const pageLocale = (
  event: APIGatewayProxyEventV2,
  fromForm?: string,
  survey: { readonly locales: readonly Locale[]; readonly defaultLocale: Locale } = {
    locales: LOCALES,
    defaultLocale: 'en',
  },
): Locale =>
  negotiateLocale(
    fromForm ?? event.queryStringParameters?.lang,
    event.headers?.['accept-language'],
    survey.locales,
    survey.defaultLocale,
  );

/** The form action of a signed link's page: the same path with its token. */
export const linkAction = (event: APIGatewayProxyEventV2, token: string) =>
  `${event.rawPath}?t=${encodeURIComponent(token)}`;
