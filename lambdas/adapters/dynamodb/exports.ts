import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { ExportStore } from '#insight/ports.ts';
import { EXPORT_KEPT_DAYS, type ExportJob } from '#insight/rules/exports.ts';
import { exportsIndexPk, keys } from './keys.ts';
import { conditional, getItem, newestOf, putNew } from './records.ts';
import { marshallKey } from './surveys.ts';

/** The stored item of an export job; its insert (type `export`) starts the exporter through the stream. */
export function exportItem(job: ExportJob) {
  return {
    ...keys.export(job.exportId),
    type: 'export',
    gsi1pk: exportsIndexPk(job.surveyId),
    gsi1sk: `${job.requestedAt}#${job.exportId}`,
    ...job,
    // The record goes when its file does (the bucket's lifecycle keeps files as long).
    expiresAt: Math.floor(Date.parse(job.requestedAt) / 1000) + EXPORT_KEPT_DAYS * 86_400,
  };
}

export function exportFromItem(item: Record<string, unknown>): ExportJob {
  const { pk: _pk, sk: _sk, type: _t, gsi1pk: _g, gsi1sk: _s, expiresAt: _e, ...job } = item;
  return job as unknown as ExportJob;
}

/** Export jobs, one item each, listed per survey through gsi1. */
export class DynamoExportStore implements ExportStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(job: ExportJob): Promise<void> {
    await putNew(this.client, this.tableName, exportItem(job));
  }

  async get(exportId: string): Promise<ExportJob | undefined> {
    const item = await getItem(this.client, this.tableName, keys.export(exportId));
    return item ? exportFromItem(item) : undefined;
  }

  async listOf(surveyId: string, limit: number): Promise<ExportJob[]> {
    return (await newestOf(this.client, this.tableName, exportsIndexPk(surveyId), limit)).map(exportFromItem);
  }

  async finish(exportId: string, outcome: Parameters<ExportStore['finish']>[1]): Promise<boolean> {
    const fields = Object.entries(outcome).filter(([, v]) => v !== undefined);
    return conditional(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshallKey(keys.export(exportId)),
          UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
          },
          ExpressionAttributeValues: marshall({
            ':running': 'running',
            ...Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
          }),
        }),
      ),
    );
  }
}
