import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#local/clock.ts';
import type { Runtime } from '#local/runtime.ts';
import { eventually } from '../../support/http.ts';
import {
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
    await eventually(async () => {
      const ran = deliveries(rt, 'work', 'p').length > 0;
      const c = await workQueue();
      return ran && c.visible === 0 && c.inFlight === 1 && c.delayed === 0 ? true : undefined;
    });

    expect(timesSeen(deliveries(rt, 'work', 'p'))).toMatchObject({ p2: [1] });
    await clock.advance(1000);
    await rt.streamsIdle();

    expect(timesSeen(deliveries(rt, 'work', 'p'))).toEqual({ p1: [1], p2: [1, 2], p3: [1] });
    expect(rt.dlqMessages('WorkDlq')).toEqual([]);
  });
});
