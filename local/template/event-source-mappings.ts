import type { LocalQueue } from './queues.ts';
import type { StackReader } from './reader.ts';
import type { LocalValues } from './resolver.ts';

export interface LocalMapping {
  readonly logicalId: string;
  readonly functionId: string;
  /** Logical id of the table whose stream feeds the mapping. */
  readonly tableId: string;
  readonly streamArn: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** Event filter patterns (any one matching keeps the record); empty = every record. */
  readonly filterPatterns: readonly unknown[];
  readonly reportBatchItemFailures: boolean;
  /** -1 = until the record expires. */
  readonly maxRetryAttempts: number;
  readonly bisectOnError: boolean;
  /** -1 = no limit. */
  readonly maxRecordAgeSeconds: number;
  readonly parallelizationFactor: number;
  /** ARN of the on-failure destination (SQS queue or SNS topic), if any. */
  readonly onFailureArn?: string;
  readonly enabled: boolean;
}

/** An event source mapping whose source is an SQS queue of the template. */
export interface LocalQueueMapping {
  readonly logicalId: string;
  readonly functionId: string;
  /** Logical id and local name of the queue. */
  readonly queueId: string;
  readonly queueName: string;
  readonly queueArn: string;
  /** 1 to 10,000 (above 10 only with a batching window). */
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Batches in flight at most (ScalingConfig.MaximumConcurrency). */
  readonly maxConcurrency?: number;
  readonly filterPatterns: readonly unknown[];
  readonly reportBatchItemFailures: boolean;
  readonly enabled: boolean;
}

/** One AWS::Lambda::EventSourceMapping: the ids its source and function name, and its resolved properties. */
interface MappingOf {
  readonly id: string;
  readonly tableId?: string;
  readonly queueId?: string;
  readonly functionId?: string;
  /** Resolved with the engines' values (the stream ARN exists only once DynamoDB Local runs). */
  properties(): Record<string, unknown>;
}

function eventSourceMappings(reader: StackReader, local: LocalValues): MappingOf[] {
  const r = reader.resolverWith(local);
  return reader.ofType('AWS::Lambda::EventSourceMapping').map(([id, res]) => {
    const raw = res.Properties ?? {};
    return {
      id,
      tableId: reader.idOfType(raw.EventSourceArn, 'AWS::DynamoDB::Table'),
      queueId: reader.idOfType(raw.EventSourceArn, 'AWS::SQS::Queue'),
      functionId: reader.idOfType(raw.FunctionName, 'AWS::Lambda::Function'),
      properties: () => r.resolve(raw) as Record<string, unknown>,
    };
  });
}

/**
 * Event source mappings whose source is a DynamoDB stream: batching, filters, retries, bisect, record age and
 * the on-failure destination. Stream ARNs exist only once DynamoDB Local runs, so this answers a function of them.
 */
export function readStreamMappings(reader: StackReader): (local: LocalValues) => LocalMapping[] {
  return (local) => {
    const out: LocalMapping[] = [];
    for (const m of eventSourceMappings(reader, local)) {
      if (m.queueId) continue;
      const { id, tableId, functionId } = m;
      if (!tableId || !functionId) {
        reader.warnings.push(
          `Event source mapping ${id}: only DynamoDB stream and SQS sources run locally; it is left out`,
        );
        continue;
      }
      const p = m.properties();
      const filters = filterPatternsOf(id, p);
      if (p.TumblingWindowInSeconds)
        reader.warnings.push(`Event source mapping ${id}: tumbling windows are not emulated`);
      const destination = (p.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)
        ?.OnFailure?.Destination;
      out.push({
        logicalId: id,
        functionId,
        tableId,
        streamArn: String(p.EventSourceArn),
        batchSize: Number(p.BatchSize ?? 100),
        maxBatchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
        startingPosition: p.StartingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
        filterPatterns: filters,
        reportBatchItemFailures: reportsBatchItemFailures(p),
        maxRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
        bisectOnError: Boolean(p.BisectBatchOnFunctionError),
        maxRecordAgeSeconds: Number(p.MaximumRecordAgeInSeconds ?? -1),
        parallelizationFactor: Number(p.ParallelizationFactor ?? 1),
        onFailureArn: destination,
        enabled: p.Enabled !== false,
      });
    }
    return out;
  };
}

/**
 * Event source mappings whose source is an SQS queue of the template: batch size and window, concurrency,
 * filters. Those CloudFormation would refuse are left out with the reason.
 */
export function readQueueMappings(
  reader: StackReader,
  queues: readonly LocalQueue[],
): (local: LocalValues) => LocalQueueMapping[] {
  return (local) => {
    const out: LocalQueueMapping[] = [];
    for (const m of eventSourceMappings(reader, local)) {
      const { id, queueId, functionId } = m;
      if (!queueId) continue;
      if (!functionId) {
        reader.warnings.push(
          `Event source mapping ${id}: its function is not in the template; it is left out`,
        );
        continue;
      }
      const p = m.properties();
      const queue = queues.find((q) => q.logicalId === queueId);
      const batchSize = Number(p.BatchSize ?? 10);
      const window = Number(p.MaximumBatchingWindowInSeconds ?? 0);
      const maxBatch = queue?.fifo ? 10 : 10_000;
      // CloudFormation refuses these; locally the mapping is left out with the reason.
      const refused =
        !Number.isInteger(batchSize) || batchSize < 1 || batchSize > maxBatch
          ? `BatchSize ${p.BatchSize} is outside 1 to ${maxBatch}`
          : batchSize > 10 && window < 1
            ? `BatchSize ${batchSize} above 10 needs MaximumBatchingWindowInSeconds of at least 1`
            : !Number.isInteger(window) || window < 0 || window > 300
              ? `MaximumBatchingWindowInSeconds ${p.MaximumBatchingWindowInSeconds} is outside 0 to 300`
              : undefined;
      if (refused) {
        reader.warnings.push(`Event source mapping ${id}: ${refused} (AWS refuses it); it is left out`);
        continue;
      }
      const scaling = p.ScalingConfig as { MaximumConcurrency?: number } | undefined;
      out.push({
        logicalId: id,
        functionId,
        queueId,
        queueName: queue?.name ?? queueId,
        queueArn: String(p.EventSourceArn),
        batchSize,
        maxBatchingWindowSeconds: window,
        maxConcurrency:
          scaling?.MaximumConcurrency === undefined ? undefined : Number(scaling.MaximumConcurrency),
        filterPatterns: filterPatternsOf(id, p),
        reportBatchItemFailures: reportsBatchItemFailures(p),
        enabled: p.Enabled !== false,
      });
    }
    return out;
  };
}

function reportsBatchItemFailures(p: Record<string, unknown>): boolean {
  return ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures');
}

function filterPatternsOf(id: string, p: Record<string, unknown>): unknown[] {
  return ((p.FilterCriteria as { Filters?: { Pattern?: string }[] } | undefined)?.Filters ?? []).map((f) => {
    try {
      return JSON.parse(f.Pattern ?? '{}') as unknown;
    } catch {
      throw new Error(`Event source mapping ${id}: filter pattern is not JSON: ${f.Pattern}`);
    }
  });
}
