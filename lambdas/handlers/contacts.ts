import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { erasePersonalData, findPersonalData } from '#access/use-cases/personal-data.ts';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { exportFileEraser } from '#adapters/s3-export-eraser.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { parseContactsCsv, validateContactRows } from '#invitations/rules/contacts.ts';
import { contactWithConsent, importContacts, setConsent } from '#invitations/use-cases/contacts.ts';
import { contactsRoutes } from '#routes/contacts.ts';

const { contacts, suppressions, campaigns, invitations, responses, cases, eraser, exports, audit } =
  tableAdapters();
const consent = { contacts, suppressions, clock: systemClock };
const held = { contacts, suppressions, campaigns, invitations, responses, caseLookup: cases, cases };

/**
 * POST /v1/contacts/import (text/csv, or JSON rows with their line numbers), GET and DELETE /v1/contacts/{contactId},
 * PUT /v1/contacts/{contactId}/consent.
 */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(
      contactsRoutes,
      {
        'POST /v1/contacts/import': async ({ query, body }) => {
          const parsed = 'csv' in body ? parseContactsCsv(body.csv) : validateContactRows(body.json.rows);
          return json(200, await importContacts(contacts, parsed, query.keepDays));
        },
        'GET /v1/personal-data': async ({ query }) => json(200, await findPersonalData(held, query)),
        'DELETE /v1/personal-data': async ({ query }) =>
          json(
            200,
            await erasePersonalData(
              { ...held, eraser, exports, exportFiles: exportFileEraser(), clock: systemClock },
              query,
            ),
          ),
        'GET /v1/contacts/{contactId}': async ({ path }) =>
          json(200, await contactWithConsent(consent, path.contactId)),
        'PUT /v1/contacts/{contactId}/consent': async ({ path, body }) =>
          json(200, await setConsent(consent, path.contactId, body.contact)),
        'DELETE /v1/contacts/{contactId}': async ({ path }) => {
          await contacts.erase(path.contactId);
          return { statusCode: 204 };
        },
      },
      { audit },
    ),
  );
