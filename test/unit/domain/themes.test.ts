import { describe, expect, it } from 'vitest';
import { DEFAULT_THEMES, keywordFound, mentionsIn, themesOf } from '#insight/rules/themes.ts';
import type { Locale, Theme } from '#kernel/survey.ts';

const themes = (text: string, language: Locale) =>
  mentionsIn(text, language, DEFAULT_THEMES).map((m) => (m.negated ? `not ${m.theme}` : m.theme));

describe('the themes of a comment', () => {
  it.each<[string, Locale, string[]]>([
    // A word finds the words of its stem.
    ['Esperamos casi una hora', 'es', ['waiting']],
    ['We waited ages and the prices went up', 'en', ['waiting', 'price']],
    ['Os preços estão altos', 'pt', ['price']],
    // A word ending in * finds the words it starts.
    ['A atendente foi um amor', 'pt', ['staff']],
    ['entregaram no prazo', 'pt', ['delivery']],
    // A phrase finds its words in a row, not apart.
    ['The shoes were out of stock again', 'en', ['availability']],
    ['Faltou troco no caixa', 'pt', ['availability', 'checkout']],
    // Accents aside, several themes in the survey's order.
    [
      'el baño estaba sucio y la cajera fue grosera, pagué en caja',
      'es',
      ['staff', 'cleanliness', 'checkout'],
    ],
    ['el bano estaba sucio', 'es', ['cleanliness']],
    // Nothing a customer's words do not say.
    ['Todo bien, gracias', 'es', []],
    ['', 'en', []],
  ])('"%s" (%s) is about %j', (text, language, expected) => {
    expect(themes(text, language)).toEqual(expected);
  });

  it.each<[string, Locale, string[]]>([
    // A negation a few words before, in the same clause, marks the mention as negated (it still talks of waiting)...
    ['No tuve que esperar', 'es', ['not waiting']],
    ['não tinha fila nenhuma', 'pt', ['not waiting']],
    ['No había estacionamiento ni nada', 'es', []],
    ['There was never a queue', 'en', ['not waiting']],
    // ...but not across a comma or a sentence, nor from further away...
    ['No, la espera fue eterna', 'es', ['waiting']],
    ['No me gustó. La fila era enorme', 'es', ['waiting']],
    ['no entiendo por qué siempre hay tanta fila', 'es', ['waiting']],
    // ...and a theme mentioned once without negation is a mention.
    ['No hubo espera al entrar, pero la espera en caja fue larga', 'es', ['waiting', 'checkout']],
  ])('"%s" (%s) reads as %j', (text, language, expected) => {
    expect(themes(text, language)).toEqual(expected);
  });

  it('reports the first word of a theme it found', () => {
    expect(mentionsIn('Cobraron de más y es carísimo', 'es', DEFAULT_THEMES)).toEqual([
      { theme: 'price', word: 'cobraron', negated: false },
    ]);
  });

  it("reads a survey's own taxonomy instead of the default one", () => {
    const own: Theme[] = [
      {
        id: 'parking',
        words: { en: ['parking', 'car park'], es: ['estacionamiento', 'parqueo'], pt: ['estacion*'] },
      },
    ];
    expect(themesOf({ themes: own })).toBe(own);
    expect(themesOf({})).toBe(DEFAULT_THEMES);
    expect(mentionsIn('No había estacionamientos libres', 'es', own)).toEqual([
      { theme: 'parking', word: 'estacionamiento', negated: true },
    ]);
    expect(mentionsIn('The car park was full', 'en', own).map((m) => m.theme)).toEqual(['parking']);
    expect(mentionsIn('Estacionei fácil', 'pt', own).map((m) => m.theme)).toEqual(['parking']);
    expect(mentionsIn('We had to wait', 'en', own)).toEqual([]);
  });
});

describe('keyword rules read negation', () => {
  const words = { en: ['cancel'], es: ['cancelar', 'darme de baja'], pt: ['cancelar', 'Procon'] };

  it.each<[string, Locale, string | undefined]>([
    ['quiero cancelar mi cuenta', 'es', 'cancel'],
    ['no voy a cancelar', 'es', undefined],
    ['No voy a cancelar, pero mejoren', 'es', undefined],
    ['No, voy a cancelar', 'es', 'cancel'],
    ['I will not cancel', 'en', undefined],
    ['Not happy. I will cancel', 'en', 'cancel'],
    ['não vou cancelar por enquanto', 'pt', undefined],
    ['Vou reclamar no Procon', 'pt', 'Procon'],
    // Read in the text's language when it plainly differs from the locale.
    ['no voy a cancelar, pero el servicio es muy malo y lento', 'pt', undefined],
    ['quiero darme de baja ya', 'es', 'darme de baja'],
    ['no quiero darme de baja', 'es', undefined],
    ['descancelado', 'es', undefined],
  ])('"%s" (%s) finds %s', (text, locale, expected) => {
    expect(keywordFound(text, words, locale)).toBe(expected);
  });
});
