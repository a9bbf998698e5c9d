import type { AggregateKey, ReachKey, Segment, SurveyAggregateKey } from '#aggregation/rules/aggregation.ts';

export const SENTIMENT_MODELS_PK = 'MODEL#sentiment';

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
  /** One partition per survey: one Query lists a key's values. */
  segmentValuesPk: (surveyId: string) => `SEGMENTS#${surveyId}`,
  segmentValue: (surveyId: string, segment: Segment) => ({
    pk: keys.segmentValuesPk(surveyId),
    sk: `${segment.key}#${segment.value}`,
  }),
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
  shareLink: (linkId: string) => ({ pk: `SHARE#${linkId}`, sk: 'LINK' }),
  /** Who may see which places: one partition, so one Query lists every grant. */
  grant: (subject: string) => ({ pk: GRANTS_PK, sk: `GRANT#${subject}` }),
  /** The audit trail: a partition per UTC day, entries by time. */
  auditPk: (day: string) => `AUDIT#${day}`,
  audit: (at: string, requestId: string) => ({ pk: keys.auditPk(at.slice(0, 10)), sk: `${at}#${requestId}` }),
  /** One partition per address: its reports, by frequency and the last day of their period. */
  report: (email: string, frequency: string, periodTo: string) => ({
    pk: `REPORT#${email.toLowerCase()}`,
    sk: `${frequency}#${periodTo}`,
  }),
  surveyPreview: (previewId: string) => ({ pk: `PREVIEW#${previewId}`, sk: 'DEF' }),
  /** The learned sentiment classifiers: one partition, an item per language. */
  sentimentModel: (language: string) => ({ pk: SENTIMENT_MODELS_PK, sk: language }),
  /** One counter per link and minute, beside the link. */
  shareViews: (linkId: string, minute: string) => ({ pk: `SHARE#${linkId}`, sk: `VIEWS#${minute}` }),
  export: (exportId: string) => ({ pk: `EXPORT#${exportId}`, sk: 'EXPORT' }),
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
/** gsi1: a survey's share links, by `<createdAt>#<linkId>`. */
export const GRANTS_PK = 'ACCESS';
export const shareLinksIndexPk = (surveyId: string) => `SHARES#${surveyId}`;
/** gsi1: a survey's exports, by `<requestedAt>#<exportId>`. */
export const exportsIndexPk = (surveyId: string) => `EXPORTS#${surveyId}`;
/** gsi1: the case list, by `<openedAt>#<caseId>`; sharded, see caseIndexPk. Alone, it is the legacy partition. */
export const CASES_INDEX_PK = 'CASES';
/** gsi2: cases with something due (an SLA deadline, or a tier still to be told), by due time; sharded too. */
export const DUE_INDEX_PK = 'DUE';

/**
 * Partitions each sharded index is written across (docs/decisions/0006-case-index-shards.md). An index partition
 * takes at most 1,000 write units a second, and a case (1-2 KB, projected whole) costs about 3.3 of them in each
 * index over its writes (opened, told, tiers and due times moved), so one partition holds about 300 cases a second.
 * 16 partitions x 1,000 WCU/s = 16,000 WCU/s, about 4,800 cases a second: above the 3,000 of a survey answered
 * 10,000 times a second with 30% detractors; and a survey's comments (about 1 WCU each, written once) up to 16,000
 * a second. Readers query every partition: more shards cost reads, not correctness.
 */
export const INDEX_SHARDS = 16;

/** FNV-1a of the id's UTF-8 bytes, mod INDEX_SHARDS: stable across runtimes and releases, and even over random ids. */
export function indexShard(id: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(id, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % INDEX_SHARDS;
}

/** The case list partition (gsi1pk) a case is written to: `CASES#<0..15>`. */
export const caseIndexPk = (caseId: string) => `${CASES_INDEX_PK}#${indexShard(caseId)}`;
/** The due index partition (gsi2pk) a case is written to while something is due: `DUE#<0..15>`. */
export const dueIndexPk = (caseId: string) => `${DUE_INDEX_PK}#${indexShard(caseId)}`;

const shardsOf = (prefix: string) => Array.from({ length: INDEX_SHARDS }, (_, k) => `${prefix}#${k}`);

/**
 * Every partition a reader of the case list queries. The last one is the unsharded `CASES` of releases before the
 * shards: its cases move to their shard the next time they are written, and it is read until it is empty.
 */
export const caseIndexPartitions = (): string[] => [...shardsOf(CASES_INDEX_PK), CASES_INDEX_PK];
/** Every partition a reader of the due index queries, the legacy `DUE` last (see caseIndexPartitions). */
export const dueIndexPartitions = (): string[] => [...shardsOf(DUE_INDEX_PK), DUE_INDEX_PK];

/**
 * gsi1: a survey's responses with a comment, by `<receivedAt>#<submissionId>` (sparse: a response without one is
 * not in the index and costs no index write; docs/decisions/0013-comment-index.md). `COMMENTS#<surveyId>#<0..15>`.
 */
export const commentIndexPk = (surveyId: string, submissionId: string) =>
  `COMMENTS#${surveyId}#${indexShard(submissionId)}`;
export const commentIndexPartitions = (surveyId: string): string[] => shardsOf(`COMMENTS#${surveyId}`);
/**
 * gsi2: open survey conversations by when they go quiet (sparse: an ended one leaves it), for the quiet sweep.
 * `QUIET#<0..15>` by the conversation's key, as a campaign opens thousands of them at once.
 */
export const quietIndexPk = (conversationPk: string) => `QUIET#${indexShard(conversationPk)}`;
export const quietIndexPartitions = (): string[] => shardsOf('QUIET');
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
