import type { Server } from 'node:http';
import { createServer } from 'node:net';
import sesModule from 'aws-ses-v2-local';
import { PORT_OWNERS, PortInUseError, urlHost } from '../ports.ts';

type StartSesServer = (config: { port: number; host: string }) => Promise<Server>;
// The package is CommonJS with an `exports.default`; Node's ESM import hands over module.exports.
const startSesServer: StartSesServer =
  (sesModule as unknown as { default?: StartSesServer }).default ?? (sesModule as unknown as StartSesServer);

export interface SesEngine {
  /** SES endpoint for AWS_ENDPOINT_URL_SES; its root page is the mailbox. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts aws-ses-v2-local in this process. Its mailbox page is its root URL and `GET /store` lists the
 * mails as JSON. The store is global to the module, so two runtimes in one process share one mailbox.
 */
export async function startSes(opts: { port: number; host?: string }): Promise<SesEngine> {
  const host = opts.host ?? '127.0.0.1';
  // aws-ses-v2-local's listen() never reports errors, so probe the port first.
  await assertFree(opts.port, host);
  const server: Server = await startSesServer({ port: opts.port, host });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}/`,
    port,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

async function assertFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, PORT_OWNERS.ses) : err),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
