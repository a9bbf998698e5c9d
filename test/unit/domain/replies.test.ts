import { describe, expect, it } from 'vitest';
import { readComment, readScore } from '#conversations/rules/replies.ts';
import type { Locale } from '#kernel/survey.ts';

const NPS = { min: 0, max: 10 };
const CSAT = { min: 1, max: 5, faces: true };

describe('a reply to an NPS question', () => {
  it.each([
    ['9', 'es', 9],
    [' 9 ', 'en', 9],
    ['9!', 'pt', 9],
    ['0', 'en', 0],
    ['10/10', 'es', 10],
    ['8 / 10', 'en', 8],
    ['9 de 10', 'es', 9],
    ['nota 7 em 10', 'pt', 7],
    ['un 9', 'es', 9],
    ['nueve', 'es', 9],
    ['Nueve.', 'es', 9],
    ['nove', 'pt', 9],
    ['nine', 'en', 9],
    ["I'd say eight", 'en', 8],
    ['DIEZ', 'es', 10],
    ['dez!!', 'pt', 10],
    ['tres', 'es', 3],
    ['três', 'pt', 3],
    ['cero', 'es', 0],
    ['creo que un 6, por la espera', 'es', 6],
    ['gostei dos atendentes, nove', 'pt', 9],
    ['nota 8 dos atendentes', 'pt', 8],
  ] as const)('reads %j (%s) as %i', (reply, locale, score) => {
    expect(readScore(reply, NPS, locale as Locale)).toEqual({ kind: 'score', score });
  });

  it.each([
    ['11', 'en'],
    ['-1', 'es'],
    ['8 o 9', 'es'],
    ['between seven and eight', 'en'],
    ['9.5', 'en'],
    ['muy bien', 'es'],
    ['', 'pt'],
    ['👍', 'en'],
    ['hola?', 'es'],
  ] as const)('finds %j (%s) unclear', (reply, locale) => {
    expect(readScore(reply, NPS, locale as Locale)).toEqual({ kind: 'unclear' });
  });

  it.each(['stop', 'STOP', 'Parar', 'parar.', 'basta!', 'no más', 'pare', 'Sair', 'não quero mais'])(
    'reads %j alone as a stop',
    (reply) => {
      expect(readScore(reply, NPS, 'es')).toEqual({ kind: 'stop' });
    },
  );

  it('does not stop on a word of a longer reply', () => {
    expect(readScore('no voy a parar de venir, 10', NPS, 'es')).toEqual({ kind: 'score', score: 10 });
  });
});

describe('a reply to a CSAT question', () => {
  it.each([
    ['😡', 1],
    ['☹️', 2],
    ['😐', 3],
    ['🙂', 4],
    ['😍😍', 5],
    ['⭐⭐⭐⭐', 4],
    ['★★', 2],
    ['4', 4],
    ['cinco', 5],
    ['5 ⭐', 5],
  ] as const)('reads %j as %i', (reply, score) => {
    expect(readScore(reply, CSAT, 'es')).toEqual({ kind: 'score', score });
  });

  it.each(['😡🙂', '⭐⭐⭐⭐⭐⭐', '6', '0'])('finds %j unclear', (reply) => {
    expect(readScore(reply, CSAT, 'pt')).toEqual({ kind: 'unclear' });
  });

  it('reads no faces on a scale without them', () => {
    expect(readScore('🙂', NPS, 'en')).toEqual({ kind: 'unclear' });
  });
});

describe('a reply to an open question', () => {
  it('keeps the text as written, accents and emoji included', () => {
    expect(readComment('  Atendimento ótimo 👍 ')).toEqual({ kind: 'text', text: 'Atendimento ótimo 👍' });
  });

  it('reads a stop, and an empty reply as unclear', () => {
    expect(readComment('BASTA')).toEqual({ kind: 'stop' });
    expect(readComment('   ')).toEqual({ kind: 'unclear' });
  });
});
