import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
