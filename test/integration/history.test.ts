import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '#kernel/days.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { historyDay, seedHistory } from '#local/history.ts';
import type { Runtime } from '#local/runtime.ts';
import { evaluateRules } from '#loop/rules/cases.ts';
import { type client, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let stopRuntime: (() => Promise<void>) | undefined;
const survey = surveySchema.parse(demoSurvey);
const now = new Date();
const DAYS = 10;
const PER_DAY = 12;
let written = 0;

/** What the seeder writes for these days, made again the same way. */
const expected = () =>
  Array.from({ length: DAYS }, (_, k) =>
    historyDay('demo', dayOf(new Date(now.getTime() - (DAYS - k) * 86_400_000)), k / (DAYS - 1), PER_DAY),
  )
    .flat()
    .filter((r) => Date.parse(r.receivedAt) < now.getTime());

beforeAll(async () => {
  ({ rt, api, stop: stopRuntime } = await startTestRuntime());
  written = await seedHistory({
    dynamodbEndpoint: rt.dynamodbEndpoint,
    tableName: rt.tableName,
    region: rt.region,
    now,
    days: DAYS,
    perDay: PER_DAY,
  });
  await rt.idle(120_000);
}, 180_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('the seeded history', () => {
  it('goes through the pipeline: every answer of every day is in the figures, by store, city and region', async () => {
    const answers = expected();
    expect(written).toBe(answers.length);
    const metrics = await api.admin('GET', 'v1/surveys/demo/metrics?window=30d&trend=day');
    expect(metrics.json.nps.n).toBe(answers.length);
    expect(metrics.json.trend.length).toBe(new Set(answers.map((r) => dayOf(r.receivedAt))).size);
    const stores = await api.admin('GET', 'v1/surveys/demo/segments?key=store&window=30d');
    const byStore = new Map<string, number>();
    for (const r of answers)
      byStore.set(r.attributes.store ?? '', (byStore.get(r.attributes.store ?? '') ?? 0) + 1);
    expect(
      Object.fromEntries(
        (stores.json.rows as { value: string; n: number }[]).map((row) => [row.value, row.n]),
      ),
    ).toEqual(Object.fromEntries(byStore));
    const regions = await api.admin('GET', 'v1/surveys/demo/segments?key=region&window=30d');
    expect((regions.json.rows as { value: string }[]).map((r) => r.value).sort()).toEqual([
      'center',
      'north',
      'south',
    ]);
  });

  it('has comments in Spanish, Portuguese and English, listed as customers wrote them', async () => {
    const page = await api.admin('GET', 'v1/surveys/demo/responses?window=30d&limit=100');
    const items = page.json.items as { locale: string; comments: string[] }[];
    expect(new Set(items.map((r) => r.locale))).toEqual(new Set(['es', 'pt', 'en']));
    expect(items.every((r) => r.comments.length === 1)).toBe(true);
  });

  it('opens cases for the last days’ bad answers only: older ones are past alertWithinHours', async () => {
    const recentBad = expected().filter(
      (r) =>
        now.getTime() - Date.parse(r.receivedAt) <= survey.alertWithinHours * 3_600_000 &&
        evaluateRules(survey, r).length > 0,
    );
    expect(recentBad.length).toBeGreaterThan(0);
    const cases = await api.admin('GET', 'v1/cases?surveyId=demo&limit=100');
    expect((cases.json.items as { submissionId: string }[]).map((c) => c.submissionId).sort()).toEqual(
      recentBad.map((r) => r.submissionId).sort(),
    );
  });

  it('writes nothing when the survey has figures already (a second start)', async () => {
    expect(
      await seedHistory({
        dynamodbEndpoint: rt.dynamodbEndpoint,
        tableName: rt.tableName,
        region: rt.region,
        now,
        days: DAYS,
        perDay: PER_DAY,
      }),
    ).toBe(0);
  });
});
