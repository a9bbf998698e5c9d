/**
 * The web app's security headers, declared once: the local runtime sends them (local/web-app.ts) and CloudFront
 * adds them on AWS through a response headers policy (lib/workspace.ts).
 */

/**
 * Scripts and styles only from the app itself; connections only to itself (the API is on its origin) and to the
 * sign-in service (discovery and the token endpoint); no framing.
 * @param signInOrigins origins the browser fetches from while signing in, e.g. `https://login.example.com`
 */
export function contentSecurityPolicy(signInOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...signInOrigins].join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Browsers take each file for the type it is served as, never for what its bytes look like. */
export const CONTENT_TYPE_OPTIONS = 'nosniff';

/** Links out of the app tell nobody which screen (survey, case) they were followed from. */
export const REFERRER_POLICY = 'no-referrer';

/** HTTPS only, for two years; sent over https only (browsers ignore it on http, as under `npm start`). */
export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 3600;

/** The headers of every answer of the app (HSTS aside, which only CloudFront's https origin sends). */
export function securityHeaders(signInOrigins: readonly string[]): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(signInOrigins),
    'x-content-type-options': CONTENT_TYPE_OPTIONS,
    'referrer-policy': REFERRER_POLICY,
  };
}
