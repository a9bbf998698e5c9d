import { accessRoutes } from './access.ts';
import { campaignsRoutes } from './campaigns.ts';
import { caseLinksRoutes } from './case-links.ts';
import { casesRoutes } from './cases.ts';
import { contactsRoutes } from './contacts.ts';
import { exportsRoutes } from './exports.ts';
import { metricsRoutes } from './metrics.ts';
import { plansRoutes } from './plans.ts';
import { responsesRoutes } from './responses.ts';
import { holds, type Role } from './roles.ts';
import { type RouteKey, type RouteSpec, type Routes, type Scope, scopeOf } from './route.ts';
import { shareLinksRoutes } from './share-links.ts';
import { submitResponseRoutes } from './submit-response.ts';
import { surveyPageRoutes } from './survey-page.ts';
import { surveysRoutes } from './surveys.ts';
import { webhookRoutes } from './webhook.ts';

/**
 * Every route of the API, by the function that serves it. The CDK routes (lib/routes.ts), the OpenAPI document
 * (lambdas/http/openapi.ts) and, through the template, the local API derive from it; each handler dispatches
 * its own file's routes, so a bundle carries only its own schemas.
 */
export const ROUTES = {
  surveyPage: surveyPageRoutes,
  caseLinks: caseLinksRoutes,
  submitResponse: submitResponseRoutes,
  webhook: webhookRoutes,
  surveys: surveysRoutes,
  metrics: metricsRoutes,
  responses: responsesRoutes,
  exports: exportsRoutes,
  shareLinks: shareLinksRoutes,
  cases: casesRoutes,
  plans: plansRoutes,
  contacts: contactsRoutes,
  campaigns: campaignsRoutes,
  access: accessRoutes,
} as const satisfies Record<string, Routes>;

/** A Lambda function that serves HTTP routes. */
export type FunctionId = keyof typeof ROUTES;

export interface RouteEntry {
  readonly fn: FunctionId;
  readonly key: RouteKey;
  readonly spec: RouteSpec;
}

/** The table as one list, in declaration order. */
export function routeEntries(): RouteEntry[] {
  return Object.entries(ROUTES).flatMap(([fn, routes]) =>
    Object.entries(routes as Routes).map(([key, spec]) => ({
      fn: fn as FunctionId,
      key: key as RouteKey,
      spec: spec as RouteSpec,
    })),
  );
}

/** Every scope the JWT routes name, each once, in declaration order: the resource server's scopes derive from it. */
export function jwtScopes(): Scope[] {
  const scopes = routeEntries().flatMap(({ spec }) => scopeOf(spec) ?? []);
  return [...new Set(scopes)];
}

/** The scopes of the table that `role` holds, in declaration order: what its access tokens carry. */
export function scopesOf(role: Role): Scope[] {
  return jwtScopes().filter((scope) => holds(role, scope));
}
