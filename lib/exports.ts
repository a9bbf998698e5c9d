import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EXPORT_KEPT_DAYS } from '#insight/rules/exports.ts';
import { PulsoFunction } from '#lib/pulso-function.ts';
import { createFailureQueue } from '#lib/stream-consumer.ts';

export interface ExportsProps {
  /** The Pulso table. */
  readonly table: ITable;
  /** Where the bucket's access logs go (the workspace's log bucket). */
  readonly accessLogs: IBucket;
}

/** The exporter's longest run: Lambda's limit. */
const EXPORTER_TIMEOUT = Duration.minutes(15);

/**
 * CSV exports (docs/decisions/0014-exports.md): the `exports` function takes requests and hands out presigned
 * links; the `exporter` reads the table and streams each file into a private bucket that keeps it 7 days (the
 * files hold personal data).
 */
export class Exports extends Construct {
  public readonly bucket: Bucket;
  public readonly queue: Queue;
  public readonly failures: Queue;
  /** The HTTP function. */
  public readonly exports: PulsoFunction;
  public readonly exporter: PulsoFunction;

  constructor(scope: Construct, id: string, props: ExportsProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'exports/',
      lifecycleRules: [
        {
          expiration: Duration.days(EXPORT_KEPT_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    this.failures = createFailureQueue(this, 'JobFailures');
    this.queue = new Queue(this, 'Jobs', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the exporter's timeout, as Lambda asks of a queue it reads.
      visibilityTimeout: Duration.minutes(90),
      deadLetterQueue: { queue: this.failures, maxReceiveCount: 2 },
    });

    this.exports = new PulsoFunction(this, 'Exports', {
      entry: 'lambdas/handlers/exports.ts',
      description: 'Takes CSV export requests and hands out download links',
    })
      .bindTable(props.table)
      .bindExportQueue(this.queue)
      .bindExportFiles(this.bucket, 'read');

    this.exporter = new PulsoFunction(this, 'Exporter', {
      entry: 'lambdas/handlers/exporter.ts',
      description: 'Writes CSV exports of responses and aggregates to the exports bucket',
      timeout: EXPORTER_TIMEOUT,
      memorySize: 1024,
    })
      .bindTable(props.table)
      .bindExportFiles(this.bucket, 'write');
    this.exporter.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 1, maxConcurrency: 2, reportBatchItemFailures: true }),
    );
  }
}
