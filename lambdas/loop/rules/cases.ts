import { createHash } from 'node:crypto';
import type { Answer, Interaction, ResponseRecord } from '#capture/rules/response.ts';
import { keywordFound } from '#insight/rules/themes.ts';
import { InvalidStateError } from '#kernel/errors.ts';
import { alertRulesOf, type Owner, type Survey } from '#kernel/survey.ts';
import type { Case, RuleHit, Severity } from './case.ts';
import { DEFAULT_SLA, deadlineAfterAcknowledge, openingDeadline, slaOf } from './escalation.ts';
import { cancelFollowUp, ownerToTell, requestFollowUp } from './recovery.ts';
import type { Tier } from './routing.ts';

const SEVERITY_ORDER: Record<Severity, number> = { low: 0, medium: 1, high: 2 };

export function evaluateRules(survey: Survey, response: ResponseRecord): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const rule of alertRulesOf(survey)) {
    const hit = (questionId: string, answer: Answer) =>
      hits.push({ ruleId: rule.id, questionId, answer, severity: rule.severity });
    if (rule.type === 'answer') {
      const answer = response.answers[rule.questionId];
      if (typeof answer !== 'number') continue;
      if (rule.op === 'lte' ? answer <= rule.value : answer >= rule.value) hit(rule.questionId, answer);
    } else if (rule.type === 'attribute') {
      const value = response.attributes[rule.key];
      if (value !== undefined && rule.values.includes(value)) hit(rule.key, value);
    } else {
      const texts = survey.questions.filter(
        (q) => q.type === 'text' && (rule.questionId === undefined || q.id === rule.questionId),
      );
      for (const q of texts) {
        const text = response.answers[q.id];
        const word = typeof text === 'string' ? keywordFound(text, rule.words, response.locale) : undefined;
        if (word) {
          hit(q.id, word);
          break;
        }
      }
    }
  }
  return hits;
}

/** The owner of the first matching `key:value` entry, else the `*` entry. */
export function ownerFor(survey: Survey, attributes: Readonly<Record<string, string>>): Owner | undefined {
  for (const owner of survey.owners) {
    const colon = owner.segment.indexOf(':');
    if (colon > 0 && attributes[owner.segment.slice(0, colon)] === owner.segment.slice(colon + 1))
      return owner;
  }
  return survey.owners.find((o) => o.segment === '*');
}

/** Deterministic, so a re-delivered record finds the case it already opened. */
export function caseIdOf(surveyId: string, submissionId: string): string {
  return createHash('sha256').update(`${surveyId}\n${submissionId}`).digest('base64url').slice(0, 20);
}

const linkOf = ({ id, vendor, url }: Interaction) => ({
  id,
  ...(vendor ? { vendor } : {}),
  ...(url ? { url } : {}),
});

export function openCase(
  survey: Survey,
  response: ResponseRecord,
  hits: readonly RuleHit[],
  now: Date,
  routedTiers: readonly Tier[] = [],
): Case {
  const severity = hits.reduce<Severity>(
    (s, h) => (SEVERITY_ORDER[h.severity] > SEVERITY_ORDER[s] ? h.severity : s),
    'low',
  );
  // The routing table's tiers; else the survey's owner alone (no one to escalate to).
  const fallback = ownerFor(survey, response.attributes);
  const tiers: Tier[] =
    routedTiers.length > 0
      ? [...routedTiers]
      : fallback
        ? [
            {
              role: 'Owner',
              email: fallback.email,
              ...(fallback.name ? { name: fallback.name } : {}),
              ...(fallback.locale ? { locale: fallback.locale } : {}),
            },
          ]
        : [];
  const first = tiers[0];
  const owner: Owner | undefined = first
    ? {
        segment: fallback?.segment ?? '*',
        email: first.email,
        ...(first.name ? { name: first.name } : {}),
        ...(first.locale ? { locale: first.locale } : {}),
      }
    : undefined;
  const rules = alertRulesOf(survey).filter((r) => hits.some((h) => h.ruleId === r.id));
  const sla = slaOf(rules);
  return {
    caseId: caseIdOf(survey.id, response.submissionId),
    surveyId: survey.id,
    submissionId: response.submissionId,
    status: 'open',
    severity,
    hits: [...hits],
    answers: response.answers,
    segment: response.attributes,
    ...(response.interaction ? { interaction: linkOf(response.interaction) } : {}),
    locale: response.locale,
    ...(owner ? { owner } : {}),
    openedAt: now.toISOString(),
    sla,
    tiers,
    tier: 0,
    // A case nobody can be told about has no deadline to watch.
    ...(first ? openingDeadline(sla, now) : {}),
    history: [{ at: now.toISOString(), by: 'pulso', action: 'opened' }],
  };
}

