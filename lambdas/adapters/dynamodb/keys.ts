import type { AggregateKey, ReachKey, Segment, SurveyAggregateKey } from '#aggregation/rules/aggregation.ts';

/** Single-table keys. Every item also has `type`, which the stream filters read. */
export const keys = {
  survey: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'DEF' }),
  response: (surveyId: string, submissionId: string) => ({
    pk: `RESPONSE#${surveyId}#${submissionId}`,
    sk: 'RESPONSE',
  }),
  aggregatePk: (surveyId: string, segment: Segment) => `AGG#${surveyId}#${segment.key}#${segment.value}`,
  aggregate: (k: Pick<SurveyAggregateKey, 'surveyId' | 'segment' | 'day'>) => ({
    pk: keys.aggregatePk(k.surveyId, k.segment),
    sk: `DAY#${k.day}`,
  }),
  /** One partition per campaign, so one Query reads its whole reach. */
  reachPk: (campaignId: string) => `REACH#${campaignId}`,
  reach: (k: Pick<ReachKey, 'campaignId' | 'segment' | 'day'>) => ({
    pk: keys.reachPk(k.campaignId),
    sk: `SEG#${k.segment.key}#${k.segment.value}#DAY#${k.day}`,
  }),
  /** The item an aggregate or reach key names. */
  counted: (k: AggregateKey) => (k.kind === 'survey' ? keys.aggregate(k) : keys.reach(k)),
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  laneStart: (fingerprint: string) => ({ pk: `LANE#${fingerprint}`, sk: 'START' }),
  webhookSecret: (source: string) => ({ pk: `WEBHOOK#${source}`, sk: 'SECRET' }),
  signingKey: (name: string) => ({ pk: `SIGNING#${name}`, sk: 'KEY' }),
  routing: () => ({ pk: 'ROUTING', sk: 'TABLE' }),
  plan: (planId: string) => ({ pk: `PLAN#${planId}`, sk: 'DEF' }),
  alertBudget: (owner: string, hour: string) => ({ pk: `BUDGET#${owner}`, sk: `HOUR#${hour}` }),
  thresholdState: (surveyId: string, ruleId: string, segment: Segment, condition: string) => ({
    pk: `THRESHOLD#${surveyId}#${ruleId}#${segment.key}#${segment.value}`,
    sk: `COND#${condition}`,
  }),
  campaign: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'DEF' }),
  invitation: (campaignId: string, contactId: string) => ({
    pk: `CAMPAIGN#${campaignId}`,
    sk: `INV#${contactId}`,
  }),
  suppression: (contactId: string) => ({ pk: `CONTACT#${contactId}`, sk: 'SUPPRESSION' }),
  /** One item per address and window, counting the devices on it too; `address` is already a salted hash. */
  rateCounter: (surveyId: string, address: string, windowStart: string) => ({
    pk: `RATE#${surveyId}#${address}`,
    sk: `WIN#${windowStart}`,
  }),
} as const;

export const SURVEYS_INDEX_PK = 'SURVEYS';
export const CASES_INDEX_PK = 'CASES';
/** gsi2: cases with something due (an SLA deadline, or a tier still to be told), by due time. */
export const DUE_INDEX_PK = 'DUE';
/** gsi2: owners' hourly digests waiting for their hour to end. */
export const DIGESTS_INDEX_PK = 'DIGEST';
export const CAMPAIGNS_INDEX_PK = 'CAMPAIGNS';
export const PLANS_INDEX_PK = 'PLANS';
/** Aggregate counters are `c#<questionId>#<score>`, reach counters `c#<event>`; lane watermarks are `w#<lane>`. */
export const COUNTER_PREFIX = 'c#';
export const WATERMARK_PREFIX = 'w#';

/** Segment and day of a reach item's sort key, `SEG#<key>#<value>#DAY#<yyyy-mm-dd>` (a value may hold `#`). */
export function parseReachSk(sk: string): { segment: Segment; day: string } | undefined {
  const match = /^SEG#([^#]+)#(.*)#DAY#(\d{4}-\d{2}-\d{2})$/s.exec(sk);
  const [, key, value, day] = match ?? [];
  return key && value && day ? { segment: { key, value }, day } : undefined;
}
