import type { Locale } from '#kernel/survey.ts';

/**
 * A digest instead of a storm: an owner gets at most `limit` case emails (and SNS alerts) an hour; the cases after
 * that in the same hour are listed in one digest once the hour is over. Each case is counted once per owner and
 * hour (a set of case ids), so a retried alert does not use up the budget.
 */
export const DEFAULT_ALERTS_PER_OWNER_HOUR = 10;

export type Admission = 'send' | 'digest';

export interface PendingDigest {
  readonly owner: string;
  /** Start of the hour, ISO. */
  readonly hour: string;
  readonly caseIds: readonly string[];
  /** The owner's language, as the alerts of the hour gave it. */
  readonly locale?: Locale;
}

/** The hour an instant falls in, `YYYY-MM-DDTHH:00:00.000Z`. */
export const hourOf = (at: Date) => `${at.toISOString().slice(0, 13)}:00:00.000Z`;

export interface DigestEmailInput {
  readonly locale: Locale;
  /** Start of the hour, ISO. */
  readonly hour: string;
  readonly cases: ReadonlyArray<{ readonly caseId: string; readonly url: string }>;
}