export function acknowledge(c: Case, by: string, now: Date): Case {
  if (c.status !== 'open')
    throw new InvalidStateError(`The case is ${c.status}; only an open case can be acknowledged.`);
  const at = now.toISOString();
  // Acknowledging stops the acknowledgement escalation; the resolution deadline applies from now on.
  const deadline = c.tiers?.length ? deadlineAfterAcknowledge(c.sla ?? DEFAULT_SLA, c.openedAt, now) : {};
  return {
    ...c,
    status: 'acknowledged',
    acknowledgedAt: at,
    acknowledgedBy: by,
    ...deadline,
    history: [...c.history, { at, by, action: 'acknowledged' }],
  };
}

export interface Resolution {
  readonly note: string;
  readonly rootCause: string;
  readonly customerContacted: boolean;
  /** Ask the customer how it went, this many hours after resolving (see recovery.ts); absent: no follow-up. */
  readonly followUpAfterHours?: number;
}

export function resolve(c: Case, by: string, resolution: Resolution, now: Date): Case {
  if (c.status === 'resolved' || c.status === 'closed')
    throw new InvalidStateError(`The case is already ${c.status}.`);
  const at = now.toISOString();
  const { dueAt: _d, due: _due, ...acknowledged } = c.status === 'open' ? acknowledge(c, by, now) : c;
  const resolved: Case = {
    ...acknowledged,
    status: 'resolved',
    resolvedAt: at,
    resolvedBy: by,
    resolutionNote: resolution.note,
    rootCause: resolution.rootCause,
    customerContacted: resolution.customerContacted,
    history: [
      ...acknowledged.history,
      {
        at,
        by,
        action: 'resolved',
        note: `${resolution.note} [root cause: ${resolution.rootCause}; customer contacted: ${resolution.customerContacted ? 'yes' : 'no'}]`,
      },
    ],
  };
  return resolution.followUpAfterHours === undefined
    ? resolved
    : requestFollowUp(resolved, by, resolution.followUpAfterHours, now);
}

/** After a check that the fix held: a closed case leaves every list of work to do. */
export function close(c: Case, by: string, now: Date): Case {
  if (c.status !== 'resolved')
    throw new InvalidStateError(`The case is ${c.status}; only a resolved case can be closed.`);
  const at = now.toISOString();
  return {
    ...c,
    status: 'closed',
    closedAt: at,
    closedBy: by,
    history: [...c.history, { at, by, action: 'closed' }],
  };
}

/**
 * A resolved or closed case comes back (the customer wrote again, the fix did not hold): open again with the tier
 * it ended with, and a fresh acknowledgement deadline.
 */
export function reopen(c: Case, by: string, reason: string, now: Date): Case {
  if (c.status !== 'resolved' && c.status !== 'closed')
    throw new InvalidStateError(`The case is ${c.status}; only a resolved or closed case can be reopened.`);
  const at = now.toISOString();
  const {
    acknowledgedAt: _a,
    acknowledgedBy: _b,
    resolvedAt: _r,
    resolvedBy: _s,
    closedAt: _c,
    closedBy: _d,
    ...rest
  } = c;
  const sla = c.sla ?? DEFAULT_SLA;
  return cancelFollowUp(
    {
      ...rest,
      status: 'open',
      ...(c.tiers?.length ? openingDeadline(sla, now) : {}),
      history: [...c.history, { at, by, action: 'reopened', note: reason }],
    },
    now,
  );
}

export function assign(c: Case, by: string, assignee: string, now: Date): Case {
  if (c.status === 'closed') throw new InvalidStateError('The case is closed; reopen it first.');
  const at = now.toISOString();
  return { ...c, assignee, history: [...c.history, { at, by, action: 'assigned', note: assignee }] };
}

/** A note for the record (a call made, a refund issued); the history is the audit trail. */
export function comment(c: Case, by: string, text: string, now: Date): Case {
  const at = now.toISOString();
  return { ...c, history: [...c.history, { at, by, action: 'commented', note: text }] };
}

/**
 * When the case next needs the escalation sweep: at once (from its escalation) while its tier has not been told,
 * else at its deadline; never once nothing is due. The due index is kept by this rule.
 */
export function nextDueAt(c: Case): string | undefined {
  const untold = (c.tier ?? 0) > (c.notifiedTier ?? 0) && c.escalatedAt;
  const escalation = untold ? c.escalatedAt : c.dueAt;
  // A resolved case has no deadline left; its follow-up to the customer may still be due, or the news that the
  // customer is not recovered.
  const followUp = c.recovery?.status === 'scheduled' ? c.recovery.dueAt : ownerToTell(c.recovery);
  if (!escalation || !followUp) return escalation ?? followUp;
  return escalation < followUp ? escalation : followUp;
}
