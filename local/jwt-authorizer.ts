import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';

/**
 * API Gateway's JWT authorizer, locally: a bearer token is accepted when its signature matches a key of the
 * issuer's JWKS, `iss` is the issuer, `aud` or `client_id` is one of the audiences, it has not expired and is
 * already valid, and, when the route names scopes, its `scope` (or `scp`) holds one of them. The handler then gets
 * the claims as API Gateway passes them: every value a string, arrays as `[a b]`.
 */
export interface JwtAuthorizerConfig {
  readonly issuer: string;
  readonly audiences: readonly string[];
  /** The issuer's public keys (what its `jwks_uri` publishes). */
  readonly jwks: JSONWebKeySet;
  /** What `exp` and `nbf` are checked against: the runtime's clock. @default the system clock */
  readonly now?: () => number;
}

export type Authorization =
  | { readonly ok: true; readonly claims: Record<string, string>; readonly scopes: string[] | null }
  | { readonly ok: false; readonly status: 401 | 403 };

export function jwtAuthorizer(config: JwtAuthorizerConfig) {
  const keys = createLocalJWKSet(config.jwks);
  return async (
    authorization: string | undefined,
    routeScopes?: readonly string[],
  ): Promise<Authorization> => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return { ok: false, status: 401 };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        currentDate: new Date(config.now?.() ?? Date.now()),
      }));
    } catch (err) {
      if (err instanceof errors.JOSEError) return { ok: false, status: 401 };
      throw err;
    }
    const audiences = [payload.aud ?? [], payload.client_id ?? []].flat().map(String);
    if (!audiences.some((a) => config.audiences.includes(a))) return { ok: false, status: 401 };
    const granted = String(payload.scope ?? payload.scp ?? '')
      .split(' ')
      .filter(Boolean);
    if (routeScopes?.length && !routeScopes.some((s) => granted.includes(s)))
      return { ok: false, status: 403 };
    return {
      ok: true,
      claims: Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, claimText(value)])),
      scopes: routeScopes?.length ? granted : null,
    };
  };
}

export type JwtAuthorizer = ReturnType<typeof jwtAuthorizer>;

function claimText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(String).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
