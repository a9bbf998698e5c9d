import type { CaseStore, Clock } from '#ports/index.ts';
import { acknowledge, type Case, resolve } from './cases.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';

export interface CaseActionDeps {
  readonly cases: CaseStore;
  readonly clock: Clock;
}

async function load(cases: CaseStore, caseId: string): Promise<Case> {
  const c = await cases.get(caseId);
  if (!c) throw new NotFoundError(`There is no case "${caseId}".`);
  return c;
}

async function transition(deps: CaseActionDeps, caseId: string, change: (c: Case) => Case): Promise<Case> {
  const current = await load(deps.cases, caseId);
  const next = change(current);
  if (!(await deps.cases.save(next, current.status))) {
    throw new ConflictError('The case changed while you were acting on it; reload it and try again.');
  }
  return next;
}

export async function acknowledgeCase(deps: CaseActionDeps, caseId: string, by: string): Promise<Case> {
  return transition(deps, caseId, (c) => acknowledge(c, by, deps.clock.now()));
}

export async function resolveCase(
  deps: CaseActionDeps,
  caseId: string,
  by: string,
  note: string,
): Promise<Case> {
  if (note.trim().length < 3) {
    throw new ValidationError('A resolution note is required.', [
      { field: 'note', code: 'required', message: 'say what was done (at least 3 characters)' },
    ]);
  }
  return transition(deps, caseId, (c) => resolve(c, by, note.trim(), deps.clock.now()));
}

export async function getCase(deps: CaseActionDeps, caseId: string): Promise<Case> {
  return load(deps.cases, caseId);
}
