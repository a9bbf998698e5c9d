import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#local/clock.ts';
import type { DlqEntry } from '#local/dlq.ts';
import type { Runtime } from '#local/runtime.ts';
import { eventually } from '../../support/http.ts';
import {
  type Delivery,
  deliveries,
  job,
  localCredentials,
  sendJobs,
  sqsFixtureTemplate,
  startFixtureRuntime,
  timesSeen,
} from './support.ts';

// The SQS fixture on a clock that moves only when a test advances it: delays and visibility timeouts pass at once,
// and a slow container can never outlast a visibility timeout.
const clock = new ManualClock();
let rt: Runtime;
let sqs: SQSClient;

beforeAll(async () => {
  rt = await startFixtureRuntime({ template: sqsFixtureTemplate(), clock });
  sqs = new SQSClient({ endpoint: rt.sqsUrl, region: 'us-east-1', credentials: localCredentials });
});

afterAll(async () => {
  sqs?.destroy();
  await rt?.stop();
});

async function workQueue(): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: rt.queueUrls.WorkQueue, AttributeNames: ['All'] }),
  );
  const a = out.Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed),
  };
}

/**
 * Waits until the consumer's batches of `prefix` jobs are what `inFlightOnceRan` waits for (it answers how many
 * messages then wait out their visibility timeout, or undefined while they have not run) and the work queue holds
 * just those: only then may a test move the clock past the visibility timeout.
 */
async function waitingOutVisibility(
  prefix: string,
  inFlightOnceRan: (batches: Delivery[]) => number | undefined,
): Promise<void> {
  await eventually(async () => {
    const inFlight = inFlightOnceRan(deliveries(rt, 'work', prefix));
    const c = await workQueue();
    return inFlight !== undefined && c.visible === 0 && c.inFlight === inFlight && c.delayed === 0
      ? true
      : undefined;
  });
}

describe('local SQS mappings on a manual clock', () => {
  it('counts delayed messages of a mapped queue as pending when it waits for idle, until the delay passes', async () => {
    await sendJobs(rt, 'work', [{ ...job('w1'), delaySeconds: 1 }]);

    await expect(rt.queuesIdle(200)).rejects.toThrow(/WorkQueueQ1 \(0 visible, 0 in flight, 1 delayed\)/);
    await clock.advance(999);
    expect(await workQueue()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    await clock.advance(1);
    await rt.streamsIdle();

    expect(timesSeen(deliveries(rt, 'work', 'w'))).toEqual({ w1: [1] });
  });

  it('brings the failed message of a batch back once its visibility timeout passed, and only it', async () => {
    await sendJobs(rt, 'work', [job('p1'), job('p2', { fail: 'once' }), job('p3')]);
    // The batch ran: p1 and p3 are deleted, p2 waits out its visibility timeout.
    await waitingOutVisibility('p', (batches) => (timesSeen(batches).p2 ? 1 : undefined));

    expect(timesSeen(deliveries(rt, 'work', 'p'))).toMatchObject({ p2: [1] });
    await clock.advance(1000);
    await rt.streamsIdle();

    expect(timesSeen(deliveries(rt, 'work', 'p'))).toEqual({ p1: [1], p2: [1, 2], p3: [1] });
    expect(rt.dlqMessages('WorkDlq')).toEqual([]);
  });

  it('moves a message that keeps failing to the dead-letter queue after maxReceiveCount receives', async () => {
    await sendJobs(rt, 'work', [job('x1', { fail: 'always' }), job('x2')]);

    for (const receives of [1, 2, 3]) {
      await waitingOutVisibility('x', (batches) => {
        const seen = timesSeen(batches);
        return seen.x1?.length === receives && seen.x2 ? 1 : undefined;
      });
      await clock.advance(1000);
    }
    await rt.streamsIdle();

    expect(timesSeen(deliveries(rt, 'work', 'x'))).toEqual({ x1: [1, 2, 3], x2: [1] });
    const dead = rt.dlqMessages('WorkDlq') as Extract<DlqEntry, { kind: 'message' }>[];
    expect(dead).toMatchObject([{ kind: 'message', sourceQueue: 'WorkQueueQ1', queue: 'WorkDlqQ1' }]);
    expect(JSON.parse(dead[0]?.body ?? '{}')).toMatchObject({ id: 'x1', fail: 'always' });
  });

  it('leaves the whole batch in the queue when the function throws, so every message of it comes back', async () => {
    await sendJobs(rt, 'work', [job('t1'), job('t2', { fail: 'throw' }), job('t3')]);
    const failedBatch = (batches: Delivery[]) =>
      batches.find((b) => b.items.some((i) => i.id === 't2' && i.receiveCount === 1));
    // Every job ran once; the messages of the batch that threw wait out their visibility timeout.
    await waitingOutVisibility('t', (batches) =>
      Object.keys(timesSeen(batches)).length === 3 ? failedBatch(batches)?.items.length : undefined,
    );
    await clock.advance(1000);
    await rt.streamsIdle();

    const batches = deliveries(rt, 'work', 't');
    const failed = failedBatch(batches);
    expect(failed).toBeDefined();
    const seen = timesSeen(batches);
    for (const item of failed?.items ?? []) expect(seen[item.id]).toEqual([1, 2]);
    expect(Object.keys(seen).sort()).toEqual(['t1', 't2', 't3']);
  });
});
