import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { LocalFunction } from './template/index.ts';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
// Local init compiles TypeScript on the fly, so it gets more room than Lambda's 10 s.
const INIT_TIMEOUT_MS = 60_000;

/** An invocation that failed: the handler threw, timed out, crashed or could not load. */
export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: readonly string[] = [],
  ) {
    super(`${functionName}: ${errorType}: ${errorMessage}`);
    this.name = 'FunctionError';
  }
}

export interface LambdaHostOptions {
  /** Variables every function gets besides its own (endpoints, region, credentials). */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** Containers per function at most; more invocations wait. @default 4 */
  readonly maxConcurrency?: number;
  /** Drop the handlers' console output. @default false */
  readonly quiet?: boolean;
}

interface Pending {
  readonly event: unknown;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Container {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  busy: boolean;
  dead: boolean;
  /** Fails the init and the invocation in flight when the worker dies or is discarded. */
  fail(err: FunctionError): void;
  onDeath?: (err: FunctionError) => void;
}

/** Runs each function in its own worker threads, like Lambda containers: warm, one invocation at a time. */
export class LambdaHost {
  private readonly pools = new Map<string, FunctionPool>();

  constructor(
    readonly functions: readonly LocalFunction[],
    opts: LambdaHostOptions,
  ) {
    for (const fn of functions) this.pools.set(fn.logicalId, new FunctionPool(fn, opts));
  }

  /** A function by logical id, construct id (e.g. `SurveyPage`) or name. */
  find(id: string): LocalFunction | undefined {
    return (
      this.functions.find((f) => f.logicalId === id) ??
      this.functions.find((f) => f.constructId === id) ??
      this.functions.find((f) => f.name === id)
    );
  }

  /** Invokes synchronously (RequestResponse); rejects with FunctionError when the function fails. */
  invoke(id: string, event: unknown): Promise<unknown> {
    const fn = this.find(id);
    if (!fn) return Promise.reject(new Error(`No local function ${id}`));
    return (this.pools.get(fn.logicalId) as FunctionPool).invoke(event);
  }

  /** Starts one container per function (or for the given ones) and waits for their init. */
  async warm(ids?: readonly string[]): Promise<void> {
    const fns = ids ? ids.map((id) => this.find(id)).filter((f) => f !== undefined) : this.functions;
    await Promise.all(fns.map((fn) => this.pools.get(fn.logicalId)?.warm()));
  }

  /** Invocations running or waiting for a container. */
  inFlight(): number {
    let n = 0;
    for (const pool of this.pools.values()) n += pool.inFlight();
    return n;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.stop()));
  }
}

class FunctionPool {
  private readonly containers: Container[] = [];
  private readonly queue: Pending[] = [];
  private running = 0;
  private stopped = false;

  constructor(
    private readonly fn: LocalFunction,
    private readonly opts: LambdaHostOptions,
  ) {}

  inFlight(): number {
    return this.running + this.queue.length;
  }

