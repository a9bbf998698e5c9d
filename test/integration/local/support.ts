import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSRecord } from 'aws-lambda';
import { type Runtime, type RuntimeOptions, startRuntime } from '#local/runtime.ts';
import type { CfnTemplate } from '#local/template/index.ts';

export function fixtureTemplate(file = 'template.json'): CfnTemplate {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as CfnTemplate;
}

/** The SQS fixture: queues (standard, FIFO, with redrive policies), a producer and two SQS mappings. */
export function sqsFixtureTemplate(): CfnTemplate {
  return fixtureTemplate('sqs-template.json');
}

/** The runtime over the hand-written fixture template, with its own state folder and no seed data. */
export function startFixtureRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  return startRuntime({
    template: fixtureTemplate(),
    seed: false,
    quiet: true,
    stateDir: mkdtempSync(join(tmpdir(), 'pulso-local-test-')),
    retryDelayMs: () => 10,
    asyncRetryDelayMs: () => 10,
    schedules: 'manual',
    ...opts,
  });
}

export const localCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** One batch as the SQS fixture's consumers report it to the SNS inbox. */
export interface Delivery {
  items: { id: string; receiveCount: number; messageId: string }[];
  sample: SQSRecord;
}

/** Batches the SQS fixture's consumer in `mode` reported, oldest first, with ids starting `prefix`. */
export function deliveries(rt: Runtime, mode: 'work' | 'bulk', prefix: string): Delivery[] {
  return rt
    .snsMessages()
    .filter((m) => m.subject === mode)
    .map((m) => JSON.parse(m.message) as Delivery)
    .filter((d) => d.items.some((i) => i.id.startsWith(prefix)));
}

/** The receive counts each job was delivered with, by job id. */
export function timesSeen(batches: Delivery[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const item of batches.flatMap((d) => d.items)) {
    out[item.id] = [...(out[item.id] ?? []), item.receiveCount];
  }
  return out;
}

/** Sends through the SQS fixture's Sender function, as a handler would. */
export function sendJobs(
  rt: Runtime,
  queue: 'work' | 'bulk',
  messages: { body: unknown; delaySeconds?: number }[],
) {
  return rt.invoke('Sender', { queue, messages }) as Promise<{
    queueUrl: string;
    endpoint: string;
    ids: string[];
  }>;
}

export const job = (id: string, extra: Record<string, unknown> = {}) => ({
  body: { kind: 'job', id, ...extra },
});
