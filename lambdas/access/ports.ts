import type { AuditEntry } from './rules/audit.ts';
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

/** The audit trail: entries are added, never changed; each is gone after the days it is kept. */
export interface AuditTrail {
  record(entry: AuditEntry, keepDays: number): Promise<void>;
  /** One day's entries, newest first, at most `limit`. */
  day(day: string, limit: number): Promise<AuditEntry[]>;
}

/** Removes what ties answers, cases and invitations to a person; the aggregates, which name nobody, stay. */
export interface PersonalDataEraser {
  eraseResponse(surveyId: string, submissionId: string): Promise<void>;
  eraseCase(caseId: string): Promise<void>;
  eraseInvitation(campaignId: string, contactId: string): Promise<void>;
  /** An export job's record, once its file is gone. */
  eraseExport(exportId: string): Promise<void>;
}

/** The export files (S3): one removed at once, before the 7 days it would be kept. */
export interface ExportFileEraser {
  remove(objectKey: string): Promise<void>;
}
