import { randomBytes, randomUUID } from 'node:crypto';
import { err, SqsError } from './errors.ts';
import { fifoSend, rememberSend } from './fifo.ts';
import { attributesMd5, attributesSize, checkMessageAttributes, md5, pick } from './message-attributes.ts';
import { type Action, batch, entries, type Input, int, str } from './protocol.ts';
import { MAX_VISIBILITY_SECONDS } from './queue-management.ts';
import { moveToDeadLetter, redrivePolicy } from './redrive.ts';
import type { Message, Queue, QueueStore } from './store.ts';
import type {
  SqsMessageAttributeValue,
  SqsMessageRecord,
  SqsReceivedMessage,
  SqsReceiveOptions,
  SqsSendInput,
  SqsSendResult,
} from './types.ts';

// Messages: send, receive (long polling, visibility timeouts, FIFO group order), delete and change visibility.

/** Checks and keeps a message (delayed by its own or the queue's delay); a FIFO duplicate is dropped. */
export function send(store: QueueStore, q: Queue, input: SqsSendInput): SqsSendResult {
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
  const max = store.num(q, 'MaximumMessageSize');
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
  const now = store.clock.now();
  store.expire(q, now);
  if (!q.fifo && input.messageDeduplicationId) {
    throw err.invalidValue(
      'MessageDeduplicationId',
      input.messageDeduplicationId,
      'The request include parameter that is not valid for this queue type',
    );
  }
  const fifo = q.fifo ? fifoSend(q, input, now) : undefined;
  const answer = (messageId: string, sequenceNumber?: string): SqsSendResult => ({
    messageId,
    md5OfMessageBody: md5(body),
    md5OfMessageAttributes: attributesMd5(attributes),
    md5OfMessageSystemAttributes: attributesMd5(input.systemAttributes ?? {}),
    sequenceNumber,
  });
  // A duplicate within five minutes is accepted and dropped, answering the first send's id.
  if (fifo?.duplicate) return answer(fifo.messageId, fifo.sequenceNumber);
  const record: SqsMessageRecord = {
    messageId: randomUUID(),
    body,
    messageAttributes: attributes,
    ...(input.systemAttributes && Object.keys(input.systemAttributes).length > 0
      ? { systemAttributes: input.systemAttributes }
      : {}),
    sentTimestamp: now,
    senderId: input.senderId ?? store.accountId,
    receiveCount: 0,
    ...(input.messageGroupId ? { messageGroupId: input.messageGroupId } : {}),
    ...(fifo ? { messageDeduplicationId: fifo.dedupId, sequenceNumber: fifo.sequenceNumber } : {}),
    ...(input.extra !== undefined ? { extra: input.extra } : {}),
  };
  const delay = input.delaySeconds ?? store.num(q, 'DelaySeconds');
  q.messages.set(record.messageId, { record, visibleAt: now + delay * 1000 });
  if (fifo) rememberSend(q, fifo, record.messageId, now);
  store.emit(q.name, { type: 'sent', message: record });
  store.notify(q);
  return answer(record.messageId, fifo?.sequenceNumber);
}

/** Takes up to `max` receivable messages, in order (per message group for FIFO queues). */
function take(store: QueueStore, q: Queue, max: number, visibilitySeconds: number): SqsReceivedMessage[] {
  const now = store.clock.now();
  store.expire(q, now);
  const policy = redrivePolicy(store, q);
  const deadLetter = policy ? store.queues.get(policy.target) : undefined;
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
      moveToDeadLetter(store, q, m, deadLetter, now);
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
}

/** A received message as the engine answers it, with every system attribute. */
function received(m: Message): SqsReceivedMessage {
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
}

