import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { requireEnv } from './dynamodb/client.ts';
import { once } from './runtime.ts';
import { S3ExportFiles } from './s3-export-files.ts';
import { SqsExportQueue } from './sqs-export-queue.ts';

/** Export files in EXPORTS_BUCKET, one client per container; locally the S3 engine, addressed by path. */
export const exportFiles = once(
  () =>
    new S3ExportFiles(
      new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined }),
      requireEnv('EXPORTS_BUCKET'),
    ),
);

/** The exporter's queue named by EXPORT_QUEUE_URL. */
export const exportQueue = once(() => new SqsExportQueue(new SQSClient({}), requireEnv('EXPORT_QUEUE_URL')));
