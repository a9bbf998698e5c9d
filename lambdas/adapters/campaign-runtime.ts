import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoCampaignStore, DynamoInvitationStore, DynamoSuppressionStore } from './dynamodb/campaigns.ts';
import { dynamoClient, requireEnv } from './dynamodb/client.ts';
import { DynamoContactStore, DynamoFatigueStore } from './dynamodb/contacts.ts';
import { SqsCampaignQueue } from './sqs-campaign-queue.ts';

/** Campaign, invitation, contact, suppression and fatigue stores over the table named by TABLE_NAME. */
export function campaignAdapters() {
  const tableName = requireEnv('TABLE_NAME');
  const client = dynamoClient();
  return {
    campaigns: new DynamoCampaignStore(client, tableName),
    invitations: new DynamoInvitationStore(client, tableName),
    contacts: new DynamoContactStore(client, tableName),
    suppressions: new DynamoSuppressionStore(client, tableName),
    fatigue: new DynamoFatigueStore(client, tableName),
  };
}

/** The campaign queue named by CAMPAIGN_QUEUE_URL. */
export function campaignQueue() {
  return new SqsCampaignQueue(new SQSClient({}), requireEnv('CAMPAIGN_QUEUE_URL'));
}
