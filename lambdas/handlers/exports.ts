import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { exportFiles, exportQueue } from '#adapters/export-runtime.ts';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { listExports, readExport, requestExport } from '#insight/use-cases/exports.ts';
import { exportsRoutes } from '#routes/exports.ts';

const { surveys, exports } = tableAdapters();
const deps = { surveys, exports, queue: exportQueue(), files: exportFiles(), clock: systemClock };

/** CSV exports: asked for here, written by the exporter, fetched through a presigned link. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(exportsRoutes, {
      'POST /v1/surveys/{surveyId}/exports': async ({ path, body, actor }) => {
        const view = await requestExport(deps, { surveyId: path.surveyId, actor: actor(), request: body });
        return json(202, view, { location: `/v1/exports/${view.exportId}` });
      },
      'GET /v1/surveys/{surveyId}/exports': async ({ path, query }) =>
        json(200, await listExports(deps, { surveyId: path.surveyId, limit: query.limit })),
      'GET /v1/exports/{exportId}': async ({ path }) => json(200, await readExport(deps, path.exportId)),
    }),
  );
