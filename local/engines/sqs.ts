import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, PORT_OWNERS, urlHost } from '../ports.ts';
import { escapeHtml } from './sns.ts';

// @aws-sdk/client-sqs (3.4xx and later) speaks AWS JSON 1.0: POST /, `X-Amz-Target: AmazonSQS.<Action>`, JSON in
// and out, errors as `{"__type", "message"}` plus the `x-amzn-query-error` header the SDK reads in query-compatible
// mode. The older awsQuery protocol (form-encoded `Action=...`) is refused with an explanation.
const TARGET_PREFIX = 'AmazonSQS.';
const JSON_TYPE = 'application/x-amz-json-1.0';
const ERROR_NAMESPACE = 'com.amazonaws.sqs#';
const MAX_BATCH_ENTRIES = 10;
const FIFO_DEDUP_MS = 5 * 60 * 1000;
const PURGE_INTERVAL_MS = 60_000;
const DELETED_QUEUE_MS = 60_000;
const MAX_VISIBILITY_SECONDS = 43_200;

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
export class SqsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly queryCode: string = type,
    readonly status = 400,
    readonly senderFault = true,
  ) {
    super(message);
    this.name = type;
  }
}

const err = {
  noQueue: () =>
    new SqsError(
      'QueueDoesNotExist',
      'The specified queue does not exist.',
      'AWS.SimpleQueueService.NonExistentQueue',
    ),
  invalid: (message: string) => new SqsError('InvalidParameterValue', message),
  invalidValue: (name: string, value: unknown, reason: string) =>
    new SqsError(
      'InvalidParameterValue',
      `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`,
    ),
  missing: (name: string) =>
    new SqsError('MissingParameter', `The request must contain the parameter ${name}.`),
  attributeName: (name: string) => new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`),
  attributeValue: (name: string, value: string, reason: string) =>
    new SqsError(
      'InvalidAttributeValue',
      `Invalid value for the parameter ${name}. Reason: ${reason} (value: ${value})`,
    ),
  receiptHandle: (handle: string) =>
    new SqsError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
      'ReceiptHandleIsInvalid',
      404,
    ),
};

interface Queue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly fifo: boolean;
  readonly attributes: Record<string, string>;
  readonly created: number;
  lastModified: number;
  /** In send order (a Map keeps insertion order; deletes are O(1)). */
  readonly messages: Map<string, Message>;
  readonly dedup: Map<string, { messageId: string; sequenceNumber?: string; expires: number }>;
  readonly waiters: Set<() => void>;
  readonly tags: Record<string, string>;
  lastPurge?: number;
  lastExpired: number;
  sequence: bigint;
}

interface Message {
  record: SqsMessageRecord;
  visibleAt: number;
  receiptHandle?: string;
}

// Settable queue attributes and their ranges; others in the list are kept as given.
const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, MAX_VISIBILITY_SECONDS],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};
const SETTABLE = new Set([
  ...Object.keys(RANGES),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'SqsManagedSseEnabled',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);
const DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};
const COMPUTED = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
];

/** An SQS-compatible endpoint (standard and FIFO queues, redrive policies, long polling) kept in memory. */
export async function startSqs(opts: {
  port: number;
  host?: string;
  region?: string;
  accountId?: string;
}): Promise<SqsEngine> {
  const host = opts.host ?? '127.0.0.1';
  const region = opts.region ?? 'us-east-1';
  const accountId = opts.accountId ?? '000000000000';
  const queues = new Map<string, Queue>();
  const deletedAt = new Map<string, number>();
  const listeners = new Set<(queue: string, change: SqsChange) => void>();
  const stopController = new AbortController();
  let baseUrl = '';

  const queueUrl = (name: string) => `${baseUrl}${accountId}/${name}`;
  const queueArn = (name: string) => `arn:aws:sqs:${region}:${accountId}:${name}`;
  const emit = (queue: string, change: SqsChange) => {
    for (const listener of listeners) listener(queue, change);
  };
  const notify = (q: Queue) => {
    for (const wake of [...q.waiters]) wake();
  };

  /** Queue name from a name, a queue URL (any host) or an ARN. */
  const nameOf = (ref: string): string => {
    if (ref.startsWith('arn:')) {
      const parts = ref.split(':');
      return parts[2] === 'sqs' && parts[4] === accountId ? (parts[5] ?? '') : '';
    }
    if (/^https?:\/\//.test(ref)) {
      let path: string;
      try {
        path = new URL(ref).pathname;
      } catch {
        throw new SqsError(
          'InvalidAddress',
          `The address ${ref} is not valid for this endpoint.`,
          'InvalidAddress',
          404,
        );
      }
      const [account, name, ...rest] = path.split('/').filter(Boolean);
      return account === accountId && name && rest.length === 0 ? decodeURIComponent(name) : '';
    }
    return ref;
  };
  const resolve = (ref: string) => {
    try {
      const name = nameOf(ref);
      return queues.has(name) ? name : undefined;
    } catch {
      return undefined;
    }
  };
  const requireQueue = (ref: string | undefined): Queue => {
    if (!ref) throw err.missing('QueueUrl');
    const q = queues.get(nameOf(ref));
    if (!q) throw err.noQueue();
    return q;
  };

  const num = (q: Queue, attribute: string) => Number(q.attributes[attribute] ?? DEFAULTS[attribute] ?? 0);
  const redrivePolicy = (q: Queue): { target: string; maxReceiveCount: number } | undefined => {
    const raw = q.attributes.RedrivePolicy;
    if (!raw) return undefined;
    const p = JSON.parse(raw) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
    return { target: nameOf(p.deadLetterTargetArn), maxReceiveCount: Number(p.maxReceiveCount) };
  };

  /** Checks attribute names and values for CreateQueue / SetQueueAttributes; answers them normalised. */
  const checkAttributes = (
    name: string,
    fifo: boolean,
    attributes: Record<string, unknown>,
    creating: boolean,
  ): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [key, raw] of Object.entries(attributes)) {
      const value = String(raw);
      if (key === 'FifoQueue') {
        if (!creating) throw err.invalid('Invalid parameter: FifoQueue cannot be changed after creation.');
        continue;
      }
      if (!SETTABLE.has(key)) throw err.attributeName(key);
      const range = RANGES[key];
      if (range) {
        const n = Number(value);
        if (value.trim() === '' || !Number.isInteger(n) || n < range[0] || n > range[1]) {
          throw err.attributeValue(key, value, `Must be an integer from ${range[0]} to ${range[1]}.`);
        }
        out[key] = String(n);
        continue;
      }
      if (['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'].includes(key) && !fifo) {
        throw err.attributeName(key);
      }
      if (key === 'ContentBasedDeduplication' || key === 'SqsManagedSseEnabled') {
        if (value !== 'true' && value !== 'false')
          throw err.attributeValue(key, value, 'Must be true or false.');
      }
      if (key === 'DeduplicationScope' && !['messageGroup', 'queue'].includes(value)) {
        throw err.attributeValue(key, value, 'Must be messageGroup or queue.');
      }
      if (key === 'FifoThroughputLimit' && !['perMessageGroupId', 'perQueue'].includes(value)) {
        throw err.attributeValue(key, value, 'Must be perMessageGroupId or perQueue.');
      }
      if (key === 'RedrivePolicy' && value !== '') {
        let policy: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
        try {
          policy = JSON.parse(value) as typeof policy;
        } catch {
          throw err.attributeValue(key, value, 'Redrive policy is not a valid JSON map.');
        }
        const count = Number(policy.maxReceiveCount);
        if (!Number.isInteger(count) || count < 1 || count > 1000) {
          throw err.attributeValue(
            key,
            value,
            'Invalid value for maxReceiveCount: must be an integer from 1 to 1000.',
          );
        }
        const target = typeof policy.deadLetterTargetArn === 'string' ? policy.deadLetterTargetArn : '';
        const dlq = queues.get(nameOf(target));
        if (!target.startsWith('arn:') || !dlq) {
          throw err.attributeValue(key, value, 'Dead-letter target does not exist.');
        }
        if (dlq.fifo !== fifo || dlq.name === name) {
          throw err.attributeValue(
            key,
            value,
            dlq.name === name
              ? 'A queue cannot be its own dead-letter queue.'
              : 'The dead-letter queue of a FIFO queue must also be a FIFO queue (and of a standard queue, a standard queue).',
          );
        }
        out[key] = JSON.stringify({ deadLetterTargetArn: target, maxReceiveCount: count });
        continue;
      }
      out[key] = value;
    }
    return out;
  };

  const createQueue = (
    name: string,
    attributes: Record<string, unknown> = {},
    tags: Record<string, string> = {},
  ) => {
    if (!name) throw err.missing('QueueName');
    const fifo = String(attributes.FifoQueue ?? 'false') === 'true';
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name.replace(/\.fifo$/, '')) || name.length > 80) {
      throw err.invalid(
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length (a FIFO queue name ends in .fifo).',
      );
    }
    if (fifo !== name.endsWith('.fifo')) {
      throw err.invalid(
        fifo
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. A queue whose name ends in .fifo needs the FifoQueue attribute set to true.',
      );
    }
    const checked = checkAttributes(name, fifo, attributes, true);
    const existing = queues.get(name);
    if (existing) {
      for (const [key, value] of Object.entries(checked)) {
        if ((existing.attributes[key] ?? DEFAULTS[key]) !== value) {
          throw new SqsError(
            'QueueNameExists',
            `A queue already exists with the same name and a different value for attribute ${key}`,
            'QueueAlreadyExists',
          );
        }
      }
      return existing.url;
    }
    const deleted = deletedAt.get(name);
    if (deleted !== undefined && Date.now() - deleted < DELETED_QUEUE_MS) {
      throw new SqsError(
        'QueueDeletedRecently',
        'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
        'AWS.SimpleQueueService.QueueDeletedRecently',
      );
    }
    const now = Date.now();
    const q: Queue = {
      name,
      url: queueUrl(name),
      arn: queueArn(name),
      fifo,
      attributes: {
        ...DEFAULTS,
        ...(fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'false' } : {}),
        ...checked,
      },
      created: now,
      lastModified: now,
      messages: new Map(),
      dedup: new Map(),
      waiters: new Set(),
      tags: { ...tags },
      lastExpired: 0,
      sequence: BigInt(now) * 1_000_000n,
    };
    if (fifo) {
      q.attributes.DeduplicationScope ??= 'queue';
      q.attributes.FifoThroughputLimit ??= 'perQueue';
    }
    queues.set(name, q);
    return q.url;
  };

  const stateOf = (m: Message, now: number): SqsMessageState =>
    m.visibleAt <= now ? 'visible' : m.receiptHandle ? 'inFlight' : 'delayed';

  /** Drops the messages past the retention period (counted from the first send, as on AWS); once a second. */
  const expire = (q: Queue, now: number) => {
    if (now - q.lastExpired < 1000) return;
    q.lastExpired = now;
    const retentionMs = num(q, 'MessageRetentionPeriod') * 1000;
    const gone: string[] = [];
    for (const [id, m] of q.messages) {
      if (m.record.sentTimestamp + retentionMs <= now) gone.push(id);
    }
    for (const id of gone) q.messages.delete(id);
    if (gone.length > 0) emit(q.name, { type: 'removed', messageIds: gone });
    for (const [key, entry] of q.dedup) if (entry.expires <= now) q.dedup.delete(key);
  };

  const counts = (q: Queue): SqsQueueCounts => {
    const now = Date.now();
    expire(q, now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of q.messages.values()) {
      const state = stateOf(m, now);
      if (state === 'visible') visible++;
      else if (state === 'inFlight') inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  };

  const send = (q: Queue, input: SqsSendInput): SqsSendResult => {
    const body = input.body;
    if (typeof body !== 'string' || body === '') throw err.missing('MessageBody');
    const bad = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(body);
    if (bad) {
      throw new SqsError(
        'InvalidMessageContents',
        `Invalid binary character '#x${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
      );
    }
    const attributes = input.messageAttributes ?? {};
    checkMessageAttributes(attributes);
    const max = num(q, 'MaximumMessageSize');
    const size = Buffer.byteLength(body) + attributesSize(attributes);
    if (size > max) {
      throw err.invalid(
        `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`,
      );
    }
    if (input.delaySeconds !== undefined) {
      if (q.fifo) {
        throw err.invalidValue(
          'DelaySeconds',
          input.delaySeconds,
          'The request include parameter that is not valid for this queue type.',
        );
      }
      if (!Number.isInteger(input.delaySeconds) || input.delaySeconds < 0 || input.delaySeconds > 900) {
        throw err.invalidValue('DelaySeconds', input.delaySeconds, 'DelaySeconds must be >= 0 and <= 900.');
      }
    }
    const now = Date.now();
    expire(q, now);
    let dedupId = input.messageDeduplicationId;
    let sequenceNumber: string | undefined;
    let dedupKey: string | undefined;
    if (q.fifo) {
      if (!input.messageGroupId) throw err.missing('MessageGroupId');
      checkId('MessageGroupId', input.messageGroupId);
      if (!dedupId && q.attributes.ContentBasedDeduplication !== 'true') {
        throw err.invalid(
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        );
      }
      dedupId ??= createHash('sha256').update(body).digest('hex');
      checkId('MessageDeduplicationId', dedupId);
      dedupKey =
        q.attributes.DeduplicationScope === 'messageGroup' ? `${input.messageGroupId}\n${dedupId}` : dedupId;
      const seen = q.dedup.get(dedupKey);
      if (seen && seen.expires > now) {
        // A duplicate within five minutes is accepted and dropped, answering the first send's id.
        return {
          messageId: seen.messageId,
          md5OfMessageBody: md5(body),
          md5OfMessageAttributes: attributesMd5(attributes),
          md5OfMessageSystemAttributes: attributesMd5(input.systemAttributes ?? {}),
          sequenceNumber: seen.sequenceNumber,
        };
      }
      q.sequence += 1n;
      sequenceNumber = q.sequence.toString().padStart(20, '0');
    } else if (dedupId) {
      throw err.invalidValue(
        'MessageDeduplicationId',
        dedupId,
        'The request include parameter that is not valid for this queue type',
      );
    }
    const record: SqsMessageRecord = {
      messageId: randomUUID(),
      body,
      messageAttributes: attributes,
      ...(input.systemAttributes && Object.keys(input.systemAttributes).length > 0
        ? { systemAttributes: input.systemAttributes }
        : {}),
      sentTimestamp: now,
      senderId: input.senderId ?? accountId,
      receiveCount: 0,
      ...(input.messageGroupId ? { messageGroupId: input.messageGroupId } : {}),
      ...(q.fifo ? { messageDeduplicationId: dedupId, sequenceNumber } : {}),
      ...(input.extra !== undefined ? { extra: input.extra } : {}),
    };
    const delay = input.delaySeconds ?? num(q, 'DelaySeconds');
    q.messages.set(record.messageId, { record, visibleAt: now + delay * 1000 });
    if (dedupKey)
      q.dedup.set(dedupKey, { messageId: record.messageId, sequenceNumber, expires: now + FIFO_DEDUP_MS });
    emit(q.name, { type: 'sent', message: record });
    notify(q);
    return {
      messageId: record.messageId,
      md5OfMessageBody: md5(body),
      md5OfMessageAttributes: attributesMd5(attributes),
      md5OfMessageSystemAttributes: attributesMd5(input.systemAttributes ?? {}),
      sequenceNumber,
    };
  };

  /** Moves a message that was received maxReceiveCount times to the dead-letter queue. */
  const moveToDeadLetter = (q: Queue, m: Message, target: Queue, now: number) => {
    q.messages.delete(m.record.messageId);
    const record: SqsMessageRecord = {
      ...m.record,
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      deadLetterQueueSourceArn: q.arn,
    };
    target.messages.set(record.messageId, { record, visibleAt: now });
    emit(q.name, { type: 'removed', messageIds: [record.messageId] });
    emit(target.name, { type: 'sent', message: record });
    notify(target);
  };

  /** Takes up to `max` receivable messages, in order (per message group for FIFO queues). */
  const take = (q: Queue, max: number, visibilitySeconds: number): SqsReceivedMessage[] => {
    const now = Date.now();
    expire(q, now);
    const policy = redrivePolicy(q);
    const deadLetter = policy ? queues.get(policy.target) : undefined;
    const out: SqsReceivedMessage[] = [];
    const blockedGroups = new Set<string>();
    // Deleting the current entry while iterating a Map is safe (a move to the dead-letter queue does that).
    for (const m of q.messages.values()) {
      if (out.length >= max) break;
      const group = q.fifo ? (m.record.messageGroupId ?? '') : undefined;
      if (group !== undefined && blockedGroups.has(group)) continue;
      if (m.visibleAt > now) {
        // A FIFO group waits behind its oldest message while that one is in flight or delayed.
        if (group !== undefined) blockedGroups.add(group);
        continue;
      }
      if (policy && deadLetter && m.record.receiveCount >= policy.maxReceiveCount) {
        moveToDeadLetter(q, m, deadLetter, now);
        continue;
      }
      m.record = {
        ...m.record,
        receiveCount: m.record.receiveCount + 1,
        firstReceiveTimestamp: m.record.firstReceiveTimestamp ?? now,
      };
      m.visibleAt = now + visibilitySeconds * 1000;
      m.receiptHandle = Buffer.from(
        JSON.stringify([q.name, m.record.messageId, randomBytes(9).toString('base64url')]),
      ).toString('base64url');
      out.push(received(m));
    }
    return out;
  };

  const received = (m: Message): SqsReceivedMessage => {
    const r = m.record;
    const attributes: Record<string, string> = {
      SenderId: r.senderId,
      ApproximateFirstReceiveTimestamp: String(r.firstReceiveTimestamp ?? ''),
      ApproximateReceiveCount: String(r.receiveCount),
      SentTimestamp: String(r.sentTimestamp),
    };
    if (r.messageGroupId) attributes.MessageGroupId = r.messageGroupId;
    if (r.messageDeduplicationId) attributes.MessageDeduplicationId = r.messageDeduplicationId;
    if (r.sequenceNumber) attributes.SequenceNumber = r.sequenceNumber;
    if (r.deadLetterQueueSourceArn) attributes.DeadLetterQueueSourceArn = r.deadLetterQueueSourceArn;
    const trace = r.systemAttributes?.AWSTraceHeader?.StringValue;
    if (trace) attributes.AWSTraceHeader = trace;
    return {
      messageId: r.messageId,
      receiptHandle: m.receiptHandle ?? '',
      body: r.body,
      md5OfBody: md5(r.body),
      md5OfMessageAttributes: attributesMd5(r.messageAttributes),
      messageAttributes: r.messageAttributes,
      attributes,
      ...(r.extra !== undefined ? { extra: r.extra } : {}),
    };
  };

  const receive = async (ref: string, o: SqsReceiveOptions = {}): Promise<SqsReceivedMessage[]> => {
    const first = requireQueue(ref);
    const max = o.max ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw err.invalidValue('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
    }
    const visibility = o.visibilityTimeout ?? num(first, 'VisibilityTimeout');
    if (!Number.isInteger(visibility) || visibility < 0 || visibility > MAX_VISIBILITY_SECONDS) {
      throw err.invalidValue(
        'VisibilityTimeout',
        visibility,
        `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
      );
    }
    const deadline = Date.now() + (o.waitMs ?? num(first, 'ReceiveMessageWaitTimeSeconds') * 1000);
    for (;;) {
      // The queue may be deleted while a receive waits.
      const q = requireQueue(first.name);
      const got = take(q, max, visibility);
      const now = Date.now();
      if (got.length > 0 || now >= deadline || o.signal?.aborted || stopController.signal.aborted) return got;
      let wakeAt = deadline;
      for (const m of q.messages.values())
        if (m.visibleAt > now && m.visibleAt < wakeAt) wakeAt = m.visibleAt;
      await waitFor(q, wakeAt - now, o.signal);
    }
  };

  const waitFor = (q: Queue, ms: number, signal?: AbortSignal) =>
    new Promise<void>((done) => {
      const wake = () => {
        clearTimeout(timer);
        q.waiters.delete(wake);
        signal?.removeEventListener('abort', wake);
        stopController.signal.removeEventListener('abort', wake);
        done();
      };
      const timer = setTimeout(wake, Math.max(1, ms));
      q.waiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
      stopController.signal.addEventListener('abort', wake, { once: true });
    });

  /** The message a receipt handle names, if it is still the latest handle of a message of `q`. */
  const byHandle = (q: Queue, handle: string | undefined): { message?: Message } => {
    if (!handle) throw err.missing('ReceiptHandle');
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(handle, 'base64url').toString('utf8'));
    } catch {
      throw err.receiptHandle(handle);
    }
    if (
      !Array.isArray(parsed) ||
      parsed.length !== 3 ||
      parsed[0] !== q.name ||
      typeof parsed[1] !== 'string'
    ) {
      throw err.receiptHandle(handle);
    }
    const message = q.messages.get(parsed[1]);
    return { message: message?.receiptHandle === handle ? message : undefined };
  };

  const deleteMessage = (q: Queue, handle: string | undefined) => {
    // A deleted message, or an older receipt handle of a received-again one: success, nothing deleted (as on AWS).
    const { message } = byHandle(q, handle);
    if (!message) return;
    q.messages.delete(message.record.messageId);
    emit(q.name, { type: 'removed', messageIds: [message.record.messageId] });
  };

  const changeVisibility = (q: Queue, handle: string | undefined, seconds: unknown) => {
    if (seconds === undefined || seconds === null) throw err.missing('VisibilityTimeout');
    const value = Number(seconds);
    if (!Number.isInteger(value) || value < 0 || value > MAX_VISIBILITY_SECONDS) {
      throw err.invalidValue('VisibilityTimeout', seconds, `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}.`);
    }
    const { message } = byHandle(q, handle);
    if (!message) {
      throw err.invalidValue(
        'ReceiptHandle',
        handle,
        'Message does not exist or is not available for visibility timeout change.',
      );
    }
    const now = Date.now();
    if (message.visibleAt <= now) {
      throw new SqsError(
        'MessageNotInflight',
        'The specified message isn’t in flight.',
        'AWS.SimpleQueueService.MessageNotInflight',
      );
    }
    message.visibleAt = now + value * 1000;
    notify(q);
  };

  const remove = (q: Queue, ids: readonly string[]) => {
    const gone = ids.filter((id) => q.messages.delete(id));
    if (gone.length > 0) emit(q.name, { type: 'removed', messageIds: gone });
    return gone.length;
  };

  const peek = (q: Queue): SqsPeekedMessage[] => {
    const now = Date.now();
    expire(q, now);
    return [...q.messages.values()].map((m) => ({
      ...m.record,
      state: stateOf(m, now),
      visibleAt: m.visibleAt,
    }));
  };

  const queueAttributes = (q: Queue, names: readonly string[]): Record<string, string> => {
    const c = counts(q);
    const all: Record<string, string> = {
      ...q.attributes,
      ApproximateNumberOfMessages: String(c.visible),
      ApproximateNumberOfMessagesNotVisible: String(c.inFlight),
      ApproximateNumberOfMessagesDelayed: String(c.delayed),
      CreatedTimestamp: String(Math.floor(q.created / 1000)),
      LastModifiedTimestamp: String(Math.floor(q.lastModified / 1000)),
      QueueArn: q.arn,
    };
    const wanted = names.includes('All') ? Object.keys(all) : names;
    const out: Record<string, string> = {};
    for (const name of wanted) {
      if (!SETTABLE.has(name) && !COMPUTED.includes(name) && name !== 'FifoQueue')
        throw err.attributeName(name);
      const value = all[name];
      if (value !== undefined) out[name] = value;
    }
    return out;
  };

  const summary = (q: Queue): SqsQueueSummary => ({
    name: q.name,
    url: q.url,
    arn: q.arn,
    fifo: q.fifo,
    messages: counts(q),
    attributes: { ...q.attributes },
  });

  // ---------------------------------------------------------------------------------------------------------
  // The JSON actions

  type Input = Record<string, unknown>;
  const str = (input: Input, key: string): string | undefined => {
    const v = input[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw err.invalidValue(key, JSON.stringify(v), 'Must be a string.');
    return v;
  };
  const int = (input: Input, key: string): number | undefined => {
    const v = input[key];
    if (v === undefined || v === null) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw err.invalidValue(key, v, 'Must be an integer.');
    return n;
  };
  const entries = (input: Input, what: string): Input[] => {
    const list = input.Entries;
    if (!Array.isArray(list) || list.length === 0) {
      throw new SqsError(
        'EmptyBatchRequest',
        `There should be at least one ${what} in the request.`,
        'AWS.SimpleQueueService.EmptyBatchRequest',
      );
    }
    if (list.length > MAX_BATCH_ENTRIES) {
      throw new SqsError(
        'TooManyEntriesInBatchRequest',
        `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${list.length}.`,
        'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      );
    }
    const seen = new Set<string>();
    for (const entry of list as Input[]) {
      const id = typeof entry?.Id === 'string' ? entry.Id : '';
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
        throw new SqsError(
          'InvalidBatchEntryId',
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
          'AWS.SimpleQueueService.InvalidBatchEntryId',
        );
      }
      if (seen.has(id)) {
        throw new SqsError(
          'BatchEntryIdsNotDistinct',
          `Id ${id} repeated.`,
          'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
        );
      }
      seen.add(id);
    }
    return list as Input[];
  };
  const batch = <T>(list: Input[], run: (entry: Input) => T) => {
    const Successful: (T & { Id: string })[] = [];
    const Failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
    for (const entry of list) {
      const Id = entry.Id as string;
      try {
        Successful.push({ Id, ...run(entry) });
      } catch (e) {
        if (!(e instanceof SqsError)) throw e;
        Failed.push({ Id, SenderFault: e.senderFault, Code: e.queryCode, Message: e.message });
      }
    }
    return { Successful, Failed };
  };
  const sendInput = (input: Input, senderId: string): SqsSendInput => ({
    body: str(input, 'MessageBody') ?? '',
    delaySeconds: int(input, 'DelaySeconds'),
    messageAttributes:
      (input.MessageAttributes as Record<string, SqsMessageAttributeValue> | undefined) ?? {},
    systemAttributes: input.MessageSystemAttributes as Record<string, SqsMessageAttributeValue> | undefined,
    messageGroupId: str(input, 'MessageGroupId'),
    messageDeduplicationId: str(input, 'MessageDeduplicationId'),
    senderId,
  });
  const sendOutput = (r: SqsSendResult) => ({
    MessageId: r.messageId,
    MD5OfMessageBody: r.md5OfMessageBody,
    ...(r.md5OfMessageAttributes ? { MD5OfMessageAttributes: r.md5OfMessageAttributes } : {}),
    ...(r.md5OfMessageSystemAttributes
      ? { MD5OfMessageSystemAttributes: r.md5OfMessageSystemAttributes }
      : {}),
    ...(r.sequenceNumber ? { SequenceNumber: r.sequenceNumber } : {}),
  });

  type Action = (input: Input, ctx: { senderId: string; signal: AbortSignal }) => unknown;
  const actions: Record<string, Action> = {
    CreateQueue(input) {
      const attributes = (input.Attributes as Record<string, unknown> | undefined) ?? {};
      return {
        QueueUrl: createQueue(
          str(input, 'QueueName') ?? '',
          attributes,
          (input.tags as Record<string, string>) ?? {},
        ),
      };
    },
    GetQueueUrl(input) {
      const name = str(input, 'QueueName');
      if (!name) throw err.missing('QueueName');
      const owner = str(input, 'QueueOwnerAWSAccountId');
      const q = queues.get(name);
      if (!q || (owner && owner !== accountId)) throw err.noQueue();
      return { QueueUrl: q.url };
    },
    ListQueues(input) {
      const prefix = str(input, 'QueueNamePrefix') ?? '';
      const max = int(input, 'MaxResults');
      if (max !== undefined && (max < 1 || max > 1000)) {
        throw err.invalidValue('MaxResults', max, 'Must be between 1 and 1000, if provided.');
      }
      const urls = [...queues.values()].filter((q) => q.name.startsWith(prefix)).map((q) => q.url);
      const start = Number(str(input, 'NextToken') ?? 0) || 0;
      const page = max === undefined ? urls.slice(0, 1000) : urls.slice(start, start + max);
      const next = max !== undefined && start + max < urls.length ? String(start + max) : undefined;
      return { ...(page.length > 0 ? { QueueUrls: page } : {}), ...(next ? { NextToken: next } : {}) };
    },
    DeleteQueue(input) {
      const q = requireQueue(str(input, 'QueueUrl'));
      queues.delete(q.name);
      deletedAt.set(q.name, Date.now());
      const ids = [...q.messages.keys()];
      if (ids.length > 0) emit(q.name, { type: 'removed', messageIds: ids });
      notify(q);
      return {};
    },
    GetQueueAttributes(input) {
      const q = requireQueue(str(input, 'QueueUrl'));
      const names = (input.AttributeNames as string[] | undefined) ?? [];
      const attributes = queueAttributes(q, names);
      return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
    },
    SetQueueAttributes(input) {
      const q = requireQueue(str(input, 'QueueUrl'));
      const attributes = (input.Attributes as Record<string, unknown> | undefined) ?? {};
      const checked = checkAttributes(q.name, q.fifo, attributes, false);
      for (const [key, value] of Object.entries(checked)) {
        if (value === '' && (key === 'RedrivePolicy' || key === 'Policy')) delete q.attributes[key];
        else q.attributes[key] = value;
      }
      q.lastModified = Date.now();
      notify(q);
      return {};
    },
    ListDeadLetterSourceQueues(input) {
      const q = requireQueue(str(input, 'QueueUrl'));
      const sources = [...queues.values()]
        .filter((s) => redrivePolicy(s)?.target === q.name)
        .map((s) => s.url);
      return { queueUrls: sources };
    },
    TagQueue(input) {
      Object.assign(requireQueue(str(input, 'QueueUrl')).tags, input.Tags ?? {});
      return {};
    },
    UntagQueue(input) {
      const q = requireQueue(str(input, 'QueueUrl'));
      for (const key of (input.TagKeys as string[] | undefined) ?? []) delete q.tags[key];
      return {};
    },
    ListQueueTags(input) {
      const q = requireQueue(str(input, 'QueueUrl'));
      return Object.keys(q.tags).length > 0 ? { Tags: { ...q.tags } } : {};
    },
    SendMessage(input, ctx) {
      return sendOutput(send(requireQueue(str(input, 'QueueUrl')), sendInput(input, ctx.senderId)));
    },
    SendMessageBatch(input, ctx) {
      const q = requireQueue(str(input, 'QueueUrl'));
      const list = entries(input, 'SendMessageBatchRequestEntry');
      const max = num(q, 'MaximumMessageSize');
      const total = list.reduce(
        (n, e) =>
          n +
          Buffer.byteLength(String(e.MessageBody ?? '')) +
          attributesSize((e.MessageAttributes as Record<string, SqsMessageAttributeValue>) ?? {}),
        0,
      );
      if (total > max) {
        throw new SqsError(
          'BatchRequestTooLong',
          `Batch requests cannot be longer than ${max} bytes. You have sent ${total} bytes.`,
          'AWS.SimpleQueueService.BatchRequestTooLong',
        );
      }
      return batch(list, (e) => sendOutput(send(q, sendInput(e, ctx.senderId))));
    },
    async ReceiveMessage(input, ctx) {
      const q = requireQueue(str(input, 'QueueUrl'));
      const wait = int(input, 'WaitTimeSeconds');
      if (wait !== undefined && (wait < 0 || wait > 20)) {
        throw err.invalidValue('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.');
      }
      const messages = await receive(q.name, {
        max: int(input, 'MaxNumberOfMessages') ?? 1,
        visibilityTimeout: int(input, 'VisibilityTimeout'),
        waitMs: wait === undefined ? undefined : wait * 1000,
        signal: ctx.signal,
      });
      const systemNames = [
        ...((input.AttributeNames as string[] | undefined) ?? []),
        ...((input.MessageSystemAttributeNames as string[] | undefined) ?? []),
      ];
      const userNames = (input.MessageAttributeNames as string[] | undefined) ?? [];
      if (messages.length === 0) return {};
      return {
        Messages: messages.map((m) => {
          const attributes = pick(m.attributes, systemNames, false);
          const messageAttributes = pick(m.messageAttributes, userNames, true);
          return {
            MessageId: m.messageId,
            ReceiptHandle: m.receiptHandle,
            MD5OfBody: m.md5OfBody,
            Body: m.body,
            ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
            ...(Object.keys(messageAttributes).length > 0
              ? {
                  MD5OfMessageAttributes: attributesMd5(messageAttributes),
                  MessageAttributes: messageAttributes,
                }
              : {}),
          };
        }),
      };
    },
    DeleteMessage(input) {
      deleteMessage(requireQueue(str(input, 'QueueUrl')), str(input, 'ReceiptHandle'));
      return {};
    },
    DeleteMessageBatch(input) {
      const q = requireQueue(str(input, 'QueueUrl'));
      return batch(entries(input, 'DeleteMessageBatchRequestEntry'), (e) => {
        deleteMessage(q, str(e, 'ReceiptHandle'));
        return {};
      });
    },
    ChangeMessageVisibility(input) {
      changeVisibility(
        requireQueue(str(input, 'QueueUrl')),
        str(input, 'ReceiptHandle'),
        input.VisibilityTimeout,
      );
      return {};
    },
    ChangeMessageVisibilityBatch(input) {
      const q = requireQueue(str(input, 'QueueUrl'));
      return batch(entries(input, 'ChangeMessageVisibilityBatchRequestEntry'), (e) => {
        changeVisibility(q, str(e, 'ReceiptHandle'), e.VisibilityTimeout);
        return {};
      });
    },
    PurgeQueue(input) {
      const q = requireQueue(str(input, 'QueueUrl'));
      const now = Date.now();
      if (q.lastPurge !== undefined && now - q.lastPurge < PURGE_INTERVAL_MS) {
        throw new SqsError(
          'PurgeQueueInProgress',
          `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`,
          'AWS.SimpleQueueService.PurgeQueueInProgress',
          403,
        );
      }
      q.lastPurge = now;
      remove(q, [...q.messages.keys()]);
      return {};
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        sendError(res, new SqsError('InternalError', String(e), 'InternalError', 500, false));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET') {
      req.resume();
      const json = (req.headers.accept ?? '').includes('application/json');
      if (url.pathname === '/') {
        const list = [...queues.values()].map(summary);
        if (json) {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ queues: list }));
        } else {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          res.end(queuesPage(list));
        }
        return;
      }
      const name = resolve(`${baseUrl}${url.pathname.slice(1)}`);
      const q = name ? queues.get(name) : undefined;
      if (q) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ ...summary(q), messageList: peek(q).map(({ extra: _extra, ...m }) => m) }));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const raw = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!target) {
      // An awsQuery client (form-encoded Action=...): answer in its XML so it shows the reason.
      const action = new URLSearchParams(raw).get('Action') ?? '(none)';
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(
        `<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>` +
          `The local SQS engine speaks AWS JSON 1.0 only (X-Amz-Target: AmazonSQS.${escapeHtml(action)}); ` +
          `use @aws-sdk/client-sqs 3.4xx or later.</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
      return;
    }
    const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const run = actions[action];
    if (!run) {
      const known = /^[A-Z][A-Za-z]+$/.test(action);
      sendError(
        res,
        known
          ? new SqsError(
              'UnsupportedOperation',
              `${action} is not emulated by the local SQS engine.`,
              'AWS.SimpleQueueService.UnsupportedOperation',
            )
          : new SqsError('UnknownOperationException', `Unknown operation ${target}.`),
      );
      return;
    }
    let input: Input;
    try {
      input = raw.trim() === '' ? {} : (JSON.parse(raw) as Input);
    } catch {
      sendError(res, new SqsError('SerializationException', 'The request body is not valid JSON.'));
      return;
    }
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    try {
      const output = await run(input ?? {}, { senderId: senderOf(req), signal: aborted.signal });
      if (res.destroyed) return;
      const body = JSON.stringify(output ?? {});
      res.writeHead(200, {
        'content-type': JSON_TYPE,
        'content-length': Buffer.byteLength(body),
        'x-amzn-requestid': randomUUID(),
      });
      res.end(body);
    } catch (e) {
      if (!(e instanceof SqsError)) throw e;
      sendError(res, e);
    }
  }

  const port = await listen(server, opts.port, host, PORT_OWNERS.sqs);
  baseUrl = `http://${urlHost(host)}:${port}/`;
  let stopped: Promise<void> | undefined;

  const withQueue = <T>(ref: string, run: (q: Queue) => T): T => run(requireQueue(ref));
  return {
    url: baseUrl,
    port,
    region,
    accountId,
    queueUrl,
    queueArn,
    resolve,
    createQueue: (name, attributes) => createQueue(name, attributes),
    send: (queue, input) => withQueue(queue, (q) => send(q, input)),
    receive,
    deleteMessage: (queue, handle) => withQueue(queue, (q) => deleteMessage(q, handle)),
    changeVisibility: (queue, handle, seconds) =>
      withQueue(queue, (q) => changeVisibility(q, handle, seconds)),
    remove: (queue, ids) => withQueue(queue, (q) => remove(q, ids)),
    moveToSource(queue, ids) {
      const q = requireQueue(queue);
      const moved: string[] = [];
      const unmovable: string[] = [];
      const now = Date.now();
      for (const id of ids) {
        const m = q.messages.get(id);
        if (!m) continue;
        const source = m.record.deadLetterQueueSourceArn
          ? queues.get(nameOf(m.record.deadLetterQueueSourceArn))
          : undefined;
        if (!source) {
          unmovable.push(id);
          continue;
        }
        q.messages.delete(id);
        const { deadLetterQueueSourceArn: _from, ...rest } = m.record;
        const record: SqsMessageRecord = { ...rest, receiveCount: 0, firstReceiveTimestamp: undefined };
        source.messages.set(id, { record, visibleAt: now });
        emit(q.name, { type: 'removed', messageIds: [id] });
        emit(source.name, { type: 'sent', message: record });
        notify(source);
        moved.push(id);
      }
      return { moved, unmovable };
    },
    peek: (queue) => withQueue(queue, peek),
    counts: (queue) => withQueue(queue, counts),
    queues: () => [...queues.values()].map(summary),
    restore(queue, messages) {
      const q = requireQueue(queue);
      const now = Date.now();
      for (const record of messages) {
        q.messages.set(record.messageId, { record, visibleAt: now });
        if (record.sequenceNumber && BigInt(record.sequenceNumber) > q.sequence)
          q.sequence = BigInt(record.sequenceNumber);
      }
      notify(q);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped ??= new Promise<void>((done) => {
        stopController.abort();
        server.close(() => done());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

function checkId(name: string, value: string): void {
  if (!/^[\x21-\x7E]{1,128}$/.test(value)) {
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${value} for parameter ${name} is invalid. Reason: It can only contain alphanumeric characters and punctuation, up to 128 characters.`,
    );
  }
}

function checkMessageAttributes(attributes: Record<string, SqsMessageAttributeValue>): void {
  const names = Object.keys(attributes);
  if (names.length > 10) {
    throw new SqsError(
      'InvalidParameterValue',
      `Number of message attributes [${names.length}] exceeds the allowed maximum [10].`,
    );
  }
  for (const [name, value] of Object.entries(attributes)) {
    if (
      !/^[A-Za-z0-9_\-.]{1,256}$/.test(name) ||
      /^\.|\.$|\.\./.test(name) ||
      /^(aws|amazon)\./i.test(name)
    ) {
      throw new SqsError('InvalidParameterValue', `Message (user) attribute name '${name}' is invalid.`);
    }
    const type = value?.DataType ?? '';
    if (!/^(String|Number|Binary)(\..{1,250})?$/.test(type)) {
      throw new SqsError(
        'InvalidParameterValue',
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    const binary = type.startsWith('Binary');
    const present = binary ? value.BinaryValue : value.StringValue;
    if (present === undefined || present === '') {
      throw new SqsError(
        'InvalidParameterValue',
        `Message (user) attribute '${name}' must contain a non-empty value of type '${binary ? 'Binary' : type.split('.')[0]}'.`,
      );
    }
    if (type.startsWith('Number') && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.StringValue ?? '')) {
      throw new SqsError(
        'InvalidParameterValue',
        `Can't cast the value of message (user) attribute '${name}' to a number.`,
      );
    }
  }
}

function attributesSize(attributes: Record<string, SqsMessageAttributeValue>): number {
  let n = 0;
  for (const [name, v] of Object.entries(attributes)) {
    n += Buffer.byteLength(name) + Buffer.byteLength(v?.DataType ?? '');
    if (v?.StringValue !== undefined) n += Buffer.byteLength(v.StringValue);
    if (v?.BinaryValue !== undefined) n += Buffer.from(v.BinaryValue, 'base64').length;
  }
  return n;
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** SQS's MD5 of message attributes: names sorted, each field length-prefixed, a transport byte per value. */
export function attributesMd5(attributes: Record<string, SqsMessageAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of names) {
    const v = attributes[name] as SqsMessageAttributeValue;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(v.DataType, 'utf8'));
    if (v.StringValue !== undefined) {
      parts.push(Buffer.from([1]));
      field(Buffer.from(v.StringValue, 'utf8'));
    } else if (v.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      field(Buffer.from(v.BinaryValue, 'base64'));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

/** The attributes a receive asked for: `All`, `.*`, `prefix.*` (message attributes only) or exact names. */
function pick<T>(
  attributes: Record<string, T>,
  names: readonly string[],
  prefixes: boolean,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = names.some(
      (n) =>
        n === 'All' ||
        n === name ||
        (prefixes && (n === '.*' || (n.endsWith('.*') && name.startsWith(n.slice(0, -1))))),
    );
    if (wanted) out[name] = value;
  }
  return out;
}

function senderOf(req: IncomingMessage): string {
  const credential = /Credential=([^/,\s]+)/.exec(String(req.headers.authorization ?? ''));
  return credential?.[1] ?? 'ANONYMOUS';
}

function sendError(res: ServerResponse, e: SqsError): void {
  const body = JSON.stringify({ __type: `${ERROR_NAMESPACE}${e.type}`, message: e.message });
  res.writeHead(e.status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    'x-amzn-query-error': `${e.queryCode};${e.senderFault ? 'Sender' : 'Receiver'}`,
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function queuesPage(list: readonly SqsQueueSummary[]): string {
  const rows = list
    .map((q) => {
      const redrive = q.attributes.RedrivePolicy
        ? (JSON.parse(q.attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number })
        : undefined;
      const dlq = redrive
        ? `${escapeHtml(redrive.deadLetterTargetArn.split(':').pop() ?? '')} after ${redrive.maxReceiveCount}`
        : '';
      return (
        `<tr><td><a href="/${escapeHtml(q.url.split('/').slice(-2).join('/'))}">${escapeHtml(q.name)}</a></td>` +
        `<td>${q.messages.visible}</td><td>${q.messages.inFlight}</td><td>${q.messages.delayed}</td>` +
        `<td>${escapeHtml(q.attributes.VisibilityTimeout ?? '')} s</td><td>${dlq}</td></tr>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pulso local SQS (${list.length} queues)</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left}
</style></head><body>
<h1>Local SQS queues</h1>
<p><a href="/">Refresh</a>. JSON: <code>GET /</code> with <code>Accept: application/json</code>; a queue's messages at its link.</p>
<table><thead><tr><th>Queue</th><th>Visible</th><th>In flight</th><th>Delayed</th><th>Visibility</th><th>Dead-letter queue</th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">No queues.</td></tr>'}</tbody></table>
</body></html>`;
}
