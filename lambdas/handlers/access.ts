import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readAudit } from '#access/use-cases/audit.ts';
import { revokeGrant, setGrant, visibilityFor } from '#access/use-cases/grants.ts';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { callerOf, callerRole } from '#http/admin.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { placeText } from '#kernel/visibility.ts';
import { accessRoutes } from '#routes/access.ts';

const { grants, audit } = tableAdapters();
const deps = { grants, clock: systemClock };

/** Who sees what: the caller's role and places, and the grants admins keep. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(
      accessRoutes,
      {
        'GET /v1/me': async ({ actor, event }) => {
          const visibility = await visibilityFor(deps, callerOf(event));
          return json(200, {
            actor: actor(),
            role: callerRole(event) ?? null,
            places: visibility.all ? null : visibility.places.map(placeText),
          });
        },
        'GET /v1/access/grants': async () => json(200, { items: await grants.list() }),
        'GET /v1/audit': async ({ query }) =>
          json(200, await readAudit({ audit, clock: systemClock }, query)),
        'PUT /v1/access/grants/{subject}': async ({ path, body, actor }) =>
          json(200, await setGrant(deps, { subject: path.subject, body, actor: actor() })),
        'DELETE /v1/access/grants/{subject}': async ({ path }) => {
          await revokeGrant(deps, path.subject);
          return { statusCode: 204 };
        },
      },
      { audit },
    ),
  );
