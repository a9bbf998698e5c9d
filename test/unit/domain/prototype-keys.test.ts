import { describe, expect, it } from 'vitest';
import { prototypeKeyErrors, refusePrototypeKeys } from '#capture/rules/keys.ts';
import { attributesSchema, responseInputSchema } from '#capture/rules/response.ts';
import { answersFromEmail, linkAttributes, splitSurveyForm } from '#capture/rules/survey-form.ts';
import { webhookResponseSchema } from '#capture/rules/webhook.ts';
import { parseJsonText } from '#http/body.ts';
import { problemFromError } from '#http/problem.ts';
import { ValidationError } from '#kernel/errors.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';

const survey = surveySchema.parse(demoSurvey);
const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    const problem = problemFromError(err);
    expect(problem.status).toBe(400);
    return (problem.errors ?? []).map((e) => e.field);
  }
  return [];
};
/** A JSON body as the API reads it: JSON.parse keeps `__proto__` as an own key. */
const body = (answersKey: string, attributesKey: string) =>
  `{"surveyId":"demo","submissionId":"sub-000001","answers":{"nps":9,"${answersKey}":3},"attributes":{"store":"s-1","${attributesKey}":"x"}}`;

const KEYS = [
  { key: '__proto__', refused: true },
  { key: 'constructor', refused: true },
  { key: 'toString', refused: true },
  { key: 'hasOwnProperty', refused: true },
  { key: 'valueOf', refused: true },
  { key: 'isPrototypeOf', refused: true },
  { key: 'store', refused: false },
  { key: 'region-2', refused: false },
  { key: 'Constructor', refused: false },
];

describe('prototype-named keys', () => {
  it.each(KEYS)('finds "$key" as reserved: $refused', ({ key, refused }) => {
    const record = Object.fromEntries([[key, 'x']]);
    expect(prototypeKeyErrors(record, 'attributes')).toEqual(
      refused ? [{ field: `attributes.${key}`, code: 'reserved_key', message: expect.any(String) }] : [],
    );
    if (refused) expect(() => refusePrototypeKeys(record, 'attributes')).toThrow(ValidationError);
    else expect(() => refusePrototypeKeys(record, 'attributes')).not.toThrow();
  });

  it.each(KEYS)('refuses "$key" in answers and attributes of a JSON body: $refused', ({ key, refused }) => {
    const read = () => responseInputSchema.parse(parseJsonText(body(key, key)));
    const fields = fieldsOf(read);
    if (!refused) {
      // Not reserved: the schema takes the key (the survey then says whether it is a question).
      expect(fields).toEqual([]);
      expect(read().attributes[key]).toBe('x');
      return;
    }
    expect(fields).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^(answers|attributes)\\.${key}$`))]),
    );
  });

  it.each(KEYS.filter((k) => k.refused))('refuses "$key" in a webhook body', ({ key }) => {
    expect(fieldsOf(() => webhookResponseSchema.parse(parseJsonText(body('nps', key))))).toEqual([
      `attributes.${key}`,
    ]);
  });

  it.each(KEYS)('refuses "$key" as a hidden attribute of a form post: $refused', ({ key, refused }) => {
    const form = new URLSearchParams([
      ['nps', '9'],
      ['attr.store', 's-1'],
      [`attr.${key}`, 'x'],
      ['submissionId', 'sub-000001'],
    ]);
    const split = () => attributesSchema.parse(splitSurveyForm(survey, form).attributes);
    if (refused) expect(fieldsOf(split)).toEqual([`attributes.${key}`]);
    else expect(split()).toEqual({ store: 's-1', [key]: 'x' });
  });

  it.each(KEYS)('refuses "$key" as a parameter of a survey link: $refused', ({ key, refused }) => {
    const query = Object.fromEntries([
      ['store', 's-1'],
      [key, 'x'],
      ['lang', 'es'],
    ]);
    const read = () => attributesSchema.parse(linkAttributes(query));
    if (refused) expect(fieldsOf(read)).toEqual([`attributes.${key}`]);
    else expect(read()).toEqual({ store: 's-1', [key]: 'x' });
  });

  it.each(KEYS.filter((k) => k.refused && k.key !== '__proto__'))(
    'refuses "$key" as a question id of a survey definition',
    ({ key }) => {
      const definition = { ...demoSurvey, questions: [{ ...demoSurvey.questions[0], id: key }] };
      expect(surveySchema.safeParse(definition).success).toBe(false);
    },
  );
});

describe('splitSurveyForm', () => {
  it('takes question fields as answers, attr.* as attributes, and the page fields', () => {
    const form = new URLSearchParams(
      'nps=9&comment=hi&attr.store=s-1&attr.lang=xx&attr.sig=yy&other=z&submissionId=sub-1&locale=es&sig=abc',
    );
    expect(splitSurveyForm(survey, form)).toEqual({
      answers: { nps: '9', comment: 'hi' },
      attributes: { store: 's-1' },
      submissionId: 'sub-1',
      locale: 'es',
      token: undefined,
      sig: 'abc',
    });
  });
});

describe('answersFromEmail', () => {
  it.each([
    { score: '9', values: { nps: '9' } },
    { score: '10', values: { nps: '10' } },
    { score: '0', values: { nps: '0' } },
    { score: '11', values: {} },
    { score: '-1', values: {} },
    { score: undefined, values: {} },
  ])('preselects the NPS answer for score=$score', ({ score, values }) => {
    expect(answersFromEmail(survey, score)).toEqual(values);
  });
});
