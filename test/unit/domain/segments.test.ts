import { describe, expect, it } from 'vitest';
import { counterName } from '#aggregation/rules/aggregation.ts';
import { type DayCounters, windowRange } from '#aggregation/rules/report.ts';
import {
  leagueRow,
  leagueScopeOf,
  leagueTable,
  previousRange,
  segmentValuesOf,
} from '#aggregation/rules/segments.ts';
import { ValidationError } from '#kernel/errors.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';

const survey = surveySchema.parse({ ...demoSurvey, minResponsesToRank: 5, targets: { nps: 40 } });

/** `n` answers of `score` to one question on a day. */
const day = (date: string, question: string, scores: number[]): DayCounters => {
  const counters: Record<string, number> = {};
  for (const s of scores) counters[counterName(question, s)] = (counters[counterName(question, s)] ?? 0) + 1;
  return { day: date, counters };
};
const times = (n: number, score: number) => Array.from({ length: n }, () => score);

const now = new Date('2026-12-02T12:00:00Z');
const range = windowRange('30d', now); // 2026-11-03 .. 2026-12-02; the one before: 2026-10-04 .. 2026-11-02

describe('segment values of an answer', () => {
  it("gives each segment key's value with the value of the key above it in the hierarchy", () => {
    expect(
      segmentValuesOf(survey, { region: 'north', city: 'lima', store: 's-1', channel: 'web', other: 'x' }),
    ).toEqual([
      { key: 'region', value: 'north', parent: undefined },
      { key: 'city', value: 'lima', parent: { key: 'region', value: 'north' } },
      { key: 'store', value: 's-1', parent: { key: 'city', value: 'lima' } },
      { key: 'channel', value: 'web', parent: undefined },
    ]);
  });

  it('leaves a value without a parent when the answer lacks the level above', () => {
    expect(segmentValuesOf(survey, { region: 'north', store: 's-2' })).toEqual([
      { key: 'region', value: 'north', parent: undefined },
      { key: 'store', value: 's-2', parent: undefined },
    ]);
  });
});

describe('the survey definition', () => {
  it('refuses a hierarchy key that is not a segment key, a key listed twice, and a target on no scored question', () => {
    const result = surveySchema.safeParse({
      ...demoSurvey,
      hierarchy: ['region', 'floor', 'region'],
      targets: { comment: 10, nope: 1 },
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['hierarchy.1', 'hierarchy.2', 'targets.comment', 'targets.nope']),
    );
  });
});

describe('the league table', () => {
  const scope = leagueScopeOf(survey, { key: 'store', parent: 'city:lima', window: '30d' });

  it('reads the window before as many days just before it', () => {
    expect(range).toEqual({ from: '2026-11-03', to: '2026-12-02' });
    expect(previousRange(range)).toEqual({ from: '2026-10-04', to: '2026-11-02' });
  });

  it('ranks by the NPS question unless told, and checks the key, the parent and the question', () => {
    expect(scope.question.id).toBe('nps');
    expect(scope.parent).toEqual({ key: 'city', value: 'lima' });
    expect(leagueScopeOf(survey, { window: '7d' }).key).toBe('region');
    const bad = (q: Parameters<typeof leagueScopeOf>[1]) => () => leagueScopeOf(survey, q);
    expect(bad({ key: 'floor', window: '7d' })).toThrow(ValidationError);
    expect(bad({ key: 'city', parent: 'store:s-1', window: '7d' })).toThrow(/no parent store/);
    expect(bad({ key: 'region', parent: 'region:x', window: '7d' })).toThrow(ValidationError);
    expect(bad({ key: 'store', question: 'comment', window: '7d' })).toThrow(/not a scored question/);
  });

  it('marks a segment whose whole interval is under the target, and one clearly lower than the period before', () => {
    const falling = leagueRow(
      survey,
      scope,
      's-1',
      [day('2026-10-20', 'nps', times(20, 10)), day('2026-11-20', 'nps', [...times(10, 0), ...times(10, 7)])],
      range,
    );
    expect(falling).toMatchObject({ n: 20, score: -50, previous: { n: 20, score: 100 }, tooFew: false });
    expect(falling.belowTarget).toBe(true); // target 40, interval well under it
    expect(falling.belowPrevious).toBe(true);
    expect(falling.change?.value).toBe(-150);
    expect(falling.change?.ci95.high).toBeLessThan(0);

    // A figure under the target whose interval still reaches it is not marked; nor is a change that could be chance.
    const unclear = leagueRow(
      survey,
      scope,
      's-2',
      [day('2026-10-20', 'nps', [10, 10, 9, 0, 7]), day('2026-11-20', 'nps', [10, 10, 0, 7, 8, 9])],
      range,
    );
    expect(unclear.score).toBeLessThan(40);
    expect(unclear.ci95?.high).toBeGreaterThanOrEqual(40);
    expect(unclear).toMatchObject({ belowTarget: false, belowPrevious: false, tooFew: false });
  });

  it('shows a segment with too few answers without a rank or a mark, after the ranked ones', () => {
    const rows = [
      leagueRow(survey, scope, 'few', [day('2026-11-20', 'nps', times(4, 0))], range),
      leagueRow(survey, scope, 'good', [day('2026-11-20', 'nps', times(6, 10))], range),
      leagueRow(survey, scope, 'bad', [day('2026-11-20', 'nps', times(6, 0))], range),
      leagueRow(survey, scope, 'none', [], range),
    ];
    expect(rows[0]).toMatchObject({ tooFew: true, belowTarget: false, belowPrevious: false });
    const table = leagueTable(survey, scope, rows, range, [
      { key: 'region', value: 'north' },
      { key: 'city', value: 'lima' },
    ]);
    expect(table.rows.map((r) => [r.value, r.rank])).toEqual([
      ['good', 1],
      ['bad', 2],
      ['few', null],
      ['none', null],
    ]);
    expect(table).toMatchObject({
      key: 'store',
      parent: 'city:lima',
      childKey: null,
      path: ['region:north', 'city:lima'],
      target: 40,
      minResponses: 5,
      previousWindow: { from: '2026-10-04', to: '2026-11-02' },
    });
    expect(
      leagueTable(survey, leagueScopeOf(survey, { key: 'region', window: '30d' }), [], range, []).childKey,
    ).toBe('city');
  });

  it('ranks CES on a high-is-hard scale lowest first, and marks it above its target', () => {
    const hard = surveySchema.parse({
      ...demoSurvey,
      minResponsesToRank: 5,
      questions: [
        { id: 'effort', type: 'ces', scale: 7, direction: 'high-is-hard', text: { en: 'Effort?' } },
      ],
      targets: { effort: 3 },
    });
    const s = leagueScopeOf(hard, { key: 'store', window: '30d' });
    const easy = leagueRow(hard, s, 'easy', [day('2026-11-20', 'effort', times(10, 1))], range);
    const harsh = leagueRow(
      hard,
      s,
      'harsh',
      [day('2026-11-20', 'effort', [...times(5, 6), ...times(5, 7)])],
      range,
    );
    expect(harsh.belowTarget).toBe(true);
    expect(easy.belowTarget).toBe(false);
    expect(leagueTable(hard, s, [harsh, easy], range, []).rows.map((r) => r.value)).toEqual([
      'easy',
      'harsh',
    ]);
  });
});
