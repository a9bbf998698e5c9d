import { ConflictError } from '#kernel/errors.ts';
import type { CaseStore } from '../ports.ts';
import type { Case } from '../rules/case.ts';

export interface UpdateOptions {
  /** Reads and tries to save this many times. @default 5 */
  readonly attempts?: number;
  /** What a missing case is; absent: nothing to update (null). */
  readonly missing?: () => Error;
  /** The error when the case kept changing through every attempt. */
  readonly conflict?: string;
}

/**
 * Reads the case, applies `change`, and saves the result if nobody changed the case meanwhile (optimistic
 * concurrency on its version); a case that moved (the sweep escalated it, someone commented) is read again and the
 * change applied to what is there now. `change` answers null when there is nothing to do.
 */
export async function updateCase(
  cases: CaseStore,
  caseId: string,
  change: (c: Case) => Case | null | Promise<Case | null>,
  options: UpdateOptions = {},
): Promise<Case | null> {
  for (let attempt = 0; attempt < (options.attempts ?? 5); attempt++) {
    const current = await cases.get(caseId);
    if (!current) {
      if (options.missing) throw options.missing();
      return null;
    }
    const next = await change(current);
    if (!next) return null;
    const versioned = { ...next, version: (current.version ?? 0) + 1 };
    if (await cases.save(versioned)) return versioned;
  }
  throw new ConflictError(options.conflict ?? `Case ${caseId} keeps changing; it will be tried again.`);
}
