import type { CaseStore, Clock, SurveyStore } from '#ports/index.ts';
import {
  acknowledge,
  assign,
  type Case,
  close,
  comment,
  type Resolution,
  ROOT_CAUSE_PATTERN,
  reopen,
  resolve,
} from './cases.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { DEFAULT_RECOVERY } from './survey.ts';

export interface CaseActionDeps {
  readonly cases: CaseStore;
  readonly clock: Clock;
  /** For the survey's recovery settings when a case is resolved. */
  readonly surveys?: SurveyStore;
}

async function load(cases: CaseStore, caseId: string): Promise<Case> {
  const c = await cases.get(caseId);
  if (!c) throw new NotFoundError(`There is no case "${caseId}".`);
  return c;
}

/**
 * Applies `change` to the stored case and saves it if nobody changed the case meanwhile; a case that moved (the
 * sweep escalated it, someone commented) is read again and the change applied to what is there now.
 */
async function transition(deps: CaseActionDeps, caseId: string, change: (c: Case) => Case): Promise<Case> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await load(deps.cases, caseId);
    const next = { ...change(current), version: (current.version ?? 0) + 1 };
    if (await deps.cases.save(next)) return next;
  }
  throw new ConflictError('The case keeps changing while you act on it; reload it and try again.');
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
  const current = await load(deps.cases, caseId);
  const recovery = (await deps.surveys?.get(current.surveyId))?.recovery ?? DEFAULT_RECOVERY;
  const clean: Resolution = {
    ...resolution,
    note: resolution.note.trim(),
    ...((followUp ?? recovery.followUp) ? { followUpAfterHours: recovery.delayHours } : {}),
  };
  return transition(deps, caseId, (c) => resolve(c, by, clean, deps.clock.now()));
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

export async function getCase(deps: CaseActionDeps, caseId: string): Promise<Case> {
  return load(deps.cases, caseId);
}
