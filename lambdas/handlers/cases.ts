import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { actorOf } from '#http/admin.ts';
import { jsonBody } from '#http/body.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { NotFoundError } from '#kernel/errors.ts';
import * as z from '#kernel/zod.ts';
import { loopMetrics } from '#loop/rules/loop-metrics.ts';
import {
  acknowledgeCase,
  assignCase,
  closeCase,
  commentOnCase,
  getCase,
  reopenCase,
  resolveCase,
} from '#loop/use-cases/case-actions.ts';

const { cases, surveys } = tableAdapters();
const deps = { cases, surveys, clock: systemClock };

const listQuery = z.object({
  surveyId: z.optional(z.string().check(z.maxLength(64))),
  status: z.optional(z.enum(['open', 'acknowledged', 'resolved', 'closed'])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});
const loopQuery = z.strictObject({
  window: z._default(z.enum(['7d', '30d', '90d']), '30d'),
  /** `owner`, or a segment key (`store`, `region`...). */
  by: z._default(z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/)), 'owner'),
  surveyId: z.optional(z.string().check(z.maxLength(64))),
});
const resolveBody = z.strictObject({
  note: z.string().check(z.maxLength(5000)),
  /** A short category for the action plans: `staffing`, `product-defect`, `billing`... */
  rootCause: z.string().check(z.maxLength(64)),
  customerContacted: z.boolean(),
  /** Ask the customer how it went, after the survey's `recovery.delayHours`; absent: the survey's setting. */
  followUp: z.optional(z.boolean()),
});
const reopenBody = z.strictObject({ reason: z.string().check(z.maxLength(2000)) });
const assignBody = z.strictObject({ assignee: z.string().check(z.minLength(1), z.maxLength(254)) });
const commentBody = z.strictObject({ text: z.string().check(z.maxLength(5000)) });

/** The case API: list, read, acknowledge, assign, comment, resolve (note, root cause, contact), close, reopen. */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(async (event) => {
    const caseId = event.pathParameters?.caseId ?? '';
    switch (event.routeKey) {
      case 'GET /v1/cases':
        return json(200, await cases.list(listQuery.parse(event.queryStringParameters ?? {})));
      case 'GET /v1/loop/metrics': {
        const { window, by, surveyId } = loopQuery.parse(event.queryStringParameters ?? {});
        const now = systemClock.now();
        const from = new Date(now.getTime() - Number.parseInt(window, 10) * 86_400_000);
        const opened = await cases.openedSince(from, surveyId);
        return json(200, { window, by, from: from.toISOString(), ...loopMetrics(opened, by, now) });
      }
      case 'GET /v1/cases/{caseId}':
        return json(200, await getCase(deps, caseId));
      case 'POST /v1/cases/{caseId}/acknowledge':
        return json(200, await acknowledgeCase(deps, caseId, actorOf(event)));
      case 'POST /v1/cases/{caseId}/resolve':
        return json(200, await resolveCase(deps, caseId, actorOf(event), jsonBody(event, resolveBody)));
      case 'POST /v1/cases/{caseId}/close':
        return json(200, await closeCase(deps, caseId, actorOf(event)));
      case 'POST /v1/cases/{caseId}/reopen':
        return json(200, await reopenCase(deps, caseId, actorOf(event), jsonBody(event, reopenBody).reason));
      case 'POST /v1/cases/{caseId}/assign':
        return json(
          200,
          await assignCase(deps, caseId, actorOf(event), jsonBody(event, assignBody).assignee),
        );
      case 'POST /v1/cases/{caseId}/comments':
        return json(
          200,
          await commentOnCase(deps, caseId, actorOf(event), jsonBody(event, commentBody).text),
        );
      default:
        throw new NotFoundError(`No route ${event.routeKey}.`);
    }
  });
