import { describe, expect, it } from 'vitest';
import { demoSurvey, LOCALES, type SurveyInput, surveySchema } from '#kernel/survey.ts';
import { renderSurveyPage, type SurveyPageInput } from '#views/survey-page.ts';
import { liveMarkup } from './inert.ts';

const survey = surveySchema.parse(demoSurvey);
const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'] as const;
const render = (over: Partial<SurveyPageInput> = {}) =>
  renderSurveyPage({
    survey,
    locale: 'en',
    action: '/s/demo',
    submissionId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    attributes: {},
    ...over,
  });
const withQuestions = (questions: SurveyInput['questions']) =>
  surveySchema.parse({ ...demoSurvey, questions });

describe('renderSurveyPage', () => {
  it.each([
    { locale: 'en', text: 'How likely are you to recommend us', submit: 'Send', required: '(required)' },
    { locale: 'es', text: '¿Qué probabilidad hay', submit: 'Enviar', required: '(obligatoria)' },
    { locale: 'pt', text: 'Qual a probabilidade', submit: 'Enviar', required: '(obrigatória)' },
  ] as const)('speaks $locale when asked for $locale', ({ locale, text, submit, required }) => {
    const page = render({ locale });
    expect(page).toContain(`<html lang="${locale}">`);
    expect(page).toContain(text);
    expect(page).toContain(`>${submit}</button>`);
    expect(page).toContain(required);
    expect(page).toContain(`<input type="hidden" name="locale" value="${locale}">`);
  });

  it.each(LOCALES)('weighs under 20 KB for the demo survey in %s', (locale) => {
    const page = render({
      locale,
      attributes: { store: 's-001', region: 'north' },
      values: { nps: '3' },
      errors: { csat: 'x', ces: 'y' },
    });
    expect(Buffer.byteLength(page)).toBeLessThan(20_000);
  });

  it('is a complete page that needs nothing else when rendered', () => {
    const page = render();
    expect(page.startsWith('<!doctype html><html lang="en"><head><meta charset="utf-8">')).toBe(true);
    expect(page).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(page).toContain('<title>How did we do?</title>');
    expect(page).toMatch(/<style>[^<]+<\/style>/);
    expect(page).not.toMatch(/<script|<link|src=|url\(|https?:/i);
    expect(liveMarkup(page)).toEqual([]);
    expect(page.endsWith('</html>')).toBe(true);
  });

  it('posts a native urlencoded form with the agreed field names', () => {
    const page = render({ attributes: { store: 's-001' } });
    expect(page).toContain('<form method="post" action="/s/demo" novalidate>');
    expect(page).not.toContain('enctype=');
    expect(page).toContain(
      '<input type="hidden" name="submissionId" value="0f8fad5b-d9cb-469f-a165-70867728950e">',
    );
    expect(page).toContain('<input type="hidden" name="attr.store" value="s-001">');
    for (const id of ['nps', 'csat', 'ces']) expect(page).toContain(`name="${id}" value="1"`);
    expect(page).toContain('<textarea id="in-comment" name="comment" maxlength="2000">');
  });

  it('offers NPS 0-10 as radios with labelled ends in one fieldset', () => {
    const page = render();
    const fieldset = page.match(/<fieldset id="q-nps"[\s\S]*?<\/fieldset>/)?.[0] ?? '';
    expect(fieldset.match(/type="radio"/g)).toHaveLength(11);
    expect(fieldset).toContain('name="nps" value="0"');
    expect(fieldset).toContain('name="nps" value="10"');
    expect(fieldset).toContain('<legend>How likely are you to recommend us to a friend or colleague?');
    expect(fieldset).toContain('aria-describedby="ends-nps"');
    expect(fieldset).toContain('0 = Not at all likely');
    expect(fieldset).toContain('10 = Extremely likely');
  });

  it('gives every CSAT face a text for screen readers and hides the drawing from them', () => {
    const page = render();
    const fieldset = page.match(/<fieldset id="q-csat"[\s\S]*?<\/fieldset>/)?.[0] ?? '';
    expect(fieldset.match(/<svg class="face"[^>]*aria-hidden="true"/g)).toHaveLength(5);
    for (const [i, label] of [
      'Very unsatisfied',
      'Unsatisfied',
      'Neutral',
      'Satisfied',
      'Very satisfied',
    ].entries())
      expect(fieldset).toContain(`<span class="sr">${i + 1} - ${label}</span>`);
  });

  it.each([
    { scale: 7, direction: 'high-is-easy', first: '1 - Strongly disagree', last: '7 - Strongly agree', n: 7 },
    { scale: 5, direction: 'high-is-easy', first: '1 - Strongly disagree', last: '5 - Strongly agree', n: 5 },
    { scale: 7, direction: 'high-is-hard', first: '1 - Very low effort', last: '7 - Very high effort', n: 7 },
    { scale: 5, direction: 'high-is-hard', first: '1 - Very low effort', last: '5 - Very high effort', n: 5 },
  ] as const)(
    'labels a $scale-point CES scale when it is $direction',
    ({ scale, direction, first, last, n }) => {
      const page = render({
        survey: withQuestions([{ id: 'effort', type: 'ces', scale, direction, text: { en: 'Effort?' } }]),
      });
      expect(page.match(/name="effort"/g)).toHaveLength(n);
      expect(page).toContain(`>${first}</span>`);
      expect(page).toContain(`>${last}</span>`);
      expect(page).not.toContain(`value="${n + 1}"`);
    },
  );

  it('uses the survey texts of the page language and English where one is missing', () => {
    const partial = withQuestions([
      { id: 'q1', type: 'csat', text: { en: 'English only', es: 'En español' } },
    ]);
    expect(render({ survey: partial, locale: 'es' })).toContain('<legend>En español');
    expect(render({ survey: partial, locale: 'pt' })).toContain('<legend>English only');
  });

  it('restores every answer when it re-renders after a validation error', () => {
    const page = render({
      values: { nps: '3', csat: '4', ces: '6', comment: 'Slow\nservice' },
      errors: { comment: 'Please write an answer.' },
    });
    expect(page).toMatch(/name="nps" value="3" checked/);
    expect(page).toMatch(/name="csat" value="4" checked/);
    expect(page).toMatch(/name="ces" value="6" checked/);
    expect(page.match(/ checked/g)).toHaveLength(3);
    expect(page).toContain('>Slow\nservice</textarea>');
  });

  it('links each error to its field when it re-renders after a validation error', () => {
    const page = render({
      values: { nps: '3' },
      errors: { csat: 'Please choose an answer.', comment: 'Please write an answer.' },
    });
    expect(page).toContain('<fieldset id="q-csat" aria-describedby="err-csat">');
    expect(page).toContain('<p class="err" id="err-csat">Please choose an answer.</p>');
    expect(page).toMatch(/name="csat" value="1" required aria-invalid="true"/);
    expect(page).not.toMatch(/name="nps"[^>]*aria-invalid/);
    expect(page).toContain('aria-describedby="err-comment" aria-invalid="true"');
    const summary = page.match(/<div class="summary" role="alert">[\s\S]*?<\/div>/)?.[0] ?? '';
    expect(summary).toContain(
      '<a href="#in-csat">How satisfied are you with your visit today?: Please choose',
    );
    expect(summary).toContain('<a href="#in-comment">What is the main reason for your score?: Please write');
    // Each summary link lands on a focusable control.
    expect(page).toContain('<input type="radio" id="in-csat" name="csat" value="1"');
    expect(page).toContain('<textarea id="in-comment"');
    expect(page.indexOf('role="alert"')).toBeLessThan(page.indexOf('<form'));
    expect(page).toContain('<title>Error: How did we do?</title>');
  });

  it('shows a form-level error in the summary when there is one', () => {
    const page = render({ formError: 'Please answer at least one question.' });
    expect(page).toContain('role="alert"');
    expect(page).toContain('<li>Please answer at least one question.</li>');
  });

  it('has no error summary when nothing is wrong', () => {
    const page = render();
    expect(page).not.toContain('role="alert"');
    expect(page).not.toContain('aria-invalid="true"');
  });

  it.each([...XSS])('keeps customer text inert when a comment, attribute or error is %s', (evil) => {
    const page = render({
      attributes: { store: evil },
      values: { comment: evil, nps: evil },
      errors: { [evil]: evil },
      formError: evil,
    });
    expect(liveMarkup(page)).toEqual([]);
    expect(page).toContain('name="attr.store"');
    expect(page).toContain(
      evil.includes('<script>') ? '&lt;script&gt;alert(1)&lt;/script&gt;' : '&quot;&gt;&lt;img',
    );
  });

  it('switches language with plain links to the other languages', () => {
    const page = render({ locale: 'pt' });
    const nav = page.match(/<nav aria-label="Idioma">[\s\S]*?<\/nav>/)?.[0] ?? '';
    expect(nav).toContain('<a href="?lang=en" lang="en" hreflang="en">English</a>');
    expect(nav).toContain('<a href="?lang=es" lang="es" hreflang="es">Español</a>');
    expect(nav).toContain('<a aria-current="true" lang="pt">Português</a>');
  });

  it('has no language switcher when the survey speaks one language', () => {
    const single = surveySchema.parse({ ...demoSurvey, locales: ['es'], defaultLocale: 'es' });
    expect(render({ survey: single, locale: 'es' })).not.toContain('<nav');
  });

  it('swaps the prompt only on the comment that follows the NPS question', () => {
    const page = render({
      survey: withQuestions([
        { id: 'nps', type: 'nps', text: { en: 'NPS?' } },
        { id: 'why', type: 'text', text: { en: 'Why?' } },
        { id: 'other', type: 'text', text: { en: 'Anything else?' } },
      ]),
    });
    expect(page).toContain('<div class="field why" id="q-why">');
    expect(page).toContain(
      '<div class="field" id="q-other"><label class="q" for="in-other">Anything else?</label>',
    );
    expect(page).toContain('form:has(input[name="nps"][value="9"]:checked) .why .p');
  });
});
