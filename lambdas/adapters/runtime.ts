import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import type { CommentAnalyzer } from '#capture/ports.ts';
import { logger } from '#http/logger.ts';
import type { Clock } from '#kernel/ports.ts';
import { BuiltinAnalyzer } from './builtin-analyzer.ts';
import { ComprehendAnalyzer } from './comprehend-analyzer.ts';
import { DynamoAggregateStore } from './dynamodb/aggregates.ts';
import { DynamoAlertBudgetStore } from './dynamodb/alert-budget.ts';
import { DynamoAuditTrail } from './dynamodb/audit.ts';
import { DynamoCampaignStore, DynamoInvitationStore, DynamoSuppressionStore } from './dynamodb/campaigns.ts';
import { DynamoCaseStore } from './dynamodb/cases.ts';
import { requireEnv } from './dynamodb/client.ts';
import { DynamoContactStore, DynamoFatigueStore } from './dynamodb/contacts.ts';
import { DynamoConversationStore } from './dynamodb/conversations.ts';
import { DynamoExportStore } from './dynamodb/exports.ts';
import { DynamoGrantStore } from './dynamodb/grants.ts';
import { DynamoLaneStore } from './dynamodb/lanes.ts';
import { DynamoPersonalDataEraser } from './dynamodb/personal-data.ts';
import { DynamoPlanStore } from './dynamodb/plans.ts';
import { DynamoRateCounterStore } from './dynamodb/rate-counters.ts';
import { DynamoReachStore } from './dynamodb/reach.ts';
import { DynamoReportLedger } from './dynamodb/reports.ts';
import { DynamoCommentIndex, DynamoResponseScan, DynamoResponseStore } from './dynamodb/responses.ts';
import { DynamoRoutingStore } from './dynamodb/routing.ts';
import { DynamoSegmentCatalogue } from './dynamodb/segment-values.ts';
import { DynamoSentimentModelStore } from './dynamodb/sentiment-models.ts';
import { DynamoShareLinkStore } from './dynamodb/share-links.ts';
import { DynamoSigningKeyStore } from './dynamodb/signing-keys.ts';
import { DynamoSurveyPreviewStore } from './dynamodb/survey-previews.ts';
import { CachedSurveyStore, DynamoSurveyStore } from './dynamodb/surveys.ts';
import { DynamoThresholdStateStore } from './dynamodb/threshold-states.ts';
import { DynamoWebhookSourceStore } from './dynamodb/webhook-sources.ts';
import { SesMailer } from './ses-mailer.ts';
import { SnsNotifier } from './sns-notifier.ts';

export const systemClock: Clock = { now: () => new Date() };

/** Made on first call, then the same value for the life of the container. */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** The container's one DynamoDB client; the SDK reads AWS_ENDPOINT_URL_DYNAMODB locally. */
export const dynamoClient = once(() => new DynamoDBClient({ maxAttempts: 5 }));

type Client = DynamoDBClient;
const STORES = {
  surveys: (c: Client, t: string) => new CachedSurveyStore(new DynamoSurveyStore(c, t)),
  surveyPreviews: (c: Client, t: string) => new DynamoSurveyPreviewStore(c, t),
  responses: (c: Client, t: string) => new DynamoResponseStore(c, t),
  comments: (c: Client, t: string) => new DynamoCommentIndex(c, t),
  responseScan: (c: Client, t: string) => new DynamoResponseScan(c, t),
  exports: (c: Client, t: string) => new DynamoExportStore(c, t),
  shareLinks: (c: Client, t: string) => new DynamoShareLinkStore(c, t),
  aggregates: (c: Client, t: string) => new DynamoAggregateStore(c, t),
  lanes: (c: Client, t: string) => new DynamoLaneStore(c, t),
  segmentValues: (c: Client, t: string) => new DynamoSegmentCatalogue(c, t),
  reach: (c: Client, t: string) => new DynamoReachStore(c, t),
  cases: (c: Client, t: string) => new DynamoCaseStore(c, t),
  routing: (c: Client, t: string) => new DynamoRoutingStore(c, t),
  alertBudget: (c: Client, t: string) => new DynamoAlertBudgetStore(c, t),
  reports: (c: Client, t: string) => new DynamoReportLedger(c, t),
  thresholdStates: (c: Client, t: string) => new DynamoThresholdStateStore(c, t),
  plans: (c: Client, t: string) => new DynamoPlanStore(c, t),
  webhookSources: (c: Client, t: string) => new DynamoWebhookSourceStore(c, t),
  conversations: (c: Client, t: string) => new DynamoConversationStore(c, t),
  signingKeys: (c: Client, t: string) => new DynamoSigningKeyStore(c, t),
  grants: (c: Client, t: string) => new DynamoGrantStore(c, t),
  audit: (c: Client, t: string) => new DynamoAuditTrail(c, t),
  eraser: (c: Client, t: string) => new DynamoPersonalDataEraser(c, t),
  rateCounters: (c: Client, t: string) => new DynamoRateCounterStore(c, t),
  sentimentModels: (c: Client, t: string) => new DynamoSentimentModelStore(c, t),
  campaigns: (c: Client, t: string) => new DynamoCampaignStore(c, t),
  invitations: (c: Client, t: string) => new DynamoInvitationStore(c, t),
  suppressions: (c: Client, t: string) => new DynamoSuppressionStore(c, t),
  contacts: (c: Client, t: string) => new DynamoContactStore(c, t),
  fatigue: (c: Client, t: string) => new DynamoFatigueStore(c, t),
};

export type TableStores = { readonly [K in keyof typeof STORES]: ReturnType<(typeof STORES)[K]> };

const built = new Map<string, unknown>();

/**
 * The stores over the table named by TABLE_NAME (checked at once, so a missing variable fails at load). Each store
 * is built when first read (`const { cases } = tableAdapters()` builds only the case store), once per container,
 * over the container's one DynamoDB client.
 */
export function tableAdapters(): TableStores {
  const tableName = requireEnv('TABLE_NAME');
  const stores = {} as TableStores;
  for (const [name, make] of Object.entries(STORES)) {
    Object.defineProperty(stores, name, {
      enumerable: true,
      get: () => {
        const key = `${tableName}/${name}`;
        if (!built.has(key)) built.set(key, make(dynamoClient(), tableName));
        return built.get(key);
      },
    });
  }
  return stores;
}

export const snsClient = once(() => new SNSClient({}));
export const snsNotifier = once(() => new SnsNotifier(snsClient(), requireEnv('ALERTS_TOPIC_ARN')));

export const sesMailer = once(() => new SesMailer(new SESClient({}), requireEnv('MAIL_FROM')));

export { requireEnv };

/**
 * The container's comment analyzer: built in (the default), or Amazon Comprehend when the deployment opted in
 * (`PULSO_ANALYZER=comprehend`), read by the built-in one whenever Comprehend cannot answer.
 */
export const commentAnalyzer = once((): CommentAnalyzer => {
  const onError = (err: unknown) =>
    logger.warn('A comment reader failed; the next one read it', err as Error);
  const builtin = new BuiltinAnalyzer(tableAdapters().sentimentModels, systemClock, onError);
  return process.env.PULSO_ANALYZER === 'comprehend'
    ? new ComprehendAnalyzer(new ComprehendClient({ maxAttempts: 2 }), builtin, onError)
    : builtin;
});
