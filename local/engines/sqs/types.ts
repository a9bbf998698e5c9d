// What the engine answers and keeps, shared by its callers (the runtime's pollers, DLQ and queue files).

export interface SqsMessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  /** Base64, as the JSON protocol carries blobs. */
  readonly BinaryValue?: string;
  readonly StringListValues?: readonly string[];
  readonly BinaryListValues?: readonly string[];
}

/** A message as kept (and persisted): everything but its visibility and current receipt handle. */
export interface SqsMessageRecord {
  readonly messageId: string;
  readonly body: string;
  readonly messageAttributes: Record<string, SqsMessageAttributeValue>;
  /** MessageSystemAttributes of the send (AWSTraceHeader). */
  readonly systemAttributes?: Record<string, SqsMessageAttributeValue>;
  /** Epoch ms of the first send (kept when a message moves to a dead-letter queue). */
  readonly sentTimestamp: number;
  readonly senderId: string;
  readonly receiveCount: number;
  readonly firstReceiveTimestamp?: number;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly sequenceNumber?: string;
  /** ARN of the queue a redrive policy moved the message from. */
  readonly deadLetterQueueSourceArn?: string;
  /** Local only, never on the wire: what the runtime attached to the message (e.g. a stream batch's records). */
  readonly extra?: unknown;
}

export interface SqsReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly messageAttributes: Record<string, SqsMessageAttributeValue>;
  /** Every system attribute: ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp... */
  readonly attributes: Record<string, string>;
  readonly extra?: unknown;
}

export type SqsMessageState = 'visible' | 'inFlight' | 'delayed';

export interface SqsPeekedMessage extends SqsMessageRecord {
  readonly state: SqsMessageState;
  /** Epoch ms when a delayed or in-flight message becomes visible. */
  readonly visibleAt: number;
}

export interface SqsQueueCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export interface SqsQueueSummary {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly fifo: boolean;
  readonly messages: SqsQueueCounts;
  readonly attributes: Record<string, string>;
}

export interface SqsSendInput {
  readonly body: string;
  readonly delaySeconds?: number;
  readonly messageAttributes?: Record<string, SqsMessageAttributeValue>;
  readonly systemAttributes?: Record<string, SqsMessageAttributeValue>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly senderId?: string;
  readonly extra?: unknown;
}

export interface SqsSendResult {
  readonly messageId: string;
  readonly md5OfMessageBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly md5OfMessageSystemAttributes?: string;
  readonly sequenceNumber?: string;
}

export interface SqsReceiveOptions {
  /** 1 to 10. @default 1 */
  readonly max?: number;
  /** Seconds the received messages stay invisible. @default the queue's VisibilityTimeout */
  readonly visibilityTimeout?: number;
  /** Long polling, in milliseconds (the API takes whole seconds, 0 to 20). @default the queue's ReceiveMessageWaitTimeSeconds */
  readonly waitMs?: number;
  readonly signal?: AbortSignal;
}

export type SqsChange =
  | { readonly type: 'sent'; readonly message: SqsMessageRecord }
  | { readonly type: 'removed'; readonly messageIds: readonly string[] };

export interface SqsEngine {
  /** SQS endpoint for AWS_ENDPOINT_URL_SQS, ending in `/`; `GET /` lists the queues (JSON with Accept: application/json). */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /** Name of an existing queue given by name, URL or ARN. */
  resolve(ref: string): string | undefined;
  createQueue(name: string, attributes?: Record<string, string>): string;
  send(queue: string, input: SqsSendInput): SqsSendResult;
  receive(queue: string, opts?: SqsReceiveOptions): Promise<SqsReceivedMessage[]>;
  deleteMessage(queue: string, receiptHandle: string): void;
  changeVisibility(queue: string, receiptHandle: string, seconds: number): void;
  /** Deletes messages by id, whatever their state (local tooling, not an SQS action). */
  remove(queue: string, messageIds: readonly string[]): number;
  /** Moves dead-letter messages back to the queue they came from; answers the ids that have no source queue. */
  moveToSource(queue: string, messageIds: readonly string[]): { moved: string[]; unmovable: string[] };
  peek(queue: string): SqsPeekedMessage[];
  counts(queue: string): SqsQueueCounts;
  queues(): SqsQueueSummary[];
  /** Puts kept messages back (visible), without change events. */
  restore(queue: string, messages: readonly SqsMessageRecord[]): void;
  /** Called after every change to the set of messages of a queue (not on receives). */
  onChange(listener: (queue: string, change: SqsChange) => void): () => void;
  stop(): Promise<void>;
}

/** An SQS error: the JSON `__type` shape name, the awsQuery code for `x-amzn-query-error`, the HTTP status. */
