import type { Grant } from './rules/grants.ts';

/** The grants kept in the table: one per subject (a person or a group). */
export interface GrantStore {
  /** The grants of these subjects (a person's own and their groups'), read consistently. */
  of(subjects: readonly string[]): Promise<Grant[]>;
  /** Every grant, by subject. */
  list(): Promise<Grant[]>;
  put(grant: Grant): Promise<void>;
  /** False when the subject had no grant. */
  remove(subject: string): Promise<boolean>;
}
