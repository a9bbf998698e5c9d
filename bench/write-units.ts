import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoAggregateStore } from '#adapters/dynamodb/aggregates.ts';
import { DynamoLaneStore } from '#adapters/dynamodb/lanes.ts';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { countedOfStreamRecord } from '#adapters/dynamodb/stream-records.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { planAggregateUpdates } from '#aggregation/rules/aggregation.ts';
import {
  type BatchRecord,
  type FoldBatchDeps,
  foldBatch,
  LaneMemory,
} from '#aggregation/use-cases/fold-batch.ts';
import { buildResponse, commentOf, hasComment, type ResponseRecord } from '#capture/rules/response.ts';
import { analyzeComment } from '#insight/rules/analysis.ts';
import { demoSurvey, type Survey, surveySchema } from '#kernel/survey.ts';
import { createTable, meteredClient, onFreshDynamoDb, readStream } from './support.ts';

export interface WriteUnitFigures {
  readonly responses: number;
  readonly batchSize: number;
  readonly ingestUnitsPerResponse: number;
  /** What storing a response took, without a comment and with one (the comment index's write included). */
  readonly ingestUnitsWithoutComment: number;
  readonly ingestUnitsWithComment: number;
  readonly ingestUnitsWithCommentUnread: number;
  readonly aggregateUnitsPerResponse: number;
  readonly laneUnitsPerResponse: number;
  readonly totalUnitsPerResponse: number;
  /** The total of a response without a comment: its ingest, and the fold's units per response. */
  readonly totalUnitsWithoutComment: number;
  readonly floorUnitsPerResponse: number;
  readonly naiveUnitsPerResponse: number;
  readonly aggregateVsFloor: number;
}

/** 100 stores in 5 regions, 3 channels; every response answers NPS, CSAT, CES and a short comment. */
/** Comments of the workload, in the three languages, read as capture reads them. */
const COMMENTS = [
  ['en', 'Fast and friendly'],
  ['es', 'Esperamos casi una hora en la fila y la cajera no fue amable'],
  ['pt', 'O pedido chegou atrasado e o atendimento foi péssimo'],
] as const;

export function workload(survey: Survey, n: number, now: Date) {
  const channels = ['web', 'email', 'kiosk'];
  return Array.from({ length: n }, (_, i) => {
    const store = i % 100;
    const [locale, text] = COMMENTS[Math.floor(i / 4) % 3] ?? COMMENTS[0];
    const response = buildResponse({
      survey,
      submissionId: `bench-${String(i).padStart(8, '0')}`,
      answers: {
        nps: (i * 7) % 11,
        csat: ((i * 3) % 5) + 1,
        ces: ((i * 5) % 7) + 1,
        comment: i % 4 ? '' : text,
      },
      locale,
      attributes: {
        store: `s-${String(store).padStart(3, '0')}`,
        region: `r-${store % 5}`,
        channel: channels[i % 3] ?? 'web',
      },
      capturedVia: 'api',
      now,
    });
    const comment = commentOf(survey, response.answers);
    return comment
      ? {
          ...response,
          analysis: { ...analyzeComment({ text: comment.text, locale }), questions: [...comment.questions] },
        }
      : response;
  });
}

/** What a fold bench works on: the workload stored through the response adapter, its stream, and fold deps. */
export interface StoredWorkload {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly meter: ReturnType<typeof meteredClient>['meter'];
  readonly survey: Survey;
  readonly responses: readonly ResponseRecord[];
  /** Write units the response puts took. */
  readonly ingestUnits: number;
  /** Write units per stored response, without a comment and with one. */
  readonly ingestUnitsWithoutComment: number;
  readonly ingestUnitsWithComment: number;
  /** The same comments stored without their reading: what the reading adds to the ingest is the difference. */
  readonly ingestUnitsWithCommentUnread: number;
  /** The responses' stream records as the aggregator reads them, in stream order. */
  readonly records: readonly BatchRecord[];
  /** The aggregator's fold over the DynamoDB adapters on the metered client. */
  readonly deps: FoldBatchDeps;
}

