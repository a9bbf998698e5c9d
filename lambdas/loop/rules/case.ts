import type { Answer, Interaction } from '#capture/rules/response.ts';
import type { AlertRule, Locale, Owner } from '#kernel/survey.ts';
import type { Sla } from './escalation.ts';
import type { Tier } from './routing.ts';

export type Severity = AlertRule['severity'];

export type CaseStatus = 'open' | 'acknowledged' | 'resolved' | 'closed';

/** Why it happened, for the action plans: a short category the team chooses (`staffing`, `product-defect`...). */
export const ROOT_CAUSE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface RuleHit {
  readonly ruleId: string;
  /** The question (or, for an attribute rule, the attribute key) that fired. */
  readonly questionId: string;
  /** The score, the word found in the comment, or the attribute value. */
  readonly answer: Answer;
  readonly severity: Severity;
}

export interface CaseEvent {
  readonly at: string;
  readonly by: string;
  readonly action:
    | 'opened'
    | 'notified'
    | 'acknowledged'
    | 'assigned'
    | 'commented'
    | 'resolved'
    | 'closed'
    | 'reopened'
    | 'escalated'
    | 'sla-breached'
    /** The customer's follow-up after resolution: scheduled, sent, skipped, answered (see recovery.ts). */
    | 'follow-up';
  readonly note?: string;
  /** For `escalated`: the tier the case moved to (0 is the first). */
  readonly tier?: number;
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
  /** The ticket, call or chat the answer was about, with a link back to it in the vendor's tool. */
  readonly interaction?: Pick<Interaction, 'id' | 'vendor' | 'url'>;
  readonly locale: Locale;
  readonly owner?: Owner;
  readonly openedAt: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: string;
  readonly resolvedAt?: string;
  readonly resolvedBy?: string;
  readonly resolutionNote?: string;
  /** Root-cause category given at resolution. */
  readonly rootCause?: string;
  /** Whether someone spoke to the customer before resolving. */
  readonly customerContacted?: boolean;
  /** Who works on it now (an email or a name), when someone took it. */
  readonly assignee?: string;
  readonly closedAt?: string;
  readonly closedBy?: string;
  /** When the owner was told (SNS and email); absent until then. */
  readonly notifiedAt?: string;
  /** The SLA of the strictest rule the response broke. */
  readonly sla: Sla;
  /** The tiers of the case's route when it opened (routing table, else the survey's owner); may be empty. */
  readonly tiers: readonly Tier[];
  /** The tier responsible now: 0 is the first. */
  readonly tier: number;
  /** The highest tier told so far (tier 0 by the alerter, the others by the escalation sweep). */
  readonly notifiedTier?: number;
  /** The deadline that applies now, and which one it is; absent once nothing is due. */
  readonly dueAt?: string;
  readonly due?: 'acknowledge' | 'resolve';
  /** When the last escalation happened (the sweep tells the new tier from then on until it is told). */
  readonly escalatedAt?: string;
  /** The customer's one-question follow-up after resolution, when one was asked for (see recovery.ts). */
  readonly recovery?: Recovery;
  readonly history: readonly CaseEvent[];
  /** Bumped by every change, so concurrent changes never overwrite one another (absent: 0). */
  readonly version?: number;
}

/**
 * Recovery: after a case is resolved, the customer may get one question about how it was handled (a
 * CSAT-style 1-5 scale); a 4 or 5 counts the customer as recovered. The follow-up goes out only to a customer
 * Pulso can reach (the answer came through an invitation, the contact exists and is not suppressed) and only if
 * the fatigue rule allows it: nobody else surveyed the customer since (the fatigue claim is free, or still the
 * one of the invitation they answered). One follow-up per case, ever.
 *
 * scheduled (due after the delay) -> queued (the sweep put it on the campaign queue) -> sending (leased) -> sent
 * -> answered; or skipped (with the reason), failed (the provider refused it), unknown (a sender died while
 * sending: it is never sent again), cancelled (the case was reopened before it went out).
 */
export type RecoveryStatus =
  | 'scheduled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'answered'
  | 'skipped'
  | 'failed'
  | 'unknown'
  | 'cancelled';

/** Why a follow-up was not sent. */
export type SkipReason =
  | 'no-contact'
  | 'contact-erased'
  | 'no-address'
  | 'unsubscribed'
  | 'bounced'
  | 'complained'
  | 'do-not-contact'
  | 'erased'
  | 'resting';

export interface Recovery {
  readonly status: RecoveryStatus;
  /** Who asked for it (the person resolving) and when. */
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** When it goes out (scheduled). */
  readonly dueAt?: string;
  readonly queuedAt?: string;
  /** A send that is not finished by then died half way (sending). */
  readonly leaseUntil?: string;
  readonly channel?: 'email' | 'sms';
  readonly sentAt?: string;
  /** SES events of the follow-up email (see delivery-events.ts). */
  readonly deliveredAt?: string;
  readonly bouncedAt?: string;
  readonly complainedAt?: string;
  readonly reason?: SkipReason | string;
  readonly answeredAt?: string;
  /** 1 (very unsatisfied) to 5 (very satisfied). */
  readonly score?: number;
  /** A 4 or a 5. */
  readonly recovered?: boolean;
  /** When the case's owner was told that the customer is not recovered (by the sweep). */
  readonly ownerToldAt?: string;
}
