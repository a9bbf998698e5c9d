/**
 * SLAs and escalation (docs/decisions/0002-sla-escalation-sweep.md). A case has an acknowledgement deadline and a
 * resolution deadline; when the one that applies passes with nobody acting, the case escalates to the next tier
 * of its route, which gets a full SLA period of its own, and so on up the tiers. Acknowledging stops the
 * acknowledgement escalation; resolving stops all.
 */

export const DEFAULT_ACK_SLA_HOURS = 24;
export const DEFAULT_RESOLVE_SLA_HOURS = 48;

export interface Sla {
  readonly ackHours: number;
  readonly resolveHours: number;
}

export const DEFAULT_SLA: Sla = { ackHours: DEFAULT_ACK_SLA_HOURS, resolveHours: DEFAULT_RESOLVE_SLA_HOURS };

/** The strictest SLA of the rules a case broke (a case that breaks two rules answers to the tighter one). */
export function slaOf(rules: ReadonlyArray<{ ackSlaHours?: number; resolveSlaHours?: number }>): Sla {
  const ack = Math.min(...rules.map((r) => r.ackSlaHours ?? DEFAULT_ACK_SLA_HOURS));
  const resolve = Math.min(...rules.map((r) => r.resolveSlaHours ?? DEFAULT_RESOLVE_SLA_HOURS));
  return {
    ackHours: Number.isFinite(ack) ? ack : DEFAULT_ACK_SLA_HOURS,
    resolveHours: Number.isFinite(resolve) ? resolve : DEFAULT_RESOLVE_SLA_HOURS,
  };
}

const hours = (h: number) => h * 3_600_000;

/** What an SLA clock needs of a case. */
export interface SlaState {
  readonly status: 'open' | 'acknowledged' | 'resolved' | 'closed';
  readonly sla: Sla;
  /** Tier now responsible: 0 is the first tier of the route. */
  readonly tier: number;
  /** The deadline that applies now; absent once nothing is due (resolved, closed, or no tier above). */
  readonly dueAt?: string;
  /** Which deadline `dueAt` is. */
  readonly due?: 'acknowledge' | 'resolve';
}

/** The first deadline of a new case: acknowledgement by its first tier. */
export function openingDeadline(sla: Sla, openedAt: Date): Pick<SlaState, 'dueAt' | 'due'> {
  return { dueAt: new Date(openedAt.getTime() + hours(sla.ackHours)).toISOString(), due: 'acknowledge' };
}

/** After an acknowledgement: the resolution deadline of the tier that acknowledged, counted from the opening. */
export function deadlineAfterAcknowledge(
  sla: Sla,
  openedAt: string,
  now: Date,
): Pick<SlaState, 'dueAt' | 'due'> {
  const fromOpening = Date.parse(openedAt) + hours(sla.resolveHours);
  // An acknowledgement after the resolution deadline still leaves an hour before the next tier hears of it.
  return { dueAt: new Date(Math.max(fromOpening, now.getTime() + hours(1))).toISOString(), due: 'resolve' };
}

export type Escalation =
  | { readonly kind: 'not-due' }
  /** The case moves to `tier`, which gets its own deadline. */
  | {
      readonly kind: 'escalate';
      readonly tier: number;
      readonly dueAt: string;
      readonly due: 'acknowledge' | 'resolve';
    }
  /** Past due at the top tier: nobody is left to escalate to; the breach stays on record. */
  | { readonly kind: 'top'; readonly due: 'acknowledge' | 'resolve' };

/** What the sweep does with a case at `now`, given how many tiers its route has. */
export function escalationOf(state: SlaState, tiers: number, now: Date): Escalation {
  if (state.status === 'resolved' || state.status === 'closed') return { kind: 'not-due' };
  if (!state.dueAt || !state.due || Date.parse(state.dueAt) > now.getTime()) return { kind: 'not-due' };
  if (state.tier + 1 >= tiers) return { kind: 'top', due: state.due };
  const period = state.due === 'acknowledge' ? state.sla.ackHours : state.sla.resolveHours;
  return {
    kind: 'escalate',
    tier: state.tier + 1,
    dueAt: new Date(now.getTime() + hours(period)).toISOString(),
    due: state.due,
  };
}
