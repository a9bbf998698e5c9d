/**
 * Plays a vendor against a running Pulso, signing exactly as the vendor does, so a team sees a vendor's answers
 * arrive before touching its console:
 *
 *   npm run vendor -- twilio --answer nps=3 --answer csat=2 [--call CA…] [--survey demo] [--attr store=s-001] [--lang es] [--json]
 *     an IVR call: one signed post per question (Studio's HTTP Request widget after each Gather Input), or with
 *     --json one JSON post of every answer at the end of the call;
 *   npm run vendor -- zendesk --rating bad [--comment "…"] [--ticket 123] [--attr store=s-001] [--lang es]
 *     a trigger's webhook for a rated ticket;
 *   npm run vendor -- connect --answer nps=9 [--answer …] [--contact <uuid>] [--survey demo] [--attr store=s-001] [--at-end]
 *     a contact flow's Lambda invocations (one per "Get customer input" block, or --at-end one for all);
 *   npm run vendor -- whatsapp --to +5215512345678 --start [--lang es] [--attr store=s-001]
 *   npm run vendor -- whatsapp --to +5215512345678 --reply "3"
 *     opens a survey conversation with a customer (the admin API), or replies as that customer (Meta's webhook,
 *     signed), and prints what Pulso sent them since;
 *   npm run vendor -- sms --to +5215512345678 --start [--lang es] [--attr store=s-001]
 *   npm run vendor -- sms --to +5215512345678 --reply "nueve"
 *     the same over two-way SMS: a reply is End User Messaging's JSON published to the inbound SMS topic.
 *
 * Where each vendor posts and its secret come from `vendors` in .local/runtime.json (npm start), or --runtime <file>.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { metaSignature } from '#http/vendor-signatures.ts';
import { inboundPayload } from '#local/engines/graph.ts';
import type { LocalSms, LocalVendors } from '#local/runtime.ts';
import type { SeededWhatsApp } from '#local/seed.ts';
import { inboundSms, send, twilioRequest, zendeskRequest } from '#local/vendors.ts';

const USAGE = `Usage:
  npm run vendor -- twilio --answer <question>=<answer> [...] [--call CA…] [--survey id] [--attr key=value ...] [--lang en|es|pt] [--json]
  npm run vendor -- zendesk --rating good|bad|1-5 [--comment text] [--ticket n] [--attr key=value ...] [--lang en|es|pt]
  npm run vendor -- connect --answer <question>=<answer> [...] [--contact id] [--survey id] [--attr key=value ...] [--at-end]
  npm run vendor -- whatsapp --to <+E.164> --start [--lang en|es|pt] [--attr key=value ...]
  npm run vendor -- whatsapp --to <+E.164> --reply <text>
  npm run vendor -- sms --to <+E.164> --start [--lang en|es|pt] [--attr key=value ...]
  npm run vendor -- sms --to <+E.164> --reply <text>`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    answer: { type: 'string', multiple: true, default: [] },
    attr: { type: 'string', multiple: true, default: [] },
    survey: { type: 'string', default: 'demo' },
    lang: { type: 'string' },
    call: { type: 'string' },
    json: { type: 'boolean', default: false },
    rating: { type: 'string' },
    comment: { type: 'string' },
    ticket: { type: 'string' },
    contact: { type: 'string' },
    'at-end': { type: 'boolean', default: false },
    to: { type: 'string' },
    start: { type: 'boolean', default: false },
    reply: { type: 'string' },
    runtime: { type: 'string', default: '.local/runtime.json' },
    help: { type: 'boolean', short: 'h' },
  },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const pairs = (list: readonly string[], flag: string) =>
  list.map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 1
      ? fail(`--${flag} ${pair}: expected key=value\n${USAGE}`)
      : ([pair.slice(0, eq), pair.slice(eq + 1)] as const);
  });
const answers = pairs(values.answer ?? [], 'answer');
const attributes = Object.fromEntries(pairs(values.attr ?? [], 'attr'));
if (!existsSync(values.runtime)) fail(`No ${values.runtime}: start Pulso with \`npm start\` first.`);
const runtime = JSON.parse(readFileSync(values.runtime, 'utf8')) as {
  vendors?: LocalVendors;
  whatsapp?: SeededWhatsApp;
  sms?: LocalSms;
  snsUrl?: string;
  region?: string;
  apiUrl?: string;
  adminToken?: string;
};
const vendors = runtime.vendors;
if (!vendors) fail(`${values.runtime} has no vendors: restart \`npm start\` with this version.`);
const local = vendors as LocalVendors;

/** Prints a request's outcome; counts those the API refused. */
let refused = 0;
const report = (what: string, status: number | string, body: string) => {
  const ok = typeof status === 'number' ? status < 300 : status !== 'refused';
  if (!ok) refused++;
  console.log(`${what}\n  ← ${status} ${body}`);
};

