import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoContactStore } from '#adapters/dynamodb/contacts.ts';
import { DynamoGrantStore } from '#adapters/dynamodb/grants.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { DynamoWebhookSecretStore } from '#adapters/dynamodb/webhook-secrets.ts';
import { parseContactsCsv } from '#invitations/rules/contacts.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { DEMO_PEOPLE } from './people.ts';

export interface SeedContext {
  readonly dynamodbEndpoint: string;
  readonly tableName: string;
  readonly region: string;
}

/**
 * Seeds the `demo` survey, the demo contacts of `local/demo-contacts.csv` (list `demo`; two of them are the
 * SES mailbox simulator's bounce and complaint addresses), the demo people's grants (their places, as at the
 * first start: an admin's later changes are kept when the data persists) and a `generic` webhook secret (kept
 * when the data persists between runs).
 */
export async function seed(ctx: SeedContext): Promise<{ webhookSecrets: Record<string, string> }> {
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
    const secrets = new DynamoWebhookSecretStore(client, ctx.tableName, 0);
    let generic = (await secrets.get('generic'))?.[0];
    if (!generic) {
      generic = `whsec_${randomBytes(24).toString('base64')}`;
      await secrets.put('generic', [generic]);
    }
    return { webhookSecrets: { generic } };
  } finally {
    client.destroy();
  }
}
