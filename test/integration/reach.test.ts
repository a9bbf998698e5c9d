import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReachStore } from '#adapters/dynamodb/reach.ts';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { type BatchRecord, foldBatch, LaneMemory } from '#aggregation/use-cases/fold-batch.ts';
import { buildResponse } from '#capture/rules/response.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { createTable } from '../../bench/support.ts';
import { aggregatorRecords, countersOfItem, foldOn, scanTable } from '../support/fold-harness.ts';
import { startTestDynamo } from '../support/http.ts';

const survey = surveySchema.parse(demoSurvey); // segment keys: region, store, channel
let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  client = dynamo.client;
});
afterAll(async () => {
  await dynamo?.stop();
});

const CONTACTS = 30;
const regionOf = (k: number) => `r-${k % 3}`;
const at = (day: string, k: number) => `${day}T${String(k % 24).padStart(2, '0')}:00:00.000Z`;

/**
 * Writes a campaign as the sender, the SES events handler and the survey page would: one insert per contact,
 * then one conditional transition per event (each carrying `event` and `eventAt`), and the responses of those
 * who answer through their link.
 */
async function runCampaign(table: string) {
  const responses = new DynamoResponseStore(client, table);
  const transition = (k: number, event: string, eventAt: string, state?: string) =>
    client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: marshall({ pk: 'CAMPAIGN#spring', sk: `INV#c${k}` }),
        UpdateExpression: `SET #event = :event, eventAt = :at${state ? ', #state = :state' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#event': 'event', ...(state ? { '#state': 'state' } : {}) },
        ExpressionAttributeValues: marshall({
          ':event': event,
          ':at': eventAt,
          ...(state ? { ':state': state } : {}),
        }),
      }),
    );
  for (let k = 0; k < CONTACTS; k++) {
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: marshall({
          pk: 'CAMPAIGN#spring',
          sk: `INV#c${k}`,
          type: 'invitation',
          campaignId: 'spring',
          contactId: `c${k}`,
          invitationId: `spring.c${k}`,
          surveyId: 'demo',
          channel: k % 5 === 0 ? 'sms' : 'email',
          // The contact of k % 4 === 0 has no region: it counts in all contacts only.
          segments: k % 4 === 0 ? {} : { region: regionOf(k) },
          state: 'pending',
          event: 'queued',
          eventAt: at('2026-11-19', k),
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
  for (let k = 0; k < CONTACTS; k++) {
    if (k % 10 === 9) {
      await transition(k, 'throttled', at('2026-11-20', k), 'throttled');
      continue;
    }
    await transition(k, 'sending', at('2026-11-20', k), 'sending'); // not reach: the stream filter drops it
    await transition(k, 'invited', at('2026-11-20', k), 'sent');
  }
  for (let k = 0; k < CONTACTS; k++) {
    if (k % 10 === 9) continue;
    if (k % 7 === 3) {
      await transition(k, 'bounced', at('2026-11-21', k));
      continue;
    }
    await transition(k, 'delivered', at('2026-11-21', k));
    if (k % 2 === 0) {
      await transition(k, 'opened', at('2026-11-21', k));
      await transition(k, 'started', at('2026-11-21', k));
      const segments: Record<string, string> = k % 4 === 0 ? {} : { region: regionOf(k) };
      await responses.putIfAbsent(
        buildResponse({
          survey,
          submissionId: `inv.spring.c${k}`,
          answers: { nps: k % 11, csat: 5, ces: 6 },
          attributes: segments,
          capturedVia: 'web',
          now: new Date('2026-11-22T08:00:00.000Z'),
          campaignId: 'spring',
        }),
        30,
      );
    }
  }
  // An answer from an open link: survey aggregates only.
  await responses.putIfAbsent(
    buildResponse({
      survey,
      submissionId: 'open-link-0001',
      answers: { nps: 10, csat: 5, ces: 7 },
      attributes: { region: 'r-0' },
      capturedVia: 'web',
      now: new Date('2026-11-22T09:00:00.000Z'),
    }),
    30,
  );
}

/** What the campaign above must count, worked out by hand. */
function expectedTotals() {
  const sent = Array.from({ length: CONTACTS }, (_, k) => k).filter((k) => k % 10 !== 9);
  const bounced = sent.filter((k) => k % 7 === 3);
  const delivered = sent.filter((k) => k % 7 !== 3);
  const answered = delivered.filter((k) => k % 2 === 0);
  return {
    queued: CONTACTS,
    invited: sent.length,
    throttled: CONTACTS - sent.length,
    bounced: bounced.length,
    delivered: delivered.length,
    opened: answered.length,
    started: answered.length,
    completed: answered.length,
    answered,
  };
}

async function setUp(name: string) {
  const table = `${name}-${Date.now()}`;
  const streamArn = await createTable(client, table);
  await new DynamoSurveyStore(client, table).put(survey);
  await runCampaign(table);
  const records = await aggregatorRecords(dynamo.engine.endpoint, streamArn);
  const { aggregates, deps } = foldOn(client, table);
  return { table, records, aggregates, deps };
}

