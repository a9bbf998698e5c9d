import { createServer, type Server } from 'node:net';

/** A local engine and the environment variable that chooses its port under `npm start`. */
export interface PortOwner {
  readonly service: string;
  readonly envVar: string;
}

export const PORT_OWNERS = {
  api: { service: 'API', envVar: 'PULSO_API_PORT' },
  dynamodb: { service: 'DynamoDB Local', envVar: 'PULSO_DYNAMODB_PORT' },
  ses: { service: 'SES mailbox', envVar: 'PULSO_SES_PORT' },
  sns: { service: 'SNS inbox', envVar: 'PULSO_SNS_PORT' },
  sqs: { service: 'SQS', envVar: 'PULSO_SQS_PORT' },
  oidc: { service: 'OpenID provider (sign-in)', envVar: 'PULSO_OIDC_PORT' },
  s3: { service: 'S3 (export files)', envVar: 'PULSO_S3_PORT' },
  lambda: { service: 'Lambda Invoke API', envVar: 'PULSO_LAMBDA_PORT' },
  graph: { service: 'WhatsApp Graph API', envVar: 'PULSO_GRAPH_PORT' },
} as const satisfies Record<string, PortOwner>;

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly owner: PortOwner,
  ) {
    super(
      `Port ${port} (${owner.service}) is already in use. Stop whatever is using it, or choose another port, ` +
        `for example: ${owner.envVar}=${port + 1} npm start`,
    );
    this.name = 'PortInUseError';
  }
}

/** Listens on `port` (0 = any free one) and returns the bound port; a taken port becomes a PortInUseError. */
export function listen(
  server: Server,
  port: number,
  host: string | undefined,
  owner: PortOwner,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, owner) : err);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * For engines that bind their own socket (the Java process): checks that `port` is free on every interface,
 * or picks a free one when `port` is 0. The port can still be taken between this check and the bind; the
 * engine reports that case from its own output.
 */
export async function reservePort(port: number, owner: PortOwner): Promise<number> {
  const probe = createServer();
  const bound = await listen(probe, port, undefined, owner);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return bound;
}

/** Host to advertise in URLs for a bind address. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
