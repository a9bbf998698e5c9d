/**
 * The bands an answer to each scored question type falls in, worst first: NPS detractors (0-6), passives (7-8),
 * promoters (9-10); CSAT dissatisfied (1-3) or satisfied (4-5, top-2 box); CES high, neutral or low effort on the
 * question's own scale and direction (kernel/survey.ts effortBand). No imports: the web app reads it too.
 */
export const BANDS_OF = {
  nps: ['detractor', 'passive', 'promoter'],
  csat: ['dissatisfied', 'satisfied'],
  ces: ['high-effort', 'neutral-effort', 'low-effort'],
} as const;

export type ScoreBand = (typeof BANDS_OF)[keyof typeof BANDS_OF][number];
