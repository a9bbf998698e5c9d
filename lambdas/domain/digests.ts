import type { Mailer, Notifier } from '#ports/index.ts';

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
}

export interface AlertBudgetStore {
  /** Counts the case in the owner's hour; `digest` past the limit (the case is then kept for the digest). */
  admit(owner: string, caseId: string, at: Date, limit: number): Promise<Admission>;
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
}

/** Sends the digests of hours that are over, one email and one SNS message each. */
export async function sendDigests(deps: DigestDeps, now: Date): Promise<number> {
  let sent = 0;
  for (const digest of await deps.budget.pendingDigests(now)) {
    if (digest.caseIds.length === 0) continue;
    const from = digest.hour.slice(0, 16).replace('T', ' ');
    const subject = `${digest.caseIds.length} more cases for you in the hour from ${from} UTC`;
    const lines = digest.caseIds.map((id) => `- ${deps.caseUrl(id)}`);
    const text = [
      `More bad experiences reached you in the hour from ${from} UTC than one email each would serve.`,
      'Here they are in one list; each case escalates on its own SLA as usual.',
      '',
      ...lines,
    ].join('\n');
    const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:system-ui,sans-serif"><p>${escapeHtml(text.split('\n')[0] ?? '')}</p><ul>${digest.caseIds
      .map((id) => `<li><a href="${escapeHtml(deps.caseUrl(id))}">${escapeHtml(id)}</a></li>`)
      .join('')}</ul></body></html>`;
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
