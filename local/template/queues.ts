import { constructId, type StackReader } from './reader.ts';
import { localQueueName } from './resolver.ts';

export interface LocalQueue {
  readonly logicalId: string;
  readonly constructId: string;
  readonly name: string;
  readonly arn: string;
  /** CreateQueue attributes from the queue's properties (RedrivePolicy as SQS's JSON string). */
  readonly attributes: Record<string, string>;
  readonly fifo: boolean;
  /** Name of the dead-letter queue its redrive policy names, if any. */
  readonly deadLetterQueue?: string;
}

/** The CreateQueue attributes an AWS::SQS::Queue's properties carry (same names). */
const QUEUE_ATTRIBUTES = [
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoQueue',
  'FifoThroughputLimit',
  'KmsDataKeyReusePeriodSeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'RedriveAllowPolicy',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
];

/** AWS::SQS::Queue as CreateQueue attributes (standard or FIFO), with the dead-letter queue its redrive policy names. */
export function readQueues({ ofType, resolver, warnings }: StackReader): LocalQueue[] {
  return ofType('AWS::SQS::Queue').map(([id, res]): LocalQueue => {
    const p = (resolver.resolve(res.Properties ?? {}) ?? {}) as Record<string, unknown>;
    const attributes: Record<string, string> = {};
    for (const name of QUEUE_ATTRIBUTES) {
      const value = p[name];
      if (value === undefined || value === null) continue;
      attributes[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
    let deadLetterQueue: string | undefined;
    if (attributes.RedrivePolicy) {
      const policy = JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string };
      deadLetterQueue = policy.deadLetterTargetArn?.split(':')[5];
    }
    for (const name of Object.keys(p)) {
      if (!QUEUE_ATTRIBUTES.includes(name) && !['QueueName', 'Tags', 'KmsMasterKeyId'].includes(name)) {
        warnings.push(`Queue ${id}: property ${name} is not emulated locally`);
      }
    }
    return {
      logicalId: id,
      constructId: constructId(res, id),
      name: localQueueName(resolver, id),
      arn: String(resolver.getAtt(id, 'Arn')),
      attributes,
      fifo: attributes.FifoQueue === 'true',
      deadLetterQueue,
    };
  });
}
