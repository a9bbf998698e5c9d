import type * as z from '#kernel/zod.ts';

/** `METHOD /path`, exactly as API Gateway names the route (and passes it as `event.routeKey`). */
export type RouteKey = `${'GET' | 'POST' | 'PUT' | 'DELETE'} /${string}`;

/** The OAuth resource server whose scopes the API's routes name (Cognito's resource server identifier). */
export const RESOURCE_SERVER = 'pulso';

/** A JWT scope, `pulso/<resource>.<read|write>`. */
export type Scope = `${typeof RESOURCE_SERVER}/${string}.${'read' | 'write'}`;

/** A JWT route anyone signed in may call, whatever their role (what they are allowed, for instance). */
export const SIGNED_IN = 'signed-in';

/**
 * Who may call a route: anyone (`public`), whoever holds a signed link the handler checks (`signed-link`), a vendor
 * whose signature the handler checks (`vendor-signature`), or a bearer of a JWT the API's authorizer accepts whose
 * role holds the scope named (API Gateway checks the token's scopes, the function the role: routes/roles.ts), or
 * any such bearer (`signed-in`).
 */
export type RouteAuth =
  | 'public'
  | 'signed-link'
  | 'vendor-signature'
  | { readonly jwt: Scope | typeof SIGNED_IN };

/** What a route reads from its body. */
export type RouteBody =
  /** application/json, read and parsed by the dispatcher before the implementation runs. */
  | { readonly json: z.ZodMiniType; readonly component?: string; readonly readBy?: undefined }
  /** application/json that the implementation reads itself, after checking something first (a signature). */
  | { readonly json: z.ZodMiniType; readonly component?: string; readonly readBy: 'implementation' }
  /** An urlencoded form post, read by the implementation (pages render their own errors). */
  | { readonly form: z.ZodMiniType; readonly readBy: 'implementation' }
  /** text/csv, or the same rows as JSON; the dispatcher reads either, up to `maxBytes`. */
  | {
      readonly csv: true;
      readonly json: z.ZodMiniType;
      readonly maxBytes: number;
      readonly readBy?: undefined;
    };

/** A response: its description, and the schema of its JSON body where there is one. */
export type RouteResponse = string | { readonly description: string; readonly schema: z.ZodMiniType };

export interface RouteSpec {
  readonly summary: string;
  readonly auth: RouteAuth;
  /** Query parameters (API Gateway hands them as strings: coerce numbers). */
  readonly query?: z.ZodMiniType;
  readonly body?: RouteBody;
  /** Status -> what it means. */
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /** Statuses answered with application/problem+json. */
  readonly problems?: readonly number[];
}

export type Routes = { readonly [K in RouteKey]?: RouteSpec };

/** Declares the routes of one function; keeps their keys and schema types for the dispatcher. */
export const defineRoutes = <const R extends Routes>(routes: R): R => routes;

/** `GET /v1/cases/{caseId}` -> `GET`, `/v1/cases/{caseId}`, `['caseId']`. */
export function partsOf(key: string): { method: string; path: string; params: string[] } {
  const [method = '', path = ''] = key.split(' ');
  return { method, path, params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '') };
}

/** Whether a route is behind the JWT authorizer. */
export const isJwtRoute = (spec: RouteSpec): spec is RouteSpec & { auth: { jwt: string } } =>
  typeof spec.auth === 'object';

/** The scope a JWT route needs: none for an open route or one any signed-in person may call. */
export function scopeOf(spec: RouteSpec): Scope | undefined {
  return typeof spec.auth === 'object' && spec.auth.jwt !== SIGNED_IN ? spec.auth.jwt : undefined;
}
