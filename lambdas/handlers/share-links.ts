import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { mayCall, visibilityOfCaller } from '#http/admin.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import {
  createShareLink,
  listShareLinks,
  openSharedView,
  revokeShareLink,
} from '#insight/use-cases/share-links.ts';
import { shareLinksRoutes } from '#routes/share-links.ts';

const { surveys, shareLinks, aggregates, comments, segmentValues, grants, audit } = tableAdapters();
const deps = { surveys, shareLinks, aggregates, comments, catalogue: segmentValues, clock: systemClock };
/** The deps of a signed-in request: the places the caller may see, from the grants as they are now. */
const depsOf = async (event: APIGatewayProxyEventV2) => ({
  ...deps,
  visibility: await visibilityOfCaller(grants, event),
});

/** Share links: made, listed and revoked by their owners; opened by anyone who holds one. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(
      shareLinksRoutes,
      {
        'POST /v1/surveys/{surveyId}/share-links': async ({ path, body, actor, event }) => {
          const link = await createShareLink(await depsOf(event), {
            surveyId: path.surveyId,
            actor: actor(),
            request: body,
          });
          return json(201, link, { location: `/v1/share-links/${link.linkId}` });
        },
        'GET /v1/surveys/{surveyId}/share-links': async ({ path, query, event }) => {
          const { items } = await listShareLinks(await depsOf(event), {
            surveyId: path.surveyId,
            limit: query.limit,
          });
          // Who made or turned off a link (people's emails) only for those who share; a viewer sees the links.
          const shares = mayCall(event, 'pulso/shares.write');
          return json(200, {
            items: shares ? items : items.map(({ createdBy: _c, revokedBy: _r, ...link }) => link),
          });
        },
        'POST /v1/share-links/{linkId}/revoke': async ({ path, actor, event }) =>
          json(200, await revokeShareLink(await depsOf(event), { linkId: path.linkId, actor: actor() })),
        // Nobody signs in to read it; its answers are never cached (a revoked link must stop at once).
        'GET /v1/shared/{token}': async ({ path, query }) =>
          json(200, await openSharedView(deps, { token: path.token, window: query.window }), {
            'referrer-policy': 'no-referrer',
          }),
      },
      { audit },
    ),
  );
