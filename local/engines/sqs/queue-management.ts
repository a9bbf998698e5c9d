import { err, SqsError } from './errors.ts';
import { type Action, int, str } from './protocol.ts';
import { checkRedrivePolicy } from './redrive.ts';
import { DEFAULTS, type Queue, type QueueStore } from './store.ts';

// Queue management: create, find, list, delete and purge queues; their attributes and tags.

const PURGE_INTERVAL_MS = 60_000;
const DELETED_QUEUE_MS = 60_000;
/** Longest visibility timeout SQS allows (12 hours). */
export const MAX_VISIBILITY_SECONDS = 43_200;

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
const COMPUTED = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
];

/** Checks attribute names and values for CreateQueue / SetQueueAttributes; answers them normalised. */
export function checkAttributes(
  store: QueueStore,
  name: string,
  fifo: boolean,
  attributes: Record<string, unknown>,
  creating: boolean,
): Record<string, string> {
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
    if (key === 'RedrivePolicy') {
      out[key] = checkRedrivePolicy(store, name, fifo, value);
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** Creates a queue, or answers the URL of the one of that name when its attributes are the same. */
export function createQueue(
  store: QueueStore,
  name: string,
  attributes: Record<string, unknown> = {},
  tags: Record<string, string> = {},
): string {
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
  const checked = checkAttributes(store, name, fifo, attributes, true);
  const existing = store.queues.get(name);
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
  const deleted = store.deletedAt.get(name);
  if (deleted !== undefined && store.clock.now() - deleted < DELETED_QUEUE_MS) {
    throw new SqsError(
      'QueueDeletedRecently',
      'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
      'AWS.SimpleQueueService.QueueDeletedRecently',
    );
  }
  const now = store.clock.now();
  const q: Queue = {
    name,
    url: store.queueUrl(name),
    arn: store.queueArn(name),
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
  store.queues.set(name, q);
  return q.url;
}

/** The attributes GetQueueAttributes asked for, the computed counts and timestamps among them. */
function queueAttributes(store: QueueStore, q: Queue, names: readonly string[]): Record<string, string> {
  const c = store.counts(q);
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
}

/** CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, Get/SetQueueAttributes, Tag/Untag/ListQueueTags, PurgeQueue. */
export function queueActions(store: QueueStore): Record<string, Action> {
  return {
    CreateQueue(input) {
      const attributes = (input.Attributes as Record<string, unknown> | undefined) ?? {};
      return {
        QueueUrl: createQueue(
          store,
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
      const q = store.queues.get(name);
      if (!q || (owner && owner !== store.accountId)) throw err.noQueue();
      return { QueueUrl: q.url };
    },
    ListQueues(input) {
      const prefix = str(input, 'QueueNamePrefix') ?? '';
      const max = int(input, 'MaxResults');
      if (max !== undefined && (max < 1 || max > 1000)) {
        throw err.invalidValue('MaxResults', max, 'Must be between 1 and 1000, if provided.');
      }
      const urls = [...store.queues.values()].filter((q) => q.name.startsWith(prefix)).map((q) => q.url);
      const start = Number(str(input, 'NextToken') ?? 0) || 0;
      const page = max === undefined ? urls.slice(0, 1000) : urls.slice(start, start + max);
      const next = max !== undefined && start + max < urls.length ? String(start + max) : undefined;
      return { ...(page.length > 0 ? { QueueUrls: page } : {}), ...(next ? { NextToken: next } : {}) };
    },
    DeleteQueue(input) {
      const q = store.require(str(input, 'QueueUrl'));
      store.queues.delete(q.name);
      store.deletedAt.set(q.name, store.clock.now());
      const ids = [...q.messages.keys()];
      if (ids.length > 0) store.emit(q.name, { type: 'removed', messageIds: ids });
      store.notify(q);
      return {};
    },
    GetQueueAttributes(input) {
      const q = store.require(str(input, 'QueueUrl'));
      const names = (input.AttributeNames as string[] | undefined) ?? [];
      const attributes = queueAttributes(store, q, names);
      return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
    },
    SetQueueAttributes(input) {
      const q = store.require(str(input, 'QueueUrl'));
      const attributes = (input.Attributes as Record<string, unknown> | undefined) ?? {};
      const checked = checkAttributes(store, q.name, q.fifo, attributes, false);
      for (const [key, value] of Object.entries(checked)) {
        if (value === '' && (key === 'RedrivePolicy' || key === 'Policy')) delete q.attributes[key];
        else q.attributes[key] = value;
      }
      q.lastModified = store.clock.now();
      store.notify(q);
      return {};
    },
    TagQueue(input) {
      Object.assign(store.require(str(input, 'QueueUrl')).tags, input.Tags ?? {});
      return {};
    },
    UntagQueue(input) {
      const q = store.require(str(input, 'QueueUrl'));
      for (const key of (input.TagKeys as string[] | undefined) ?? []) delete q.tags[key];
      return {};
    },
    ListQueueTags(input) {
      const q = store.require(str(input, 'QueueUrl'));
      return Object.keys(q.tags).length > 0 ? { Tags: { ...q.tags } } : {};
    },
    PurgeQueue(input) {
      const q = store.require(str(input, 'QueueUrl'));
      const now = store.clock.now();
      if (q.lastPurge !== undefined && now - q.lastPurge < PURGE_INTERVAL_MS) {
        throw new SqsError(
          'PurgeQueueInProgress',
          `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`,
          'AWS.SimpleQueueService.PurgeQueueInProgress',
          403,
        );
      }
      q.lastPurge = now;
      store.remove(q, [...q.messages.keys()]);
      return {};
    },
  };
}
