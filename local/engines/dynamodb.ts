import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { PORT_OWNERS, PortInUseError, reservePort } from '../ports.ts';

export const MIN_JAVA_VERSION = 17;

export const JAVA_INSTALL_HINT = [
  'Install one, then run npm start again:',
  '  Debian/Ubuntu:  sudo apt-get install -y openjdk-17-jre-headless',
  '  Fedora/RHEL:    sudo dnf install -y java-17-openjdk-headless',
  '  macOS:          brew install openjdk@17',
  '  Windows:        winget install Microsoft.OpenJDK.17',
  'or point JAVA_HOME at an existing Java 17+ installation.',
].join('\n');

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(`DynamoDB Local needs a Java ${MIN_JAVA_VERSION}+ runtime: ${detail}.\n${JAVA_INSTALL_HINT}`);
    this.name = 'JavaMissingError';
  }
}

export interface JavaRuntime {
  /** Executable to run. */
  readonly command: string;
  /** Major version (8 for "1.8.0_x"). */
  readonly version: number;
}

/** Major version from `java -version` output, or undefined when it does not look like Java. */
export function parseJavaVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(output);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

/**
 * Finds a Java runtime (JAVA_HOME first, then PATH) of version 17 or newer.
 * @throws JavaMissingError naming what was found and how to install Java
 */
export function findJava(env: NodeJS.ProcessEnv = process.env): JavaRuntime {
  const exe = process.platform === 'win32' ? 'java.exe' : 'java';
  const fromHome = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', exe) : undefined;
  const command = fromHome && existsSync(fromHome) ? fromHome : exe;
  const probe = spawnSync(command, ['-version'], { env, encoding: 'utf8', timeout: 15_000 });
  if (probe.error) {
    const where = env.PATH ? `PATH (${env.PATH.split(delimiter).length} folders)` : 'an empty PATH';
    throw new JavaMissingError(`no \`java\` executable was found on ${where}`);
  }
  const version = parseJavaVersion(`${probe.stderr ?? ''}\n${probe.stdout ?? ''}`);
  if (version === undefined) {
    throw new JavaMissingError(`\`${command} -version\` did not report a version`);
  }
  if (version < MIN_JAVA_VERSION) {
    throw new JavaMissingError(`found Java ${version} at \`${command}\`, which is too old`);
  }
  return { command, version };
}

/** Folder of DynamoDBLocal.jar as shipped inside the amplify-dynamodb-simulator npm package. */
export function dynamoDbLocalDir(): string {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) {
    throw new Error(`DynamoDBLocal.jar is missing from ${dir}; run npm install`);
  }
  return dir;
}

export interface DynamoDbOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Keep tables in this folder between runs; in memory when absent. */
  readonly dbPath?: string;
  /** Java runtime to use. @default findJava() */
  readonly java?: JavaRuntime;
  /** How long to wait for the first answer. @default 60_000 */
  readonly startTimeoutMs?: number;
}

export interface DynamoDbEngine {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local (with Streams) as a Java child process and waits until it answers. */
export async function startDynamoDb(opts: DynamoDbOptions): Promise<DynamoDbEngine> {
  const java = opts.java ?? findJava();
  const dir = dynamoDbLocalDir();
  const port = await reservePort(opts.port, PORT_OWNERS.dynamodb);
  // -sharedDb: one database whatever the caller's credentials and region (handlers and tests differ).
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (opts.dbPath) {
    const dbPath = resolve(opts.dbPath);
    mkdirSync(dbPath, { recursive: true });
    args.push('-dbPath', dbPath);
  } else {
    args.push('-inMemory');
  }
  const child = spawn(java.command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = `${output}${chunk.toString('utf8')}`.slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // A parent that dies without calling stop() must not leave the JVM behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, child, () => output, opts.startTimeoutMs ?? 60_000);
  } catch (err) {
    process.off('exit', killOnExit);
    await stopChild(child);
    if (/Address already in use|BindException/i.test(output))
      throw new PortInUseError(port, PORT_OWNERS.dynamodb);
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    port,
    stop() {
      stopped ??= (async () => {
        process.off('exit', killOnExit);
        await stopChild(child);
      })();
      return stopped;
    },
  };
}

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited || child.exitCode !== null) {
      throw new Error(`DynamoDB Local exited during start-up:\n${output()}`);
    }
    try {
      // Any HTTP answer means the server is up; an unsigned call gets a 400 from it.
      await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
        },
        body: '{}',
        signal: AbortSignal.timeout(1000),
      });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms:\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
