import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { tableAdapters } from '#adapters/runtime.ts';
import { parseJsonText, rawBody } from '#http/body.ts';
import { UnsupportedMediaTypeError } from '#http/errors.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { parseContactsCsv, validateContactRows } from '#invitations/rules/contacts.ts';
import { importContacts } from '#invitations/use-cases/contacts.ts';
import { NotFoundError } from '#kernel/errors.ts';
import * as z from '#kernel/zod.ts';

const { contacts } = tableAdapters();
/** An import request carries a chunk of a file (the CLI sends 500 rows at a time); 2 MB is plenty. */
const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

const querySchema = z.object({
  keepDays: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(3650))),
});
const rowsSchema = z.strictObject({
  rows: z
    .array(
      z.object({
        line: z.int().check(z.gte(1)),
        fields: z.record(z.string().check(z.maxLength(64)), z.string().check(z.maxLength(1000))),
      }),
    )
    .check(z.maxLength(5000)),
});

/** POST /v1/contacts/import (text/csv, or JSON rows with their line numbers), GET and DELETE /v1/contacts/{contactId}. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(async (event) => {
    const contactId = event.pathParameters?.contactId ?? '';
    switch (event.routeKey) {
      case 'POST /v1/contacts/import': {
        const { keepDays } = querySchema.parse(event.queryStringParameters ?? {});
        const type = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        const body = rawBody(event, MAX_IMPORT_BYTES);
        const parsed =
          type === 'text/csv'
            ? parseContactsCsv(body)
            : type === 'application/json'
              ? validateContactRows(rowsSchema.parse(parseJsonText(body)).rows)
              : (() => {
                  throw new UnsupportedMediaTypeError('Send the contacts as text/csv, or as JSON rows.');
                })();
        return json(200, await importContacts(contacts, parsed, keepDays));
      }
      case 'GET /v1/contacts/{contactId}': {
        const contact = await contacts.get(contactId);
        if (!contact) throw new NotFoundError(`There is no contact "${contactId}".`);
        return json(200, contact);
      }
      case 'DELETE /v1/contacts/{contactId}':
        await contacts.erase(contactId);
        return { statusCode: 204 };
      default:
        throw new NotFoundError(`No route ${event.routeKey}.`);
    }
  });