/** Receives up to `max` messages, waiting up to the long-poll time for one to become visible. */
export async function receive(
  store: QueueStore,
  ref: string,
  o: SqsReceiveOptions = {},
): Promise<SqsReceivedMessage[]> {
  const { clock } = store;
  const first = store.require(ref);
  const max = o.max ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > 10) {
    throw err.invalidValue('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
  }
  const visibility = o.visibilityTimeout ?? store.num(first, 'VisibilityTimeout');
  if (!Number.isInteger(visibility) || visibility < 0 || visibility > MAX_VISIBILITY_SECONDS) {
    throw err.invalidValue(
      'VisibilityTimeout',
      visibility,
      `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
    );
  }
  const deadline = clock.now() + (o.waitMs ?? store.num(first, 'ReceiveMessageWaitTimeSeconds') * 1000);
  for (;;) {
    // The queue may be deleted while a receive waits.
    const q = store.require(first.name);
    const got = take(store, q, max, visibility);
    const now = clock.now();
    if (got.length > 0 || now >= deadline || o.signal?.aborted || store.stopController.signal.aborted)
      return got;
    let wakeAt = deadline;
    for (const m of q.messages.values()) if (m.visibleAt > now && m.visibleAt < wakeAt) wakeAt = m.visibleAt;
    await waitFor(store, q, wakeAt - now, o.signal);
  }
}

/** Waits until `ms` passed on the engine's clock, the queue changed, the caller hung up or the engine stopped. */
function waitFor(store: QueueStore, q: Queue, ms: number, signal?: AbortSignal): Promise<void> {
  const { signal: stopped } = store.stopController;
  return new Promise<void>((done) => {
    const wake = () => {
      cancel();
      q.waiters.delete(wake);
      signal?.removeEventListener('abort', wake);
      stopped.removeEventListener('abort', wake);
      done();
    };
    const cancel = store.clock.timeout(wake, Math.max(1, ms));
    q.waiters.add(wake);
    signal?.addEventListener('abort', wake, { once: true });
    stopped.addEventListener('abort', wake, { once: true });
  });
}

/** The message a receipt handle names, if it is still the latest handle of a message of `q`. */
function byHandle(q: Queue, handle: string | undefined): { message?: Message } {
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
}

export function deleteMessage(store: QueueStore, q: Queue, handle: string | undefined): void {
  // A deleted message, or an older receipt handle of a received-again one: success, nothing deleted (as on AWS).
  const { message } = byHandle(q, handle);
  if (!message) return;
  q.messages.delete(message.record.messageId);
  store.emit(q.name, { type: 'removed', messageIds: [message.record.messageId] });
}

export function changeVisibility(
  store: QueueStore,
  q: Queue,
  handle: string | undefined,
  seconds: unknown,
): void {
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
  const now = store.clock.now();
  if (message.visibleAt <= now) {
    throw new SqsError(
      'MessageNotInflight',
      'The specified message isn’t in flight.',
      'AWS.SimpleQueueService.MessageNotInflight',
    );
  }
  message.visibleAt = now + value * 1000;
  store.notify(q);
}

function sendInput(input: Input, senderId: string): SqsSendInput {
  return {
    body: str(input, 'MessageBody') ?? '',
    delaySeconds: int(input, 'DelaySeconds'),
    messageAttributes:
      (input.MessageAttributes as Record<string, SqsMessageAttributeValue> | undefined) ?? {},
    systemAttributes: input.MessageSystemAttributes as Record<string, SqsMessageAttributeValue> | undefined,
    messageGroupId: str(input, 'MessageGroupId'),
    messageDeduplicationId: str(input, 'MessageDeduplicationId'),
    senderId,
  };
}
function sendOutput(r: SqsSendResult) {
  return {
    MessageId: r.messageId,
    MD5OfMessageBody: r.md5OfMessageBody,
    ...(r.md5OfMessageAttributes ? { MD5OfMessageAttributes: r.md5OfMessageAttributes } : {}),
    ...(r.md5OfMessageSystemAttributes
      ? { MD5OfMessageSystemAttributes: r.md5OfMessageSystemAttributes }
      : {}),
    ...(r.sequenceNumber ? { SequenceNumber: r.sequenceNumber } : {}),
  };
}

/** SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility(Batch). */
export function messageActions(store: QueueStore): Record<string, Action> {
  return {
    SendMessage(input, ctx) {
      return sendOutput(send(store, store.require(str(input, 'QueueUrl')), sendInput(input, ctx.senderId)));
    },
    SendMessageBatch(input, ctx) {
      const q = store.require(str(input, 'QueueUrl'));
      const list = entries(input, 'SendMessageBatchRequestEntry');
      const max = store.num(q, 'MaximumMessageSize');
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
      return batch(list, (e) => sendOutput(send(store, q, sendInput(e, ctx.senderId))));
    },
    async ReceiveMessage(input, ctx) {
      const q = store.require(str(input, 'QueueUrl'));
      const wait = int(input, 'WaitTimeSeconds');
      if (wait !== undefined && (wait < 0 || wait > 20)) {
        throw err.invalidValue('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.');
      }
      const messages = await receive(store, q.name, {
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
      deleteMessage(store, store.require(str(input, 'QueueUrl')), str(input, 'ReceiptHandle'));
      return {};
    },
    DeleteMessageBatch(input) {
      const q = store.require(str(input, 'QueueUrl'));
      return batch(entries(input, 'DeleteMessageBatchRequestEntry'), (e) => {
        deleteMessage(store, q, str(e, 'ReceiptHandle'));
        return {};
      });
    },
    ChangeMessageVisibility(input) {
      changeVisibility(
        store,
        store.require(str(input, 'QueueUrl')),
        str(input, 'ReceiptHandle'),
        input.VisibilityTimeout,
      );
      return {};
    },
    ChangeMessageVisibilityBatch(input) {
      const q = store.require(str(input, 'QueueUrl'));
      return batch(entries(input, 'ChangeMessageVisibilityBatchRequestEntry'), (e) => {
        changeVisibility(store, q, str(e, 'ReceiptHandle'), e.VisibilityTimeout);
        return {};
      });
    },
  };
}