const vendor = positionals[0] ?? fail(USAGE);
if (vendor === 'twilio') {
  if (answers.length === 0) fail(`twilio: give at least one --answer\n${USAGE}`);
  const call = values.call ?? `CA${randomBytes(16).toString('hex')}`;
  const place = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`attributes.${k}`, v]));
  const lang = values.lang ? { lang: values.lang } : {};
  if (values.json) {
    const body = {
      CallSid: call,
      survey: values.survey,
      answers: Object.fromEntries(answers),
      attributes,
      ...lang,
    };
    const res = await send(twilioRequest(local.twilio, body, { json: true }));
    report(`→ POST ${local.twilio.url} (JSON, call ${call})`, res.status, res.text);
  } else {
    for (const [question, answer] of answers) {
      const fields = { CallSid: call, survey: values.survey ?? 'demo', question, answer, ...place, ...lang };
      const res = await send(twilioRequest(local.twilio, fields));
      report(`→ POST ${local.twilio.url} ${question}=${answer} (call ${call})`, res.status, res.text);
    }
  }
} else if (vendor === 'zendesk') {
  const rating = values.rating ?? fail(`zendesk: give --rating good, bad or 1-5\n${USAGE}`);
  const ticket = values.ticket ?? String(Math.floor(Math.random() * 1_000_000) + 1);
  const body = {
    ticket: {
      id: ticket,
      url: `pulso-demo.zendesk.com/agent/tickets/${ticket}`,
      group: 'Support',
      assignee: 'Demo Agent',
      brand: 'Pulso demo',
      channel: 'Web Form',
      language: values.lang ?? 'English',
    },
    satisfaction: { rating, comment: values.comment ?? '' },
    attributes,
  };
  const res = await send(zendeskRequest(local.zendesk, body));
  report(`→ POST ${local.zendesk.url} ticket ${ticket} rated ${rating}`, res.status, res.text);
} else if (vendor === 'connect') {
  if (answers.length === 0) fail(`connect: give at least one --answer\n${USAGE}`);
  const contact = values.contact ?? randomUUID();
  const lambda = new LambdaClient({
    endpoint: local.connect.lambdaEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const place = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`attributes.${k}`, v]));
  const blocks = values['at-end']
    ? [Object.fromEntries(answers.map(([q, a]) => [`answers.${q}`, a]))]
    : answers.map(([question, answer]) => ({ question, answer }));
  for (const parameters of blocks) {
    const event = {
      Name: 'ContactFlowEvent',
      Details: {
        ContactData: {
          Attributes: {},
          Channel: 'VOICE',
          ContactId: contact,
          InitialContactId: contact,
          LanguageCode: values.lang ?? 'en-US',
          Queue: { Name: 'Support' },
        },
        Parameters: { survey: values.survey ?? 'demo', ...place, ...parameters },
      },
    };
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: local.connect.functionName,
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    const result = JSON.parse(new TextDecoder().decode(out.Payload)) as Record<string, string>;
    report(
      `→ Invoke ${local.connect.functionName} ${JSON.stringify(parameters)} (contact ${contact})`,
      out.FunctionError ? `error ${out.FunctionError}` : (result.status ?? '?'),
      JSON.stringify(result),
    );
  }
  lambda.destroy();
} else if (vendor === 'whatsapp' || vendor === 'sms') {
  await converse(vendor);
} else {
  fail(`Unknown vendor "${vendor}".\n${USAGE}`);
}
process.exit(refused > 0 ? 1 : 0);

