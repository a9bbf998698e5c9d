import { randomUUID } from 'node:crypto';
import { type Clock, sleep, systemClock } from './clock.ts';
import type { SqsEngine } from './engines/sqs/index.ts';
import { FunctionError, type LambdaHost } from './invoke.ts';
import type { LocalFunction } from './template/index.ts';

/** Lambda retries a failed asynchronous invocation twice unless an EventInvokeConfig says otherwise. */
export const DEFAULT_ASYNC_RETRIES = 2;

/** An asynchronous invocation that failed every try. */
export interface AsyncFailure {
  readonly functionName: string;
  /** What invoked it: `sns:<topic>`, `schedule:<rule>`. */
  readonly source: string;
  readonly event: unknown;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly attempts: number;
  /** ISO time of the last try. */
  readonly at: string;
}

export type AsyncOutcome = { ok: true; attempts: number } | { ok: false; failure: AsyncFailure };

export interface AsyncInvokerOptions {
  readonly host: LambdaHost;
  /** Where on-failure destinations and dead-letter queues live. */
  readonly sqs?: SqsEngine;
  /** Pause before retry `attempt` (1, 2). @default 1 s, 2 s (Lambda waits about 1 and 2 minutes) */
  readonly retryDelayMs?: (attempt: number) => number;
  readonly log?: (message: string) => void;
  /** Where exhausted invocations are reported; they are never silent. @default console.error */
  readonly alarm?: (message: string) => void;
  /** Times the pauses between tries and the failures. @default the system clock */
  readonly clock?: Clock;
}

/**
 * Asynchronous (`Event`) invocations as SNS and EventBridge make them: the caller does not wait, a failure is
 * retried (2 retries by default, with a pause), and one that fails every try goes to the function's on-failure
 * destination or dead-letter queue (SQS) and is reported. Every invocation counts as work in flight from the call
 * until its last try ends, so tests can wait for it.
 */
export class AsyncInvoker {
  private running = 0;
  private started = 0;
  private readonly failed: AsyncFailure[] = [];
  private readonly stopController = new AbortController();

  constructor(private readonly opts: AsyncInvokerOptions) {}

  /** Starts the invocation and answers how it ended; never rejects. */
  invoke(fn: LocalFunction, event: unknown, source: string): Promise<AsyncOutcome> {
    this.running++;
    this.started++;
    return this.run(fn, event, source).finally(() => {
      this.running--;
    });
  }

  /** Invocations started and not yet finished (including pauses between tries). */
  inFlight(): number {
    return this.running;
  }

  /** Grows with every invocation started. */
  activity(): number {
    return this.started;
  }

  failures(): readonly AsyncFailure[] {
    return this.failed;
  }

  stop(): void {
    this.stopController.abort();
  }

  private async run(fn: LocalFunction, event: unknown, source: string): Promise<AsyncOutcome> {
    // The caller hears back before the function starts, as with InvocationType Event.
    await new Promise((resolve) => setImmediate(resolve));
    const retries = fn.asyncRetryAttempts ?? DEFAULT_ASYNC_RETRIES;
    const delay = this.opts.retryDelayMs ?? ((attempt: number) => attempt * 1000);
    let last: FunctionError | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        await sleep(delay(attempt), this.stopController.signal, this.opts.clock);
      }
      if (this.stopController.signal.aborted) {
        return { ok: false, failure: this.failure(fn, event, source, attempt, last, 'the runtime stopped') };
      }
      try {
        await this.opts.host.invoke(fn.logicalId, event);
        return { ok: true, attempts: attempt + 1 };
      } catch (err) {
        last =
          err instanceof FunctionError ? err : new FunctionError(fn.name, 'Error', (err as Error).message);
        this.opts.log?.(
          `${fn.constructId}: async invocation from ${source} failed (try ${attempt + 1} of ${retries + 1}): ${last.errorType}: ${last.errorMessage}`,
        );
      }
    }
    const failure = this.failure(fn, event, source, retries + 1, last);
    this.failed.push(failure);
    const where = this.sendToFailureQueue(fn, event, failure);
    (this.opts.alarm ?? console.error)(
      `[pulso] ASYNC INVOCATION FAILED: ${fn.constructId} (${fn.name}) from ${source} failed ${failure.attempts} time(s): ` +
        `${failure.errorType}: ${failure.errorMessage}. ${where}`,
    );
    return { ok: false, failure };
  }

  private failure(
    fn: LocalFunction,
    event: unknown,
    source: string,
    attempts: number,
    err: FunctionError | undefined,
    fallback = 'unknown error',
  ): AsyncFailure {
    return {
      functionName: fn.name,
      source,
      event,
      errorType: err?.errorType ?? 'Runtime.Stopped',
      errorMessage: err?.errorMessage ?? fallback,
      attempts,
      at: new Date((this.opts.clock ?? systemClock).now()).toISOString(),
    };
  }

  /** Sends the failed event where the function's configuration says; answers what happened, for the log. */
  private sendToFailureQueue(fn: LocalFunction, event: unknown, failure: AsyncFailure): string {
    const target = fn.asyncOnFailure;
    const sqs = this.opts.sqs;
    if (!target) return 'The event is dropped (the function has no on-failure destination or DLQ).';
    const queue = sqs?.resolve(target.queueArn);
    if (!sqs || !queue)
      return `Its failure queue ${target.queueArn} does not exist locally; the event is dropped.`;
    const requestId = randomUUID();
    if (target.kind === 'dead-letter') {
      // A function DLQ gets the event itself, with the error in message attributes.
      sqs.send(queue, {
        body: JSON.stringify(event),
        messageAttributes: {
          RequestID: { DataType: 'String', StringValue: requestId },
          ErrorCode: { DataType: 'Number', StringValue: '200' },
          ErrorMessage: { DataType: 'String', StringValue: failure.errorMessage.slice(0, 1024) },
        },
      });
    } else {
      sqs.send(queue, {
        body: JSON.stringify({
          version: '1.0',
          timestamp: failure.at,
          requestContext: {
            requestId,
            functionArn: `${fn.arn}:$LATEST`,
            condition: 'RetriesExhausted',
            approximateInvokeCount: failure.attempts,
          },
          requestPayload: event,
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          responsePayload: { errorType: failure.errorType, errorMessage: failure.errorMessage },
        }),
      });
    }
    return `The event was sent to ${queue}.`;
  }
}
