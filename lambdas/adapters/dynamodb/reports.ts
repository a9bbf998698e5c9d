import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ReportLedger } from '#loop/ports.ts';
import type { ReportFrequency } from '#loop/rules/report-frequencies.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

/** A claim is kept past the longest period (a month) and its retries, then goes by TTL. */
const KEPT_S = 62 * 86_400;

/** Each report sent is an item claimed with a conditional put; a failed send deletes it again. */
export class DynamoReportLedger implements ReportLedger {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async claim(email: string, frequency: ReportFrequency, periodTo: string, at: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...marshallKey(keys.report(email, frequency, periodTo)),
            type: { S: 'report' },
            sentAt: { S: at.toISOString() },
            expiresAt: { N: String(Math.floor(at.getTime() / 1000) + KEPT_S) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async release(email: string, frequency: ReportFrequency, periodTo: string): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: marshallKey(keys.report(email, frequency, periodTo)),
      }),
    );
  }
}
