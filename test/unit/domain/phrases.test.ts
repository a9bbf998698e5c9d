import { describe, expect, it } from 'vitest';
import { EMERGING, emergingPhrases, phraseCounts, phrasesOf } from '#insight/rules/phrases.ts';

describe("a comment's candidate phrases", () => {
  it('are runs of two or three words within a clause, not starting or ending on a function word', () => {
    expect(phrasesOf('La tarjeta rechazada otra vez, y la app no abre', 'es')).toEqual(
      expect.arrayContaining(['tarjeta rechazada', 'app no abre']),
    );
    const phrases = phrasesOf('La tarjeta rechazada otra vez, y la app no abre', 'es');
    expect(phrases).not.toContain('la tarjeta');
    // Never across a comma or a sentence.
    expect(phrases).not.toContain('vez app');
    expect(phrasesOf('O cartão foi recusado. Aplicativo travou', 'pt')).toEqual(
      expect.arrayContaining(['cartao foi recusado', 'aplicativo travou']),
    );
    expect(phrasesOf('Card declined at the self checkout', 'en')).toEqual(
      expect.arrayContaining(['card declined', 'self checkout']),
    );
  });

  it('read accents and case aside, so one phrase is one however it is written', () => {
    expect(phrasesOf('TARJETA RECHAZADA', 'es')).toEqual(phrasesOf('tarjeta rechazada', 'es'));
    expect(phrasesOf('Ok', 'en')).toEqual([]);
  });
});

describe('emerging phrases', () => {
  const counts = (n: number, phrases: Record<string, number>) => {
    const comments: string[][] = [];
    for (const [p, k] of Object.entries(phrases)) for (let i = 0; i < k; i++) comments.push([p, p]);
    while (comments.length < n) comments.push([]);
    return phraseCounts(comments);
  };

  it('are the phrases that come up at least twice as often as in the window before, in 3 comments or more', () => {
    const now = counts(100, { 'tarjeta rechazada': 12, 'fila larga': 10, 'nuevo local': 2 });
    const before = counts(100, { 'tarjeta rechazada': 1, 'fila larga': 9 });
    const rising = emergingPhrases(now, 100, before, 100);
    expect(rising.map((p) => p.phrase)).toEqual(['tarjeta rechazada']);
    expect(rising[0]).toMatchObject({ comments: 12, previous: 1, rise: 6.5 });
    // Counted once per comment, however often a comment says it.
    expect(now.get('fila larga')).toBe(10);
  });

  it('compare shares, not counts: a busier window does not make everything rise', () => {
    const now = counts(1000, { 'fila larga': 50 });
    const before = counts(100, { 'fila larga': 5 });
    expect(emergingPhrases(now, 1000, before, 100)).toEqual([]);
  });

  it('leave out a phrase inside a longer one that rose as much, and keep the ten strongest', () => {
    const now = counts(100, { 'app no abre': 5, 'no abre': 5 });
    expect(emergingPhrases(now, 100, new Map(), 100).map((p) => p.phrase)).toEqual(['app no abre']);
    const many = counts(
      200,
      Object.fromEntries(
        Array.from({ length: 15 }, (_, i) => [`problema ${String.fromCharCode(97 + i)}`, 3 + i]),
      ),
    );
    const top = emergingPhrases(many, 200, new Map(), 200);
    expect(top).toHaveLength(EMERGING.top);
    expect(top[0]?.phrase).toBe('problema o');
  });
});
