import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for @aws-sdk/credential-provider-node in Lambda bundles (esbuild alias in PulsoFunction): Lambda hands
 * a function its role's credentials in environment variables, so the SSO, INI, process, web-identity and IMDS
 * providers of the default chain are dead weight (about 90 KB of each bundle).
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
