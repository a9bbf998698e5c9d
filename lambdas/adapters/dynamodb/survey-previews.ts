import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { SurveyPreviewStore } from '#capture/ports.ts';
import type { SurveyPreview } from '#capture/rules/previews.ts';
import { surveySchema } from '#kernel/survey.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

/** A preview is one item with the draft as JSON, removed by the table's TTL (`expiresAt`) once it expired. */
export class DynamoSurveyPreviewStore implements SurveyPreviewStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async put(preview: SurveyPreview): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...marshallKey(keys.surveyPreview(preview.previewId)),
          type: { S: 'survey-preview' },
          definition: { S: JSON.stringify(preview.survey) },
          previewExpiresAt: { S: preview.expiresAt },
          expiresAt: { N: String(Math.ceil(Date.parse(preview.expiresAt) / 1000)) },
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(previewId: string): Promise<SurveyPreview | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshallKey(keys.surveyPreview(previewId)) }),
    );
    if (!Item?.definition?.S || !Item.previewExpiresAt?.S) return undefined;
    return {
      previewId,
      survey: surveySchema.parse(JSON.parse(Item.definition.S)),
      expiresAt: Item.previewExpiresAt.S,
    };
  }
}
