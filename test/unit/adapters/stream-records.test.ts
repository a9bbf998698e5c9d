import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  countedOfStreamRecord,
  invitationOfStreamRecord,
  responseOfStreamRecord,
} from '#adapters/dynamodb/stream-records.ts';

const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item: Record<string, unknown>) =>
  ({
    eventID: 'e1',
    eventName,
    dynamodb: { SequenceNumber: '100', NewImage: marshall(item, { removeUndefinedValues: true }) as never },
  }) as DynamoDBRecord;

const invitationItem = {
  pk: 'CAMPAIGN#spring',
  sk: 'INV#c1',
  type: 'invitation',
  campaignId: 'spring',
  contactId: 'c1',
  invitationId: 'spring.c1',
  surveyId: 'demo',
  channel: 'email',
  segments: { region: 'north', store: 's-1' },
  state: 'sent',
  event: 'invited',
  eventAt: '2026-11-20T10:00:00.000Z',
};

const responseItem = {
  pk: 'RESPONSE#demo#inv.spring.c1',
  sk: 'RESPONSE',
  type: 'response',
  surveyId: 'demo',
  submissionId: 'inv.spring.c1',
  answers: { nps: 9 },
  attributes: { region: 'north' },
  locale: 'en',
  capturedVia: 'web',
  receivedAt: '2026-11-20T11:00:00.000Z',
  contentHash: 'h',
  expiresAt: 1_900_000_000,
};

describe('invitationOfStreamRecord', () => {
  it.each(['INSERT', 'MODIFY'] as const)('reads the event of an invitation on %s', (eventName) => {
    expect(invitationOfStreamRecord(record(eventName, invitationItem))).toEqual({
      campaignId: 'spring',
      segments: { region: 'north', store: 's-1' },
      event: 'invited',
      eventAt: '2026-11-20T10:00:00.000Z',
    });
  });

  it('reads an invitation without segments as one with none', () => {
    const { segments: _, ...item } = invitationItem;
    expect(invitationOfStreamRecord(record('INSERT', item))?.segments).toEqual({});
  });

  it.each([
    ['a removed invitation', record('REMOVE', invitationItem)],
    ['another type of item', record('MODIFY', { ...invitationItem, type: 'reach' })],
    ['an event reach does not count', record('MODIFY', { ...invitationItem, event: 'sending' })],
    ['no event', record('MODIFY', { ...invitationItem, event: undefined })],
    ['an eventAt that is not an ISO time', record('MODIFY', { ...invitationItem, eventAt: 'yesterday' })],
    ['a campaign id that is not an id', record('MODIFY', { ...invitationItem, campaignId: 'a#b' })],
    ['segments that are not text', record('MODIFY', { ...invitationItem, segments: { region: 3 } })],
    [
      'a segment value with control characters',
      record('MODIFY', { ...invitationItem, segments: { r: 'a\nb' } }),
    ],
    [
      'an image it cannot unmarshall',
      {
        eventName: 'MODIFY',
        dynamodb: { NewImage: { ...marshall(invitationItem), odd: { X: '1' } as never } },
      } as DynamoDBRecord,
    ],
    ['no image', { eventName: 'MODIFY', dynamodb: {} } as DynamoDBRecord],
  ])('skips %s', (_, r) => {
    expect(invitationOfStreamRecord(r)).toBeUndefined();
  });
});

describe('responseOfStreamRecord', () => {
  it('reads the campaign of an invited response', () => {
    const response = responseOfStreamRecord(record('INSERT', { ...responseItem, campaignId: 'spring' }));
    expect(response).toMatchObject({ surveyId: 'demo', campaignId: 'spring' });
    expect(response).not.toHaveProperty('expiresAt');
  });

  it('reads a response without a campaign as one', () => {
    expect(responseOfStreamRecord(record('INSERT', responseItem))).not.toHaveProperty('campaignId');
  });

  it('keeps a response whose campaign id is malformed, without the campaign', () => {
    const response = responseOfStreamRecord(record('INSERT', { ...responseItem, campaignId: '#bad' }));
    expect(response?.submissionId).toBe('inv.spring.c1');
    expect(response).not.toHaveProperty('campaignId');
  });

  it('skips an invitation and a modified response', () => {
    expect(responseOfStreamRecord(record('INSERT', invitationItem))).toBeUndefined();
    expect(responseOfStreamRecord(record('MODIFY', responseItem))).toBeUndefined();
  });
});

