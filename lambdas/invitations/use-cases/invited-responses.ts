import type { CommentAnalyzer, InvitedAnswers, ResponseStore } from '#capture/ports.ts';
import { type RecordResponseResult, recordResponse } from '#capture/use-cases/record-response.ts';
import { ConflictError, ExpiredError, RefusedError } from '#kernel/errors.ts';
import type { SigningKeyStore, SurveyStore } from '#kernel/ports.ts';
import type { Locale } from '#kernel/survey.ts';
import type { InvitationStore, SuppressionStore } from '../ports.ts';
import { type Invitation, parseInvitationId } from '../rules/campaigns.ts';
import { invitationSubmissionId, verifyInvitation } from '../rules/invitations.ts';
import { INVITATION_KEY } from './send-invitations.ts';

/**
 * The survey page opened from an invitation (`?t=<token>`): the token names the invitation, whose segment
 * attributes become the response's, and whose id becomes its submission id, so the link answers once.
 */
export interface InvitedDeps {
  readonly surveys: SurveyStore;
  readonly responses: ResponseStore;
  readonly analyzer: CommentAnalyzer;
  readonly invitations: InvitationStore;
  readonly signingKeys: SigningKeyStore;
}

/**
 * Verifies the token and finds its invitation. A forged, mangled or other survey's token is refused (403); an
 * expired one is gone (410). `allowExpired` serves unsubscribing, which must work long after the survey closed.
 */
export async function invitationOfToken(
  deps: Pick<InvitedDeps, 'signingKeys' | 'invitations'>,
  surveyId: string,
  token: string,
  now: Date,
  allowExpired = false,
): Promise<Invitation> {
  const check = verifyInvitation(await deps.signingKeys.get(INVITATION_KEY), token, surveyId, now);
  if (!check.ok && !(allowExpired && check.reason === 'expired')) {
    if (check.reason === 'expired') throw new ExpiredError('This invitation link has expired.');
    throw new RefusedError(`This invitation link is not valid (${check.reason}).`);
  }
  const inv = check.ok ? check.claims.inv : expiredInvitationId(token);
  const ids = inv ? parseInvitationId(inv) : null;
  const invitation = ids ? await deps.invitations.get(ids.campaignId, ids.contactId) : undefined;
  if (!invitation || invitation.surveyId !== surveyId)
    throw new RefusedError('This invitation link is not valid (no such invitation).');
  return invitation;
}

/** The invitation id of a token whose signature was verified and which has only expired. */
function expiredInvitationId(token: string): string | undefined {
  try {
    const [inv] = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return typeof inv === 'string' ? inv : undefined;
  } catch {
    return undefined;
  }
}

export type OpenedInvitation =
  | { readonly status: 'open'; readonly invitation: Invitation }
  | { readonly status: 'answered'; readonly invitation: Invitation };

/** GET with a token: the first view is counted as `opened`; an answered invitation says so. */
export async function openInvitation(
  deps: InvitedDeps,
  surveyId: string,
  token: string,
  now: Date,
): Promise<OpenedInvitation> {
  const invitation = await invitationOfToken(deps, surveyId, token, now);
  const answered = await deps.responses.get(surveyId, invitationSubmissionId(invitation.invitationId));
  if (answered) return { status: 'answered', invitation };
  if (!invitation.openedAt)
    await deps.invitations.milestone(invitation.campaignId, invitation.contactId, 'opened', now);
  return { status: 'open', invitation };
}

export type InvitedAnswer =
  | { readonly status: 'recorded'; readonly result: RecordResponseResult }
  /** The link was used for other answers already: nothing is stored or counted. */
  | { readonly status: 'answered' };

/** POST with a token: the first post is counted as `started`; answers are recorded once per invitation. */
export async function answerInvitation(
  deps: InvitedDeps & { readonly clock: { now(): Date } },
  input: {
    readonly surveyId: string;
    readonly token: string;
    readonly answers: Readonly<Record<string, string>>;
    readonly locale: Locale;
  },
): Promise<InvitedAnswer> {
  const now = deps.clock.now();
  const invitation = await invitationOfToken(deps, input.surveyId, input.token, now);
  if (!invitation.startedAt)
    await deps.invitations.milestone(invitation.campaignId, invitation.contactId, 'started', now);
  try {
    const result = await recordResponse(deps, {
      surveyId: input.surveyId,
      submissionId: invitationSubmissionId(invitation.invitationId),
      answers: input.answers,
      attributes: invitation.segments,
      locale: input.locale,
      capturedVia: 'web',
      campaignId: invitation.campaignId,
    });
    return { status: 'recorded', result };
  } catch (err) {
    if (err instanceof ConflictError) return { status: 'answered' };
    throw err;
  }
}

/** The unsubscribe link (and one-click List-Unsubscribe POST): the contact is never invited again. */
export async function unsubscribe(
  deps: Pick<InvitedDeps, 'signingKeys' | 'invitations'> & { readonly suppressions: SuppressionStore },
  surveyId: string,
  token: string,
  now: Date,
): Promise<void> {
  const invitation = await invitationOfToken(deps, surveyId, token, now, true);
  await deps.suppressions.suppress(invitation.contactId, 'unsubscribed', now);
  await deps.invitations.milestone(invitation.campaignId, invitation.contactId, 'unsubscribed', now);
}

/** The survey page's view of invitation links (capture's InvitedAnswers port), over these use cases. */
export function invitedAnswers(deps: InvitedDeps & { readonly clock: { now(): Date } }): InvitedAnswers {
  return {
    open: async (surveyId, token) => {
      const opened = await openInvitation(deps, surveyId, token, deps.clock.now());
      return opened.status === 'answered'
        ? { status: 'answered' }
        : { status: 'open', submissionId: invitationSubmissionId(opened.invitation.invitationId) };
    },
    answer: async (input) => ({ status: (await answerInvitation(deps, input)).status }),
  };
}
