import type { ScoreBand } from '#kernel/bands.ts';
import type { Words } from './i18n.ts';

/** The colour (good, mid, bad) and the word of each band the API names. */
export const BANDS: Readonly<
  Record<ScoreBand, { readonly key: 'good' | 'mid' | 'bad'; readonly word: keyof Words }>
> = {
  promoter: { key: 'good', word: 'promoters' },
  passive: { key: 'mid', word: 'passives' },
  detractor: { key: 'bad', word: 'detractors' },
  satisfied: { key: 'good', word: 'satisfied' },
  dissatisfied: { key: 'bad', word: 'notSatisfied' },
  'low-effort': { key: 'good', word: 'lowEffortBand' },
  'neutral-effort': { key: 'mid', word: 'neutralBand' },
  'high-effort': { key: 'bad', word: 'highEffortBand' },
};
