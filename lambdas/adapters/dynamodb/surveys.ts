import { type DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { SurveyStore } from '#kernel/ports.ts';
import { type Survey, surveySchema } from '#kernel/survey.ts';
import { keys, SURVEYS_INDEX_PK } from './keys.ts';

export class DynamoSurveyStore implements SurveyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(surveyId: string): Promise<Survey | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshallKey(keys.survey(surveyId)) }),
    );
    return Item?.definition?.S ? surveySchema.parse(JSON.parse(Item.definition.S)) : undefined;
  }

  async put(survey: Survey): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...marshallKey(keys.survey(survey.id)),
          type: { S: 'survey' },
          gsi1pk: { S: SURVEYS_INDEX_PK },
          gsi1sk: { S: survey.id },
          definition: { S: JSON.stringify(survey) },
          updatedAt: { S: new Date().toISOString() },
        },
      }),
    );
  }

  async list(): Promise<Survey[]> {
    const surveys: Survey[] = [];
    let ExclusiveStartKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: SURVEYS_INDEX_PK } },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.definition?.S) surveys.push(surveySchema.parse(JSON.parse(item.definition.S)));
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return surveys;
  }
}

export function marshallKey(k: { pk: string; sk: string }) {
  return { pk: { S: k.pk }, sk: { S: k.sk } };
}

/** Caches survey definitions for a short time: they change rarely and are read on every request. */
export class CachedSurveyStore implements SurveyStore {
  private readonly cache = new Map<string, { at: number; survey: Survey | undefined }>();
  constructor(
    private readonly inner: SurveyStore,
    private readonly ttlMs = 30_000,
  ) {}

  async get(surveyId: string): Promise<Survey | undefined> {
    const hit = this.cache.get(surveyId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.survey;
    const survey = await this.inner.get(surveyId);
    // Unknown ids are not cached, so a survey created a moment ago is found at once.
    if (survey) this.cache.set(surveyId, { at: Date.now(), survey });
    return survey;
  }

  async put(survey: Survey): Promise<void> {
    await this.inner.put(survey);
    this.cache.set(survey.id, { at: Date.now(), survey });
  }

  list(): Promise<Survey[]> {
    return this.inner.list();
  }
}
