import { describe, expect, it } from 'vitest';
import { LOCALES } from '#kernel/survey.ts';
import { messages } from '#views/i18n.ts';
import type { Catalogue } from '#views/strings/catalogue.ts';
import { en } from '#views/strings/en.ts';
import { es } from '#views/strings/es.ts';

/** Every text of a catalogue by its path (`invitation.sms`, `csat.0`). */
const texts = (value: unknown, path = ''): Array<readonly [string, string]> =>
  typeof value === 'string'
    ? [[path, value]]
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => texts(v, path ? `${path}.${k}` : k))
      : [];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the string catalogue', () => {
  it('fails the build when a locale lacks a string, has one too many, or a scale lacks a label', () => {
    const { languageName: _, ...withoutName } = es;
    // @ts-expect-error a catalogue without languageName is not a Catalogue
    const missing: Catalogue = withoutName;
    // @ts-expect-error a string that en.ts does not have
    const extra: Catalogue = { ...es, unknownKey: 'x' } satisfies Catalogue;
    // @ts-expect-error a CSAT scale of four labels
    const short: Catalogue = { ...es, csat: ['1', '2', '3', '4'] };
    expect([missing, extra, short].every((c) => c.submit === es.submit)).toBe(true);
  });

  it.each(LOCALES)('has the same paths as English in %s', (locale) => {
    expect(texts(messages(locale)).map(([path]) => path)).toEqual(texts(en).map(([path]) => path));
  });

  it.each(LOCALES)('has no empty or padded text in %s', (locale) => {
    const bad = texts(messages(locale)).filter(([, text]) => text.trim() === '' || text.trim() !== text);
    expect(bad).toEqual([]);
  });

  it.each(LOCALES.filter((l) => l !== 'en'))(
    'keeps the {placeholders} of every English text in %s',
    (locale) => {
      const english = new Map(texts(en));
      const differ = texts(messages(locale))
        .filter(([path, text]) => placeholders(text).join() !== placeholders(english.get(path) ?? '').join())
        .map(([path]) => path);
      expect(differ).toEqual([]);
    },
  );

  it('counts every string of every page, email and SMS in one place', () => {
    expect(texts(en).length).toBeGreaterThan(150);
    expect(texts(en).map(([path]) => path)).toEqual(
      expect.arrayContaining([
        'invitation.sms',
        'followUp.smsNamed',
        'errors.required',
        'acknowledge.button',
      ]),
    );
  });
});
