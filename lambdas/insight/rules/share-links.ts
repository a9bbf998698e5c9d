import { type MetricsReport, WINDOWS, type WindowName } from '#aggregation/rules/report.ts';
import type { ScoreBand } from '#kernel/bands.ts';
import type { LocalizedText } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';
import { SHARE_LINK_DAYS } from './share-link-days.ts';

export { SHARE_LINK_DAYS };

/** Views of one link a minute at most: enough for a team, too few to scrape or to flood the table. */
export const SHARED_VIEWS_PER_MINUTE = 30;
/** Comments a shared view shows at most, newest first, when its owner allowed them. */
export const SHARED_COMMENTS = 10;

/** `POST /v1/surveys/{surveyId}/share-links`. */
export const shareLinkBody = z.object({
  segment: z.optional(
    z
      .string()
      .check(z.maxLength(300), z.describe('key:value of the one place it shows; absent: every answer')),
  ),
  expiresInDays: z._default(
    z.literal([...SHARE_LINK_DAYS]).check(z.describe('How many days the link works: 7, 30 or 90')),
    30,
  ),
  comments: z._default(
    z
      .boolean()
      .check(z.describe('Show what customers wrote (off unless turned on: free text may name people)')),
    false,
  ),
});
export type ShareLinkRequest = z.output<typeof shareLinkBody>;

/** `GET /v1/shared/{token}`. */
export const sharedViewQuery = z.object({
  window: z._default(z.enum(Object.keys(WINDOWS) as [WindowName]), '30d'),
});

/** A share link as stored: the secret only as its hash. */
export interface ShareLink {
  readonly linkId: string;
  readonly surveyId: string;
  /** `key:value`, or `all:all`. */
  readonly segment: string;
  readonly comments: boolean;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string | undefined;
  readonly revokedBy?: string | undefined;
  /** SHA-256 of the link's secret, hex. */
  readonly secretHash: string;
}

export type ShareLinkStatus = 'active' | 'expired' | 'revoked';

/**
 * A share link as its owner sees it. Its `token` (and `path`, the web app's page of it: `/app/shared/<token>` on
 * the app's origin) is given only when the link is made: only the secret's hash is kept.
 */
export interface ShareLinkView extends Omit<ShareLink, 'secretHash'> {
  readonly status: ShareLinkStatus;
  readonly token?: string | undefined;
  readonly path?: string | undefined;
}

export function statusOfLink(link: Pick<ShareLink, 'expiresAt' | 'revokedAt'>, now: Date): ShareLinkStatus {
  if (link.revokedAt) return 'revoked';
  return Date.parse(link.expiresAt) <= now.getTime() ? 'expired' : 'active';
}

/** A link's token is `<linkId>.<secret>`: the id finds it, the secret proves it was given. */
export function parseShareToken(token: string): { linkId: string; secret: string } | undefined {
  const match = /^(shr_[a-z0-9]{12})\.([a-z0-9]{32})$/.exec(token);
  return match?.[1] && match[2] ? { linkId: match[1], secret: match[2] } : undefined;
}

/** What a shared view shows of a comment: the text, when and its scores; nothing of who or where else. */
export interface SharedComment {
  readonly receivedAt: string;
  readonly text: string;
  readonly scores: readonly {
    readonly questionId: string;
    readonly score: number;
    readonly band: ScoreBand;
  }[];
}

/** What a shared link shows: one place's figures for a window, and its newest comments if the owner allowed. */
export interface SharedView {
  readonly survey: { readonly id: string; readonly title: LocalizedText };
  readonly segment: string;
  readonly expiresAt: string;
  readonly metrics: MetricsReport;
  /** Absent unless the link's owner turned comments on. */
  readonly comments?: readonly SharedComment[] | undefined;
}
