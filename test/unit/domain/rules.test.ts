import { describe, expect, it } from 'vitest';
import { buildResponse } from '#capture/rules/response.ts';
import { demoSurvey, type Locale, surveySchema } from '#kernel/survey.ts';
import { evaluateRules } from '#loop/rules/cases.ts';
import { raiseAlerts } from '#loop/use-cases/raise-alerts.ts';
import {
  fixedClock,
  MemoryCaseStore,
  MemoryMailer,
  MemoryNotifier,
  MemoryRoutingStore,
  MemorySurveyStore,
} from '../../support/fakes.ts';

const survey = surveySchema.parse({
  ...demoSurvey,
  alertRules: [
    { id: 'detractor', questionId: 'nps', op: 'lte', value: 6, severity: 'high' },
    {
      id: 'legal-threat',
      type: 'keywords',
      words: { en: ['cancel', 'lawyer'], es: ['cancelar', 'abogado'], pt: ['advogado', 'Procon'] },
      severity: 'high',
      ackSlaHours: 2,
    },
    { id: 'unresolved', type: 'attribute', key: 'resolved', values: ['no', 'false'], severity: 'medium' },
  ],
});

const respond = (
  comment: string,
  extra: { nps?: number; attributes?: Record<string, string>; locale?: Locale } = {},
) =>
  buildResponse({
    survey,
    submissionId: `sub-${comment.length}-${extra.nps ?? 9}-${JSON.stringify(extra.attributes ?? {}).length}`,
    answers: { nps: extra.nps ?? 9, csat: 5, ces: 7, ...(comment ? { comment } : {}) },
    attributes: extra.attributes ?? {},
    capturedVia: 'api',
    locale: extra.locale,
    now: new Date('2026-11-20T10:00:00Z'),
  });

describe('keyword rules', () => {
  it.each([
    ['Spanish', 'Voy a hablar con mi ABOGADO si no lo arreglan', 'abogado', 'es'],
    // "no" is "in the" in Portuguese, not a negation.
    ['Portuguese', 'Vou reclamar no procon, péssimo atendimento', 'Procon', 'pt'],
    ['Portuguese, with accents', 'Meu advogado já sabe', 'advogado', 'pt'],
    ['English, another form of the word', 'I cancelled my subscription', 'cancel', 'en'],
    ['Spanish, with accents on the word', 'Pedí la cancelación ayer', 'cancel', 'es'],
  ] as const)('fire in %s', (_, comment, word, locale) => {
    expect(evaluateRules(survey, respond(comment, { locale }))).toEqual([
      { ruleId: 'legal-threat', questionId: 'comment', answer: word, severity: 'high' },
    ]);
  });

  it.each([
    'Everything was great',
    // Inside another word, not at its start: "scancel", "ProconX" is a start and would match.
    'The descancelador was fine',
    '',
  ])('do not fire on "%s"', (comment) => {
    expect(evaluateRules(survey, respond(comment))).toEqual([]);
  });

  it('open a case with the strictest SLA, alongside a score rule', async () => {
    const cases = new MemoryCaseStore();
    const deps = {
      surveys: new MemorySurveyStore([survey]),
      cases,
      routing: new MemoryRoutingStore(),
      notifier: new MemoryNotifier(),
      mailer: new MemoryMailer(),
      clock: fixedClock(),
      renderEmail: () => ({ subject: 'Case', html: '<p>Case</p>', text: 'Case' }),
    };
    await raiseAlerts(deps, respond('Vou falar com meu advogado', { nps: 3 }));
    const [c] = [...cases.items.values()];
    expect(c?.hits.map((h) => h.ruleId)).toEqual(['detractor', 'legal-threat']);
    expect(c?.sla).toEqual({ ackHours: 2, resolveHours: 48 });
    expect(c?.severity).toBe('high');
  });
});

describe('attribute rules', () => {
  it('fire on operational metadata a vendor attached', () => {
    expect(evaluateRules(survey, respond('', { attributes: { resolved: 'no' } }))).toEqual([
      { ruleId: 'unresolved', questionId: 'resolved', answer: 'no', severity: 'medium' },
    ]);
    expect(evaluateRules(survey, respond('', { attributes: { resolved: 'yes' } }))).toEqual([]);
  });
});

describe('rule definitions', () => {
  it.each([
    [
      { id: 'k', type: 'keywords', questionId: 'nps', words: { en: ['x1'] } },
      'words are looked for in a text question',
    ],
    [{ id: 'k', type: 'keywords', words: {} }, 'list at least one word'],
    [{ id: 'a', questionId: 'comment', op: 'lte', value: 3 }, 'a score rule needs a scored question'],
    [{ id: 'a', questionId: 'nope', op: 'lte', value: 3 }, 'no such question'],
  ])('refuses %o', (rule, message) => {
    const parsed = surveySchema.safeParse({ ...demoSurvey, alertRules: [rule] });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(message);
  });

  it('reads rules written before rules had a type as score rules', () => {
    const parsed = surveySchema.parse({
      ...demoSurvey,
      alertRules: [{ id: 'old', questionId: 'nps', op: 'lte', value: 4 }],
    });
    expect(parsed.alertRules?.[0]).toMatchObject({ type: 'answer', severity: 'medium' });
  });
});
