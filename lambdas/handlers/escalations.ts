import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { requireEnv, sesMailer, snsNotifier, tableAdapters } from '#adapters/runtime.ts';
import { CASE_LINK_KEY } from '#domain/case-links.ts';
import { escalateDueCases } from '#domain/escalate-cases.ts';
import { escalationEmailOf } from '../http/alert-email.ts';
import { logger } from '../http/logger.ts';

const { surveys, cases, signingKeys } = tableAdapters();
const deps = {
  surveys,
  cases,
  notifier: snsNotifier(),
  mailer: sesMailer(),
  renderEscalation: escalationEmailOf(requireEnv('PUBLIC_URL'), () => signingKeys.get(CASE_LINK_KEY)),
};

/**
 * The escalation sweep (every 5 minutes): cases past their SLA move up a tier and the new tier is told.
 * "Now" is the scheduled event's time, so a late run escalates as of when it was due and tests run it at any
 * moment (docs/decisions/0002-sla-escalation-sweep.md).
 */
export const handler = middy<ScheduledEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const now = event.time ? new Date(event.time) : new Date();
    const result = await escalateDueCases(deps, now);
    logger.info('Escalation sweep', { ...result, asOf: now.toISOString() });
    return result;
  });
