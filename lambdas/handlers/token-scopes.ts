import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { logger } from '#http/logger.ts';
import { groupsOf, scopesToSuppress } from '#routes/roles.ts';

/**
 * Cognito's pre token generation trigger (V2_0: access tokens too): a person's access token keeps only the Pulso
 * scopes their role holds, the role being their first Pulso group. The web app asks for every scope; someone in no
 * Pulso group gets none, so the API refuses them everything. It runs at each sign-in and each refresh, so a
 * change of group takes effect with the next token (within the hour an access token lives). Every scope of the
 * resource server (`PULSO_SCOPES`, from the route table at synth) is suppressed as well as those the request names,
 * so a token cannot keep a scope the event did not list.
 */
const declared = (process.env.PULSO_SCOPES ?? '').split(' ').filter(Boolean);

export const handler = middy<PreTokenGenerationV2TriggerEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const groups = groupsOf(event.request.groupConfiguration.groupsToOverride ?? []);
    event.response = {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          scopesToSuppress: scopesToSuppress(groups, [
            ...new Set([...(event.request.scopes ?? []), ...declared]),
          ]),
        },
      },
    };
    return event;
  });
