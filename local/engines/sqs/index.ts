import { type Clock, systemClock } from '../../clock.ts';
import { listen, PORT_OWNERS, urlHost } from '../../ports.ts';
import { changeVisibility, deleteMessage, messageActions, receive, send } from './messages.ts';
import { sqsServer } from './protocol.ts';
import { createQueue, queueActions } from './queue-management.ts';
import { moveToSource, redriveActions } from './redrive.ts';
import { type Queue, QueueStore } from './store.ts';
import type { SqsEngine } from './types.ts';

export { SqsError } from './errors.ts';
export { attributesMd5 } from './message-attributes.ts';
export type * from './types.ts';

/**
 * An SQS-compatible endpoint (standard and FIFO queues, redrive policies, long polling) kept in memory. Its
 * actions come in groups over one QueueStore: queue management, messages, dead-letter handling; the wire protocol
 * answers them over HTTP. Every time it keeps (visibility, delays, retention, deduplication) is read from `clock`.
 */
export async function startSqs(opts: {
  port: number;
  host?: string;
  region?: string;
  accountId?: string;
  /** @default the system clock */
  clock?: Clock;
}): Promise<SqsEngine> {
  const host = opts.host ?? '127.0.0.1';
  const store = new QueueStore(
    opts.region ?? 'us-east-1',
    opts.accountId ?? '000000000000',
    opts.clock ?? systemClock,
  );
  const server = sqsServer(store, {
    ...queueActions(store),
    ...messageActions(store),
    ...redriveActions(store),
  });
  const port = await listen(server, opts.port, host, PORT_OWNERS.sqs);
  store.baseUrl = `http://${urlHost(host)}:${port}/`;
  let stopped: Promise<void> | undefined;

  const withQueue = <T>(ref: string, run: (q: Queue) => T): T => run(store.require(ref));
  return {
    url: store.baseUrl,
    port,
    region: store.region,
    accountId: store.accountId,
    queueUrl: (name) => store.queueUrl(name),
    queueArn: (name) => store.queueArn(name),
    resolve: (ref) => store.resolve(ref),
    createQueue: (name, attributes) => createQueue(store, name, attributes),
    send: (queue, input) => withQueue(queue, (q) => send(store, q, input)),
    receive: (queue, receiveOpts) => receive(store, queue, receiveOpts),
    deleteMessage: (queue, handle) => withQueue(queue, (q) => deleteMessage(store, q, handle)),
    changeVisibility: (queue, handle, seconds) =>
      withQueue(queue, (q) => changeVisibility(store, q, handle, seconds)),
    remove: (queue, ids) => withQueue(queue, (q) => store.remove(q, ids)),
    moveToSource: (queue, ids) => withQueue(queue, (q) => moveToSource(store, q, ids)),
    peek: (queue) => withQueue(queue, (q) => store.peek(q)),
    counts: (queue) => withQueue(queue, (q) => store.counts(q)),
    queues: () => [...store.queues.values()].map((q) => store.summary(q)),
    restore(queue, messages) {
      const q = store.require(queue);
      const now = store.clock.now();
      for (const record of messages) {
        q.messages.set(record.messageId, { record, visibleAt: now });
        if (record.sequenceNumber && BigInt(record.sequenceNumber) > q.sequence)
          q.sequence = BigInt(record.sequenceNumber);
      }
      store.notify(q);
    },
    onChange: (listener) => store.onChange(listener),
    stop() {
      stopped ??= new Promise<void>((done) => {
        store.stopController.abort();
        server.close(() => done());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
