import type { Segment } from '#aggregation/rules/aggregation.ts';
import type { Answer } from '#capture/rules/response.ts';
import type { Locale } from '#kernel/survey.ts';
import type { Case, CaseStatus } from './rules/case.ts';
import type { Admission, PendingDigest } from './rules/digests.ts';
import type { ActionPlan } from './rules/plans.ts';
import type { ReportFrequency } from './rules/report-frequencies.ts';
import type { RoutingTable } from './rules/routing.ts';
import type { Condition } from './rules/thresholds.ts';

export interface CaseQuery {
  readonly surveyId?: string;
  readonly status?: CaseStatus;
  /** Only the cases assigned to this person. */
  readonly assignee?: string;
  /** Only the cases whose deadline is before this instant. */
  readonly dueBefore?: Date;
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
  /**
   * Adds answers that came after the case opened (answers one question at a time), each only if the case lacks
   * it: nothing else of the case is written. Answers with the case as stored.
   */
  addAnswers(caseId: string, answers: Readonly<Record<string, Answer>>): Promise<Case | undefined>;
  list(query: CaseQuery): Promise<{ readonly items: Case[]; readonly cursor?: string }>;
}

export interface RoutingStore {
  get(): Promise<RoutingTable>;
  put(table: RoutingTable): Promise<void>;
}

export interface AlertBudgetStore {
  /**
   * Counts the case in the owner's hour; `digest` past the limit (the case is then kept for the digest, which is
   * written in `locale`).
   */
  admit(owner: string, caseId: string, at: Date, limit: number, locale?: Locale): Promise<Admission>;
  /** Digests whose hour ended at or before `now` and that were not sent. */
  pendingDigests(now: Date): Promise<PendingDigest[]>;
  /** Marks the digest sent; false if it already was. */
  markDigestSent(owner: string, hour: string, at: Date): Promise<boolean>;
}

export interface ThresholdStateStore {
  /** ok (or never seen) -> firing; true when this call made the change (so it alerts). */
  fire(surveyId: string, ruleId: string, segment: Segment, condition: Condition, at: Date): Promise<boolean>;
  /** firing -> ok; true when this call made the change. */
  recover(
    surveyId: string,
    ruleId: string,
    segment: Segment,
    condition: Condition,
    at: Date,
  ): Promise<boolean>;
}

export interface PlanStore {
  put(plan: ActionPlan): Promise<void>;
  get(planId: string): Promise<ActionPlan | undefined>;
  list(): Promise<ActionPlan[]>;
}

/**
 * Which reports went out: one claim per address, frequency and period, so an hourly run sends each report once;
 * a send that failed gives its claim back, so the next run tries again.
 */
export interface ReportLedger {
  /** True when this call claimed the report (nobody had). */
  claim(email: string, frequency: ReportFrequency, periodTo: string, at: Date): Promise<boolean>;
  release(email: string, frequency: ReportFrequency, periodTo: string): Promise<void>;
}
