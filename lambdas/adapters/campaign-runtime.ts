import { SQSClient } from '@aws-sdk/client-sqs';
import { requireEnv } from './dynamodb/client.ts';
import { once } from './runtime.ts';
import { SqsCampaignQueue } from './sqs-campaign-queue.ts';

/** The campaign queue named by CAMPAIGN_QUEUE_URL, one per container. */
export const campaignQueue = once(
  () => new SqsCampaignQueue(new SQSClient({}), requireEnv('CAMPAIGN_QUEUE_URL')),
);
