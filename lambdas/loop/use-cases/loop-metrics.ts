import { DAY_MS } from '#kernel/days.ts';

import type { Clock } from '#kernel/ports.ts';
import type { CaseStore } from '../ports.ts';
import { loopMetrics } from '../rules/loop-metrics.ts';

export interface LoopMetricsQuery {
  readonly window: '7d' | '30d' | '90d';
  readonly by: string;
  readonly surveyId?: string;
}

/** How well the loop is closed for the cases opened in the window (7, 30 or 90 days up to now). */
export async function readLoopMetrics(deps: { cases: CaseStore; clock: Clock }, query: LoopMetricsQuery) {
  const { window, by, surveyId } = query;
  const now = deps.clock.now();
  const from = new Date(now.getTime() - Number.parseInt(window, 10) * DAY_MS);
  const opened = await deps.cases.openedSince(from, surveyId);
  return { window, by, from: from.toISOString(), ...loopMetrics(opened, by, now) };
}
