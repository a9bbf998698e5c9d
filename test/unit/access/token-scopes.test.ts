import type { Context, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { jwtScopes, scopesOf } from '#routes/index.ts';

/** Cognito's V2_0 event for a sign-in through managed login, as the trigger receives it. */
const signIn = (groups: string[], scopes?: string[]) =>
  ({
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'us-east-1',
    userPoolId: 'us-east-1_x',
    userName: 'carla',
    callerContext: { awsSdkVersion: 'x', clientId: 'web' },
    request: {
      userAttributes: { email: 'carla@example.com' },
      groupConfiguration: { groupsToOverride: groups },
      ...(scopes ? { scopes } : {}),
    },
    response: { claimsAndScopeOverrideDetails: null },
  }) as unknown as PreTokenGenerationV2TriggerEvent;

describe('the pre token generation trigger', () => {
  it("leaves a manager's token only the manager's scopes, even those the event did not list", async () => {
    process.env.PULSO_SCOPES = jwtScopes().join(' ');
    const { handler } = await import('#handlers/token-scopes.ts');
    const run = (event: PreTokenGenerationV2TriggerEvent) =>
      handler(event, {} as Context) as Promise<PreTokenGenerationV2TriggerEvent>;

    const manager = await run(signIn(['manager'], ['openid', 'email', 'pulso/contacts.read']));
    const suppressed =
      manager.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.scopesToSuppress;
    expect(suppressed).toContain('pulso/contacts.read');
    expect(suppressed).not.toContain('openid');
    expect(jwtScopes().filter((s) => !suppressed?.includes(s))).toEqual(scopesOf('manager'));

    const nobody = await run(signIn([]));
    expect(nobody.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.scopesToSuppress).toEqual(
      jwtScopes(),
    );
  });
});
