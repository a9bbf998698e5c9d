import { createHash, timingSafeEqual } from 'node:crypto';
import type { AggregateStore, SegmentCatalogue } from '#aggregation/ports.ts';
import { ALL } from '#aggregation/rules/aggregation.ts';
import { parseSegment, type WindowName } from '#aggregation/rules/report.ts';
import { readMetrics } from '#aggregation/use-cases/read-metrics.ts';
import { placeSight } from '#aggregation/use-cases/read-segments.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { ExpiredError, NotFoundError, RateLimitedError, RefusedError } from '#kernel/errors.ts';
import { randomId } from '#kernel/ids.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import { SEES_ALL, type Visibility } from '#kernel/visibility.ts';
import type { CommentIndex, ShareLinkStore } from '../ports.ts';
import { segmentOf } from '../rules/responses.ts';
import {
  parseShareToken,
  SHARED_COMMENTS,
  SHARED_VIEWS_PER_MINUTE,
  type SharedComment,
  type SharedView,
  type ShareLink,
  type ShareLinkRequest,
  type ShareLinkView,
  statusOfLink,
} from '../rules/share-links.ts';
import { commentedResponses } from './list-responses.ts';

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

function viewOf(link: ShareLink, now: Date, token?: string): ShareLinkView {
  const { secretHash: _, ...rest } = link;
  return {
    ...rest,
    status: statusOfLink(link, now),
    ...(token ? { token, path: `/app/shared/${token}` } : {}),
  };
}

export interface ShareLinkDeps {
  readonly surveys: SurveyStore;
  readonly shareLinks: ShareLinkStore;
  readonly clock: Clock;
  /** With `visibility`: the survey's places, to tell whether a link's place is one of the caller's. */
  readonly catalogue?: SegmentCatalogue;
  /**
   * The places the caller may see: they share only those (403 for another place or the whole survey), and a link
   * to another place is no link to them (404). @default every place
   */
  readonly visibility?: Visibility;
}

/** Whether the caller sees links of a survey's places: one catalogue read, for someone who sees some places. */
async function linkSight(deps: ShareLinkDeps, surveyId: string): Promise<(segment: string) => boolean> {
  const seen = await placeSight(deps.catalogue, surveyId, deps.visibility ?? SEES_ALL);
  return (segment) => seen(parseSegment(segment));
}

/**
 * Makes a read-only link to one place's figures, for people without an account: it works `expiresInDays` days
 * unless revoked, shows comments only when asked to, and its secret is shown this once (only its hash is kept).
 */
export async function createShareLink(
  deps: ShareLinkDeps,
  input: { surveyId: string; actor: string; request: ShareLinkRequest },
): Promise<ShareLinkView> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const now = deps.clock.now();
  const segment = segmentOf(survey, input.request.segment);
  if (!(await linkSight(deps, survey.id))(`${segment.key}:${segment.value}`))
    throw new RefusedError(
      segment === ALL
        ? 'You see only some places: share one of them.'
        : `Your grants do not cover ${segment.key}:${segment.value}.`,
    );
  const secret = randomId(32);
  const link: ShareLink = {
    linkId: `shr_${randomId(12)}`,
    surveyId: survey.id,
    segment: `${segment.key}:${segment.value}`,
    comments: input.request.comments,
    createdBy: input.actor,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + input.request.expiresInDays * 86_400_000).toISOString(),
    secretHash: hashOf(secret),
  };
  await deps.shareLinks.create(link);
  return viewOf(link, now, `${link.linkId}.${secret}`);
}

export async function listShareLinks(
  deps: ShareLinkDeps,
  input: { surveyId: string; limit: number },
): Promise<{ items: ShareLinkView[] }> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const now = deps.clock.now();
  const seen = await linkSight(deps, survey.id);
  const links = await deps.shareLinks.listOf(survey.id, input.limit);
  return { items: links.filter((l) => seen(l.segment)).map((l) => viewOf(l, now)) };
}

/** Revokes a link at once: its next view is refused. Revoking it again changes nothing. */
export async function revokeShareLink(
  deps: ShareLinkDeps,
  input: { linkId: string; actor: string },
): Promise<ShareLinkView> {
  const now = deps.clock.now();
  const missing = () => new NotFoundError(`There is no share link "${input.linkId}".`);
  if (deps.visibility && !deps.visibility.all) {
    const before = await deps.shareLinks.get(input.linkId);
    if (!before || !(await linkSight(deps, before.surveyId))(before.segment)) throw missing();
  }
  const link = await deps.shareLinks.revoke(input.linkId, input.actor, now.toISOString());
  if (!link) throw missing();
  return viewOf(link, now);
}

export interface SharedViewDeps extends ShareLinkDeps {
  readonly aggregates: AggregateStore;
  readonly catalogue: SegmentCatalogue;
  readonly comments: CommentIndex;
}

/**
 * Opens a shared view: 404 for a token that is not one (a wrong secret looks like no link at all), 410 for a link
 * revoked or past its expiry, 429 past the views a minute a link may have.
 */
export async function openSharedView(
  deps: SharedViewDeps,
  input: { token: string; window: WindowName },
): Promise<SharedView> {
  const parsed = parseShareToken(input.token);
  const link = parsed ? await deps.shareLinks.get(parsed.linkId) : undefined;
  if (!parsed || !link || !sameHash(link.secretHash, hashOf(parsed.secret))) {
    throw new NotFoundError('There is no such link.');
  }
  const now = deps.clock.now();
  const status = statusOfLink(link, now);
  if (status === 'revoked') throw new ExpiredError('This link was revoked by its owner.');
  if (status === 'expired') throw new ExpiredError('This link has expired.');
  const minute = now.toISOString().slice(0, 16);
  if (!(await deps.shareLinks.countView(link.linkId, minute, SHARED_VIEWS_PER_MINUTE))) {
    throw new RateLimitedError(
      'This link has been opened too often; try again in a minute.',
      60 - now.getUTCSeconds(),
    );
  }
  const survey = await loadSurvey(deps.surveys, link.surveyId);
  const segment = link.segment === 'all:all' ? undefined : link.segment;
  const metrics = await readMetrics(deps, {
    surveyId: survey.id,
    window: input.window,
    segment,
    trend: 'day',
  });
  return {
    survey: { id: survey.id, title: survey.title },
    segment: link.segment,
    expiresAt: link.expiresAt,
    metrics,
    comments: link.comments ? await newestComments(deps, survey, segment, input.window) : undefined,
  };
}

async function newestComments(
  deps: SharedViewDeps,
  survey: Survey,
  segment: string | undefined,
  window: WindowName,
): Promise<SharedComment[]> {
  const page = await commentedResponses(deps, survey, { window, segment, limit: SHARED_COMMENTS });
  return page.items.flatMap((r) =>
    r.comments.map((text) => ({
      receivedAt: r.receivedAt,
      text,
      scores: r.scores.map(({ questionId, score, band }) => ({ questionId, score, band })),
    })),
  );
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
