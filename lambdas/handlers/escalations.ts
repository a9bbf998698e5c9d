import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { campaignQueue } from '#adapters/campaign-runtime.ts';
import { requireEnv, sesMailer, snsNotifier, tableAdapters } from '#adapters/runtime.ts';
import { escalationEmailOf } from '#http/alert-email.ts';
import { logger } from '#http/logger.ts';
import { CASE_LINK_KEY } from '#loop/rules/case-links.ts';
import { escalateDueCases } from '#loop/use-cases/escalate-cases.ts';
import { sendDigests } from '#loop/use-cases/send-digests.ts';
import { renderDigestEmail } from '#views/digest-email.ts';
import { notRecoveredEmailOf } from '#views/recovery-email.ts';

const { surveys, cases, signingKeys, alertBudget } = tableAdapters();
const publicUrl = requireEnv('PUBLIC_URL');
const deps = {
  surveys,
  cases,
  notifier: snsNotifier(),
  mailer: sesMailer(),
  // Follow-ups to customers that fall due go to the campaign senders, within the SES and SNS rates.
  queue: campaignQueue(),
  renderNotRecovered: notRecoveredEmailOf(publicUrl),
  renderEscalation: escalationEmailOf(publicUrl, () => signingKeys.get(CASE_LINK_KEY)),
};
const digests = {
  budget: alertBudget,
  mailer: deps.mailer,
  notifier: deps.notifier,
  caseUrl: (caseId: string) => new URL(`v1/cases/${encodeURIComponent(caseId)}`, publicUrl).toString(),
  casesUrl: new URL('v1/cases?status=open', publicUrl).toString(),
  render: renderDigestEmail,
};

/**
 * The escalation sweep (every 5 minutes): cases past their SLA move up a tier and the new tier is told; customers'
 * follow-ups that fell due are queued for the senders; owners' hourly digests go out once their hour is over.
 * "Now" is the scheduled event's time, so a late run escalates as of when it was due and tests run it at any
 * moment (docs/decisions/0002-sla-escalation-sweep.md).
 */
export const handler = middy<ScheduledEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const now = event.time ? new Date(event.time) : new Date();
    const result = await escalateDueCases(deps, now);
    // The same sweep sends the hourly digests of owners who had more alerts than their hour's budget.
    const digestsSent = await sendDigests(digests, now);
    logger.info('Escalation sweep', { ...result, digestsSent, asOf: now.toISOString() });
    return { ...result, digestsSent };
  });
