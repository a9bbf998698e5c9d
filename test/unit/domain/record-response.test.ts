import { describe, expect, it } from 'vitest';
import { recordResponse } from '#capture/use-cases/record-response.ts';
import { ConflictError, NotFoundError, ValidationError } from '#kernel/errors.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { builtinAnalyzer, fixedClock, MemoryResponseStore, MemorySurveyStore } from '../../support/fakes.ts';

const survey = surveySchema.parse(demoSurvey);
const setup = () => {
  const responses = new MemoryResponseStore();
  return {
    responses,
    deps: {
      surveys: new MemorySurveyStore([survey]),
      responses,
      analyzer: builtinAnalyzer,
      clock: fixedClock(),
    },
  };
};
const input = (over: Record<string, unknown> = {}) => ({
  surveyId: 'demo',
  submissionId: 'sub-000001',
  answers: { nps: 9, csat: 5, ces: 6, comment: 'Great' },
  attributes: { store: 's-001' },
  capturedVia: 'api' as const,
  ...over,
});

describe('recordResponse', () => {
  it('stores a valid response when the submission is new', async () => {
    const { deps, responses } = setup();
    const result = await recordResponse(deps, input());
    expect(result.status).toBe('created');
    expect(responses.items.size).toBe(1);
    expect(result.response.locale).toBe('en');
  });

  it('answers duplicate and stores nothing new when the same submission comes again', async () => {
    const { deps, responses } = setup();
    await recordResponse(deps, input());
    const again = await recordResponse(deps, input());
    expect(again.status).toBe('duplicate');
    expect(responses.items.size).toBe(1);
  });

  it('refuses a reused submission id with different answers', async () => {
    const { deps } = setup();
    await recordResponse(deps, input());
    await expect(
      recordResponse(deps, input({ answers: { nps: 1, csat: 1, ces: 1 } })),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses an unknown survey', async () => {
    const { deps } = setup();
    await expect(recordResponse(deps, input({ surveyId: 'nope' }))).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each([
    {
      name: 'NPS above 10',
      answers: { nps: 11, csat: 5, ces: 5 },
      field: 'answers.nps',
      code: 'out_of_range',
    },
    {
      name: 'NPS not whole',
      answers: { nps: 7.5, csat: 5, ces: 5 },
      field: 'answers.nps',
      code: 'invalid_type',
    },
    { name: 'CSAT zero', answers: { nps: 7, csat: 0, ces: 5 }, field: 'answers.csat', code: 'out_of_range' },
    {
      name: 'CES 8 on a 7-point scale',
      answers: { nps: 7, csat: 3, ces: 8 },
      field: 'answers.ces',
      code: 'out_of_range',
    },
    {
      name: 'a required answer missing',
      answers: { csat: 3, ces: 5 },
      field: 'answers.nps',
      code: 'required',
    },
    {
      name: 'an unknown question',
      answers: { nps: 7, csat: 3, ces: 5, extra: 1 },
      field: 'answers.extra',
      code: 'unknown_question',
    },
    {
      name: 'a number for a text question',
      answers: { nps: 7, csat: 3, ces: 5, comment: 4 },
      field: 'answers.comment',
      code: 'invalid_type',
    },
  ])('reports a field error and stores nothing when $name', async ({ answers, field, code }) => {
    const { deps, responses } = setup();
    const err = await recordResponse(deps, input({ answers })).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors).toContainEqual(expect.objectContaining({ field, code }));
    expect(responses.items.size).toBe(0);
  });

  it('accepts numeric strings from form posts as scores', async () => {
    const { deps } = setup();
    const result = await recordResponse(deps, input({ answers: { nps: '10', csat: ' 4 ', ces: '7' } }));
    expect(result.response.answers).toEqual({ nps: 10, csat: 4, ces: 7 });
  });
});
