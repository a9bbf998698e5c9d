import { DAY_MS } from '#kernel/days.ts';

/**
 * Fatigue: a contact is surveyed at most once per quiet period (30 days by default), across every channel and
 * survey. The rule is enforced by one conditional write on the contact's fatigue item, so two campaigns racing
 * for the same person cannot both invite them.
 */
export const DEFAULT_QUIET_DAYS = 30;

export interface FatigueClaim {
  readonly contactId: string;
  /** Who claims the contact (campaign and invitation), for the record. */
  readonly by: string;
  readonly at: Date;
  readonly quietDays: number;
}

export const quietUntil = (claim: FatigueClaim) => new Date(claim.at.getTime() + claim.quietDays * DAY_MS);
