import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoContactStore } from '#adapters/dynamodb/contacts.ts';
import { DynamoGrantStore } from '#adapters/dynamodb/grants.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { DynamoWebhookSourceStore } from '#adapters/dynamodb/webhook-sources.ts';
import type { WebhookKind, WebhookSource } from '#capture/rules/webhook.ts';
import { parseContactsCsv } from '#invitations/rules/contacts.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { DEMO_PEOPLE } from './people.ts';

export interface SeedContext {
  readonly dynamodbEndpoint: string;
  readonly tableName: string;
  readonly region: string;
  /** Where the local API answers (ends in `/`): the URL the demo Twilio source is set to. */
  readonly apiUrl: string;
  /** The local Graph API (ends in `/`), where the demo WhatsApp number sends. */
  readonly graphUrl?: string;
}

/** The demo WhatsApp number, as `.local/runtime.json` gives it (`whatsapp`). */
export interface SeededWhatsApp {
  /** Where Meta would deliver the number's messages: Pulso's whatsapp source. */
  readonly webhookUrl: string;
  readonly appSecret: string;
  readonly verifyToken: string;
  /** The local Graph API: `GET <graphApiUrl>messages` lists what Pulso sent, as JSON; its root, an inbox page. */
  readonly graphApiUrl: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
}

/** The demo two-way SMS number (an `sms` source), as `.local/runtime.json` gives it (`sms`). */
export interface SeededSms {
  /** The two-way number, E.164: Pulso texts from it; a customer's reply is published to the inbound SMS topic. */
  readonly phoneNumber: string;
}

/** The demo vendors' sources, as `.local/runtime.json` gives them (`vendors`), signed as each vendor signs. */
export interface SeededVendors {
  readonly twilio: { readonly url: string; readonly authToken: string };
  readonly zendesk: { readonly url: string; readonly signingSecret: string };
}

export interface Seeded {
  /** Standard Webhooks secrets by source. */
  readonly webhookSecrets: Record<string, string>;
  readonly vendors: SeededVendors;
  readonly whatsapp?: SeededWhatsApp;
  readonly sms?: SeededSms;
}

/**
 * Seeds the `demo` survey, the demo contacts of `local/demo-contacts.csv` (list `demo`; two of them are the
 * SES mailbox simulator's bounce and complaint addresses), the demo people's grants (their places, as at the
 * first start: an admin's later changes are kept when the data persists) and the webhook sources: `generic`
 * (standard), `twilio` and `zendesk`, whose secrets are kept when the data persists between runs.
 */
/** The demo WhatsApp number (a `whatsapp` source) on the local Graph API; its tokens are kept when data persists. */
async function seedWhatsApp(
  sources: DynamoWebhookSourceStore,
  source: (
    name: string,
    kind: WebhookKind,
    make: () => string,
    settings: Partial<WebhookSource>,
  ) => Promise<string>,
  apiUrl: string,
  graphUrl: string,
): Promise<SeededWhatsApp> {
  const had = await sources.get('whatsapp');
  const phoneNumberId = '1055500000';
  const verifyToken = had?.verifyToken ?? randomBytes(12).toString('hex');
  const accessToken = had?.accessToken ?? `local-${randomBytes(16).toString('hex')}`;
  const graphApiUrl = `${graphUrl}v21.0/`;
  const appSecret = await source('whatsapp', 'whatsapp', () => randomBytes(16).toString('hex'), {
    surveyId: 'demo',
    phoneNumberId,
    verifyToken,
    accessToken,
    graphApiUrl,
    templates: {
      en: { name: 'pulso_survey', language: 'en' },
      es: { name: 'pulso_survey', language: 'es' },
      pt: { name: 'pulso_survey', language: 'pt_BR' },
    },
  });
  return {
    webhookUrl: `${apiUrl}v1/webhooks/whatsapp`,
    appSecret,
    verifyToken,
    graphApiUrl: graphUrl,
    phoneNumberId,
    accessToken,
  };
}

export async function seed(ctx: SeedContext): Promise<Seeded> {
  const client = new DynamoDBClient({
    endpoint: ctx.dynamodbEndpoint,
    region: ctx.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    // Targets make the Segments screen mark the places below them.
    const targets = { nps: 40, csat: 85, ces: 5.5 };
    await new DynamoSurveyStore(client, ctx.tableName).put(surveySchema.parse({ ...demoSurvey, targets }));
    const contacts = parseContactsCsv(readFileSync(new URL('demo-contacts.csv', import.meta.url), 'utf8'));
    await new DynamoContactStore(client, ctx.tableName).putMany(contacts.contacts);
    const grants = new DynamoGrantStore(client, ctx.tableName);
    const granted = new Set((await grants.list()).map((g) => g.subject));
    for (const person of DEMO_PEOPLE)
      if (person.places && !granted.has(`person:${person.username}`))
        await grants.put({
          subject: `person:${person.username}`,
          places: person.places,
          updatedAt: new Date().toISOString(),
          updatedBy: 'npm start',
        });
    const sources = new DynamoWebhookSourceStore(client, ctx.tableName);
    // Each source keeps its secret when the data persists; the Twilio one follows the API's URL of this run.
    const source = async (
      name: string,
      kind: WebhookKind,
      make: () => string,
      settings: Partial<WebhookSource>,
    ) => {
      const had = await sources.get(name);
      const now = new Date().toISOString();
      const secret = had?.secrets[0]?.value ?? make();
      await sources.put({
        name,
        kind,
        secrets: [{ value: secret, addedAt: had?.secrets[0]?.addedAt ?? now }],
        createdAt: had?.createdAt ?? now,
        updatedAt: now,
        ...settings,
      });
      return secret;
    };
    const generic = await source(
      'generic',
      'standard',
      () => `whsec_${randomBytes(24).toString('base64')}`,
      {},
    );
    const twilioUrl = `${ctx.apiUrl}v1/webhooks/twilio`;
    const authToken = await source('twilio', 'twilio', () => randomBytes(16).toString('hex'), {
      url: twilioUrl,
      surveyId: 'demo',
    });
    const signingSecret = await source('zendesk', 'zendesk', () => randomBytes(32).toString('base64'), {
      surveyId: 'demo',
    });
    const whatsapp =
      ctx.graphUrl === undefined ? undefined : await seedWhatsApp(sources, source, ctx.apiUrl, ctx.graphUrl);
    // The demo two-way SMS number: no secret, as its messages come through the inbound SMS topic.
    const sms = { phoneNumber: '+15550100200' };
    const hadSms = await sources.get('sms');
    const now = new Date().toISOString();
    await sources.put({
      name: 'sms',
      kind: 'sms',
      phoneNumber: sms.phoneNumber,
      surveyId: 'demo',
      secrets: [],
      createdAt: hadSms?.createdAt ?? now,
      updatedAt: now,
    });
    return {
      webhookSecrets: { generic },
      vendors: {
        twilio: { url: twilioUrl, authToken },
        zendesk: { url: `${ctx.apiUrl}v1/webhooks/zendesk`, signingSecret },
      },
      ...(whatsapp ? { whatsapp } : {}),
      sms,
    };
  } finally {
    client.destroy();
  }
}
