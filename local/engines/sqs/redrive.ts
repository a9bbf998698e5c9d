import { err } from './errors.ts';
import { type Action, str } from './protocol.ts';
import type { Message, Queue, QueueStore } from './store.ts';
import type { SqsMessageRecord } from './types.ts';

/** Dead-letter handling: redrive policies, moves to the dead-letter queue and back, and the sources of a DLQ. */

export interface RedrivePolicy {
  /** Name of the dead-letter queue. */
  readonly target: string;
  readonly maxReceiveCount: number;
}

export function redrivePolicy(store: QueueStore, q: Queue): RedrivePolicy | undefined {
  const raw = q.attributes.RedrivePolicy;
  if (!raw) return undefined;
  const p = JSON.parse(raw) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
  return { target: store.nameOf(p.deadLetterTargetArn), maxReceiveCount: Number(p.maxReceiveCount) };
}

/** Checks a RedrivePolicy attribute of queue `name`; answers it normalised (SQS's JSON string). */
export function checkRedrivePolicy(store: QueueStore, name: string, fifo: boolean, value: string): string {
  const key = 'RedrivePolicy';
  // An empty policy removes it.
  if (value === '') return value;
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
  const dlq = store.queues.get(store.nameOf(target));
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
  return JSON.stringify({ deadLetterTargetArn: target, maxReceiveCount: count });
}

/** Moves a message that was received maxReceiveCount times to the dead-letter queue; it keeps its id. */
export function moveToDeadLetter(store: QueueStore, q: Queue, m: Message, target: Queue, now: number): void {
  q.messages.delete(m.record.messageId);
  const record: SqsMessageRecord = {
    ...m.record,
    receiveCount: 0,
    firstReceiveTimestamp: undefined,
    deadLetterQueueSourceArn: q.arn,
  };
  target.messages.set(record.messageId, { record, visibleAt: now });
  store.emit(q.name, { type: 'removed', messageIds: [record.messageId] });
  store.emit(target.name, { type: 'sent', message: record });
  store.notify(target);
}

/** Moves dead-letter messages back to the queue they came from; answers the ids that have no source queue. */
export function moveToSource(
  store: QueueStore,
  q: Queue,
  ids: readonly string[],
): { moved: string[]; unmovable: string[] } {
  const moved: string[] = [];
  const unmovable: string[] = [];
  const now = store.clock.now();
  for (const id of ids) {
    const m = q.messages.get(id);
    if (!m) continue;
    const source = m.record.deadLetterQueueSourceArn
      ? store.queues.get(store.nameOf(m.record.deadLetterQueueSourceArn))
      : undefined;
    if (!source) {
      unmovable.push(id);
      continue;
    }
    q.messages.delete(id);
    const { deadLetterQueueSourceArn: _from, ...rest } = m.record;
    const record: SqsMessageRecord = { ...rest, receiveCount: 0, firstReceiveTimestamp: undefined };
    source.messages.set(id, { record, visibleAt: now });
    store.emit(q.name, { type: 'removed', messageIds: [id] });
    store.emit(source.name, { type: 'sent', message: record });
    store.notify(source);
    moved.push(id);
  }
  return { moved, unmovable };
}

/** ListDeadLetterSourceQueues. */
export function redriveActions(store: QueueStore): Record<string, Action> {
  return {
    ListDeadLetterSourceQueues(input) {
      const q = store.require(str(input, 'QueueUrl'));
      const sources = [...store.queues.values()]
        .filter((s) => redrivePolicy(store, s)?.target === q.name)
        .map((s) => s.url);
      return { queueUrls: sources };
    },
  };
}
