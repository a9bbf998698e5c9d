import type { Segment } from '#aggregation/rules/aggregation.ts';
import type { ResponseRecord } from '#capture/rules/response.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import { type ThresholdEvent, watchedSegments } from '../rules/thresholds.ts';
import { checkThresholds, type ThresholdDeps } from './check-thresholds.ts';

export interface TouchedDeps extends ThresholdDeps {
  readonly surveys: SurveyStore;
  readonly clock: Clock;
}

/** What a check of the touched segments tells its caller (the log). */
export interface TouchedReport {
  readonly onEvent: (event: ThresholdEvent, segment: Segment) => void;
  readonly onError: (err: unknown) => void;
}

/**
 * After a fold, the threshold rules of the segments it touched (each once) are checked against what was just
 * written. A failed check is reported and left to the next batch of that segment: it never fails the fold.
 */
export async function checkTouchedSegments(
  deps: TouchedDeps,
  responses: readonly ResponseRecord[],
  report: TouchedReport,
): Promise<void> {
  const seen = new Set<string>();
  for (const r of responses) {
    const survey = await deps.surveys.get(r.surveyId);
    if (!survey || survey.thresholds.length === 0) continue;
    for (const segment of watchedSegments(survey, r.attributes)) {
      const id = `${survey.id}\n${segment.key}\n${segment.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      try {
        for (const e of await checkThresholds(deps, survey, segment, deps.clock.now()))
          report.onEvent(e, segment);
      } catch (err) {
        report.onError(err);
      }
    }
  }
}
