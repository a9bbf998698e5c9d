import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { RefusedError } from '#kernel/errors.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import { SEES_ALL, sees, type Visibility } from '#kernel/visibility.ts';
import type { AggregateStore, SegmentCatalogue } from '../ports.ts';
import { ALL, type Segment } from '../rules/aggregation.ts';
import {
  type LeagueRow,
  type LeagueTable,
  leagueDays,
  leagueRow,
  leagueScopeOf,
  leagueTable,
  pathFinder,
  type SegmentsQuery,
  type SegmentValue,
  segmentKeyOf,
  segmentText,
  valuesOfKey,
} from '../rules/segments.ts';

export interface ReadSegmentsDeps {
  readonly surveys: SurveyStore;
  readonly aggregates: AggregateStore;
  readonly catalogue: SegmentCatalogue;
  readonly clock: Clock;
  /** Segments read at once. @default 16 */
  readonly concurrency?: number;
}

/** The levels above a parent, widest first, from the catalogue's parents. */
async function pathTo(
  deps: ReadSegmentsDeps,
  surveyId: string,
  parent: Segment | undefined,
): Promise<Segment[]> {
  const path: Segment[] = [];
  for (let at = parent; at && path.length < 6; ) {
    path.unshift(at);
    at = (await deps.catalogue.get(surveyId, at))?.parent;
  }
  return path;
}

/**
 * Which of a survey's places the person may see: every one for whoever sees everything; else those with one of
 * their places on the path the survey's catalogue gives them, and never the whole survey (ALL). The catalogue is
 * read once, only for someone who sees some places.
 */
export async function placeSight(
  catalogue: Pick<SegmentCatalogue, 'all'> | undefined,
  surveyId: string,
  visibility: Visibility,
): Promise<(place: Segment) => boolean> {
  if (visibility.all) return () => true;
  const pathOf = pathFinder((await catalogue?.all(surveyId)) ?? []);
  return (place) => place.key !== ALL.key && sees(visibility, pathOf(place));
}

/**
 * Refuses (403) a segment the person may not see: one outside their places along the survey's hierarchy. Every
 * place is seen by whoever sees everything; the whole survey (ALL) is narrowed by the reads, not refused.
 */
export async function checkVisible(
  deps: Pick<ReadSegmentsDeps, 'catalogue'>,
  surveyId: string,
  segment: Segment,
  visibility: Visibility,
): Promise<void> {
  if (segment.key === ALL.key) return;
  if (!(await placeSight(deps.catalogue, surveyId, visibility))(segment))
    throw new RefusedError(`Your grants do not cover ${segmentText(segment)}.`);
}

/**
 * Where a league table starts for someone who sees some places and names no level: at the widest level of their
 * places (a store manager's own store, an area manager's city), not at regions they cannot see.
 */
function firstKeyOf(hierarchy: readonly string[], visibility: Visibility): string | undefined {
  if (visibility.all) return undefined;
  const levels = visibility.places.map((p) => hierarchy.indexOf(p.key)).filter((i) => i >= 0);
  return levels.length > 0 ? hierarchy[Math.min(...levels)] : undefined;
}

/** The values a person may see, by their places along the survey's hierarchy: all of them for everyone's view. */
async function visibleOf(
  deps: Pick<ReadSegmentsDeps, 'catalogue'>,
  surveyId: string,
  values: readonly SegmentValue[],
  visibility: Visibility,
): Promise<SegmentValue[]> {
  return values.filter(await placeSight(deps.catalogue, surveyId, visibility));
}

/**
 * The league table of one level of a survey's segments: every value of `key` (under `parent` when given) the
 * person may see, each with its figure this window and the one before, ranked, marked against the target and its
 * own past.
 */
export async function readSegments(
  deps: ReadSegmentsDeps,
  input: { surveyId: string } & SegmentsQuery,
  visibility: Visibility = SEES_ALL,
): Promise<LeagueTable> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const scope = leagueScopeOf(survey, {
    ...input,
    key: input.key ?? firstKeyOf(survey.hierarchy, visibility),
  });
  const { range, read } = leagueDays(scope.window, deps.clock.now());
  const [listed, path] = await Promise.all([
    deps.catalogue.list(survey.id, scope.key, scope.parent),
    pathTo(deps, survey.id, scope.parent),
  ]);
  const values = await visibleOf(deps, survey.id, listed, visibility);
  const rows: Omit<LeagueRow, 'rank'>[] = [];
  let next = 0;
  const worker = async () => {
    for (let v = values[next++]; v; v = values[next++]) {
      const days = await deps.aggregates.readDays(survey.id, v, read.from, read.to);
      rows.push(leagueRow(survey, scope, v.value, days, range));
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 16, values.length) }, worker));
  return leagueTable(survey, scope, rows, range, path);
}

/** Every value of one segment key the survey has seen, with its parent: one Query of the catalogue. */
export async function listSegmentValues(
  deps: Pick<ReadSegmentsDeps, 'surveys' | 'catalogue'>,
  input: { readonly surveyId: string; readonly key: string },
  visibility: Visibility = SEES_ALL,
) {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const key = segmentKeyOf(survey, input.key);
  return valuesOfKey(
    key,
    await visibleOf(deps, survey.id, await deps.catalogue.list(survey.id, key), visibility),
  );
}
