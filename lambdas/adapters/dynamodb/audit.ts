import { type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AuditTrail } from '#access/ports.ts';
import type { AuditEntry } from '#access/rules/audit.ts';
import { keys } from './keys.ts';

/**
 * One partition per UTC day (`AUDIT#<day>`), entries by time: a day reads newest first with one Query; the table's
 * TTL removes each entry once kept its days. Written with a condition, so a repeated request id adds nothing.
 */
export class DynamoAuditTrail implements AuditTrail {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry, keepDays: number): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall(
          {
            ...keys.audit(entry.at, entry.requestId),
            type: 'audit',
            ...entry,
            expiresAt: Math.floor(Date.parse(entry.at) / 1000) + keepDays * 86_400,
          },
          { removeUndefinedValues: true },
        ),
      }),
    );
  }

  async day(day: string, limit: number): Promise<AuditEntry[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: keys.auditPk(day) } },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => {
      const { pk: _p, sk: _s, type: _t, expiresAt: _e, ...entry } = unmarshall(item);
      return entry as AuditEntry;
    });
  }
}
