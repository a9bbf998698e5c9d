import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AuditTrail } from '#access/ports.ts';
import { AUDIT_RETENTION_DAYS, type AuditAction, auditActionOf } from '#access/rules/audit.ts';
import { partsOf, type RouteSpec, scopeOf } from '#routes/route.ts';
import { actorOf, callerRole } from './admin.ts';

/** Days the trail keeps an entry: the stack's `auditRetentionDays`. */
export const AUDIT_RETENTION_VARIABLE = 'AUDIT_RETENTION_DAYS';

/** What a JWT route leaves in the audit trail, from the route table: none for an open route. */
export function auditOf(key: string, spec: RouteSpec): AuditAction | undefined {
  if (typeof spec.auth !== 'object') return undefined;
  return auditActionOf(partsOf(key).method, scopeOf(spec));
}

/**
 * Records a request in the trail after it succeeded: who (their token), what (the route and its path parameters,
 * the segment a read named), when, and from where (address and user agent).
 */
export async function recordAudit(
  trail: AuditTrail,
  event: APIGatewayProxyEventV2,
  action: AuditAction,
  status: number,
): Promise<void> {
  const keepDays = Number(process.env[AUDIT_RETENTION_VARIABLE]) || AUDIT_RETENTION_DAYS;
  const http = event.requestContext?.http;
  const segment = event.queryStringParameters?.segment;
  await trail.record(
    {
      at: new Date(event.requestContext?.timeEpoch ?? Date.now()).toISOString(),
      actor: actorOf(event),
      role: callerRole(event) ?? null,
      action,
      route: event.routeKey,
      target: { ...(event.pathParameters ?? {}) } as Record<string, string>,
      ...(segment ? { segment } : {}),
      status,
      sourceIp: http?.sourceIp ?? '',
      userAgent: (http?.userAgent ?? '').slice(0, 300),
      requestId: event.requestContext?.requestId ?? `${Date.now()}`,
    },
    keepDays,
  );
}
