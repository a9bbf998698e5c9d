import type { Mailer, Notifier } from '#ports/index.ts';
import type { Locale } from './survey.ts';

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

/** The hour an instant falls in, `YYYY-MM-DDTHH:00:00.000Z`. */
export const hourOf = (at: Date) => `${at.toISOString().slice(0, 13)}:00:00.000Z`;

export interface DigestDeps {
  readonly budget: AlertBudgetStore;
  readonly mailer: Mailer;
  readonly notifier: Notifier;
  /** Link to a case for the digest (the admin API or a dashboard). */
  readonly caseUrl: (caseId: string) => string;
  /** The digest email in the owner's language (views/digest-email.ts). */
  readonly render: (input: DigestEmailInput) => { subject: string; html: string; text: string };
}

export interface DigestEmailInput {
  readonly locale: Locale;
  /** Start of the hour, ISO. */
  readonly hour: string;
  readonly cases: ReadonlyArray<{ readonly caseId: string; readonly url: string }>;
}

/** Sends the digests of hours that are over, one email and one SNS message each. */
export async function sendDigests(deps: DigestDeps, now: Date): Promise<number> {
  let sent = 0;
  for (const digest of await deps.budget.pendingDigests(now)) {
    if (digest.caseIds.length === 0) continue;
    const { subject, html, text } = deps.render({
      locale: digest.locale ?? 'en',
      hour: digest.hour,
      cases: digest.caseIds.map((caseId) => ({ caseId, url: deps.caseUrl(caseId) })),
    });
    // Marked first: a digest is better lost than sent twice in a storm; the cases stay listed in the API.
    if (!(await deps.budget.markDigestSent(digest.owner, digest.hour, now))) continue;
    await deps.mailer.send({ to: digest.owner, subject, html, text });
    await deps.notifier.publish({
      subject,
      message: text,
      attributes: { event: 'digest', ownerEmail: digest.owner, count: String(digest.caseIds.length) },
    });
    sent++;
  }
  return sent;
}
