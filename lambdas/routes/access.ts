import { auditQuery } from '#access/rules/audit.ts';
import { grantBody } from '#access/rules/grants.ts';
import { defineRoutes, SIGNED_IN } from './route.ts';

const read = { jwt: 'pulso/access.read' } as const;
const write = { jwt: 'pulso/access.write' } as const;

/** Who may see and do what (the access function). */
export const accessRoutes = defineRoutes({
  'GET /v1/me': {
    summary:
      'Who you are to Pulso: the name the API records you by and your role (null for someone in no Pulso group); the web app shows the screens the role may use',
    auth: { jwt: SIGNED_IN },
    responses: {
      200: '{ actor, role, places }; places: the places you may see (key:value), or null for every place',
    },
    problems: [401],
  },
  'GET /v1/access/grants': {
    summary: 'Every grant: which places each person or group may see (managers and viewers see only these)',
    auth: read,
    responses: { 200: '{ items: [{ subject, places, updatedAt, updatedBy }] }' },
    problems: [401, 403],
  },
  'PUT /v1/access/grants/{subject}': {
    summary:
      "Grant a person (person:<email or username>) or a group (group:<name>) the places they may see: { places: ['region:north', 'store:s-001'] }, replacing what they had; it applies to their next request",
    auth: write,
    body: { json: grantBody, component: 'GrantInput' },
    responses: { 200: 'The grant' },
    problems: [400, 401, 403],
  },
  'GET /v1/audit': {
    summary:
      'The audit trail, newest first: who read personal data (comments, contacts, cases, exports) or changed something, when and from where; ?from=&to= (at most 31 days, the last 7 unless told), actor=, action=read|change, limit=',
    auth: read,
    query: auditQuery,
    responses: {
      200: '{ items: [{ at, actor, role, action, route, target, segment?, status, sourceIp, userAgent, requestId }] }',
    },
    problems: [400, 401, 403],
  },
  'DELETE /v1/access/grants/{subject}': {
    summary: 'Take back every place of a person or a group; it applies to their next request',
    auth: write,
    responses: { 204: 'Taken back' },
    problems: [401, 403, 404],
  },
});
