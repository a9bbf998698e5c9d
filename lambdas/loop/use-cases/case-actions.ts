import { NotFoundError, ValidationError } from '#kernel/errors.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import { DEFAULT_RECOVERY } from '#kernel/survey.ts';
import { SEES_ALL, seesAttributes, type Visibility } from '#kernel/visibility.ts';
import type { CaseQuery, CaseStore } from '../ports.ts';
import { type Case, ROOT_CAUSE_PATTERN } from '../rules/case.ts';
import { acknowledge, assign, close, comment, type Resolution, reopen, resolve } from '../rules/cases.ts';
import { updateCase } from './case-updates.ts';

export interface CaseActionDeps {
  readonly cases: CaseStore;
  readonly clock: Clock;
  /** For the survey's recovery settings when a case is resolved. */
  readonly surveys?: SurveyStore;
  /**
   * The places the caller may see: a case of another place is, to them, no case at all (404, whether they read
   * it, act on it or guess its id). @default every place
   */
  readonly visibility?: Visibility;
}

/** Whether the caller may see a case, by the places its answer names. */
const visible = (deps: CaseActionDeps, c: Case) => seesAttributes(deps.visibility ?? SEES_ALL, c.segment);

const notFound = (caseId: string) => () => new NotFoundError(`There is no case "${caseId}".`);

/** Applies `change` to the stored case, read again and changed again if someone changed it meanwhile. */
async function transition(
  deps: CaseActionDeps,
  caseId: string,
  change: (c: Case) => Case | Promise<Case>,
): Promise<Case> {
  const next = await updateCase(
    deps.cases,
    caseId,
    (c) => {
      if (!visible(deps, c)) throw notFound(caseId)();
      return change(c);
    },
    {
      attempts: 3,
      missing: notFound(caseId),
      conflict: 'The case keeps changing while you act on it; reload it and try again.',
    },
  );
  // Never null: a missing case throws, and every change answers a case.
  return next as Case;
}

export async function acknowledgeCase(deps: CaseActionDeps, caseId: string, by: string): Promise<Case> {
  return transition(deps, caseId, (c) => acknowledge(c, by, deps.clock.now()));
}

export interface ResolveInput extends Omit<Resolution, 'followUpAfterHours'> {
  /** Ask the customer how it went (see recovery.ts); absent: as the survey's `recovery.followUp` says. */
  readonly followUp?: boolean;
}

export async function resolveCase(
  deps: CaseActionDeps,
  caseId: string,
  by: string,
  input: ResolveInput,
): Promise<Case> {
  const { followUp, ...resolution } = input;
  const errors = [];
  if (resolution.note.trim().length < 3)
    errors.push({ field: 'note', code: 'required', message: 'say what was done (at least 3 characters)' });
  if (!ROOT_CAUSE_PATTERN.test(resolution.rootCause))
    errors.push({
      field: 'rootCause',
      code: 'invalid',
      message: 'a short category: lower case, digits and "-"',
    });
  if (errors.length > 0) throw new ValidationError('The resolution is incomplete.', errors);
  const clean: Resolution = { ...resolution, note: resolution.note.trim() };
  return transition(deps, caseId, async (c) => {
    const recovery = (await deps.surveys?.get(c.surveyId))?.recovery ?? DEFAULT_RECOVERY;
    const asked = (followUp ?? recovery.followUp) ? { followUpAfterHours: recovery.delayHours } : {};
    return resolve(c, by, { ...clean, ...asked }, deps.clock.now());
  });
}

export async function closeCase(deps: CaseActionDeps, caseId: string, by: string): Promise<Case> {
  return transition(deps, caseId, (c) => close(c, by, deps.clock.now()));
}

export async function reopenCase(
  deps: CaseActionDeps,
  caseId: string,
  by: string,
  reason: string,
): Promise<Case> {
  if (reason.trim().length < 3)
    throw new ValidationError('Say why the case is reopened.', [
      { field: 'reason', code: 'required', message: 'at least 3 characters' },
    ]);
  return transition(deps, caseId, (c) => reopen(c, by, reason.trim(), deps.clock.now()));
}

export async function assignCase(
  deps: CaseActionDeps,
  caseId: string,
  by: string,
  assignee: string,
): Promise<Case> {
  return transition(deps, caseId, (c) => assign(c, by, assignee, deps.clock.now()));
}

export async function commentOnCase(
  deps: CaseActionDeps,
  caseId: string,
  by: string,
  text: string,
): Promise<Case> {
  if (text.trim() === '')
    throw new ValidationError('The comment is empty.', [
      { field: 'text', code: 'required', message: 'write something' },
    ]);
  return transition(deps, caseId, (c) => comment(c, by, text.trim(), deps.clock.now()));
}

/**
 * `GET /v1/cases`: newest first, by survey and status; `mine` keeps the cases assigned to the caller (`by`, as
 * the assign action records people), `overdue` those whose deadline has passed.
 */
export async function listCases(
  deps: CaseActionDeps,
  query: Omit<CaseQuery, 'assignee' | 'dueBefore'> & { readonly mine?: boolean; readonly overdue?: boolean },
  by: () => string,
): Promise<{ items: Case[]; cursor?: string }> {
  const { mine, overdue, ...rest } = query;
  const page = await deps.cases.list({
    ...rest,
    ...(mine ? { assignee: by() } : {}),
    ...(overdue ? { dueBefore: deps.clock.now() } : {}),
  });
  // A person who sees some places gets a page of their cases (shorter, perhaps empty, with the same cursor).
  return { ...page, items: page.items.filter((c) => visible(deps, c)) };
}

export async function getCase(deps: CaseActionDeps, caseId: string): Promise<Case> {
  const c = await deps.cases.get(caseId);
  if (!c || !visible(deps, c)) throw notFound(caseId)();
  return c;
}
