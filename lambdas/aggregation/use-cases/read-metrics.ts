import { loadSurvey } from '#capture/use-cases/record-response.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import type { AggregateStore } from '../ports.ts';
import {
  buildReport,
  type MetricsReport,
  parseSegment,
  type TrendStep,
  type WindowName,
  windowRange,
} from '../rules/report.ts';

export interface ReadMetricsDeps {
  readonly surveys: SurveyStore;
  readonly aggregates: AggregateStore;
  readonly clock: Clock;
}

export async function readMetrics(
  deps: ReadMetricsDeps,
  input: { surveyId: string; window: WindowName; segment?: string | undefined; trend?: TrendStep },
): Promise<MetricsReport> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const segment = parseSegment(input.segment);
  const range = windowRange(input.window, deps.clock.now());
  const days = await deps.aggregates.readDays(survey.id, segment, range.from, range.to);
  return buildReport(survey, input.window, range, segment, days, input.trend);
}
