import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '#kernel/survey.ts';
import { fieldErrorMessage, messages, negotiateLocale } from '#views/i18n.ts';

describe('negotiateLocale', () => {
  it.each([
    { lang: 'es', header: 'pt-BR', expected: 'es', why: 'lang wins over the header' },
    { lang: 'pt-BR', header: undefined, expected: 'pt', why: 'lang with a region subtag' },
    { lang: 'PT', header: undefined, expected: 'pt', why: 'lang in capitals' },
    { lang: 'fr', header: 'es', expected: 'es', why: 'an unsupported lang falls through to the header' },
    { lang: 'xx', header: 'pt;q=0', expected: 'en', why: 'q=0 means "not this one"' },
    { lang: '', header: 'pt', expected: 'pt', why: 'an empty lang is ignored' },
    { lang: undefined, header: 'pt-BR,pt;q=0.9,en;q=0.8', expected: 'pt', why: 'a Brazilian browser' },
    { lang: undefined, header: 'es-419', expected: 'es', why: 'Latin American Spanish' },
    { lang: undefined, header: 'es_MX', expected: 'es', why: 'an underscore subtag' },
    {
      lang: undefined,
      header: 'fr-FR,es;q=0.5,en;q=0.7',
      expected: 'en',
      why: 'the highest q that is supported',
    },
    { lang: undefined, header: 'en;q=0.5, pt-PT ; q=0.8', expected: 'pt', why: 'spaces around separators' },
    { lang: undefined, header: 'es;q=0.8,pt;q=0.8', expected: 'es', why: 'ties keep header order' },
    { lang: undefined, header: 'de,fr;q=0.9', expected: 'en', why: 'nothing supported: the fallback' },
    { lang: undefined, header: '*', expected: 'en', why: 'the wildcard: the fallback' },
    { lang: undefined, header: 'es;q=abc,pt;q=0.1', expected: 'pt', why: 'a malformed q is skipped' },
    { lang: undefined, header: 'es;q=5,pt;q=0.1', expected: 'pt', why: 'a q above 1 is skipped' },
    { lang: undefined, header: ',;,;q=', expected: 'en', why: 'garbage' },
    { lang: undefined, header: '', expected: 'en', why: 'an empty header' },
    { lang: undefined, header: undefined, expected: 'en', why: 'no header' },
  ])('picks $expected when $why', ({ lang, header, expected }) => {
    expect(negotiateLocale(lang, header, ['en', 'es', 'pt'], 'en')).toBe(expected);
  });

  it('only offers locales the survey supports when a language is asked for that it lacks', () => {
    expect(negotiateLocale('pt', 'pt-BR', ['en', 'es'], 'es')).toBe('es');
  });

  it('uses a supported locale when the fallback is not among the supported ones', () => {
    expect(negotiateLocale(undefined, undefined, ['pt'], 'en')).toBe('pt');
  });

  it('reads a bounded number of ranges when the header is huge', () => {
    const header = `${Array.from({ length: 5000 }, (_, i) => `x${i}`).join(',')},pt`;
    expect(negotiateLocale(undefined, header, ['en', 'es', 'pt'], 'en')).toBe('en');
  });
});

describe('messages', () => {
  const shape = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.length
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]))
        : typeof value;
  const strings = (value: unknown): string[] =>
    typeof value === 'string'
      ? [value]
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(strings)
        : [];

  it.each(LOCALES.filter((l) => l !== 'en'))(
    'has every English text in %s, with the same scale lengths',
    (locale) => {
      expect(shape(messages(locale))).toEqual(shape(messages('en')));
    },
  );

  it.each(LOCALES)('has no empty text in %s', (locale) => {
    for (const text of strings(messages(locale))) expect(text.trim()).not.toBe('');
  });

  it.each([
    {
      locale: 'en',
      low: 'Not at all likely',
      high: 'Extremely likely',
      easy: 'Strongly agree',
      hard: 'Very high effort',
    },
    {
      locale: 'es',
      low: 'Nada probable',
      high: 'Extremadamente probable',
      easy: 'Totalmente de acuerdo',
      hard: 'Esfuerzo muy alto',
    },
    {
      locale: 'pt',
      low: 'Nada provável',
      high: 'Extremamente provável',
      easy: 'Concordo totalmente',
      hard: 'Esforço muito alto',
    },
  ] as const)('labels the ends of the scales in $locale', ({ locale, low, high, easy, hard }) => {
    const m = messages(locale);
    expect([m.npsLow, m.npsHigh, m.agree7[6], m.agree5[4], m.effort7[6], m.effort5[4]]).toEqual([
      low,
      high,
      easy,
      easy,
      hard,
      hard,
    ]);
  });
});

describe('fieldErrorMessage', () => {
  it.each([
    { locale: 'en', code: 'required', type: undefined, expected: 'Please choose an answer.' },
    { locale: 'en', code: 'required', type: 'text', expected: 'Please write an answer.' },
    { locale: 'es', code: 'out_of_range', type: 'nps', expected: 'Elija una de las opciones.' },
    { locale: 'es', code: 'required', type: 'text', expected: 'Escriba una respuesta.' },
    { locale: 'pt', code: 'too_long', type: 'text', expected: 'Este texto está longo demais.' },
    { locale: 'pt', code: 'something_new', type: undefined, expected: 'Confira esta resposta.' },
  ] as const)(
    'says "$expected" for $code on a $type question in $locale',
    ({ locale, code, type, expected }) => {
      expect(fieldErrorMessage(locale as Locale, code, type)).toBe(expected);
    },
  );
});
