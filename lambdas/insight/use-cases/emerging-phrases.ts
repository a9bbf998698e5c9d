import { ALL } from '#aggregation/rules/aggregation.ts';
import type { WindowName } from '#aggregation/rules/report.ts';
import { checkVisible } from '#aggregation/use-cases/read-segments.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { dayOf } from '#kernel/days.ts';
import { SEES_ALL, seesAttributes, type Visibility } from '#kernel/visibility.ts';
import { type EmergingPhrase, emergingPhrases, phraseCounts, phrasesOf } from '../rules/phrases.ts';
import { commentsOf, type Period, periodOf } from '../rules/responses.ts';
import { languageOf } from '../rules/text.ts';
import { walkComments } from './comment-walk.ts';
import type { ListResponsesDeps } from './list-responses.ts';

/** Comments read per window at most: a sample of the newest, enough to see a phrase rise. */
export const PHRASE_SAMPLE = 2_000;

export interface EmergingPhrasesReport {
  readonly surveyId: string;
  readonly window: WindowName;
  readonly from: string;
  readonly to: string;
  readonly previousFrom: string;
  readonly previousTo: string;
  readonly segment: string;
  /** Comments read in each window (at most 2,000 each, the newest). */
  readonly comments: number;
  readonly previousComments: number;
  readonly phrases: readonly EmergingPhrase[];
}

/**
 * The phrases rising in a place's comments this window against the window before it (rules/phrases.ts), read from
 * the comment index: the newest 2,000 comments of each window at most. A person who sees only some places reads
 * only their comments.
 */
export async function readEmergingPhrases(
  deps: Pick<ListResponsesDeps, 'surveys' | 'comments' | 'catalogue' | 'clock'>,
  input: { readonly surveyId: string; readonly window: WindowName; readonly segment?: string | undefined },
  visibility: Visibility = SEES_ALL,
): Promise<EmergingPhrasesReport> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const now: Period = periodOf(survey, input, deps.clock.now());
  await checkVisible(deps, survey.id, now.segment, visibility);
  const days = Math.round((Date.parse(now.to) - Date.parse(now.from)) / 86_400_000) + 1;
  const previousTo = dayOf(new Date(Date.parse(now.from) - 86_400_000));
  const previousFrom = dayOf(new Date(Date.parse(previousTo) - (days - 1) * 86_400_000));
  const read = async (from: string, to: string) => {
    const phrases: string[][] = [];
    for await (const r of walkComments(deps.comments, {
      surveyId: survey.id,
      from,
      to,
      limit: 500,
      keep: (r) =>
        seesAttributes(visibility, r.attributes) &&
        (now.segment === ALL || r.attributes[now.segment.key] === now.segment.value),
      examine: 1_000,
    })) {
      const text = commentsOf(survey, r.answers).join('\n');
      phrases.push(phrasesOf(text, r.analysis?.language ?? languageOf(text, r.locale)));
      if (phrases.length === PHRASE_SAMPLE) break;
    }
    return phrases;
  };
  const [current, before] = await Promise.all([read(now.from, now.to), read(previousFrom, previousTo)]);
  return {
    surveyId: survey.id,
    window: input.window,
    from: now.from,
    to: now.to,
    previousFrom,
    previousTo,
    segment: now.segment === ALL ? 'all' : `${now.segment.key}:${now.segment.value}`,
    comments: current.length,
    previousComments: before.length,
    phrases: emergingPhrases(phraseCounts(current), current.length, phraseCounts(before), before.length),
  };
}
