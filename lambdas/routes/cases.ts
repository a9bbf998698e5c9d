import {
  assignCaseBody,
  caseListQuery,
  commentCaseBody,
  reopenCaseBody,
  resolveCaseBody,
} from '#loop/rules/case-requests.ts';
import { loopMetricsQuery } from '#loop/rules/loop-metrics.ts';
import { defineRoutes } from './route.ts';

const read = { jwt: 'pulso/cases.read' } as const;
const write = { jwt: 'pulso/cases.write' } as const;

/** The case API and the loop metrics (the cases function). */
export const casesRoutes = defineRoutes({
  'GET /v1/cases': {
    summary:
      'Cases, newest first, by survey and status; mine=true: assigned to me; overdue=true: past their deadline',
    auth: read,
    query: caseListQuery,
    responses: { 200: '{ items, cursor }' },
    problems: [400, 401],
  },
  'GET /v1/cases/{caseId}': {
    summary: 'A case and its history',
    auth: read,
    responses: { 200: 'The case' },
    problems: [401, 404],
  },
  'POST /v1/cases/{caseId}/acknowledge': {
    summary: 'Acknowledge a case',
    auth: write,
    responses: { 200: 'The case' },
    problems: [401, 404, 409],
  },
  'POST /v1/cases/{caseId}/resolve': {
    summary:
      "Resolve: { note, rootCause (a short category), customerContacted, followUp? }; followUp asks the customer how it went after the survey's recovery.delayHours (default: the survey's recovery.followUp)",
    auth: write,
    body: { json: resolveCaseBody },
    responses: { 200: 'The case' },
    problems: [400, 401, 404, 409],
  },
  'POST /v1/cases/{caseId}/close': {
    summary: 'Close a resolved case',
    auth: write,
    responses: { 200: 'The case' },
    problems: [401, 404, 409],
  },
  'POST /v1/cases/{caseId}/reopen': {
    summary: 'Reopen a resolved or closed case: { reason }; a fresh acknowledgement deadline',
    auth: write,
    body: { json: reopenCaseBody },
    responses: { 200: 'The case' },
    problems: [400, 401, 404, 409],
  },
  'POST /v1/cases/{caseId}/assign': {
    summary: 'Assign: { assignee }',
    auth: write,
    body: { json: assignCaseBody },
    responses: { 200: 'The case' },
    problems: [400, 401, 404, 409],
  },
  'POST /v1/cases/{caseId}/comments': {
    summary: 'Comment for the record: { text }',
    auth: write,
    body: { json: commentCaseBody },
    responses: { 200: 'The case' },
    problems: [400, 401, 404, 409],
  },
  'GET /v1/loop/metrics': {
    summary: 'How well the loop is closed, per owner or segment value, for cases opened in the window',
    auth: read,
    query: loopMetricsQuery,
    responses: {
      200: '{ total, groups: [{ key, value, figures }] }; figures: cases, open, overdue, acknowledgedWithinSla and resolvedWithinSla ({ n, pct, ci95 }), medianHoursToAcknowledge, medianHoursToResolve, recovery ({ followUpsSent, answered, recovered: { n, pct, ci95 } })',
    },
    problems: [400, 401],
  },
});
