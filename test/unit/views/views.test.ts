import { describe, expect, it } from 'vitest';
import { demoSurvey, surveySchema } from '#domain/survey.ts';
import { renderAlertEmail } from '../../../lambdas/views/alert-email.ts';
import { negotiateLocale } from '../../../lambdas/views/i18n.ts';
import { renderProblemPage, renderThankYou } from '../../../lambdas/views/pages.ts';
import { renderSurveyPage } from '../../../lambdas/views/survey-page.ts';

const survey = surveySchema.parse(demoSurvey);
const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
const render = (over: Partial<Parameters<typeof renderSurveyPage>[0]> = {}) =>
  renderSurveyPage({
    survey,
    locale: 'en',
    action: '/s/demo',
    submissionId: 'sub-12345678',
    attributes: {},
    ...over,
  });

describe('negotiateLocale', () => {
  it.each([
    { lang: 'es', header: 'pt-BR', expected: 'es' },
    { lang: undefined, header: 'pt-BR,pt;q=0.9,en;q=0.8', expected: 'pt' },
    { lang: undefined, header: 'es-419', expected: 'es' },
    { lang: undefined, header: 'fr-FR,es;q=0.5,en;q=0.7', expected: 'en' },
    { lang: undefined, header: 'de', expected: 'en' },
    { lang: 'xx', header: 'pt;q=0', expected: 'en' },
    { lang: undefined, header: undefined, expected: 'en' },
  ])('picks $expected for lang=$lang and Accept-Language $header', ({ lang, header, expected }) => {
    expect(negotiateLocale(lang, header, ['en', 'es', 'pt'], 'en')).toBe(expected);
  });
});

describe('renderSurveyPage', () => {
  it.each([
    { locale: 'en', text: 'How likely are you to recommend us', submit: 'Send' },
    { locale: 'es', text: 'Qué probabilidad hay', submit: 'Enviar' },
    { locale: 'pt', text: 'Qual a probabilidade', submit: 'Enviar' },
  ] as const)('speaks $locale', ({ locale, text, submit }) => {
    const page = render({ locale });
    expect(page).toContain(`<html lang="${locale}">`);
    expect(page).toContain(text);
    expect(page).toContain(`>${submit}</button>`);
  });

  it('weighs under 20 KB for the demo survey', () => {
    for (const locale of ['en', 'es', 'pt'] as const)
      expect(Buffer.byteLength(render({ locale }))).toBeLessThan(20_000);
  });

  it('carries link attributes as hidden fields, escaped', () => {
    const page = render({ attributes: { store: XSS[1] ?? '' } });
    expect(page).toContain('name="attr.store"');
    expect(page).not.toContain('<img src=x');
  });

  it('keeps answers and links each error to its field after a validation error', () => {
    const page = render({
      values: { nps: '3', comment: XSS[0] ?? '' },
      errors: { csat: 'Please choose an answer.' },
    });
    expect(page).toMatch(/name="nps" value="3" checked/);
    expect(page).toContain('aria-describedby="err-csat"');
    expect(page).toContain('id="err-csat"');
    expect(page).toContain('role="alert"');
    expect(page).toContain('href="#q-csat"');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;');
  });

  it('gives every CSAT face a text for screen readers', () => {
    const page = render();
    expect(page).toContain('<span class="face" aria-hidden="true">');
    expect(page).toContain('<span class="sr">1 - Very unsatisfied</span>');
  });

  it('labels the CES scale by its direction', () => {
    const hard = surveySchema.parse({
      ...demoSurvey,
      questions: [{ id: 'ces', type: 'ces', scale: 5, direction: 'high-is-hard', text: { en: 'Effort?' } }],
    });
    expect(
      renderSurveyPage({ survey: hard, locale: 'en', action: '/', submissionId: 's', attributes: {} }),
    ).toContain('5 - Very high effort');
    expect(render()).toContain('7 - Strongly agree');
  });
});

describe('pages', () => {
  it('thanks in the customer language', () => {
    expect(renderThankYou({ survey, locale: 'pt' })).toContain('Obrigado!');
  });
  it('explains a missing survey without technical detail', () => {
    const page = renderProblemPage({ locale: 'es', status: 404, detail: 'There is no survey "x".' });
    expect(page).toContain('Encuesta no encontrada');
    expect(page).not.toContain('There is no survey');
  });
});

describe('renderAlertEmail', () => {
  const email = (over: Partial<Parameters<typeof renderAlertEmail>[0]> = {}) =>
    renderAlertEmail({
      locale: 'en',
      surveyTitle: 'Visit',
      ruleId: 'nps-detractor',
      severity: 'high',
      answers: [{ question: 'NPS', answer: '2' }],
      comment: XSS.join(' '),
      segment: { store: XSS[1] ?? '' },
      caseId: 'case-1',
      caseUrl: 'https://api.example.com/v1/cases/case-1',
      openedAt: '2026-11-20T10:00:00Z',
      ...over,
    });

  it('escapes every customer-provided value in the HTML part', () => {
    const { html } = email();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('https://api.example.com/v1/cases/case-1');
  });

  it('keeps the subject on one line whatever the survey title', () => {
    expect(email({ surveyTitle: 'Visit\r\nBcc: evil@example.com' }).subject).not.toMatch(/[\r\n]/);
  });

  it('speaks the owner language', () => {
    expect(email({ locale: 'es' }).subject).toContain('Nuevo caso');
    expect(email({ locale: 'pt' }).text).toContain('Confirmar o caso');
  });
});
