import { DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ReportLedger } from '#loop/ports.ts';
import type { ReportFrequency } from '#loop/rules/report-frequencies.ts';
import { keys } from './keys.ts';
import { conditional, putNew } from './records.ts';
import { marshallKey } from './surveys.ts';

/** A claim is kept past the longest period (a month) and its retries, then goes by TTL. */
const KEPT_S = 62 * 86_400;

/** Each report sent is an item claimed with a conditional put; a failed send deletes it again. */
export class DynamoReportLedger implements ReportLedger {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  claim(email: string, frequency: ReportFrequency, periodTo: string, at: Date): Promise<boolean> {
    return conditional(
      putNew(this.client, this.tableName, {
        ...keys.report(email, frequency, periodTo),
        type: 'report',
        sentAt: at.toISOString(),
        expiresAt: Math.floor(at.getTime() / 1000) + KEPT_S,
      }),
    );
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