/** What Pulso sent a customer: its id on the channel, and how it reads printed. */
interface Sent {
  readonly id: string;
  readonly what: string;
}

/**
 * Plays a customer of a survey conversation: --start opens it through the admin API, --reply answers as the
 * customer on the channel; then prints what Pulso sent them since.
 */
async function converse(channel: 'whatsapp' | 'sms') {
  const to = values.to ?? fail(`${channel}: give --to +<number>\n${USAGE}`);
  const customer = to.replace(/^\+/, '');
  const sent = channel === 'sms' ? smsChannel() : whatsappChannel();
  const before = new Set((await sent.to(customer)).map((m) => m.id));
  if (values.start) {
    const res = await fetch(new URL('v1/conversations', runtime.apiUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${runtime.adminToken}` },
      body: JSON.stringify({
        source: channel,
        to,
        attributes,
        ...(values.lang ? { locale: values.lang } : {}),
      }),
    });
    report(`→ POST ${runtime.apiUrl}v1/conversations to ${to}`, res.status, await res.text());
  } else {
    const text = values.reply ?? fail(`${channel}: give --start or --reply <text>\n${USAGE}`);
    await sent.reply(to, text);
  }
  // An SMS reaches Pulso through an SNS delivery, after the publish answered: wait a little for what it sends.
  const deadline = Date.now() + (channel === 'sms' && !values.start ? 10_000 : 0);
  let fresh: Sent[];
  for (;;) {
    fresh = (await sent.to(customer)).filter((m) => !before.has(m.id));
    if (fresh.length > 0 || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const m of fresh) console.log(`  ← ${m.what}`);
}

function whatsappChannel() {
  const wa =
    runtime.whatsapp ?? fail(`${values.runtime} has no whatsapp: restart \`npm start\` with this version.`);
  return {
    async to(customer: string): Promise<Sent[]> {
      const res = await fetch(new URL('messages', wa.graphApiUrl));
      const { messages } = (await res.json()) as { messages: { to: string; id: string; body?: unknown }[] };
      return messages
        .filter((m) => m.to === customer)
        .map((m) => ({ id: m.id, what: `WhatsApp to +${customer}: ${JSON.stringify(m.body)}` }));
    },
    async reply(from: string, text: string) {
      const body = JSON.stringify(
        inboundPayload(
          {
            from: from.replace(/^\+/, ''),
            text,
            phoneNumberId: wa.phoneNumberId,
            id: `wamid.cli-${randomUUID()}`,
          },
          new Date(),
        ),
      );
      const res = await send({
        url: wa.webhookUrl,
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': metaSignature(wa.appSecret, body),
        },
        body,
      });
      report(`→ POST ${wa.webhookUrl} from ${from}: ${text}`, res.status, res.text);
    },
  };
}

function smsChannel() {
  const sms = runtime.sms ?? fail(`${values.runtime} has no sms: restart \`npm start\` with this version.`);
  return {
    async to(customer: string): Promise<Sent[]> {
      const res = await fetch(sms.messagesUrl);
      const messages = (await res.json()) as { messageId: string; phoneNumber?: string; message: string }[];
      return messages
        .filter((m) => m.phoneNumber === `+${customer}`)
        .map((m) => ({ id: m.messageId, what: `SMS to +${customer}: ${m.message}` }));
    },
    async reply(from: string, text: string) {
      const client = new SNSClient({
        endpoint: runtime.snsUrl,
        region: runtime.region ?? 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      try {
        const out = await client.send(
          new PublishCommand({
            TopicArn: sms.inboundTopicArn,
            Message: inboundSms({ from, to: sms.phoneNumber, text }),
          }),
        );
        report(`→ SMS from ${from} to ${sms.phoneNumber}: ${text}`, 'published', out.MessageId ?? '');
      } finally {
        client.destroy();
      }
    },
  };
}
