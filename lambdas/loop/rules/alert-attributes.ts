import type { Case } from './case.ts';

/**
 * The SNS message attributes of a case alert, the same for the first alert of a case and for each escalation, so
 * an SMS subscription filtering on `ownerPhone` or a chat subscription filtering on `role` gets every message meant
 * for its tier. docs/closing-the-loop.md lists them.
 */
export const CASE_ALERT_ATTRIBUTES = [
  'caseId',
  'surveyId',
  'severity',
  'event',
  'tier',
  'role',
  'ownerEmail',
  'ownerPhone',
] as const;

export type CaseAlertEvent = 'opened' | 'escalated';

/**
 * Attributes for telling the case's current tier. SNS keeps at most 10 attributes per message, so the owner's come
 * first, then the segment (`segment.<key>`), then the rules that fired.
 */
export function caseAlertAttributes(c: Case, event: CaseAlertEvent): Record<string, string> {
  const tier = c.tiers?.[c.tier];
  const owner: Record<(typeof CASE_ALERT_ATTRIBUTES)[number], string | undefined> = {
    caseId: c.caseId,
    surveyId: c.surveyId,
    severity: c.severity,
    event,
    tier: String(c.tier),
    role: tier?.role,
    ownerEmail: tier?.email,
    ownerPhone: tier?.phone,
  };
  return {
    ...Object.fromEntries(Object.entries(owner).filter(([, v]) => v !== undefined)),
    ...Object.fromEntries(Object.entries(c.segment).map(([k, v]) => [`segment.${k}`, v])),
    rules: c.hits.map((h) => h.ruleId).join(','),
  };
}
