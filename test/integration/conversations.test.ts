import { type DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaSignature } from '#http/vendor-signatures.ts';
import { contactIdOf } from '#invitations/rules/contacts.ts';
import type { SentMessage } from '#local/engines/graph.ts';
import { inboundPayload } from '#local/engines/graph.ts';
import type { LocalSms, Runtime } from '#local/runtime.ts';
import type { SeededWhatsApp } from '#local/seed.ts';
import { inboundSms } from '#local/vendors.ts';
import { caseIdOf } from '#loop/rules/cases.ts';
import { type client, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let wa: SeededWhatsApp;
let sms: LocalSms;
let sns: SNSClient;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now() % 1_000_000;
/** A customer's number of this run, E.164. */
const phone = (n: number) => `+5215${String(run).padStart(6, '0')}${n}`;
const digits = (p: string) => p.slice(1);

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
  if (!rt.whatsapp) throw new Error('no WhatsApp number in the runtime');
  wa = rt.whatsapp;
  if (!rt.sms) throw new Error('no two-way SMS number in the runtime');
  sms = rt.sms;
  sns = new SNSClient({
    endpoint: rt.snsUrl,
    region: rt.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sns?.destroy();
  await stopRuntime?.();
});

const sentTo = (p: string): SentMessage[] => rt.graph.messages().filter((m) => m.to === digits(p));
const lastText = (p: string) => {
  const last = sentTo(p).at(-1);
  const body = last?.body as
    | { text?: { body: string }; interactive?: { body: { text: string } } }
    | undefined;
  return body?.text?.body ?? body?.interactive?.body.text ?? '';
};
const reply = async (p: string, text: string, id?: string) => {
  const res = await rt.graph.reply({ from: digits(p), text, ...(id ? { id } : {}) });
  expect(res.status, res.text).toBe(200);
  return JSON.parse(res.text) as { outcomes: string[] };
};
const start = (p: string, store: string, locale = 'es') =>
  api.admin('POST', 'v1/conversations', { source: 'whatsapp', to: p, locale, attributes: { store } });
const stored = async (submissionId: string) => {
  const out = await ddb.send(
    new ScanCommand({
      TableName: rt.tableName,
      FilterExpression: 'submissionId = :s AND #t = :r',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':s': { S: submissionId }, ':r': { S: 'response' } },
    }),
  );
  return (out.Items ?? []).map((i) => unmarshall(i));
};
const metrics = async (store: string) =>
  (await api.admin('GET', `v1/surveys/demo/metrics?window=7d&segment=store:${store}`)).json;

/** What Pulso texted a customer, oldest first. */
const textsTo = (p: string) =>
  rt.snsMessages().filter((m) => m.phoneNumber === p && m.topicArn === undefined);
const lastSms = (p: string) => textsTo(p).at(-1)?.message ?? '';
/** A customer texts the two-way number: End User Messaging publishes it to the inbound topic; Pulso reads it. */
const text = async (p: string, body: string, id?: string) => {
  await sns.send(
    new PublishCommand({
      TopicArn: sms.inboundTopicArn,
      Message: inboundSms({ from: p, to: sms.phoneNumber, text: body, ...(id ? { id } : {}) }),
    }),
  );
  await rt.idle();
};
/** The scheduled quiet sweep, run as of `minutes` from now. */
const sweepIn = async (minutes: number) =>
  (await rt.invoke('ConversationSweep', {
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    time: new Date(Date.now() + minutes * 60_000).toISOString(),
  })) as { ended: number };

/** The stored conversation with a customer on a business number. */
const conversationWith = async (phoneNumberId: string, p: string) => {
  const out = await ddb.send(
    new GetItemCommand({
      TableName: rt.tableName,
      Key: { pk: { S: `CONVERSATION#${phoneNumberId}#${digits(p)}` }, sk: { S: 'LATEST' } },
    }),
  );
  return out.Item ? unmarshall(out.Item) : undefined;
};

