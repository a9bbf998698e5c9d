import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import S3rver from 's3rver';
import account from 's3rver/lib/models/account.js';
import { PORT_OWNERS, PortInUseError, reservePort, urlHost } from '../ports.ts';

export interface S3Options {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  readonly host?: string;
  /** Buckets to make (their objects are files under `directory`). */
  readonly buckets: readonly string[];
  /** Keep objects in this folder between runs; a temporary folder removed by stop() when absent. */
  readonly directory?: string;
  /** The access key the functions sign with (local/runtime.ts gives them `local`). @default 'local' */
  readonly accessKeyId?: string;
}

export interface S3Engine {
  /** Endpoint for AWS_ENDPOINT_URL_S3 (path-style requests: `<url>/<bucket>/<key>`). */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * S3 on the local machine: s3rver (from the npm registry) serving the template's buckets from the file system,
 * checking each request's signature (presigned links included) against the functions' local key.
 */
export async function startS3(opts: S3Options): Promise<S3Engine> {
  const key = opts.accessKeyId ?? 'local';
  // s3rver knows one account; the functions' key is made one of its key pairs (secret: the same word).
  account.DUMMY_ACCOUNT.createKeyPair(key, key);
  const directory = opts.directory ? resolve(opts.directory) : mkdtempSync(join(tmpdir(), 'pulso-s3-'));
  mkdirSync(directory, { recursive: true });
  const port = await reservePort(opts.port, PORT_OWNERS.s3);
  const host = opts.host ?? '127.0.0.1';
  const server = new S3rver({
    address: host,
    port,
    silent: true,
    directory,
    configureBuckets: opts.buckets.map((name) => ({ name })),
  });
  try {
    await server.run();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port, PORT_OWNERS.s3);
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    stop() {
      stopped ??= (async () => {
        // Browsers and SDK clients keep connections open; they must not hold the server up.
        server.httpServer?.closeAllConnections();
        await server.close();
        if (!opts.directory) rmSync(directory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
