import { DAY_MS, dayOf } from '#kernel/days.ts';
import { ValidationError } from '#kernel/errors.ts';
import * as z from '#kernel/zod.ts';

/**
 * The audit trail (issue 12, point 4): who read personal data (comments, contacts, responses, cases) or exported it,
 * and who changed what, when and from where. Written by the API itself after each such request succeeds, read by
 * admins, never changed through the API, kept `AUDIT_RETENTION_DAYS` days.
 */
export const AUDIT_ACTIONS = ['read', 'change'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The scopes whose reads return customers' personal data: each such read leaves a trace. */
export const PERSONAL_DATA_READS: readonly string[] = [
  'pulso/responses.read',
  'pulso/contacts.read',
  'pulso/cases.read',
  'pulso/campaigns.read',
];

/** What a route leaves in the trail: a change for every write, a read for a read of personal data, else nothing. */
export function auditActionOf(method: string, scope: string | undefined): AuditAction | undefined {
  if (method !== 'GET') return 'change';
  return scope && PERSONAL_DATA_READS.includes(scope) ? 'read' : undefined;
}

export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly role: string | null;
  readonly action: AuditAction;
  /** The route, as the route table names it: `PUT /v1/access/grants/{subject}`. */
  readonly route: string;
  /** Its path parameters (which case, which survey, whose grant). */
  readonly target: Readonly<Record<string, string>>;
  /** The place a read was narrowed to, when the request named one. */
  readonly segment?: string | undefined;
  readonly status: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly requestId: string;
}

/** Days an entry is kept unless the stack says otherwise (`auditRetentionDays`). */
export const AUDIT_RETENTION_DAYS = 365;

/** `GET /v1/audit?from=&to=&actor=&action=`: at most 31 days, newest first. */
export const auditQuery = z.object({
  from: z.optional(z.iso.date()),
  to: z.optional(z.iso.date()),
  actor: z.optional(z.string().check(z.maxLength(254))),
  action: z.optional(z.enum(AUDIT_ACTIONS)),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 200),
});
export type AuditQuery = z.infer<typeof auditQuery>;

/** The days a query reads, newest first: the last 7 days up to `to` (today) unless told, at most 31. */
export function auditDays(query: Pick<AuditQuery, 'from' | 'to'>, now: Date): string[] {
  const to = query.to ?? dayOf(now);
  const from = query.from ?? dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - 6 * DAY_MS));
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
  if (span < 0 || span > 30)
    throw new ValidationError('Ask for 1 to 31 days, from no later than to.', [
      { field: 'from', code: 'invalid_range', message: 'from must be 0 to 30 days before to' },
    ]);
  return Array.from({ length: span + 1 }, (_, i) =>
    dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - i * DAY_MS)),
  );
}

export const entryMatches = (query: Pick<AuditQuery, 'actor' | 'action'>, e: AuditEntry) =>
  (!query.actor || e.actor === query.actor) && (!query.action || e.action === query.action);