describe('answers added to a response one question at a time', () => {
  const part = {
    ...responseItem,
    submissionId: 'twilio.CA1',
    answers: { nps: 3, csat: 2, comment: 'Me colgaron' },
    campaignId: 'spring',
    added: new Set(['csat', 'comment']),
    parts: 2,
  };

  it('counts only the answers the write added, and no second completion of the campaign', () => {
    const counted = countedOfStreamRecord(record('MODIFY', part));
    expect(counted?.later).toBe(true);
    expect(counted?.response.answers).toEqual({ csat: 2, comment: 'Me colgaron' });
    expect(counted?.response).not.toHaveProperty('campaignId');
    expect(counted?.response).not.toHaveProperty('added');
  });

  it('gives the alerter the whole submission as it stands', () => {
    expect(responseOfStreamRecord(record('MODIFY', part))).toMatchObject({
      answers: { nps: 3, csat: 2, comment: 'Me colgaron' },
      campaignId: 'spring',
    });
  });

  it('counts every answer of the insert that made the submission', () => {
    const first = { ...part, answers: { nps: 3 }, added: new Set(['nps']), parts: 1 };
    expect(countedOfStreamRecord(record('INSERT', first))).toMatchObject({
      later: false,
      response: { answers: { nps: 3 }, campaignId: 'spring' },
    });
  });

  it('reads nothing of a change to a response that added no answers', () => {
    const { added: _, ...changed } = part;
    expect(countedOfStreamRecord(record('MODIFY', changed))).toBeUndefined();
    expect(responseOfStreamRecord(record('MODIFY', changed))).toBeUndefined();
  });
});

describe("a comment's reading on the stream", () => {
  const analysis = {
    sentiment: 'negative',
    confidence: 0.9,
    themes: ['staff'],
    language: 'es',
    analyzer: 'builtin',
    questions: ['comment'],
  };
  const whole = { ...responseItem, answers: { nps: 3, comment: 'Me colgaron' }, analysis };

  it('counts the reading with the insert that brought it, with the NPS it came with', () => {
    const counted = countedOfStreamRecord(record('INSERT', whole));
    expect(counted?.analysed).toEqual({ analysis, answers: { nps: 3, comment: 'Me colgaron' } });
    expect(counted?.response).not.toHaveProperty('analysis');
  });

  it('counts it with the later write that added the comment, reading the NPS given before', () => {
    const later = { ...whole, added: new Set(['comment']), parts: 2 };
    expect(countedOfStreamRecord(record('MODIFY', later))?.analysed).toEqual({
      analysis,
      answers: { nps: 3, comment: 'Me colgaron' },
    });
  });

  it('does not count it again with a later write that added other answers', () => {
    const later = { ...whole, answers: { ...whole.answers, csat: 1 }, added: new Set(['csat']), parts: 3 };
    const counted = countedOfStreamRecord(record('MODIFY', later));
    expect(counted?.response.answers).toEqual({ csat: 1 });
    expect(counted?.analysed).toBeUndefined();
  });

  it('counts a response whose reading does not parse, unread', () => {
    const broken = { ...whole, analysis: { ...analysis, sentiment: 'furious' } };
    const counted = countedOfStreamRecord(record('INSERT', broken));
    expect(counted?.response.answers).toEqual({ nps: 3, comment: 'Me colgaron' });
    expect(counted?.analysed).toBeUndefined();
    expect(responseOfStreamRecord(record('INSERT', broken))).not.toHaveProperty('analysis');
  });
});