/** Creates a table named `table`, stores `n` responses of the workload in it and reads back its stream. */
export async function storedWorkload(endpoint: string, n: number, table: string): Promise<StoredWorkload> {
  // A response item with a comment carries the comment index's key (gsi1pk): its put writes the index too.
  const { client, meter } = meteredClient(endpoint, (input) => {
    const item = input.Item as Record<string, unknown> | undefined;
    if ((item?.type as { S?: string } | undefined)?.S !== 'response') return undefined;
    if (!item?.gsi1pk) return 'withoutComment';
    return item.analysis ? 'withComment' : 'withCommentUnread';
  });
  const streamArn = await createTable(client, table);
  const survey = surveySchema.parse(demoSurvey);
  await new DynamoSurveyStore(client, table).put(survey);

  const store = new DynamoResponseStore(client, table);
  const responses = workload(survey, n, new Date());
  meter.writeUnits = 0;
  for (let i = 0; i < responses.length; i += 50) {
    await Promise.all(responses.slice(i, i + 50).map((r) => store.putIfAbsent(r, survey.retentionDays)));
  }
  const ingestUnits = meter.writeUnits;
  const commented = responses.filter(hasComment);
  const ingestUnitsWithComment = (meter.writeUnitsOf.withComment ?? 0) / Math.max(1, commented.length);
  const ingestUnitsWithoutComment =
    (meter.writeUnitsOf.withoutComment ?? 0) / Math.max(1, responses.length - commented.length);
  // The same comments stored unread, in a survey of their own (never folded), for what the reading costs.
  for (const { analysis: _, ...unread } of commented)
    await store.putIfAbsent({ ...unread, surveyId: 'unread' }, survey.retentionDays);
  const ingestUnitsWithCommentUnread =
    (meter.writeUnitsOf.withCommentUnread ?? 0) / Math.max(1, commented.length);

  const records = (await readStream(endpoint, streamArn))
    .flat()
    .filter(
      (r) => r.dynamodb?.NewImage?.type?.S === 'response' && r.dynamodb.NewImage.surveyId?.S !== 'unread',
    )
    .map((r) => {
      const counted = countedOfStreamRecord(r as unknown as DynamoDBRecord);
      return {
        eventId: r.eventID ?? '',
        sequenceNumber: r.dynamodb?.SequenceNumber ?? '',
        response: counted?.response,
        analysed: counted?.analysed,
      };
    });
  const deps = {
    surveys: new DynamoSurveyStore(client, table),
    aggregates: new DynamoAggregateStore(client, table),
    lanes: new DynamoLaneStore(client, table),
    memory: new LaneMemory(),
    clock: { now: () => new Date() },
  };
  return {
    client,
    table,
    meter,
    survey,
    responses,
    ingestUnits,
    ingestUnitsWithoutComment,
    ingestUnitsWithComment,
    ingestUnitsWithCommentUnread,
    records,
    deps,
  };
}

/** The write units per response at one batch size, on a DynamoDB Local of its own. */
export function measureWriteUnits(n: number, batchSize: number): Promise<WriteUnitFigures> {
  return onFreshDynamoDb((endpoint) => measureWriteUnitsOn(endpoint, n, batchSize));
}

async function measureWriteUnitsOn(
  endpoint: string,
  n: number,
  batchSize: number,
): Promise<WriteUnitFigures> {
  const {
    client,
    meter,
    survey,
    ingestUnits,
    ingestUnitsWithoutComment,
    ingestUnitsWithComment,
    ingestUnitsWithCommentUnread,
    records,
    deps,
  } = await storedWorkload(endpoint, n, `bench-wcu-${batchSize}-${Date.now()}`);
  let floor = 0;
  let naive = 0;
  let laneUnits = 0;
  let aggregateUnits = 0;
  for (let i = 0; i < records.length; i += batchSize) {
    const batch = records.slice(i, i + batchSize);
    const streamed = batch.flatMap((b) => (b.response ? [{ ...b, response: b.response }] : []));
    const plan = planAggregateUpdates(streamed, () => survey, 'lane');
    floor += plan.length;
    naive += plan.reduce((sum, u) => sum + u.contributions.length, 0);
    const before = meter.writeUnits;
    const result = await foldBatch(deps, batch);
    aggregateUnits += result.writeUnits;
    laneUnits += meter.writeUnits - before - result.writeUnits;
  }
  client.destroy();
  const per = (x: number) => x / n;
  return {
    responses: n,
    batchSize,
    ingestUnitsPerResponse: per(ingestUnits),
    ingestUnitsWithoutComment,
    ingestUnitsWithComment,
    ingestUnitsWithCommentUnread,
    aggregateUnitsPerResponse: per(aggregateUnits),
    laneUnitsPerResponse: per(laneUnits),
    totalUnitsPerResponse: per(ingestUnits + aggregateUnits + laneUnits),
    totalUnitsWithoutComment: ingestUnitsWithoutComment + per(aggregateUnits + laneUnits),
    floorUnitsPerResponse: per(floor),
    naiveUnitsPerResponse: per(ingestUnits + naive),
    aggregateVsFloor: aggregateUnits / floor,
  };
}
