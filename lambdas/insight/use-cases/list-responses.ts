import type { SegmentCatalogue } from '#aggregation/ports.ts';
import { checkVisible } from '#aggregation/use-cases/read-segments.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import { SEES_ALL, seesAttributes, type Visibility } from '#kernel/visibility.ts';
import type { CaseLookup, CommentIndex } from '../ports.ts';
import {
  commentsOf,
  type ResponsePage,
  type ResponsesQuery,
  readingOf,
  responseFilterOf,
  responseMatches,
  scoresOf,
  segmentOf,
} from '../rules/responses.ts';

export interface ListResponsesDeps {
  readonly surveys: SurveyStore;
  readonly comments: CommentIndex;
  readonly cases: CaseLookup;
  readonly catalogue: SegmentCatalogue;
  readonly clock: Clock;
  /** Responses a page reads at most, however few pass the filter. @default 1000 */
  readonly examine?: number;
}

/**
 * A page of a survey's responses with a comment, newest first, filtered by segment, score band and words, each
 * with its comments and scores (no case: see listResponses). A search that finds few matches gives a short (even
 * empty) page and a cursor: each page reads a bounded number of responses. A person who sees only some places
 * gets only the responses their places name.
 */
export async function commentedResponses(
  deps: Pick<ListResponsesDeps, 'comments' | 'clock' | 'examine'>,
  survey: Survey,
  input: ResponsesQuery,
  visibility: Visibility = SEES_ALL,
): Promise<ResponsePage> {
  const filter = responseFilterOf(survey, input, deps.clock.now());
  const page = await deps.comments.page({
    surveyId: survey.id,
    from: filter.from,
    to: filter.to,
    cursor: input.cursor,
    limit: input.limit,
    keep: (r) => seesAttributes(visibility, r.attributes) && responseMatches(survey, filter, r),
    examine: deps.examine ?? 1000,
  });
  return {
    surveyId: survey.id,
    from: filter.from,
    to: filter.to,
    items: page.items.map(({ contentHash: _, analysis, ...r }) => ({
      ...r,
      ...(analysis ? { analysis: readingOf(analysis) } : {}),
      comments: commentsOf(survey, r.answers),
      scores: scoresOf(survey, r.answers),
    })),
    cursor: page.cursor,
    readTo: page.readTo,
  };
}

/** The same page as commentedResponses, each response with the case it opened (one BatchGetItem for the page). */
export async function listResponses(
  deps: ListResponsesDeps,
  input: { readonly surveyId: string } & ResponsesQuery,
  visibility: Visibility = SEES_ALL,
): Promise<ResponsePage> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  await checkVisible(deps, survey.id, segmentOf(survey, input.segment), visibility);
  const page = await commentedResponses(deps, survey, input, visibility);
  const cases = await deps.cases.casesOf(
    survey.id,
    page.items.map((r) => r.submissionId),
  );
  return { ...page, items: page.items.map((r) => ({ ...r, case: cases.get(r.submissionId) })) };
}
