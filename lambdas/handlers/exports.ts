import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { visibilityFor } from '#access/use-cases/grants.ts';
import { exportFiles, exportQueue } from '#adapters/export-runtime.ts';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { callerOf } from '#http/admin.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { listExports, readExport, requestExport } from '#insight/use-cases/exports.ts';
import { exportsRoutes } from '#routes/exports.ts';

const { surveys, exports, segmentValues, grants, audit } = tableAdapters();
const deps = {
  surveys,
  exports,
  catalogue: segmentValues,
  queue: exportQueue(),
  files: exportFiles(),
  clock: systemClock,
};
/** Who calls and the places they may see, from the grants as they are now. */
const callerWith = async (event: APIGatewayProxyEventV2) => {
  const caller = callerOf(event);
  return { actor: caller.actor, visibility: await visibilityFor({ grants }, caller) };
};

/** CSV exports: asked for here, written by the exporter, fetched through a presigned link. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(
      exportsRoutes,
      {
        'POST /v1/surveys/{surveyId}/exports': async ({ path, body, event }) => {
          const view = await requestExport(deps, {
            surveyId: path.surveyId,
            ...(await callerWith(event)),
            request: body,
          });
          return json(202, view, { location: `/v1/exports/${view.exportId}` });
        },
        'GET /v1/surveys/{surveyId}/exports': async ({ path, query, event }) =>
          json(
            200,
            await listExports(deps, { surveyId: path.surveyId, limit: query.limit }, await callerWith(event)),
          ),
        'GET /v1/exports/{exportId}': async ({ path, event }) =>
          json(200, await readExport(deps, path.exportId, await callerWith(event))),
      },
      { audit },
    ),
  );
