import { DAY_MS } from '#kernel/days.ts';

import type { Clock } from '#kernel/ports.ts';
import { SEES_ALL, seesAttributes, type Visibility } from '#kernel/visibility.ts';
import type { CaseStore } from '../ports.ts';
import { loopMetrics } from '../rules/loop-metrics.ts';

export interface LoopMetricsQuery {
  readonly window: '7d' | '30d' | '90d';
  readonly by: string;
  readonly surveyId?: string;
}

/**
 * How well the loop is closed for the cases opened in the window (7, 30 or 90 days up to now): of the cases the
 * person may see, by the places the cases' answers name.
 */
export async function readLoopMetrics(
  deps: { cases: CaseStore; clock: Clock; visibility?: Visibility },
  query: LoopMetricsQuery,
) {
  const { window, by, surveyId } = query;
  const now = deps.clock.now();
  const from = new Date(now.getTime() - Number.parseInt(window, 10) * DAY_MS);
  const visibility = deps.visibility ?? SEES_ALL;
  const opened = (await deps.cases.openedSince(from, surveyId)).filter((c) =>
    seesAttributes(visibility, c.segment),
  );
  return { window, by, from: from.toISOString(), ...loopMetrics(opened, by, now) };
}
