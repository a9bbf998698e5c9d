import type { Mailer, Notifier } from '#kernel/ports.ts';
import type { AlertBudgetStore } from '../ports.ts';
import { type DigestEmailInput, digestCount } from '../rules/digests.ts';

export interface DigestDeps {
  readonly budget: AlertBudgetStore;
  readonly mailer: Mailer;
  readonly notifier: Notifier;
  /** Link to a case for the digest (the admin API or a dashboard). */
  readonly caseUrl: (caseId: string) => string;
  /** Link to the list of cases, for those a digest counts without listing them. */
  readonly casesUrl?: string;
  /** The digest email in the owner's language (views/digest-email.ts). */
  readonly render: (input: DigestEmailInput) => { subject: string; html: string; text: string };
}

/** Sends the digests of hours that are over, one email and one SNS message each. */
export async function sendDigests(deps: DigestDeps, now: Date): Promise<number> {
  let sent = 0;
  for (const digest of await deps.budget.pendingDigests(now)) {
    const count = digestCount(digest);
    if (count === 0) continue;
    const { subject, html, text } = deps.render({
      locale: digest.locale ?? 'en',
      hour: digest.hour,
      cases: digest.caseIds.map((caseId) => ({ caseId, url: deps.caseUrl(caseId) })),
      more: digest.more,
      ...(deps.casesUrl ? { listUrl: deps.casesUrl } : {}),
    });
    // Marked first: a digest is better lost than sent twice in a storm; the cases stay listed in the API.
    if (!(await deps.budget.markDigestSent(digest.owner, digest.hour, now))) continue;
    await deps.mailer.send({ to: digest.owner, subject, html, text });
    await deps.notifier.publish({
      subject,
      message: text,
      attributes: { event: 'digest', ownerEmail: digest.owner, count: String(count) },
    });
    sent++;
  }
  return sent;
}
