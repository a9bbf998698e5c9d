import type { Locale } from '#kernel/survey.ts';

/**
 * A digest instead of a storm: an owner gets at most `limit` case emails (and SNS alerts) an hour; the cases after
 * that in the same hour go in one digest once the hour is over. The cases sent one by one are kept (a set of at
 * most `limit` ids), so a retried alert of a sent case is sent again rather than using up the budget.
 */
export const DEFAULT_ALERTS_PER_OWNER_HOUR = 10;

/**
 * The digest lists the first 20 cases of the hour past the budget and counts the others ("and 480 more cases",
 * with a link to the case list): an email listing thousands of cases helps nobody, and a bounded list keeps the
 * owner's hour in one item under 1 KB, so each write of an admit costs one write unit whatever the hour's volume
 * (adapters/dynamodb/alert-budget.ts has the arithmetic; 25 listed would pass 1 KB with a 25-character email).
 */
export const DIGEST_LISTED = 20;

export type Admission = 'send' | 'digest';

export interface PendingDigest {
  readonly owner: string;
  /** Start of the hour, ISO. */
  readonly hour: string;
  /** The first cases past the budget, at most DIGEST_LISTED of them. */
  readonly caseIds: readonly string[];
  /**
   * How many more cases went past the budget, beyond those listed. An alert retried after it was counted here
   * and before its case was marked notified is counted again (a crash in that window), so this may be a little
   * high, never low.
   */
  readonly more: number;
  /** The owner's language, as the alerts of the hour gave it. */
  readonly locale?: Locale;
}

/** Every case of the digest, listed or not. */
export const digestCount = (d: Pick<PendingDigest, 'caseIds' | 'more'>) => d.caseIds.length + d.more;

/** The hour an instant falls in, `YYYY-MM-DDTHH:00:00.000Z`. */
export const hourOf = (at: Date) => `${at.toISOString().slice(0, 13)}:00:00.000Z`;

export interface DigestEmailInput {
  readonly locale: Locale;
  /** Start of the hour, ISO. */
  readonly hour: string;
  /** The cases listed one by one. */
  readonly cases: ReadonlyArray<{ readonly caseId: string; readonly url: string }>;
  /** The cases counted but not listed. */
  readonly more: number;
  /** Where every case can be seen, linked when some are not listed. */
  readonly listUrl?: string;
}
