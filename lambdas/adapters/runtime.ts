import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Clock } from '#kernel/ports.ts';
import { DynamoAggregateStore } from './dynamodb/aggregates.ts';
import { DynamoAlertBudgetStore } from './dynamodb/alert-budget.ts';
import { DynamoCaseStore } from './dynamodb/cases.ts';
import { dynamoClient, requireEnv } from './dynamodb/client.ts';
import { DynamoLaneStore } from './dynamodb/lanes.ts';
import { DynamoRateCounterStore } from './dynamodb/rate-counters.ts';
import { DynamoReachStore } from './dynamodb/reach.ts';
import { DynamoResponseStore } from './dynamodb/responses.ts';
import { DynamoRoutingStore } from './dynamodb/routing.ts';
import { DynamoSigningKeyStore } from './dynamodb/signing-keys.ts';
import { CachedSurveyStore, DynamoSurveyStore } from './dynamodb/surveys.ts';
import { DynamoThresholdStateStore } from './dynamodb/threshold-states.ts';
import { DynamoWebhookSecretStore } from './dynamodb/webhook-secrets.ts';
import { SesMailer } from './ses-mailer.ts';
import { SnsNotifier } from './sns-notifier.ts';

export const systemClock: Clock = { now: () => new Date() };

/** Adapters over the table named by TABLE_NAME; built once per container at module scope. */
export function tableAdapters() {
  const tableName = requireEnv('TABLE_NAME');
  const client = dynamoClient();
  return {
    surveys: new CachedSurveyStore(new DynamoSurveyStore(client, tableName)),
    responses: new DynamoResponseStore(client, tableName),
    aggregates: new DynamoAggregateStore(client, tableName),
    cases: new DynamoCaseStore(client, tableName),
    lanes: new DynamoLaneStore(client, tableName),
    webhookSecrets: new DynamoWebhookSecretStore(client, tableName),
    signingKeys: new DynamoSigningKeyStore(client, tableName),
    rateCounters: new DynamoRateCounterStore(client, tableName),
    reach: new DynamoReachStore(client, tableName),
    routing: new DynamoRoutingStore(client, tableName),
    alertBudget: new DynamoAlertBudgetStore(client, tableName),
    thresholdStates: new DynamoThresholdStateStore(client, tableName),
  };
}

export function snsNotifier() {
  return new SnsNotifier(new SNSClient({}), requireEnv('ALERTS_TOPIC_ARN'));
}

export function sesMailer() {
  return new SesMailer(new SESClient({}), requireEnv('MAIL_FROM'));
}

export { dynamoClient, requireEnv };
