import { createHash } from 'node:crypto';
import { InvalidStateError } from './errors.ts';
import type { Answer, ResponseRecord } from './response.ts';
import { type AlertRule, alertRulesOf, type Locale, type Owner, type Survey } from './survey.ts';

export type Severity = AlertRule['severity'];
export type CaseStatus = 'open' | 'acknowledged' | 'resolved';

export interface RuleHit {
  readonly ruleId: string;
  readonly questionId: string;
  readonly answer: number;
  readonly severity: Severity;
}

export interface CaseEvent {
  readonly at: string;
  readonly by: string;
  readonly action: 'opened' | 'notified' | 'acknowledged' | 'resolved';
  readonly note?: string;
}

/** A bad experience that someone must act on. One per response, whatever the number of rules it breaks. */
export interface Case {
  readonly caseId: string;
  readonly surveyId: string;
  readonly submissionId: string;
  readonly status: CaseStatus;
  readonly severity: Severity;
  readonly hits: readonly RuleHit[];
  readonly answers: Readonly<Record<string, Answer>>;
  readonly segment: Readonly<Record<string, string>>;
  readonly locale: Locale;
  readonly owner?: Owner;
  readonly openedAt: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: string;
  readonly resolvedAt?: string;
  readonly resolvedBy?: string;
  readonly resolutionNote?: string;
  /** When the owner was told (SNS and email); absent until then. */
  readonly notifiedAt?: string;
  readonly history: readonly CaseEvent[];
}

const SEVERITY_ORDER: Record<Severity, number> = { low: 0, medium: 1, high: 2 };

export function evaluateRules(survey: Survey, response: ResponseRecord): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const rule of alertRulesOf(survey)) {
    const answer = response.answers[rule.questionId];
    if (typeof answer !== 'number') continue;
    const fires = rule.op === 'lte' ? answer <= rule.value : answer >= rule.value;
    if (fires) hits.push({ ruleId: rule.id, questionId: rule.questionId, answer, severity: rule.severity });
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

export function openCase(
  survey: Survey,
  response: ResponseRecord,
  hits: readonly RuleHit[],
  now: Date,
): Case {
  const severity = hits.reduce<Severity>(
    (s, h) => (SEVERITY_ORDER[h.severity] > SEVERITY_ORDER[s] ? h.severity : s),
    'low',
  );
  const owner = ownerFor(survey, response.attributes);
  return {
    caseId: caseIdOf(survey.id, response.submissionId),
    surveyId: survey.id,
    submissionId: response.submissionId,
    status: 'open',
    severity,
    hits: [...hits],
    answers: response.answers,
    segment: response.attributes,
    locale: response.locale,
    ...(owner ? { owner } : {}),
    openedAt: now.toISOString(),
    history: [{ at: now.toISOString(), by: 'pulso', action: 'opened' }],
  };
}

export function acknowledge(c: Case, by: string, now: Date): Case {
  if (c.status !== 'open')
    throw new InvalidStateError(`The case is ${c.status}; only an open case can be acknowledged.`);
  const at = now.toISOString();
  return {
    ...c,
    status: 'acknowledged',
    acknowledgedAt: at,
    acknowledgedBy: by,
    history: [...c.history, { at, by, action: 'acknowledged' }],
  };
}

export function resolve(c: Case, by: string, note: string, now: Date): Case {
  if (c.status === 'resolved') throw new InvalidStateError('The case is already resolved.');
  const at = now.toISOString();
  const acknowledged = c.status === 'open' ? acknowledge(c, by, now) : c;
  return {
    ...acknowledged,
    status: 'resolved',
    resolvedAt: at,
    resolvedBy: by,
    resolutionNote: note,
    history: [...acknowledged.history, { at, by, action: 'resolved', note }],
  };
}
