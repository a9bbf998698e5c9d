import { gunzipSync, gzipSync } from 'node:zlib';
import { type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { SentimentModelStore, TrainedModel } from '#insight/ports.ts';
import { keys, SENTIMENT_MODELS_PK } from './keys.ts';
import { marshallKey } from './surveys.ts';

/**
 * The learned classifiers, an item per language: the figures as attributes, the model as gzipped JSON (a model of
 * 20,000 features is about 150 KB gzipped, within an item's 400 KB; the trainer keeps the strongest features only).
 */
export class DynamoSentimentModelStore implements SentimentModelStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async all(): Promise<TrainedModel[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: SENTIMENT_MODELS_PK } },
      }),
    );
    return Items.flatMap((item) =>
      item.model?.B ? [JSON.parse(gunzipSync(item.model.B).toString('utf8')) as TrainedModel] : [],
    );
  }

  async put(trained: TrainedModel): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...marshallKey(keys.sentimentModel(trained.language)),
          type: { S: 'sentiment-model' },
          inUse: { BOOL: trained.inUse },
          trainedAt: { S: trained.trainedAt },
          trainedOn: { N: String(trained.model.trainedOn) },
          model: { B: gzipSync(JSON.stringify(trained)) },
        },
      }),
    );
  }
}
