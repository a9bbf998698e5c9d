import { describe, expect, it } from 'vitest';
import type { ResponseRecord } from '#capture/rules/response.ts';
import {
  commentsOf,
  foldText,
  responseFilterOf,
  responseMatches,
  responsesQuery,
  scoresOf,
} from '#insight/rules/responses.ts';
import { ValidationError } from '#kernel/errors.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';

const survey = surveySchema.parse({
  ...demoSurvey,
  questions: [
    ...demoSurvey.questions,
    { id: 'staff', type: 'text', text: { en: 'Staff?', es: '¿Personal?', pt: 'Equipe?' } },
  ],
});
const now = new Date('2026-12-02T12:00:00Z');
const query = (q: Record<string, string>) => responsesQuery.parse(q);
const filterOf = (q: Record<string, string>) => responseFilterOf(survey, query(q), now);

const response = (
  answers: ResponseRecord['answers'],
  attributes: Record<string, string> = {},
): ResponseRecord => ({
  surveyId: survey.id,
  submissionId: 's-1',
  answers,
  attributes,
  locale: 'es',
  capturedVia: 'api',
  receivedAt: '2026-12-01T10:00:00.000Z',
  contentHash: 'h',
});

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof ValidationError) return err.errors.map((e) => e.field);
    throw err;
  }
  throw new Error('not refused');
};

describe('the range a listing reads', () => {
  it('is the 30 days ending today by default, another window, or the days given', () => {
    expect(filterOf({})).toMatchObject({ from: '2026-11-03', to: '2026-12-02' });
    expect(filterOf({ window: '7d' })).toMatchObject({ from: '2026-11-26', to: '2026-12-02' });
    expect(filterOf({ from: '2026-10-01', to: '2026-10-31' })).toMatchObject({
      from: '2026-10-01',
      to: '2026-10-31',
    });
    // `to` alone: the window that ends on it.
    expect(filterOf({ to: '2026-10-31', window: '7d' })).toMatchObject({
      from: '2026-10-25',
      to: '2026-10-31',
    });
  });

  it('refuses a range that ends before it starts, and days that are not days', () => {
    expect(refusal(() => filterOf({ from: '2026-11-02', to: '2026-11-01' }))).toEqual(['from']);
    expect(responsesQuery.safeParse({ from: '2026-02-30' }).success).toBe(false);
    expect(responsesQuery.safeParse({ to: '2026-13-01' }).success).toBe(false);
  });
});

describe('what a listing keeps', () => {
  it('keeps the segment asked for, refusing a key the survey has not', () => {
    const f = filterOf({ segment: 'store:s-001' });
    expect(responseMatches(survey, f, response({ comment: 'x' }, { store: 's-001' }))).toBe(true);
    expect(responseMatches(survey, f, response({ comment: 'x' }, { store: 's-002' }))).toBe(false);
    expect(responseMatches(survey, f, response({ comment: 'x' }))).toBe(false);
    expect(refusal(() => filterOf({ segment: 'floor:2' }))).toEqual(['segment']);
    expect(refusal(() => filterOf({ segment: 'store' }))).toEqual(['segment']);
  });

  it("reads a band on the survey's first question that has it, or on the question named", () => {
    const detractors = filterOf({ band: 'detractor' });
    expect(detractors.band?.question.id).toBe('nps');
    expect(responseMatches(survey, detractors, response({ nps: 6, comment: 'x' }))).toBe(true);
    expect(responseMatches(survey, detractors, response({ nps: 7, comment: 'x' }))).toBe(false);
    // No answer to the question: not in any of its bands.
    expect(responseMatches(survey, detractors, response({ comment: 'x' }))).toBe(false);
    const unhappy = filterOf({ band: 'dissatisfied', question: 'csat' });
    expect(responseMatches(survey, unhappy, response({ csat: 3, comment: 'x' }))).toBe(true);
    expect(responseMatches(survey, unhappy, response({ csat: 4, comment: 'x' }))).toBe(false);
    const hard = filterOf({ band: 'high-effort' });
    expect(responseMatches(survey, hard, response({ ces: 2, comment: 'x' }))).toBe(true);
    expect(responseMatches(survey, hard, response({ ces: 6, comment: 'x' }))).toBe(false);
  });

  it('refuses a band the question cannot have, and a question the survey has not', () => {
    expect(refusal(() => filterOf({ band: 'promoter', question: 'csat' }))).toEqual(['question']);
    expect(refusal(() => filterOf({ band: 'promoter', question: 'nope' }))).toEqual(['question']);
    const npsOnly = surveySchema.parse({ ...demoSurvey, questions: [demoSurvey.questions[0]] });
    expect(refusal(() => responseFilterOf(npsOnly, query({ band: 'satisfied' }), now))).toEqual(['band']);
    expect(responsesQuery.safeParse({ band: 'angry' }).success).toBe(false);
  });

  it('finds every word of a search in any comment, in any order, whatever the case and accents', () => {
    const r = response({ comment: 'La atención en CAJA fue lenta', staff: 'Muy amables' });
    expect(responseMatches(survey, filterOf({ q: 'atencion caja' }), r)).toBe(true);
    expect(responseMatches(survey, filterOf({ q: 'AMABLES  lenta' }), r)).toBe(true);
    expect(responseMatches(survey, filterOf({ q: 'atención rápida' }), r)).toBe(false);
    expect(foldText('Ação Ñandú')).toBe('acao nandu');
  });

  it('keeps the comment out of a search of scores: a word matches text answers only', () => {
    expect(responseMatches(survey, filterOf({ q: '10' }), response({ nps: 10, comment: 'fine' }))).toBe(
      false,
    );
    expect(
      responseMatches(survey, filterOf({ q: 'store' }), response({ comment: 'ok' }, { store: 'store' })),
    ).toBe(false);
  });
});

describe('the comments of a response', () => {
  it("are its text answers in the survey's order, answers to questions since removed last", () => {
    expect(commentsOf(survey, { staff: 'B', nps: 3, comment: 'A', gone: 'C' })).toEqual(['A', 'B', 'C']);
    expect(commentsOf(survey, { nps: 3 })).toEqual([]);
  });

  it('come with its scores in the order of the questions, each in its band', () => {
    expect(scoresOf(survey, { ces: 2, comment: 'x', nps: 9, csat: 3 })).toEqual([
      { questionId: 'nps', type: 'nps', score: 9, band: 'promoter' },
      { questionId: 'csat', type: 'csat', score: 3, band: 'dissatisfied' },
      { questionId: 'ces', type: 'ces', score: 2, band: 'high-effort' },
    ]);
  });
});
