import type { AggregateDelta, AggregateKey, Segment } from '#domain/aggregation.ts';
import type { Case, CaseStatus } from '#domain/cases.ts';
import type { LaneStore } from '#domain/lanes.ts';
import type { HitOutcome, RateCounter } from '#domain/rate-limit.ts';
import type { CampaignReach } from '#domain/reach.ts';
import type { DayCounters } from '#domain/report.ts';
import type { ResponseRecord } from '#domain/response.ts';
import type { Survey } from '#domain/survey.ts';

export interface SurveyStore {
  get(surveyId: string): Promise<Survey | undefined>;
  put(survey: Survey): Promise<void>;
  list(): Promise<Survey[]>;
}

export type PutResponseResult =
  | { readonly created: true }
  | { readonly created: false; readonly existing: ResponseRecord };

export interface ResponseStore {
  /** Stores the response unless its submission id is taken; then answers with the stored one. Atomic. */
  putIfAbsent(response: ResponseRecord, retentionDays: number): Promise<PutResponseResult>;
  get(surveyId: string, submissionId: string): Promise<ResponseRecord | undefined>;
}

export type ApplyResult =
  | { readonly outcome: 'applied'; readonly writeUnits: number; readonly lanes: readonly string[] }
  | { readonly outcome: 'stale'; readonly watermark: string | undefined; readonly writeUnits: number };

export interface AggregateStore {
  /**
   * Adds the delta to the item if the lane's watermark on it is absent or before `delta.from`, moves the
   * watermark to `delta.upTo` and drops the watermarks of `finishedLanes`, in one conditional write.
   * 'stale' returns the item's current watermark for the lane. `lanes` lists the lanes left on the item.
   */
  apply(
    key: AggregateKey,
    lane: string,
    delta: AggregateDelta,
    finishedLanes: readonly string[],
  ): Promise<ApplyResult>;
  readDays(surveyId: string, segment: Segment, from: string, to: string): Promise<DayCounters[]>;
}

export type { LaneStore };

export interface ReachStore {
  /** A campaign's reach so far: totals, per segment value, and day by day (see reach.ts). */
  read(campaignId: string): Promise<CampaignReach>;
}

export interface CaseQuery {
  readonly surveyId?: string;
  readonly status?: CaseStatus;
  readonly limit: number;
  readonly cursor?: string;
}

export interface CaseStore {
  /** Creates the case unless it exists; answers with the stored case. */
  openIfAbsent(c: Case): Promise<{ readonly created: boolean; readonly stored: Case }>;
  get(caseId: string): Promise<Case | undefined>;
  /**
   * Replaces the case if nobody changed it since it was read: its stored version is still `c.version - 1`
   * (optimistic concurrency; two comments, or two sweeps, at once never lose one another).
   */
  save(c: Case): Promise<boolean>;
  /** Records that the case's current tier was told (once); the case then waits for its deadline. */
  markTierNotified(c: Case, at: string): Promise<boolean>;
  /** Every case opened at or after `from` (all pages). */
  openedSince(from: Date, surveyId?: string): Promise<Case[]>;
  /** Cases with something due at or before `now`, earliest first. */
  listDue(now: Date, limit: number): Promise<Case[]>;
  /** Records that the owner was told, once. Returns false if it already was. */
  markNotified(caseId: string, at: string): Promise<boolean>;
  list(query: CaseQuery): Promise<{ readonly items: Case[]; readonly cursor?: string }>;
}

export interface AlertMessage {
  readonly subject: string;
  readonly message: string;
  /** SNS message attributes, so subscriptions can filter by survey, severity and segment. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Notifier {
  publish(alert: AlertMessage): Promise<void>;
}

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** A campaign's invitation email: one recipient, one-click unsubscribe, tags for SES event publishing. */
export interface InvitationMail extends Mail {
  /** Sent as `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058). */
  readonly unsubscribeUrl: string;
  /** SES message tags (`campaign`, `invitation`); they come back in the delivery, bounce and complaint events. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface CampaignMailer {
  /** Answers with the provider's message id. */
  send(mail: InvitationMail): Promise<{ readonly messageId: string }>;
}

export interface Sms {
  /** E.164, e.g. +5511987654321. */
  readonly phoneNumber: string;
  readonly text: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface SmsSender {
  /** Answers with the provider's message id. */
  send(sms: Sms): Promise<{ readonly messageId: string }>;
}

export interface WebhookSecretStore {
  /** Current secrets of a source (more than one while rotating). */
  get(source: string): Promise<string[] | undefined>;
  put(source: string, secrets: string[]): Promise<void>;
}

export interface SigningKeyStore {
  /** The named secret (32 random bytes), created on first use; every caller and container gets the same bytes. */
  get(name: string): Promise<Buffer>;
}

export interface RateCounterStore {
  /**
   * Counts the submission on the counter in one conditional write, unless it is counted there already
   * (`repeat`) or the counter is at its limit (`limited`, nothing written).
   */
  hit(counter: RateCounter, submissionTag: string): Promise<HitOutcome>;
  /** Takes back the count of this submission, if it is counted there. */
  release(counter: RateCounter, submissionTag: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}