/** Every reach item next to a recount from the stream records: each record once on each of its items. */
async function compare(table: string, records: readonly BatchRecord[]) {
  const expected = new Map<string, Record<string, number>>();
  const count = (segments: Record<string, string>, day: string, counter: string) => {
    for (const [key, value] of [['all', 'all'], ...Object.entries(segments)]) {
      const id = `REACH#spring|SEG#${key}#${value}#DAY#${day}`;
      const counts = expected.get(id) ?? {};
      counts[`c#${counter}`] = (counts[`c#${counter}`] ?? 0) + 1;
      expected.set(id, counts);
    }
  };
  for (const { invitation, response } of records) {
    if (invitation) count(invitation.segments, invitation.eventAt.slice(0, 10), invitation.event);
    if (response?.campaignId) {
      const segments = Object.fromEntries(
        survey.segmentKeys.flatMap((k) => (response.attributes[k] ? [[k, response.attributes[k]]] : [])),
      );
      count(segments, response.receivedAt.slice(0, 10), 'completed');
    }
  }
  const actual = new Map<string, Record<string, number>>();
  for (const item of (await scanTable(client, table)).filter((i) => i.type === 'reach')) {
    actual.set(`${item.pk}|${item.sk}`, countersOfItem(item));
  }
  return { expected, actual };
}

describe('campaign reach on DynamoDB Local', () => {
  it('counts every invitation event and invited response once after crashes, bisection and redelivery', async () => {
    const { table, records, aggregates, deps } = await setUp('reach-chaos');
    const totals = expectedTotals();
    const countedEvents =
      totals.queued +
      totals.invited +
      totals.throttled +
      totals.bounced +
      totals.delivered +
      totals.opened * 2;
    expect(records).toHaveLength(countedEvents + totals.completed + 1);
    const third = Math.floor(records.length / 3);
    const batches = [records.slice(0, third), records.slice(third, 2 * third), records.slice(2 * third)];

    // Batch 1 dies after 2 item writes; Lambda bisects it; the first half dies again and is bisected too.
    aggregates.limit = 2;
    await foldBatch(deps(), batches[0] ?? []);
    aggregates.writes = 0;
    aggregates.limit = 1;
    const half = Math.floor(third / 2);
    await foldBatch(deps(), (batches[0] ?? []).slice(0, half));
    aggregates.limit = Number.POSITIVE_INFINITY;
    const fresh = new LaneMemory();
    const quarter = Math.floor(half / 2);
    await foldBatch(deps(fresh), (batches[0] ?? []).slice(0, quarter));
    await foldBatch(deps(fresh), (batches[0] ?? []).slice(quarter, half));
    await foldBatch(deps(fresh), (batches[0] ?? []).slice(half));

    // Batch 2 has some item writes fail: Lambda resumes at the record the handler names.
    aggregates.writes = 0;
    aggregates.limit = 3;
    const partial = await foldBatch(deps(fresh), batches[1] ?? []);
    expect(partial.retryFrom).toBeDefined();
    aggregates.limit = Number.POSITIVE_INFINITY;
    const from = (batches[1] ?? []).findIndex((r) => r.sequenceNumber === partial.retryFrom);
    const resumed = [...(batches[1] ?? []).slice(from), ...(batches[2] ?? [])];
    await foldBatch(deps(fresh), resumed);

    // The last batch comes again, whole to this container and shorter to another.
    await foldBatch(deps(fresh), resumed);
    await foldBatch(deps(), resumed.slice(0, 20));

    const { expected, actual } = await compare(table, records);
    expect(actual.size).toBeGreaterThan(10);
    expect(actual).toEqual(expected);

    const reach = await new DynamoReachStore(client, table).read('spring');
    const { answered, ...counts } = totals;
    expect(reach.total).toEqual({
      ...counts,
      suppressed: 0,
      failed: 0,
      unknown: 0,
      complained: 0,
      reminded: 0,
      unsubscribed: 0,
      responseRate: totals.completed / totals.delivered,
      responseRateBasis: 'delivered',
      responseRateCi95: expect.objectContaining({ low: expect.any(Number), high: expect.any(Number) }),
    });
    expect(reach.days.map((d) => d.day)).toEqual(['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']);
    expect(reach.days.find((d) => d.day === '2026-11-22')?.counts.completed).toBe(answered.length);
    expect(reach.segments.map((s) => `${s.key}=${s.value}`)).toEqual([
      'region=r-0',
      'region=r-1',
      'region=r-2',
    ]);
    const r1 = reach.segments.find((s) => s.value === 'r-1')?.counts;
    const inR1 = (ks: number[]) => ks.filter((k) => k % 4 !== 0 && regionOf(k) === 'r-1').length;
    expect(r1?.queued).toBe(inR1(Array.from({ length: CONTACTS }, (_, k) => k)));
    expect(r1?.completed).toBe(inR1(answered));
  });

  it('keeps survey aggregates as before and reads an unknown campaign as empty', async () => {
    const { table, records, deps } = await setUp('reach-plain');
    await foldBatch(deps(), records);
    const items = await scanTable(client, table);
    const all = items.find((i) => i.pk === 'AGG#demo#all#all' && i.sk === 'DAY#2026-11-22');
    // every invited answer and the open-link one
    expect(all?.['c#csat#5']).toBe(expectedTotals().completed + 1);
    const none = await new DynamoReachStore(client, table).read('autumn');
    expect(none).toMatchObject({ campaignId: 'autumn', segments: [], days: [] });
    expect(none.total.responseRate).toBeNull();
  });
});
