import type { CampaignQueue } from '#invitations/ports.ts';
import type { Mail, Mailer, Notifier, SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import type { CaseStore } from '../ports.ts';
import { caseAlertAttributes } from '../rules/alert-attributes.ts';
import type { Case } from '../rules/case.ts';
import { DEFAULT_SLA, escalationOf } from '../rules/escalation.ts';
import { followUpEvent, ownerToTell } from '../rules/recovery.ts';
import type { Tier } from '../rules/routing.ts';
import { updateCase } from './case-updates.ts';
import { queueFollowUp } from './send-follow-up.ts';

export interface EscalateDeps {
  readonly cases: CaseStore;
  readonly surveys: SurveyStore;
  readonly notifier: Notifier;
  readonly mailer: Mailer;
  /** The campaign queue, where follow-ups that are due go to the senders (see send-follow-up.ts). */
  readonly queue: CampaignQueue;
  /** The email that tells a tier a case reached it (localized, customer text escaped). */
  readonly renderEscalation: (
    c: Case,
    survey: Survey,
    tier: Tier,
  ) => Omit<Mail, 'to'> | Promise<Omit<Mail, 'to'>>;
  /** The email that tells the case's owner that the customer's follow-up answer says they are not recovered. */
  readonly renderNotRecovered: (c: Case, survey: Survey) => Omit<Mail, 'to'>;
}

export interface SweepResult {
  readonly escalated: number;
  readonly notified: number;
  /** Past due at the top tier: nobody left to escalate to. */
  readonly breached: number;
  /** Customers' follow-ups handed to the senders. */
  readonly followUpsQueued: number;
  /** Owners told that their customer is not recovered. */
  readonly notRecoveredTold: number;
}

/** Cases read per query; the sweep queries again while full pages come back. */
const PAGE = 100;
const MAX_PAGES = 50;

/**
 * The escalation sweep (docs/decisions/0002-sla-escalation-sweep.md), as of `now`. Every case past its
 * deadline moves up one tier in one conditional write (two sweeps at once move it once), and the new tier is told
 * by SNS and SES; a tier that was not told because a sweep died after the write is told by the next sweep.
 */
export async function escalateDueCases(deps: EscalateDeps, now: Date): Promise<SweepResult> {
  let escalated = 0;
  let notified = 0;
  let breached = 0;
  let followUpsQueued = 0;
  let notRecoveredTold = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const due = await deps.cases.listDue(now, PAGE);
    for (const c of due) {
      if (c.recovery?.status === 'scheduled' && (c.recovery.dueAt ?? '') <= now.toISOString()) {
        if (await queueFollowUp(deps, c, now)) followUpsQueued++;
        continue;
      }
      if (ownerToTell(c.recovery)) {
        if (await tellNotRecovered(deps, c, now)) notRecoveredTold++;
        continue;
      }
      if ((c.tier ?? 0) > (c.notifiedTier ?? 0)) {
        if (await notifyTier(deps, c, now)) notified++;
        continue;
      }
      const tiers = c.tiers ?? [];
      const state = {
        status: c.status,
        sla: c.sla ?? DEFAULT_SLA,
        tier: c.tier ?? 0,
        ...(c.dueAt ? { dueAt: c.dueAt } : {}),
        ...(c.due ? { due: c.due } : {}),
      };
      const step = escalationOf(state, tiers.length, now);
      const at = now.toISOString();
      if (step.kind === 'top') {
        const { dueAt: _d, due: _due, ...rest } = c;
        const next: Case = {
          ...rest,
          version: (c.version ?? 0) + 1,
          history: [
            ...c.history,
            { at, by: 'pulso', action: 'sla-breached', note: `${step.due} deadline passed at the top tier` },
          ],
        };
        if (await deps.cases.save(next)) breached++;
        continue;
      }
      if (step.kind !== 'escalate') continue;
      const tier = tiers[step.tier] as Tier;
      const next: Case = {
        ...c,
        version: (c.version ?? 0) + 1,
        tier: step.tier,
        dueAt: step.dueAt,
        due: step.due,
        escalatedAt: at,
        owner: {
          segment: c.owner?.segment ?? '*',
          email: tier.email,
          ...(tier.name ? { name: tier.name } : {}),
          ...(tier.locale ? { locale: tier.locale } : {}),
        },
        history: [
          ...c.history,
          {
            at,
            by: 'pulso',
            action: 'escalated',
            tier: step.tier,
            note: `${step.due === 'acknowledge' ? 'not acknowledged' : 'not resolved'} in time: to ${tier.role}`,
          },
        ],
      };
      if (!(await deps.cases.save(next))) continue;
      escalated++;
      if (await notifyTier(deps, next, now)) notified++;
    }
    if (due.length < PAGE) break;
  }
  return { escalated, notified, breached, followUpsQueued, notRecoveredTold };
}

/** Tells the case's current tier, then records it (once). */
async function notifyTier(deps: EscalateDeps, c: Case, now: Date): Promise<boolean> {
  const tier = c.tiers?.[c.tier];
  const survey = await deps.surveys.get(c.surveyId);
  if (!tier || !survey) return deps.cases.markTierNotified(c, now.toISOString());
  const email = await deps.renderEscalation(c, survey, tier);
  await tell(deps, tier.email, email, caseAlertAttributes(c, 'escalated'));
  return deps.cases.markTierNotified(c, now.toISOString());
}

/**
 * The customer answered the follow-up with 1 to 3: the case's owner hears of it (SNS and email), so they can reopen
 * the case. Told, then recorded: a sweep that dies in between tells them twice, never not at all.
 */
async function tellNotRecovered(deps: EscalateDeps, c: Case, now: Date): Promise<boolean> {
  const survey = await deps.surveys.get(c.surveyId);
  if (c.owner && survey)
    await tell(deps, c.owner.email, deps.renderNotRecovered(c, survey), {
      surveyId: c.surveyId,
      caseId: c.caseId,
      severity: c.severity,
      event: 'not-recovered',
      ownerEmail: c.owner.email,
      score: String(c.recovery?.score ?? ''),
    });
  const saved = await updateCase(deps.cases, c.caseId, (current) =>
    ownerToTell(current.recovery) && current.recovery
      ? {
          ...current,
          recovery: { ...current.recovery, ownerToldAt: now.toISOString() },
          history: [
            ...current.history,
            followUpEvent(
              now.toISOString(),
              'pulso',
              `${c.owner?.email ?? 'nobody'} told that the customer is not recovered`,
            ),
          ],
        }
      : null,
  );
  return saved !== null;
}

/** One email, to one person, and the same on the SNS alerts topic with attributes to filter on. */
async function tell(
  deps: Pick<EscalateDeps, 'notifier' | 'mailer'>,
  to: string,
  email: Omit<Mail, 'to'>,
  attributes: Readonly<Record<string, string>>,
): Promise<void> {
  await deps.notifier.publish({ subject: email.subject, message: email.text, attributes });
  await deps.mailer.send({ to, ...email });
}
