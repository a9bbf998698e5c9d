import type { Clock } from '#kernel/ports.ts';
import type { AuditTrail } from '../ports.ts';
import { type AuditEntry, type AuditQuery, auditDays, entryMatches } from '../rules/audit.ts';

/** The trail for admins: the days asked for, newest first, filtered by who and what, at most `limit` entries. */
export async function readAudit(
  deps: { audit: AuditTrail; clock: Clock },
  query: AuditQuery,
): Promise<{ items: AuditEntry[] }> {
  const items: AuditEntry[] = [];
  for (const day of auditDays(query, deps.clock.now())) {
    // A filter keeps fewer than it reads: read each day whole, up to the trail's own bound.
    for (const entry of await deps.audit.day(day, 5000))
      if (entryMatches(query, entry) && items.length < query.limit) items.push(entry);
    if (items.length >= query.limit) break;
  }
  return { items };
}
