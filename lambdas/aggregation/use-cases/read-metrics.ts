import { loadSurvey } from '#capture/use-cases/record-response.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import { placeText, SEES_ALL, type Visibility, widest } from '#kernel/visibility.ts';
import type { AggregateStore, SegmentCatalogue } from '../ports.ts';
import { ALL, type Segment } from '../rules/aggregation.ts';
import {
  buildReport,
  type DayCounters,
  type MetricsReport,
  parseSegment,
  type TrendStep,
  type WindowName,
  windowRange,
} from '../rules/report.ts';
import { pathFinder, sumDays } from '../rules/segments.ts';
import { checkVisible } from './read-segments.ts';

export interface ReadMetricsDeps {
  readonly surveys: SurveyStore;
  readonly aggregates: AggregateStore;
  readonly catalogue: SegmentCatalogue;
  readonly clock: Clock;
}

/**
 * A survey's figures for a period, of one segment or of every answer. A person who sees only some places
 * (`visibility`) is refused a segment outside them, and gets, without a segment, the figures of their places
 * summed (each answer once: a place under another granted one is left out), labelled with those places.
 */
export async function readMetrics(
  deps: ReadMetricsDeps,
  input: { surveyId: string; window: WindowName; segment?: string | undefined; trend?: TrendStep },
  visibility: Visibility = SEES_ALL,
): Promise<MetricsReport> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const segment = parseSegment(input.segment);
  const range = windowRange(input.window, deps.clock.now());
  const read = (s: Segment) => deps.aggregates.readDays(survey.id, s, range.from, range.to);
  if (visibility.all)
    return buildReport(survey, input.window, range, segment, await read(segment), input.trend);

  if (segment !== ALL) {
    await checkVisible(deps, survey.id, segment, visibility);
    return buildReport(survey, input.window, range, segment, await read(segment), input.trend);
  }
  const pathOf = pathFinder(await deps.catalogue.all(survey.id));
  const places = widest(visibility.places, pathOf);
  const days: DayCounters[] = sumDays(await Promise.all(places.map(read)));
  const report = buildReport(survey, input.window, range, ALL, days, input.trend);
  // The places the figures are of, comma-separated; none when no grant covers a place.
  return { ...report, segment: places.map(placeText).join(',') };
}
