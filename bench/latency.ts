import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { keys } from '#adapters/dynamodb/keys.ts';
import { caseIdOf } from '#loop/rules/cases.ts';
import { meteredClient, percentile } from './support.ts';

export interface LatencyFigures {
  readonly samples: number;
  readonly aggregateP50Ms: number;
  readonly aggregateP95Ms: number;
  readonly alertP50Ms: number;
  readonly alertP95Ms: number;
  readonly emailP50Ms: number;
  readonly emailP95Ms: number;
}

export interface RunningPipeline {
  readonly apiUrl: string;
  readonly dynamodbEndpoint: string;
  readonly snsInboxUrl: string;
  /** The local SES mailbox (`GET {mailboxUrl}store`). */
  readonly mailboxUrl: string;
  readonly tableName: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return performance.now();
    await sleep(5);
  }
  throw new Error('timed out');
}

/**
 * On the running local pipeline: time from the API's answer to a response until the all-responses aggregate of
 * the day counts it, until its alert is in the SNS inbox, and until the owner's email is in the SES mailbox. Responses are sent one at a time, 150 ms apart.
 */
export async function measureLatency(p: RunningPipeline, samples: number): Promise<LatencyFigures> {
  const { client } = meteredClient(p.dynamodbEndpoint);
  const toAggregate: number[] = [];
  const toAlert: number[] = [];
  const toEmail: number[] = [];
  const run = Date.now().toString(36);
  const npsCount = async () => {
    const day = new Date().toISOString().slice(0, 10);
    const key = keys.aggregate({ surveyId: 'demo', segment: { key: 'all', value: 'all' }, day });
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: p.tableName,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
        ConsistentRead: true,
      }),
    );
    return Object.entries(Item ?? {})
      .filter(([k]) => k.startsWith('c#nps#'))
      .reduce((n, [, v]) => n + Number(v.N ?? 0), 0);
  };
  for (let i = -1; i < samples; i++) {
    const submissionId = `latency-${run}-${i}`;
    const before = await npsCount();
    const res = await fetch(new URL('v1/responses', p.apiUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        surveyId: 'demo',
        submissionId,
        answers: { nps: 2, csat: 2, ces: 2 },
        attributes: { store: 'latency' },
      }),
    });
    if (res.status !== 201) throw new Error(`POST /v1/responses answered ${res.status}`);
    const answered = performance.now();
    const caseId = caseIdOf('demo', submissionId);
    const [aggregated, alerted, emailed] = await Promise.all([
      until(async () => (await npsCount()) > before),
      until(async () => {
        const inbox = await fetch(p.snsInboxUrl, { headers: { accept: 'application/json' } });
        return (await inbox.text()).includes(caseId);
      }),
      // The owner's email (with the case id in it) in the local SES mailbox.
      until(async () => {
        const store = await fetch(new URL('store', p.mailboxUrl));
        return (await store.text()).includes(caseId);
      }),
    ]);
    // Sample -1 warms the path (connections, survey caches) and is not counted.
    if (i >= 0) {
      toAggregate.push(aggregated - answered);
      toAlert.push(alerted - answered);
      toEmail.push(emailed - answered);
    }
    await sleep(150);
  }
  client.destroy();
  return {
    samples,
    aggregateP50Ms: percentile(toAggregate, 50),
    aggregateP95Ms: percentile(toAggregate, 95),
    alertP50Ms: percentile(toAlert, 50),
    alertP95Ms: percentile(toAlert, 95),
    emailP50Ms: percentile(toEmail, 50),
    emailP95Ms: percentile(toEmail, 95),
  };
}
