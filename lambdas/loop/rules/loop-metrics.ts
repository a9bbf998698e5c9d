import { type Interval, wilson } from '#kernel/metrics.ts';
import * as z from '#kernel/zod.ts';
import type { Case } from './case.ts';
import { DEFAULT_SLA } from './escalation.ts';

/**
 * How well the loop is closed, per owner or per segment value: how many cases, how many still open and overdue,
 * the share acknowledged and resolved within the SLA (with n and a Wilson 95% interval, as every proportion in
 * Pulso), and the median hours to acknowledge and to resolve.
 */
export interface LoopFigures {
  readonly cases: number;
  readonly open: number;
  /** Not resolved, and past the deadline that applies now (or past the top tier's). */
  readonly overdue: number;
  readonly acknowledgedWithinSla: Share;
  readonly resolvedWithinSla: Share;
  readonly medianHoursToAcknowledge: number | null;
  readonly medianHoursToResolve: number | null;
  /** Customers asked how their case was handled after it was resolved (see recovery.ts). */
  readonly recovery: {
    readonly followUpsSent: number;
    readonly answered: number;
    /** Of the answers: the share of customers who said 4 or 5 (satisfied with how it was handled). */
    readonly recovered: Share;
  };
}

export interface Share {
  /** Cases the share is of: acknowledged (or resolved) ones and those open past the deadline; or answered follow-ups. */
  readonly n: number;
  readonly pct: number | null;
  readonly ci95: Interval | null;
}

export interface LoopGroup {
  readonly key: string;
  readonly value: string;
  readonly figures: LoopFigures;
}

const HOUR = 3_600_000;
const round = (x: number) => Math.round(x * 10) / 10;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round(s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2);
}

function share(within: number, n: number): Share {
  return { n, pct: n === 0 ? null : round((100 * within) / n), ci95: wilson(within, n) };
}

/** The figures of a set of cases, as of `now`. */
export function loopFigures(cases: readonly Case[], now: Date): LoopFigures {
  const toAck: number[] = [];
  const toResolve: number[] = [];
  let ackWithin = 0;
  let ackN = 0;
  let resolveWithin = 0;
  let resolveN = 0;
  let open = 0;
  let overdue = 0;
  let followUpsSent = 0;
  let answered = 0;
  let recovered = 0;
  for (const c of cases) {
    const r = c.recovery;
    if (r?.sentAt || r?.status === 'answered') followUpsSent++;
    if (r?.status === 'answered') {
      answered++;
      if (r.recovered) recovered++;
    }
    const sla = c.sla ?? DEFAULT_SLA;
    const opened = Date.parse(c.openedAt);
    const ackBy = opened + sla.ackHours * HOUR;
    const resolveBy = opened + sla.resolveHours * HOUR;
    const done = c.status === 'resolved' || c.status === 'closed';
    if (!done) open++;
    const late =
      Date.parse(c.dueAt ?? '') < now.getTime() ||
      (!c.acknowledgedAt && ackBy < now.getTime()) ||
      resolveBy < now.getTime();
    if (!done && late) overdue++;
    // Acknowledgement: a case counts once it was acknowledged, or once its deadline passed without it.
    if (c.acknowledgedAt) {
      const hours = (Date.parse(c.acknowledgedAt) - opened) / HOUR;
      toAck.push(hours);
      ackN++;
      if (Date.parse(c.acknowledgedAt) <= ackBy) ackWithin++;
    } else if (ackBy < now.getTime()) ackN++;
    if (c.resolvedAt && done) {
      toResolve.push((Date.parse(c.resolvedAt) - opened) / HOUR);
      resolveN++;
      if (Date.parse(c.resolvedAt) <= resolveBy) resolveWithin++;
    } else if (resolveBy < now.getTime()) resolveN++;
  }
  return {
    cases: cases.length,
    open,
    overdue,
    acknowledgedWithinSla: share(ackWithin, ackN),
    resolvedWithinSla: share(resolveWithin, resolveN),
    medianHoursToAcknowledge: median(toAck),
    medianHoursToResolve: median(toResolve),
    recovery: { followUpsSent, answered, recovered: share(recovered, answered) },
  };
}

/**
 * Per owner (`by` = `owner`: the email of the tier responsible now) or per value of a segment key (`store`,
 * `region`...), largest groups first; and the total.
 */
export function loopMetrics(
  cases: readonly Case[],
  by: string,
  now: Date,
): { total: LoopFigures; groups: LoopGroup[] } {
  const groups = new Map<string, Case[]>();
  for (const c of cases) {
    const value = by === 'owner' ? (c.owner?.email ?? '(nobody)') : (c.segment[by] ?? '(none)');
    const list = groups.get(value) ?? [];
    list.push(c);
    groups.set(value, list);
  }
  return {
    total: loopFigures(cases, now),
    groups: [...groups.entries()]
      .map(([value, list]) => ({ key: by, value, figures: loopFigures(list, now) }))
      .sort((a, b) => b.figures.cases - a.figures.cases || a.value.localeCompare(b.value)),
  };
}

/** `GET /v1/loop/metrics`: the window of opening dates, and what to group by. */
export const loopMetricsQuery = z.strictObject({
  window: z._default(z.enum(['7d', '30d', '90d']), '30d'),
  /** `owner`, or a segment key (`store`, `region`...). */
  by: z._default(
    z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/), z.meta({ examples: ['owner', 'store'] })),
    'owner',
  ),
  surveyId: z.optional(z.string().check(z.maxLength(64))),
});
