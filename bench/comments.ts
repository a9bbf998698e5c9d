import { DynamoCaseStore } from '#adapters/dynamodb/cases.ts';
import { DynamoCommentIndex, DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { DynamoSegmentCatalogue } from '#adapters/dynamodb/segment-values.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { buildResponse } from '#capture/rules/response.ts';
import { responsesQuery } from '#insight/rules/responses.ts';
import { listResponses } from '#insight/use-cases/list-responses.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { createTable, meteredClient, onFreshDynamoDb } from './support.ts';

export interface CommentReadFigures {
  readonly responses: number;
  readonly commented: number;
  /** One page of the listing: its read units, Queries (and BatchGetItems) and milliseconds. */
  readonly pages: ReadonlyArray<{
    readonly name: string;
    readonly items: number;
    readonly readUnits: number;
    readonly reads: number;
    readonly ms: number;
  }>;
}

const WORDS = ['fast', 'friendly', 'queue', 'price', 'clean', 'staff', 'parking', 'fresh'];

/**
 * `n` responses over 30 days, one in four with a comment (one comment in a hundred names the "till"), stored
 * through the response adapter; then pages of `GET /v1/surveys/{id}/responses` through the real use case and
 * adapters, metered.
 */
export function measureCommentReads(n: number): Promise<CommentReadFigures> {
  return onFreshDynamoDb(async (endpoint) => {
    const { client, meter } = meteredClient(endpoint);
    const table = `bench-comments-${Date.now()}`;
    await createTable(client, table);
    const survey = surveySchema.parse(demoSurvey);
    const surveys = new DynamoSurveyStore(client, table);
    await surveys.put(survey);
    const store = new DynamoResponseStore(client, table);
    const now = Date.now();
    const responses = Array.from({ length: n }, (_, i) =>
      buildResponse({
        survey,
        submissionId: `bench-${String(i).padStart(7, '0')}`,
        answers: {
          nps: (i * 7) % 11,
          csat: ((i * 3) % 5) + 1,
          ces: ((i * 5) % 7) + 1,
          comment:
            i % 4
              ? ''
              : `${WORDS[i % WORDS.length]} and ${WORDS[(i >> 3) % WORDS.length]}${i % 400 === 0 ? ', the till was slow' : ''}`,
        },
        attributes: { store: `s-${String(i % 100).padStart(3, '0')}`, region: `r-${i % 5}` },
        capturedVia: 'api',
        now: new Date(now - Math.floor((i / n) * 29 * 86_400_000)),
      }),
    );
    for (let i = 0; i < responses.length; i += 50)
      await Promise.all(responses.slice(i, i + 50).map((r) => store.putIfAbsent(r, survey.retentionDays)));
    const deps = {
      surveys,
      comments: new DynamoCommentIndex(client, table),
      cases: new DynamoCaseStore(client, table),
      catalogue: new DynamoSegmentCatalogue(client, table),
      clock: { now: () => new Date(now) },
    };
    const pages: CommentReadFigures['pages'][number][] = [];
    const page = async (name: string, query: Record<string, string>) => {
      await surveys.get(survey.id); // the survey read is not the listing's: leave it out
      const before = { units: meter.readUnits, reads: meter.reads };
      const started = performance.now();
      const out = await listResponses(deps, { surveyId: survey.id, ...responsesQuery.parse(query) });
      pages.push({
        name,
        items: out.items.length,
        readUnits: meter.readUnits - before.units,
        reads: meter.reads - before.reads - 1,
        ms: performance.now() - started,
      });
      return out;
    };
    const first = await page('the newest 25', {});
    await page('the next 25 (cursor)', { cursor: first.cursor ?? '' });
    await page('the newest 100', { limit: '100' });
    await page('one store (1 in 25 comments)', { segment: 'store:s-004' });
    await page('detractors', { band: 'detractor' });
    await page('a word in 1 in 100 comments', { q: 'till' });
    client.destroy();
    return { responses: n, commented: responses.filter((r) => r.answers.comment).length, pages };
  });
}
