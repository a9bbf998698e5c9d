import { responseInputSchema } from '#capture/rules/response.ts';
import { webhookResponseSchema } from '#capture/rules/webhook.ts';
import { surveyLinkInputSchema } from '#capture/use-cases/survey-links.ts';
import { campaignInputSchema } from '#invitations/rules/campaigns.ts';
import { surveySchema } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';
import { planInputSchema } from '#loop/rules/plans.ts';
import { routingTableSchema } from '#loop/rules/routing.ts';

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ field: z.string(), code: z.string(), message: z.string() }))),
});

const schema = (s: z.ZodMiniType, io: 'input' | 'output' = 'input') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any' });
const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      {
        description: 'Problem',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    ]),
  );
const accepted = {
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          surveyId: { type: 'string' },
          submissionId: { type: 'string' },
          receivedAt: { type: 'string', format: 'date-time' },
          status: { enum: ['created', 'duplicate'] },
        },
      },
    },
  },
};

/** The public contract as OpenAPI 3.1, generated from the zod schemas the handlers validate with. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Pulso API', version: '1' },
    components: {
      schemas: {
        ResponseInput: schema(responseInputSchema),
        WebhookBody: schema(webhookResponseSchema),
        Survey: schema(surveySchema),
        SurveyLinkInput: schema(surveyLinkInputSchema),
        CampaignInput: schema(campaignInputSchema),
        RoutingTable: schema(routingTableSchema),
        PlanInput: schema(planInputSchema),
        Problem: schema(problemSchema, 'output'),
      },
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths: {
      '/s/{surveyId}': {
        get: {
          summary:
            'Survey page (HTML); other query parameters than lang, t, sig and score are segment attributes. ' +
            't is the signed token of an invitation link; score (0-10) preselects the first NPS answer.',
          responses: {
            '200': { description: 'The page, or "already answered" for a used invitation link' },
            '403': {
              description:
                'sig does not match the attributes, the survey requires signed links, or t is not a valid invitation',
            },
            '404': { description: 'No such survey' },
            '410': { description: 'The invitation link has expired' },
          },
        },
        post: {
          summary: 'Survey form post (urlencoded)',
          responses: {
            '200': { description: 'Thank-you page' },
            '400': { description: 'The page again, with errors next to the fields' },
            '403': { description: 'The hidden attributes do not match their sig, or t is not valid' },
            '409': { description: 'The invitation link was already used for other answers; nothing stored' },
            '410': { description: 'The invitation link has expired' },
            '429': { description: 'Over the survey rate limit per device or address; nothing stored' },
          },
        },
      },
      '/s/{surveyId}/unsubscribe': {
        get: {
          summary: 'Unsubscribe page of an invitation (?t=); GET never unsubscribes',
          responses: {
            '200': { description: 'A page with one button' },
            '403': { description: 'Not valid' },
          },
        },
        post: {
          summary: 'Unsubscribe (the page button, or RFC 8058 one-click List-Unsubscribe)',
          responses: { '200': { description: 'Confirmation page' }, '403': { description: 'Not valid' } },
        },
      },
      '/c/{caseId}/acknowledge': {
        get: {
          summary:
            'The one-click acknowledge link of an alert email (?t= signed per case and recipient): asks first',
          responses: {
            '200': { description: 'A page with one button' },
            '403': { description: 'Not valid' },
            '410': { description: 'Expired' },
          },
        },
        post: {
          summary: 'Acknowledge the case in the name of the person the link was sent to',
          responses: {
            '200': { description: 'Acknowledged, or already acknowledged' },
            '403': { description: 'Not valid' },
            '410': { description: 'Expired' },
          },
        },
      },
      '/c/{caseId}/follow-up': {
        get: {
          summary:
            "The customer's one question after their case was resolved (?t= signed per case, 14 days): how satisfied with how it was handled, 1-5",
          responses: {
            '200': { description: 'The question, or a page saying it was answered' },
            '403': { description: 'Not valid' },
            '410': { description: 'Expired' },
          },
        },
        post: {
          summary:
            'Record the answer (urlencoded `recovery` = 1-5), once; 4 or 5 counts the customer as recovered',
          responses: {
            '200': { description: 'Thank-you page' },
            '400': { description: 'The page again, with the error next to the question' },
            '403': { description: 'Not valid' },
            '409': { description: 'Answered already: nothing changed' },
            '410': { description: 'Expired' },
          },
        },
      },
      '/v1/responses': {
        post: {
          summary: 'Record a response; the same submissionId again changes nothing',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ResponseInput' } } },
          },
          responses: {
            '201': { description: 'Stored', ...accepted },
            '200': { description: 'Already stored', ...accepted },
            ...problems(400, 404, 409, 413, 415),
          },
        },
      },
      '/v1/webhooks/{source}': {
        post: {
          summary:
            'Vendor webhook signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookBody' } } },
          },
          responses: {
            '201': { description: 'Stored', ...accepted },
            '200': { description: 'Already stored', ...accepted },
            ...problems(400, 401, 404, 409, 413, 415),
          },
        },
      },
      '/v1/surveys/{surveyId}': {
        put: {
          security: [{ jwt: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Survey' } } },
          },
          responses: { '200': { description: 'Saved' }, ...problems(400, 401) },
        },
      },
      '/v1/surveys/{surveyId}/links': {
        post: {
          summary: 'A signed survey link with segment attributes, and its QR code',
          security: [{ jwt: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SurveyLinkInput' } } },
          },
          responses: {
            '200': {
              description: '{ url, attributes, qr: { svg, png } } (png in base64)',
            },
            ...problems(400, 401, 404, 415),
          },
        },
      },
      '/v1/surveys/{surveyId}/metrics': {
        get: {
          security: [{ jwt: [] }],
          parameters: [
            { name: 'window', in: 'query', schema: { enum: ['7d', '30d', '90d'] } },
            { name: 'segment', in: 'query', schema: { type: 'string', examples: ['store:s-001'] } },
          ],
          responses: {
            '200': {
              description:
                'nps { score, promoters, passives, detractors, n, ci95 }, csat { score, n, ci95 }, ces { mean, n, lowEffortPct }, questions, trend',
            },
            ...problems(400, 401, 404),
          },
        },
      },
      '/v1/routing': {
        get: {
          summary: 'The routing table: segment -> owners in tiers',
          security: [{ jwt: [] }],
          responses: { '200': { description: 'The routing table' }, ...problems(401) },
        },
        put: {
          summary:
            'Replace the routing table. A case goes to the first tier of the first route matching its segment (else `*`) and escalates up the tiers when an SLA passes.',
          security: [{ jwt: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/RoutingTable' } } },
          },
          responses: { '200': { description: 'Saved' }, ...problems(400, 401, 415) },
        },
      },
      '/v1/campaigns': {
        get: {
          security: [{ jwt: [] }],
          responses: { '200': { description: '{ items }: campaigns, newest first' }, ...problems(401) },
        },
        post: {
          summary: 'Create a campaign (a draft until started)',
          security: [{ jwt: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CampaignInput' } } },
          },
          responses: {
            '201': { description: 'The campaign, with its campaignId' },
            ...problems(400, 401, 415),
          },
        },
      },
      '/v1/campaigns/{campaignId}': {
        get: {
          security: [{ jwt: [] }],
          responses: { '200': { description: 'The campaign' }, ...problems(401, 404) },
        },
      },
      '/v1/campaigns/{campaignId}/start': {
        post: {
          summary: 'Start sending; starting a started campaign changes nothing',
          security: [{ jwt: [] }],
          responses: { '202': { description: 'The campaign, sending' }, ...problems(401, 404) },
        },
      },
      '/v1/campaigns/{campaignId}/reach': {
        get: {
          summary: 'Live reach: totals, per segment and per day, and the response rate',
          security: [{ jwt: [] }],
          responses: {
            '200': {
              description:
                '{ campaignId, total, segments: [{ key, value, counts }], days: [{ day, counts }] }; counts: queued, ' +
                'invited, throttled, suppressed, failed, unknown, delivered, bounced, complained, opened, started, ' +
                'reminded, completed, unsubscribed, responseRate',
            },
            ...problems(401, 404),
          },
        },
      },
      '/v1/cases': {
        get: { security: [{ jwt: [] }], responses: { '200': { description: '{ items, cursor }' } } },
      },
      '/v1/cases/{caseId}/acknowledge': {
        post: {
          security: [{ jwt: [] }],
          responses: { '200': { description: 'The case' }, ...problems(401, 404, 409) },
        },
      },
      '/v1/cases/{caseId}/resolve': {
        post: {
          summary:
            "Resolve: { note, rootCause (a short category), customerContacted, followUp? }; followUp asks the customer how it went after the survey's recovery.delayHours (default: the survey's recovery.followUp)",
          security: [{ jwt: [] }],
          responses: { '200': { description: 'The case' }, ...problems(400, 401, 404, 409) },
        },
      },
      '/v1/loop/metrics': {
        get: {
          summary: 'How well the loop is closed, per owner or segment value, for cases opened in the window',
          security: [{ jwt: [] }],
          parameters: [
            { name: 'window', in: 'query', schema: { enum: ['7d', '30d', '90d'] } },
            { name: 'by', in: 'query', schema: { type: 'string', examples: ['owner', 'store'] } },
            { name: 'surveyId', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description:
                '{ total, groups: [{ key, value, figures }] }; figures: cases, open, overdue, acknowledgedWithinSla and resolvedWithinSla ({ n, pct, ci95 }), medianHoursToAcknowledge, medianHoursToResolve, recovery ({ followUpsSent, answered, recovered: { n, pct, ci95 } })',
            },
            ...problems(400, 401),
          },
        },
      },
      '/v1/plans': {
        get: {
          security: [{ jwt: [] }],
          responses: { '200': { description: '{ items }' }, ...problems(401) },
        },
        post: {
          summary: 'Create an action plan for a segment or a theme',
          security: [{ jwt: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/PlanInput' } } },
          },
          responses: { '201': { description: 'The plan, with its planId' }, ...problems(400, 401, 404, 415) },
        },
      },
      '/v1/plans/{planId}': {
        get: {
          summary:
            'The plan and its impact: the figure before and since its start, and the change, each with a 95% interval',
          security: [{ jwt: [] }],
          parameters: [{ name: 'days', in: 'query', schema: { type: 'integer', minimum: 7, maximum: 180 } }],
          responses: { '200': { description: 'The plan with impact' }, ...problems(400, 401, 404) },
        },
        put: {
          summary: 'Replace the plan (tasks, status, dates, owner)',
          security: [{ jwt: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/PlanInput' } } },
          },
          responses: { '200': { description: 'The plan' }, ...problems(400, 401, 404, 415) },
        },
      },
      '/v1/cases/{caseId}/close': {
        post: {
          summary: 'Close a resolved case',
          security: [{ jwt: [] }],
          responses: { '200': { description: 'The case' }, ...problems(401, 404, 409) },
        },
      },
      '/v1/cases/{caseId}/reopen': {
        post: {
          summary: 'Reopen a resolved or closed case: { reason }; a fresh acknowledgement deadline',
          security: [{ jwt: [] }],
          responses: { '200': { description: 'The case' }, ...problems(400, 401, 404, 409) },
        },
      },
      '/v1/cases/{caseId}/assign': {
        post: {
          summary: 'Assign: { assignee }',
          security: [{ jwt: [] }],
          responses: { '200': { description: 'The case' }, ...problems(400, 401, 404, 409) },
        },
      },
      '/v1/cases/{caseId}/comments': {
        post: {
          summary: 'Comment for the record: { text }',
          security: [{ jwt: [] }],
          responses: { '200': { description: 'The case' }, ...problems(400, 401, 404, 409) },
        },
      },
    },
  };
}
