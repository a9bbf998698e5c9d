import { describe, expect, it } from 'vitest';
import {
  type AggregateUpdate,
  ALL,
  deltaAfter,
  itemIdOf,
  planAggregateUpdates,
  positionOf,
  type StreamedRecord,
} from '#aggregation/rules/aggregation.ts';
import { buildResponse } from '#capture/rules/response.ts';
import type { InvitationChange } from '#invitations/rules/reach.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';

const survey = surveySchema.parse(demoSurvey); // segment keys: region, store, channel
/** A survey with nothing to score: its responses make no survey aggregates. */
const commentOnly = surveySchema.parse({
  ...demoSurvey,
  id: 'open',
  questions: demoSurvey.questions.filter((q) => q.type === 'text'),
});
const surveyOf = (id: string) => [survey, commentOnly].find((s) => s.id === id);

const invitation = (seq: number, change: Partial<InvitationChange> = {}): StreamedRecord => ({
  eventId: `e${seq}`,
  sequenceNumber: String(seq),
  invitation: {
    campaignId: 'spring',
    segments: { region: 'north', store: 's1' },
    event: 'invited',
    eventAt: '2026-11-20T10:00:00.000Z',
    ...change,
  },
});

const response = (
  seq: number,
  opts: { campaignId?: string; commentOnly?: boolean } = {},
): StreamedRecord => ({
  eventId: `e${seq}`,
  sequenceNumber: String(seq),
  response: buildResponse({
    survey: opts.commentOnly ? commentOnly : survey,
    submissionId: `inv.spring.contact-${seq}`,
    answers: opts.commentOnly ? { comment: 'fine' } : { nps: 9, csat: 5, ces: 7 },
    attributes: { region: 'north', store: 's1', unrelated: 'x' },
    capturedVia: 'web',
    now: new Date('2026-11-21T09:00:00.000Z'),
    campaignId: opts.campaignId,
  }),
});

/** Updates by readable item name, e.g. `reach spring region=north 2026-11-20`. */
function byItem(updates: readonly AggregateUpdate[]) {
  return new Map(
    updates.map((u) => {
      const subject = u.key.kind === 'survey' ? `survey ${u.key.surveyId}` : `reach ${u.key.campaignId}`;
      return [`${subject} ${u.key.segment.key}=${u.key.segment.value} ${u.key.day}`, u];
    }),
  );
}

describe('planAggregateUpdates', () => {
  it('counts an invitation event under its name in all contacts and in each segment it carries', () => {
    const updates = byItem(planAggregateUpdates([invitation(10, { event: 'delivered' })], surveyOf, 'L'));
    expect([...updates.keys()].sort()).toEqual([
      'reach spring all=all 2026-11-20',
      'reach spring region=north 2026-11-20',
      'reach spring store=s1 2026-11-20',
    ]);
    for (const u of updates.values())
      expect(u.contributions).toEqual([{ position: positionOf('10'), counters: { delivered: 1 } }]);
  });

  it('counts an invitation event on the UTC day of its eventAt', () => {
    const [update] = planAggregateUpdates(
      [invitation(10, { segments: {}, eventAt: '2026-11-20T23:59:59.999Z' })],
      surveyOf,
      'L',
    );
    expect(update?.key).toEqual({ kind: 'reach', campaignId: 'spring', segment: ALL, day: '2026-11-20' });
  });

  it('puts every event of a campaign segment and day in one update, in stream order', () => {
    const updates = planAggregateUpdates(
      [
        invitation(30, { event: 'opened' }),
        invitation(10, { event: 'queued' }),
        invitation(20, { event: 'invited' }),
        invitation(40, { event: 'opened' }),
      ],
      surveyOf,
      'L',
    );
    expect(updates).toHaveLength(3);
    const all = byItem(updates).get('reach spring all=all 2026-11-20');
    expect(all?.contributions.map((c) => c.counters)).toEqual([
      { queued: 1 },
      { invited: 1 },
      { opened: 1 },
      { opened: 1 },
    ]);
    expect(deltaAfter(all as AggregateUpdate, positionOf('20'))?.counters).toEqual({ opened: 2 });
  });

  it('counts an invited response as completed in its campaign, on the survey segments, besides its aggregates', () => {
    const updates = byItem(planAggregateUpdates([response(50, { campaignId: 'spring' })], surveyOf, 'L'));
    expect([...updates.keys()].sort()).toEqual([
      'reach spring all=all 2026-11-21',
      'reach spring region=north 2026-11-21',
      'reach spring store=s1 2026-11-21',
      'survey demo all=all 2026-11-21',
      'survey demo region=north 2026-11-21',
      'survey demo store=s1 2026-11-21',
    ]);
    expect(updates.get('reach spring store=s1 2026-11-21')?.contributions[0]?.counters).toEqual({
      completed: 1,
    });
    expect(updates.get('survey demo all=all 2026-11-21')?.contributions[0]?.counters).toEqual({
      'nps#9': 1,
      'csat#5': 1,
      'ces#7': 1,
    });
  });

  it('counts no reach for a response that did not come through an invitation', () => {
    const updates = planAggregateUpdates([response(50)], surveyOf, 'L');
    expect(updates.every((u) => u.key.kind === 'survey')).toBe(true);
    expect(updates).toHaveLength(3);
  });

  it('counts an invited response with only a comment as completed, with no survey aggregate', () => {
    const updates = planAggregateUpdates(
      [response(50, { campaignId: 'spring', commentOnly: true })],
      surveyOf,
      'L',
    );
    expect(updates.map((u) => u.key.kind)).toEqual(['reach', 'reach', 'reach']);
  });

  it('merges invitation events and completed responses on the same reach item into one update', () => {
    const updates = byItem(
      planAggregateUpdates(
        [
          invitation(10, { eventAt: '2026-11-21T08:00:00.000Z' }),
          response(20, { campaignId: 'spring' }),
          invitation(30, { event: 'started', eventAt: '2026-11-21T08:30:00.000Z' }),
        ],
        surveyOf,
        'L',
      ),
    );
    expect(updates.get('reach spring all=all 2026-11-21')?.contributions.map((c) => c.counters)).toEqual([
      { invited: 1 },
      { completed: 1 },
      { started: 1 },
    ]);
  });

  it('keeps a survey item and a reach item with the same names apart', () => {
    const updates = planAggregateUpdates(
      [
        invitation(10, { campaignId: 'demo', segments: {}, eventAt: '2026-11-21T08:00:00.000Z' }),
        response(20),
      ],
      surveyOf,
      'L',
    );
    const ids = updates.map((u) => itemIdOf(u.key));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(itemIdOf({ kind: 'reach', campaignId: 'demo', segment: ALL, day: '2026-11-21' }));
    expect(ids).toContain(itemIdOf({ kind: 'survey', surveyId: 'demo', segment: ALL, day: '2026-11-21' }));
  });

  it('skips a response of a survey it does not know, reach included', () => {
    const known = response(5, { campaignId: 'spring' });
    if (!('response' in known)) throw new Error('not a response');
    const orphan = { ...known, response: { ...known.response, surveyId: 'gone' } };
    expect(planAggregateUpdates([orphan], surveyOf, 'L')).toEqual([]);
  });
});