describe("Meta's verification of the webhook", () => {
  it('answers the challenge when the verify token is the source’s, and 403 otherwise', async () => {
    const ask = (token: string, source = 'whatsapp') =>
      api.call(
        'GET',
        `v1/webhooks/${source}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`,
      );
    const ok = await ask(wa.verifyToken);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('1158201444');
    expect(ok.headers.get('content-type')).toContain('text/plain');
    expect((await ask('wrong-token')).status).toBe(403);
    expect((await ask(wa.verifyToken, 'generic')).status).toBe(403);
    expect((await ask(wa.verifyToken, 'nobody')).status).toBe(404);
  });
});

describe('a survey conversation on WhatsApp', () => {
  it('opens with the template, counts the NPS at once, asks why in Spanish, and takes a tap on a list', async () => {
    const p = phone(1);
    const store = `s-wa-${run}`;
    const opened = await start(p, store);
    expect(opened.status, opened.text).toBe(201);
    expect(opened.json.awaiting).toBe('nps');
    const [template] = sentTo(p);
    expect(template?.type).toBe('template');
    expect(template?.body).toMatchObject({ template: { name: 'pulso_survey', language: { code: 'es' } } });
    expect(JSON.stringify(template?.body)).toContain('Responde con un número del 0');

    expect((await reply(p, '3')).outcomes).toEqual(['answered']);
    expect(lastText(p)).toBe('Lo sentimos. ¿Qué salió mal?');
    await rt.streamsIdle();
    expect((await metrics(store)).nps).toMatchObject({ n: 1, detractors: 1 });
    const submissionId = String(opened.json.submissionId);
    expect((await api.admin('GET', `v1/cases/${caseIdOf('demo', submissionId)}`)).status).toBe(200);

    // Meta delivers the same message again: nothing counts twice, nothing is sent twice.
    const sends = sentTo(p).length;
    const comment = 'Nadie atendió en 40 minutos 😡, pésimo';
    expect((await reply(p, comment, `wamid.again-${run}`)).outcomes).toEqual(['answered']);
    expect((await reply(p, comment, `wamid.again-${run}`)).outcomes).toEqual(['duplicate']);
    expect(sentTo(p)).toHaveLength(sends + 1);
    const csat = sentTo(p).at(-1);
    expect(csat?.type).toBe('interactive');
    const tap = await rt.graph.reply({ from: digits(p), choice: { id: 'csat:2', title: '2' } });
    expect(JSON.parse(tap.text).outcomes).toEqual(['answered']);
    await rt.streamsIdle();
    const [item] = await stored(submissionId);
    expect(item?.answers).toEqual({ nps: 3, comment, csat: 2 });
    expect(item?.capturedVia).toBe('webhook:whatsapp');
    // The case the NPS opened takes the comment that came after it, for its owner to read.
    const opened2 = await api.admin('GET', `v1/cases/${caseIdOf('demo', submissionId)}`);
    expect(opened2.json.answers).toMatchObject({ nps: 3, comment });
    expect((await metrics(store)).csat).toMatchObject({ n: 1 });
  });

  it('counts "nueve", then unsubscribes on "parar", and a new conversation to them is refused', async () => {
    const p = phone(2);
    const store = `s-wa-stop-${run}`;
    const opened = await start(p, store);
    expect(opened.status).toBe(201);
    expect((await reply(p, 'nueve')).outcomes).toEqual(['answered']);
    expect((await reply(p, 'Parar')).outcomes).toEqual(['stopped']);
    expect(lastText(p)).toBe('Listo: no te enviaremos más encuestas.');
    await rt.streamsIdle();
    expect((await metrics(store)).nps).toMatchObject({ n: 1, promoters: 1 });
    const suppression = await ddb.send(
      new ScanCommand({
        TableName: rt.tableName,
        FilterExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: {
          ':pk': { S: `CONTACT#${contactIdOf(undefined, p)}` },
          ':sk': { S: 'SUPPRESSION' },
        },
      }),
    );
    expect(suppression.Items?.map((i) => unmarshall(i).reason)).toEqual(['unsubscribed']);
    expect((await start(p, store)).status).toBe(409);
    // A reply after the stop is no answer to anything.
    expect((await reply(p, '10')).outcomes).toEqual(['ignored']);
  });

  it('counts "nueve", and ends the conversation once it was quiet for the quiet time, keeping the answer', async () => {
    const p = phone(10);
    const store = `s-wa-quiet-${run}`;
    expect((await start(p, store)).status).toBe(201);
    expect((await reply(p, 'nueve')).outcomes).toEqual(['answered']);
    // Not yet: the demo source's quiet time is the default hour.
    await sweepIn(59);
    expect((await conversationWith(wa.phoneNumberId, p))?.state).toMatchObject({
      status: 'open',
      awaiting: 'comment',
    });
    expect((await sweepIn(61)).ended).toBeGreaterThanOrEqual(1);
    const ended = await conversationWith(wa.phoneNumberId, p);
    expect(ended?.state.status).toBe('quiet');
    expect(ended?.gsi2pk).toBeUndefined();
    // A reply after the end answers nothing; the one answer stays counted; a new conversation may start.
    const sends = sentTo(p).length;
    expect((await reply(p, 'Todo bien')).outcomes).toEqual(['ignored']);
    expect(sentTo(p)).toHaveLength(sends);
    await rt.streamsIdle();
    expect((await metrics(store)).nps).toMatchObject({ n: 1, promoters: 1 });
    expect((await start(p, store)).status).toBe(201);
  });

  it('asks an unclear reply again once, with a hint', async () => {
    const p = phone(3);
    expect((await start(p, `s-wa-hint-${run}`, 'pt')).status).toBe(201);
    expect((await reply(p, 'bom demais')).outcomes).toEqual(['asked-again']);
    expect(lastText(p)).toContain('Desculpe, não entendi.');
  });

  it('refuses a delivery not signed with the app secret, and a customer already in a conversation', async () => {
    const body = JSON.stringify(
      inboundPayload(
        { from: digits(phone(1)), text: '10', phoneNumberId: wa.phoneNumberId, id: `wamid.forged-${run}` },
        new Date(),
      ),
    );
    const forged = await api.call('POST', 'v1/webhooks/whatsapp', {
      raw: body,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': metaSignature('f'.repeat(32), body),
      },
    });
    expect(forged.status).toBe(401);
    const unsigned = await api.call('POST', 'v1/webhooks/whatsapp', {
      raw: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
    const p = phone(4);
    expect((await start(p, 's-wa-twice')).status).toBe(201);
    expect((await start(p, 's-wa-twice')).status).toBe(409);
  });

  it.each([
    ['no template for the language', { source: 'whatsapp', to: phone(5), locale: 'fr' }, 400],
    ['a number that is not E.164', { source: 'whatsapp', to: '5512345678' }, 400],
    ['a source that is not WhatsApp', { source: 'generic', to: phone(5) }, 404],
  ])('refuses to start a conversation with %s', async (_, body, status) => {
    expect((await api.admin('POST', 'v1/conversations', body)).status).toBe(status);
  });
});

/** Runs `npm run vendor -- <channel> …` against this runtime, as a team does against `npm start`. */
async function vendorCli(...args: string[]): Promise<{ code: number; stdout: string }> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { execFile } = await import('node:child_process');
  const file = join(mkdtempSync(join(tmpdir(), 'pulso-vendor-')), 'runtime.json');
  const { vendors, whatsapp, sms: twoWay, apiUrl, adminToken, snsUrl, region } = rt;
  writeFileSync(file, JSON.stringify({ vendors, whatsapp, sms: twoWay, apiUrl, adminToken, snsUrl, region }));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/vendor.ts', ...args, '--runtime', file],
      (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

describe('the numbers a conversation campaign asks from', () => {
  it('lists the WhatsApp and two-way SMS numbers to the roles that make campaigns, with no secret, and to no other', async () => {
    const as = (role: string) => {
      const token = rt.people.find((p) => p.role === role)?.accessToken ?? '';
      return api.call('GET', 'v1/numbers', { headers: { authorization: `Bearer ${token}` } });
    };
    const read = await as('analyst');
    expect(read.status, read.text).toBe(200);
    const items = read.json.items as Record<string, unknown>[];
    expect(items).toContainEqual({
      source: 'sms',
      channel: 'sms',
      number: sms.phoneNumber,
      surveyId: 'demo',
    });
    expect(items).toContainEqual({
      source: 'whatsapp',
      channel: 'whatsapp',
      number: wa.phoneNumberId,
      surveyId: 'demo',
      languages: ['en', 'es', 'pt'],
    });
    // Only sources that run conversations, and nothing a vendor signs or sends with.
    expect(items.every((i) => i.channel === 'sms' || i.channel === 'whatsapp')).toBe(true);
    for (const secret of [wa.accessToken, wa.verifyToken, wa.appSecret])
      expect(read.text).not.toContain(secret);
    expect((await as('manager')).status).toBe(403);
    expect((await api.call('GET', 'v1/numbers')).status).toBe(401);
  });
});

describe('npm run vendor', () => {
  it('opens a WhatsApp conversation and replies as the customer, printing what Pulso sent them', async () => {
    const p = phone(6);
    const store = `s-wa-cli-${run}`;
    const opened = await vendorCli(
      'whatsapp',
      '--to',
      p,
      '--start',
      '--lang',
      'en',
      '--attr',
      `store=${store}`,
    );
    expect(opened.code, opened.stdout).toBe(0);
    expect(opened.stdout).toContain('← 201');
    expect(opened.stdout).toContain('WhatsApp to');
    const replied = await vendorCli('whatsapp', '--to', p, '--reply', '10');
    expect(replied.code, replied.stdout).toBe(0);
    expect(replied.stdout).toContain('What did you like most?');
    await rt.streamsIdle();
    expect((await metrics(store)).nps).toMatchObject({ n: 1, promoters: 1 });
  });

  it('does the same over two-way SMS, publishing the reply as End User Messaging does', async () => {
    const p = phone(15);
    const store = `s-sms-cli-${run}`;
    const opened = await vendorCli('sms', '--to', p, '--start', '--lang', 'pt', '--attr', `store=${store}`);
    expect(opened.code, opened.stdout).toBe(0);
    expect(opened.stdout).toContain('← 201');
    expect(opened.stdout).toContain(`SMS to ${p}: `);
    expect(opened.stdout).toContain('Responda PARAR');
    const replied = await vendorCli('sms', '--to', p, '--reply', 'dez');
    expect(replied.code, replied.stdout).toBe(0);
    expect(replied.stdout).toContain('← published');
    expect(replied.stdout).toMatch(/SMS to .*\?/);
    await rt.streamsIdle();
    expect((await metrics(store)).nps).toMatchObject({ n: 1, promoters: 1 });
  });
});

describe('a WhatsApp campaign', () => {
  it('opens each contact’s conversation in their language, counts its answers in the reach, and keeps to fatigue', async () => {
    const list = `wa-list-${run}`;
    const store = `s-wa-camp-${run}`;
    const [es, pt, en] = [phone(7), phone(8), phone(9)];
    const csv = [
      'phone,locale,list,store',
      `${es},es,${list},${store}`,
      `${pt},pt,${list},${store}`,
      `${en},en,${list},${store}`,
    ].join('\n');
    const imported = await api.call('POST', 'v1/contacts/import', {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
      admin: true,
    });
    expect(imported.json).toMatchObject({ imported: 3, errors: [] });
    const other = await api.admin('POST', 'v1/campaigns', {
      name: 'Earlier',
      surveyId: 'demo',
      channel: 'whatsapp',
      source: 'whatsapp',
      audience: { attributes: { list, store } },
    });
    expect(other.status, other.text).toBe(201);
    const refused = await api.admin('POST', 'v1/campaigns', {
      name: 'No source',
      surveyId: 'demo',
      channel: 'whatsapp',
      audience: { attributes: { list } },
    });
    expect(refused.status).toBe(400);
    const reminders = await api.admin('POST', 'v1/campaigns', {
      name: 'Reminders',
      surveyId: 'demo',
      channel: 'whatsapp',
      source: 'whatsapp',
      reminderAfterDays: 2,
    });
    expect(reminders.status).toBe(400);

    const id = other.json.campaignId as string;
    expect((await api.admin('POST', `v1/campaigns/${id}/start`)).status).toBe(202);
    await rt.idle();
    const opening = (p: string) =>
      sentTo(p).find((m) => m.type === 'template')?.body as
        | { template: { language: { code: string } } }
        | undefined;
    expect(opening(es)?.template.language.code).toBe('es');
    expect(opening(pt)?.template.language.code).toBe('pt_BR');
    expect(opening(en)?.template.language.code).toBe('en');

    expect((await reply(es, '2')).outcomes).toEqual(['answered']);
    await rt.idle();
    const reach = (await api.admin('GET', `v1/campaigns/${id}/reach`)).json;
    expect(reach.total).toMatchObject({ invited: 3, completed: 1, responseRateBasis: 'invited' });

    // Statuses come late, twice and out of order: read before delivered, then delivered again; one fails.
    const templateOf = (p: string) => sentTo(p).find((m) => m.type === 'template')?.id ?? '';
    for (const [p, status] of [
      [es, 'read'],
      [es, 'delivered'],
      [es, 'delivered'],
      [en, 'sent'],
      [pt, 'failed'],
    ] as const) {
      const res = await rt.graph.status(templateOf(p), status);
      expect(res.status, res.text).toBe(200);
    }
    await rt.idle();
    const after = (await api.admin('GET', `v1/campaigns/${id}/reach`)).json;
    expect(after.total).toMatchObject({
      invited: 3,
      delivered: 1,
      opened: 1,
      bounced: 1,
      completed: 1,
      responseRateBasis: 'delivered',
    });

    // The Spanish contact stops; a second campaign to the same people within the quiet period invites nobody,
    // and skips the one who stopped as suppressed.
    expect((await reply(es, 'parar')).outcomes).toEqual(['stopped']);
    await rt.idle();
    const again = await api.admin('POST', 'v1/campaigns', {
      name: 'Again',
      surveyId: 'demo',
      channel: 'whatsapp',
      source: 'whatsapp',
      audience: { attributes: { list, store } },
    });
    expect((await api.admin('POST', `v1/campaigns/${again.json.campaignId}/start`)).status).toBe(202);
    await rt.idle();
    const second = (await api.admin('GET', `v1/campaigns/${again.json.campaignId}/reach`)).json;
    expect(second.total).toMatchObject({ suppressed: 1, throttled: 2, invited: 0 });
  });
});

describe('a survey conversation over two-way SMS', () => {
  it('invites by SMS, asks why in the language, counts each answer once, ends quiet ones, and stops on "parar"', async () => {
    const list = `sms-list-${run}`;
    const [es, pt, stops] = [phone(11), phone(12), phone(13)];
    const storeOf = (p: string) => `s-sms-${p.slice(-3)}-${run}`;
    const csv = [
      'phone,locale,list,store',
      `${es},es,${list},${storeOf(es)}`,
      `${pt},pt,${list},${storeOf(pt)}`,
      `${stops},es,${list},${storeOf(stops)}`,
    ].join('\n');
    const imported = await api.call('POST', 'v1/contacts/import', {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
      admin: true,
    });
    expect(imported.json).toMatchObject({ imported: 3, errors: [] });
    const campaign = (name: string) =>
      api.admin('POST', 'v1/campaigns', {
        name,
        surveyId: 'demo',
        channel: 'sms',
        source: 'sms',
        audience: { attributes: { list } },
      });
    const first = await campaign('SMS survey');
    expect(first.status, first.text).toBe(201);
    const id = first.json.campaignId as string;
    expect((await api.admin('POST', `v1/campaigns/${id}/start`)).status).toBe(202);
    await rt.idle();

    // The invitation is the first question itself, from the two-way number, saying how to stop.
    const [opening] = textsTo(es);
    expect(opening?.message).toContain('Responde con un número del 0');
    expect(opening?.message).toContain('Responde PARAR para no recibir más.');
    expect(opening?.messageAttributes['AWS.MM.SMS.OriginationNumber']?.StringValue).toBe(sms.phoneNumber);
    expect(opening?.messageAttributes['AWS.SNS.SMS.SMSType']?.StringValue).toBe('Transactional');
    expect(textsTo(pt)[0]?.message).toContain('Responda PARAR');

    await text(es, '3');
    expect(lastSms(es)).toBe('Lo sentimos. ¿Qué salió mal?');
    await rt.streamsIdle();
    expect((await metrics(storeOf(es))).nps).toMatchObject({ n: 1, detractors: 1 });
    const conversation = await conversationWith(digits(sms.phoneNumber), es);
    const submissionId = String(conversation?.state.submissionId);
    expect(submissionId).toMatch(/^sms\./);
    expect((await api.admin('GET', `v1/cases/${caseIdOf('demo', submissionId)}`)).status).toBe(200);

    // End User Messaging delivers the same message twice: one answer, one next question.
    const comment = 'Esperé 40 minutos en la caja 😡 ¡pésimo!';
    const sends = textsTo(es).length;
    await text(es, comment, `sms-again-${run}`);
    await text(es, comment, `sms-again-${run}`);
    expect(textsTo(es)).toHaveLength(sends + 1);
    // The CSAT's choices written out, as an SMS shows no list.
    expect(lastSms(es)).toMatch(/1\D[\s\S]*5\D/);
    await text(es, '2');
    await rt.streamsIdle();
    const [item] = await stored(submissionId);
    expect(item?.answers).toEqual({ nps: 3, comment, csat: 2 });
    expect(item?.capturedVia).toBe('webhook:sms');
    expect((await api.admin('GET', `v1/cases/${caseIdOf('demo', submissionId)}`)).json.answers).toMatchObject(
      {
        nps: 3,
        comment,
      },
    );

    // "nove", then nothing: one answer counted, the conversation ends after its quiet time.
    await text(pt, 'nove');
    expect(lastSms(pt)).toContain('?');
    await rt.streamsIdle();
    expect((await metrics(storeOf(pt))).nps).toMatchObject({ n: 1, promoters: 1 });
    await sweepIn(61);
    expect((await conversationWith(digits(sms.phoneNumber), pt))?.state.status).toBe('quiet');
    const ptSends = textsTo(pt).length;
    await text(pt, 'Muito bom');
    expect(textsTo(pt)).toHaveLength(ptSends);

    await text(stops, 'parar');
    expect(lastSms(stops)).toBe('Listo: no te enviaremos más encuestas.');
    await rt.idle();
    const reach = (await api.admin('GET', `v1/campaigns/${id}/reach`)).json;
    expect(reach.total).toMatchObject({ invited: 3, completed: 2 });

    // The next campaign skips the one who stopped, and keeps the others to the fatigue rule.
    const again = await campaign('SMS again');
    expect((await api.admin('POST', `v1/campaigns/${again.json.campaignId}/start`)).status).toBe(202);
    await rt.idle();
    const second = (await api.admin('GET', `v1/campaigns/${again.json.campaignId}/reach`)).json;
    expect(second.total).toMatchObject({ invited: 0, suppressed: 1, throttled: 2 });
  });

  it('takes no webhook: the sms source reads its messages from the inbound topic only', async () => {
    const res = await api.call('POST', 'v1/webhooks/sms', {
      raw: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('drops what is not an inbound SMS, and an SMS to a number no source has, counting nothing', async () => {
    const texts = () => rt.snsMessages().filter((m) => m.topicArn === undefined).length;
    const [textsBefore, failuresBefore] = [texts(), rt.dlqMessages().length];
    await sns.send(new PublishCommand({ TopicArn: sms.inboundTopicArn, Message: 'not json' }));
    await sns.send(
      new PublishCommand({
        TopicArn: sms.inboundTopicArn,
        Message: inboundSms({ from: phone(14), to: '+15550109999', text: '10' }),
      }),
    );
    await rt.idle();
    expect(texts()).toBe(textsBefore);
    // Nothing retried would mend them: dropped, not kept for a retry.
    expect(rt.dlqMessages()).toHaveLength(failuresBefore);
  });
});