  invoke(event: unknown): Promise<unknown> {
    if (this.stopped)
      return Promise.reject(
        new FunctionError(this.fn.name, 'Runtime.Stopped', 'the local runtime is stopping'),
      );
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.dispatch();
    });
  }

  async warm(): Promise<void> {
    if (this.stopped) return;
    const container = this.containers.find((c) => !c.dead) ?? this.spawn();
    await container.ready.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const pending of this.queue.splice(0)) {
      pending.reject(new FunctionError(this.fn.name, 'Runtime.Stopped', 'the local runtime is stopping'));
    }
    await Promise.all([...this.containers].map((c) => this.kill(c)));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.stopped) {
      // Prefer the oldest idle container, as Lambda reuses warm ones.
      let container = this.containers.find((c) => !c.busy && !c.dead);
      if (!container) {
        if (this.containers.length >= (this.opts.maxConcurrency ?? 4)) return;
        container = this.spawn();
      }
      const pending = this.queue.shift() as Pending;
      container.busy = true;
      this.running++;
      const chosen = container;
      // The container is idle again before the caller hears back, so a follow-up call finds it warm.
      const release = () => {
        this.running--;
        chosen.busy = false;
        this.dispatch();
      };
      this.run(chosen, pending.event).then(
        (value) => {
          release();
          pending.resolve(value);
        },
        (err: Error) => {
          release();
          pending.reject(err);
        },
      );
    }
  }

  private spawn(): Container {
    const fn = this.fn;
    const worker = new Worker(BOOTSTRAP, {
      workerData: { entry: fn.entry, handlerExport: fn.handlerExport },
      env: this.environment(),
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(fn.memoryMb, 256) },
      name: fn.constructId,
    });
    this.pipe(worker.stdout, process.stdout);
    this.pipe(worker.stderr, process.stderr);
    let settleInit: { resolve(): void; reject(err: FunctionError): void } | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      settleInit = { resolve, reject };
    });
    ready.catch(() => undefined);
    const container: Container = {
      worker,
      ready,
      busy: false,
      dead: false,
      fail(err) {
        clearTimeout(initTimer);
        settleInit?.reject(err);
        container.onDeath?.(err);
      },
    };
    const initTimer = setTimeout(() => {
      void this.kill(
        container,
        new FunctionError(fn.name, 'Runtime.InitTimeout', `init did not finish in ${INIT_TIMEOUT_MS} ms`),
      );
    }, INIT_TIMEOUT_MS);
    worker.on('message', (msg: { type: string; error?: SerializedError }) => {
      if (msg.type === 'ready') {
        clearTimeout(initTimer);
        settleInit?.resolve();
      } else if (msg.type === 'init-error') {
        // Lambda runs init again in a fresh environment on the next invocation.
        void this.kill(container, toFunctionError(fn.name, msg.error));
      }
    });
    const die = (err: FunctionError) => {
      if (container.dead) return;
      container.dead = true;
      this.remove(container);
      container.fail(err);
    };
    worker.on('error', (err) => {
      const outOfMemory = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      die(
        new FunctionError(
          fn.name,
          outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.UnhandledError',
          outOfMemory ? `memory size of ${fn.memoryMb} MB exceeded` : (err.stack ?? String(err)),
        ),
      );
    });
    worker.on('exit', (code) =>
      die(new FunctionError(fn.name, 'Runtime.ExitError', `the function exited with code ${code}`)),
    );
    this.containers.push(container);
    return container;
  }

  private async run(container: Container, event: unknown): Promise<unknown> {
    const fn = this.fn;
    await container.ready;
    const id = randomUUID();
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A timed-out container is discarded, like Lambda resets the execution environment.
        void this.kill(
          container,
          new FunctionError(
            fn.name,
            'Sandbox.Timedout',
            `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
          ),
        );
      }, fn.timeoutSeconds * 1000);
      const onMessage = (msg: {
        type: string;
        id?: string;
        ok?: boolean;
        json?: string;
        error?: SerializedError;
      }) => {
        if (msg.type !== 'result' || msg.id !== id) return;
        cleanup();
        if (!msg.ok) {
          reject(toFunctionError(fn.name, msg.error));
        } else if (Buffer.byteLength(msg.json ?? '') > MAX_RESPONSE_BYTES) {
          reject(
            new FunctionError(
              fn.name,
              'Function.ResponseSizeTooLarge',
              'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
            ),
          );
        } else {
          resolve(JSON.parse(msg.json ?? 'null'));
        }
      };
      const cleanup = () => {
        clearTimeout(timer);
        container.worker.off('message', onMessage);
        container.onDeath = undefined;
      };
      container.onDeath = (err) => {
        cleanup();
        reject(err);
      };
      container.worker.on('message', onMessage);
      container.worker.postMessage({
        type: 'invoke',
        id,
        event,
        context: {
          functionName: fn.name,
          functionVersion: '$LATEST',
          invokedFunctionArn: fn.arn,
          memoryLimitInMB: String(fn.memoryMb),
          awsRequestId: id,
          logGroupName: `/aws/lambda/${fn.name}`,
          logStreamName: logStreamName(),
          deadline,
        },
      });
    });
  }

  private environment(): Record<string, string> {
    const fn = this.fn;
    return {
      ...this.opts.baseEnv,
      ...fn.environment,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      LAMBDA_TASK_ROOT: process.cwd(),
    };
  }

  private pipe(stream: Readable, target: NodeJS.WriteStream): void {
    if (this.opts.quiet) {
      stream.resume();
      return;
    }
    const prefix = `[${this.fn.constructId}] `;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = `${partial}${chunk}`.split('\n');
      partial = lines.pop() ?? '';
      if (lines.length > 0) target.write(lines.map((l) => `${prefix}${l}\n`).join(''));
    });
    stream.on('end', () => {
      if (partial) target.write(`${prefix}${partial}\n`);
    });
  }

  private remove(container: Container): void {
    const i = this.containers.indexOf(container);
    if (i >= 0) this.containers.splice(i, 1);
  }

  private async kill(container: Container, reason?: FunctionError): Promise<void> {
    if (!container.dead) {
      container.dead = true;
      this.remove(container);
      container.fail(
        reason ?? new FunctionError(this.fn.name, 'Runtime.Stopped', 'the local runtime is stopping'),
      );
    }
    await container.worker.terminate();
  }
}

interface SerializedError {
  errorType?: string;
  errorMessage?: string;
  trace?: string[];
}

function toFunctionError(functionName: string, error: SerializedError | undefined): FunctionError {
  return new FunctionError(
    functionName,
    error?.errorType ?? 'Error',
    error?.errorMessage ?? 'unknown error',
    error?.trace ?? [],
  );
}

function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`;
}
