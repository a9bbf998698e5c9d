import type { AggregateKey, Segment } from '#domain/aggregation.ts';

/** Single-table keys. Every item also has `type`, which the stream filters read. */
export const keys = {
  survey: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'DEF' }),
  response: (surveyId: string, submissionId: string) => ({
    pk: `RESPONSE#${surveyId}#${submissionId}`,
    sk: 'RESPONSE',
  }),
  aggregatePk: (surveyId: string, segment: Segment) => `AGG#${surveyId}#${segment.key}#${segment.value}`,
  aggregate: (k: AggregateKey) => ({ pk: keys.aggregatePk(k.surveyId, k.segment), sk: `DAY#${k.day}` }),
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  laneStart: (fingerprint: string) => ({ pk: `LANE#${fingerprint}`, sk: 'START' }),
  webhookSecret: (source: string) => ({ pk: `WEBHOOK#${source}`, sk: 'SECRET' }),
  signingKey: (name: string) => ({ pk: `SIGNING#${name}`, sk: 'KEY' }),
  /** One item per subject and window; `subject` is already a salted hash. */
  rateCounter: (surveyId: string, kind: string, subject: string, windowStart: string) => ({
    pk: `RATE#${surveyId}#${kind}#${subject}`,
    sk: `WIN#${windowStart}`,
  }),
} as const;

export const SURVEYS_INDEX_PK = 'SURVEYS';
export const CASES_INDEX_PK = 'CASES';
/** Aggregate counters are `c#<questionId>#<score>`; lane watermarks are `w#<lane>`. */
export const COUNTER_PREFIX = 'c#';
export const WATERMARK_PREFIX = 'w#';
