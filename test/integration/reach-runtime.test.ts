import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReachStore } from '#adapters/dynamodb/reach.ts';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { buildResponse } from '#capture/rules/response.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import type { Runtime } from '#local/runtime.ts';
import { startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ rt, ddb, stop: stopRuntime } = await startTestRuntime());
});
afterAll(async () => {
  await stopRuntime?.();
});

describe('campaign reach in the local runtime', () => {
  it('folds invitation events and invited responses through the aggregator stream filter', async () => {
    const campaignId = `c-${Date.now().toString(36)}`;
    const itemKey = { pk: `CAMPAIGN#${campaignId}`, sk: 'INV#c1' };
    const now = new Date();
    const step = (event: string) =>
      ddb.send(
        new UpdateItemCommand({
          TableName: rt.tableName,
          Key: marshall(itemKey),
          UpdateExpression: 'SET #e = :e, eventAt = :at',
          ExpressionAttributeNames: { '#e': 'event' },
          ExpressionAttributeValues: marshall({ ':e': event, ':at': now.toISOString() }),
        }),
      );
    await ddb.send(
      new PutItemCommand({
        TableName: rt.tableName,
        Item: marshall({
          ...itemKey,
          type: 'invitation',
          campaignId,
          contactId: 'c1',
          invitationId: `${campaignId}.c1`,
          surveyId: 'demo',
          channel: 'email',
          segments: { store: 's-reach' },
          state: 'pending',
          event: 'queued',
          eventAt: now.toISOString(),
        }),
      }),
    );
    await step('sending'); // not a reach event
    await step('invited');
    await step('delivered');
    await new DynamoResponseStore(ddb, rt.tableName).putIfAbsent(
      buildResponse({
        survey: surveySchema.parse(demoSurvey),
        submissionId: `inv.${campaignId}.c1`,
        answers: { nps: 9, csat: 4, ces: 6 },
        attributes: { store: 's-reach' },
        capturedVia: 'web',
        now,
        campaignId,
      }),
      30,
    );
    await rt.streamsIdle();

    const reach = await new DynamoReachStore(ddb, rt.tableName).read(campaignId);
    expect(reach.total).toMatchObject({ queued: 1, invited: 1, delivered: 1, completed: 1, responseRate: 1 });
    expect(reach.segments).toEqual([{ key: 'store', value: 's-reach', counts: reach.total }]);
    expect(reach.days).toEqual([{ day: now.toISOString().slice(0, 10), counts: reach.total }]);
  });
});
