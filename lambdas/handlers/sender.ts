import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { campaignQueue } from '#adapters/campaign-runtime.ts';
import { campaignMailer, smsSender } from '#adapters/campaign-senders.ts';
import { conversationStarter } from '#adapters/conversation-runtime.ts';
import { commentAnalyzer, requireEnv, systemClock, tableAdapters } from '#adapters/runtime.ts';
import { logger } from '#http/logger.ts';
import { parseCampaignMessage } from '#invitations/rules/campaigns.ts';
import { handleCampaignMessage, pacer, type SendDeps } from '#invitations/use-cases/send-invitations.ts';
import { type FollowUpDeps, sendFollowUp } from '#loop/use-cases/send-follow-up.ts';
import { renderFollowUpEmail, renderFollowUpSms } from '#views/follow-up.ts';
import { renderInvitationEmail, renderInvitationSms } from '#views/invitation-email.ts';

const {
  surveys,
  responses,
  signingKeys,
  cases,
  campaigns,
  invitations,
  contacts,
  suppressions,
  fatigue,
  webhookSources,
  conversations,
} = tableAdapters();
const deps: SendDeps = {
  campaigns,
  invitations,
  contacts,
  suppressions,
  fatigue,
  surveys,
  responses,
  signingKeys,
  mailer: campaignMailer(),
  sms: smsSender(),
  conversations: conversationStarter(webhookSources, {
    surveys,
    responses,
    analyzer: commentAnalyzer(),
    conversations,
    suppressions,
  }),
  queue: campaignQueue(),
  clock: systemClock,
  publicUrl: requireEnv('PUBLIC_URL'),
  renderEmail: renderInvitationEmail,
  renderSms: renderInvitationSms,
  // The queue's maximum concurrency times this pace is the campaign's send rate.
  pace: pacer(Number(requireEnv('SEND_RATE')), Number(requireEnv('SENDER_CONCURRENCY'))),
};
const followUps: FollowUpDeps = {
  ...deps,
  cases,
  renderFollowUpEmail,
  renderFollowUpSms,
};
const processor = new BatchProcessor(EventType.SQS);

async function onRecord(record: SQSRecord): Promise<void> {
  const message = parseCampaignMessage(record.body);
  if (message.kind === 'follow-up') await sendFollowUp(followUps, message.caseId);
  else await handleCampaignMessage(deps, message);
}

/**
 * Sends campaign invitations and reminders, turns audience pages into invitations, and sends customers the
 * follow-up of their resolved case. A failed message is retried alone (partial batch response); every step it
 * repeats is a conditional write, so nobody is invited twice.
 */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event, context) => processPartialResponse(event, onRecord, processor, { context }));
