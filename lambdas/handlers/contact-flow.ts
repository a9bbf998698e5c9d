import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { commentAnalyzer, systemClock, tableAdapters } from '#adapters/runtime.ts';
import { connectAnswers, connectEventSchema } from '#capture/rules/vendors.ts';
import { loadSurvey, recordAnswers } from '#capture/use-cases/record-response.ts';
import { logger } from '#http/logger.ts';
import { PROBLEM_TYPE_BASE, problemFromError } from '#http/problem.ts';
import { caseIdOf, evaluateRules } from '#loop/rules/cases.ts';

const { surveys, responses } = tableAdapters();
const deps = { surveys, responses, analyzer: commentAnalyzer(), clock: systemClock };

/** What a contact flow can branch on: Connect takes a flat map of strings back. */
type FlowResult = Record<string, string>;

/**
 * Amazon Connect's "Invoke AWS Lambda function" block calls this directly (IAM allows it, no HTTP and no
 * signature): each question of a contact counts once, when it arrives, under the contact id. It answers well
 * within Connect's 8 seconds with `status` (`created`, `duplicate`, or `refused` with `problem`, `detail` and
 * `field`), the questions it `added`, and whether the answers so far open a case (`alert`, with its `caseId`),
 * so the flow can offer a call back.
 */
async function answer(event: unknown): Promise<FlowResult> {
  try {
    const parsed = connectEventSchema.parse(event);
    const surveyId = parsed.Details.Parameters?.survey ?? '';
    const survey = surveyId ? await loadSurvey(surveys, surveyId) : undefined;
    const read = connectAnswers(parsed, survey?.segmentKeys ?? []);
    const result = await recordAnswers(deps, { ...read, capturedVia: 'webhook:connect' });
    const alert = evaluateRules(result.survey, result.response).length > 0;
    return {
      status: result.status,
      submissionId: result.response.submissionId,
      added: result.added.join(','),
      alert: String(alert),
      ...(alert ? { caseId: caseIdOf(result.survey.id, result.response.submissionId) } : {}),
    };
  } catch (err) {
    const problem = problemFromError(err);
    // Our own failure is the function's error: the flow takes its Error branch, and the log has it.
    if (problem.status >= 500) throw err;
    logger.info('Contact flow answer refused', { status: problem.status, detail: problem.detail });
    const field = problem.errors?.[0];
    return {
      status: 'refused',
      problem: problem.type.slice(PROBLEM_TYPE_BASE.length),
      detail: problem.detail ?? problem.title,
      ...(field ? { field: field.field, reason: field.message } : {}),
    };
  }
}

export const handler = middy<unknown, FlowResult>().use(injectLambdaContext(logger)).handler(answer);
