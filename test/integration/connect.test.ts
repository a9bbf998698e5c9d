import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalVendors, Runtime } from '#local/runtime.ts';
import { type client, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let lambda: LambdaClient;
let connect: LocalVendors['connect'];
let stopRuntime: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ rt, api, stop: stopRuntime } = await startTestRuntime());
  if (!rt.vendors) throw new Error('no vendors in the runtime');
  connect = rt.vendors.connect;
  lambda = new LambdaClient({
    endpoint: connect.lambdaEndpoint,
    region: rt.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  lambda?.destroy();
  await stopRuntime?.();
});

/** The event a contact flow's "Invoke AWS Lambda function" block sends, as Amazon Connect documents it. */
const flowEvent = (
  contactId: string,
  parameters: Record<string, string>,
  attributes: Record<string, string> = {},
) =>
  ({
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: attributes,
        Channel: 'VOICE',
        ContactId: contactId,
        CustomerEndpoint: { Address: '+5215512345678', Type: 'TELEPHONE_NUMBER' },
        InitialContactId: contactId,
        InitiationMethod: 'INBOUND',
        InstanceARN: 'arn:aws:connect:us-east-1:000000000000:instance/0b5f7a8e-1c2d-4e3f-9a0b-1c2d3e4f5a6b',
        LanguageCode: 'es-MX',
        MediaStreams: { Customer: { Audio: null } },
        PreviousContactId: contactId,
        Queue: { ARN: 'arn:aws:connect:queue/soporte', Name: 'Soporte', OutboundCallerId: null },
        SystemEndpoint: { Address: '+525500000000', Type: 'TELEPHONE_NUMBER' },
      },
      Parameters: parameters,
    },
  }) as unknown as ConnectContactFlowEvent;

async function invoke(event: unknown) {
  const started = Date.now();
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: connect.functionName,
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }),
  );
  return {
    ms: Date.now() - started,
    error: out.FunctionError,
    result: JSON.parse(new TextDecoder().decode(out.Payload)) as Record<string, unknown>,
  };
}

const metrics = async (segment: string) => {
  const res = await api.admin(
    'GET',
    `v1/surveys/demo/metrics?window=7d&segment=${encodeURIComponent(segment)}`,
  );
  expect(res.status).toBe(200);
  return res.json;
};

describe('an Amazon Connect contact flow', () => {
  it("counts each answer of a contact once, and answers within Connect's 8 seconds with a flat map", async () => {
    const contact = randomUUID();
    const store = `s-connect-${Date.now().toString(36)}`;
    // The first call of a container loads the handler; Connect's calls after it are what the limit is about.
    const first = await invoke(
      flowEvent(contact, { survey: 'demo', question: 'nps', answer: '2' }, { store }),
    );
    expect(first.error).toBeUndefined();
    expect(first.result).toEqual({
      status: 'created',
      submissionId: `connect.${contact}`,
      added: 'nps',
      alert: 'true',
      caseId: expect.any(String),
    });
    const second = await invoke(
      flowEvent(contact, { survey: 'demo', question: 'csat', answer: '4' }, { store }),
    );
    expect(second.result).toMatchObject({ status: 'created', added: 'csat', alert: 'true' });
    expect(second.ms).toBeLessThan(8000);
    for (const value of Object.values(second.result)) expect(typeof value).toBe('string');
    // Connect retries nothing, but a flow can loop back through the block: the same answer counts nothing.
    const again = await invoke(
      flowEvent(contact, { survey: 'demo', question: 'csat', answer: '4' }, { store }),
    );
    expect(again.result).toMatchObject({ status: 'duplicate', added: '' });

    await rt.streamsIdle();
    const figures = await metrics(`store:${store}`);
    expect(figures.nps).toMatchObject({ n: 1, detractors: 1 });
    expect(figures.csat.n).toBe(1);
    const opened = await api.admin('GET', `v1/cases/${String(first.result.caseId)}`);
    expect(opened.status).toBe(200);
    expect(opened.json.interaction).toEqual({ id: contact, vendor: 'connect' });
    expect(opened.json.locale).toBe('es');
  });

  it('counts the answers of a block at the end of the contact, several at once', async () => {
    const contact = randomUUID();
    const store = `s-connect-end-${Date.now().toString(36)}`;
    const { result } = await invoke(
      flowEvent(contact, {
        survey: 'demo',
        'answers.nps': '10',
        'answers.ces': '7',
        'attributes.store': store,
      }),
    );
    expect(result).toMatchObject({ status: 'created', alert: 'false' });
    expect(String(result.added).split(',').sort()).toEqual(['ces', 'nps']);
    await rt.streamsIdle();
    expect((await metrics(`store:${store}`)).nps).toMatchObject({ n: 1, promoters: 1 });
  });

  it.each([
    ['no survey', { question: 'nps', answer: '9' }, 'validation', 'survey'],
    ['an unknown survey', { survey: 'nope', question: 'nps', answer: '9' }, 'not-found', undefined],
    [
      'an answer out of range',
      { survey: 'demo', question: 'nps', answer: '42' },
      'validation',
      'answers.nps',
    ],
    ['an unknown question', { survey: 'demo', question: 'wait', answer: '1' }, 'validation', 'answers.wait'],
  ])(
    'answers refused for %s, so the flow can branch, and counts nothing',
    async (_, parameters, problem, field) => {
      const { result, error } = await invoke(flowEvent(randomUUID(), parameters));
      expect(error).toBeUndefined();
      expect(result).toMatchObject({ status: 'refused', problem, ...(field ? { field } : {}) });
    },
  );

  it('answers refused for an event that is not a contact flow event', async () => {
    const { result } = await invoke({ hello: 'world' });
    expect(result).toMatchObject({ status: 'refused', problem: 'validation' });
  });

  it('is reached through AWS_ENDPOINT_URL_LAMBDA, as the SDK finds it with no endpoint given', async () => {
    const before = process.env.AWS_ENDPOINT_URL_LAMBDA;
    process.env.AWS_ENDPOINT_URL_LAMBDA = connect.lambdaEndpoint;
    const fromEnv = new LambdaClient({
      region: rt.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const out = await fromEnv.send(
        new InvokeCommand({
          FunctionName: connect.functionName,
          Payload: new TextEncoder().encode(
            JSON.stringify(flowEvent(randomUUID(), { survey: 'demo', question: 'nps', answer: '8' })),
          ),
        }),
      );
      expect(JSON.parse(new TextDecoder().decode(out.Payload))).toMatchObject({
        status: 'created',
        added: 'nps',
      });
    } finally {
      fromEnv.destroy();
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_LAMBDA;
      else process.env.AWS_ENDPOINT_URL_LAMBDA = before;
    }
  });

  it('answers ResourceNotFoundException for a function the stack does not have', async () => {
    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'nope', Payload: new Uint8Array() })),
    ).rejects.toThrow(ResourceNotFoundException);
  });
});
