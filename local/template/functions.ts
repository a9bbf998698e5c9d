import { resolve } from 'node:path';
import { constructId, ENTRY_METADATA, type StackReader } from './reader.ts';
import { type LocalValues, localFunctionName } from './resolver.ts';

export interface LocalFunction {
  readonly logicalId: string;
  readonly constructId: string;
  readonly name: string;
  readonly arn: string;
  /** Absolute path of the TypeScript entry (from the `pulso:entry` metadata). */
  readonly entry: string;
  /** Export called as the handler. */
  readonly handlerExport: string;
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly runtime: string;
  /** Retries of a failed asynchronous invocation (AWS::Lambda::EventInvokeConfig). @default 2 */
  readonly asyncRetryAttempts?: number;
  /**
   * SQS queue ARN for asynchronous invocations that failed every try: an EventInvokeConfig on-failure
   * destination (Lambda's invocation record) or the function's DeadLetterConfig (the event itself).
   */
  readonly asyncOnFailure?: { readonly queueArn: string; readonly kind: 'destination' | 'dead-letter' };
}

/** Retries and on-failure destination of a function's asynchronous invocations. */
interface AsyncConfig {
  readonly maxRetryAttempts?: number;
  readonly onFailureArn?: string;
}

/**
 * AWS::Lambda::Function with a `pulso:entry` metadata: its environment, timeout and memory, and the retries and
 * on-failure queue of its asynchronous invocations (AWS::Lambda::EventInvokeConfig, DeadLetterConfig). The
 * environment needs the engines' values, so this answers a function of them. Custom resource handlers (CDK's
 * BucketDeployment) run only while CloudFormation deploys, so they are left out without a warning.
 */
export function readFunctions(reader: StackReader): (local: LocalValues) => LocalFunction[] {
  const asyncConfigs = readAsyncConfigs(reader);
  const deployTime = customResourceHandlers(reader);
  const { ofType, warnings, root } = reader;
  return (local) => {
    const r = reader.resolverWith(local);
    const out: LocalFunction[] = [];
    for (const [id, res] of ofType('AWS::Lambda::Function')) {
      if (deployTime.has(id)) continue;
      const entry = res.Metadata?.[ENTRY_METADATA];
      if (typeof entry !== 'string') {
        warnings.push(`Function ${id} has no ${ENTRY_METADATA} metadata and cannot run locally`);
        continue;
      }
      const env =
        (res.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      const environment: Record<string, string> = {};
      for (const [name, value] of Object.entries(env)) environment[name] = r.string(value, `${id} ${name}`);
      const handler = String(r.property(id, 'Handler') ?? 'index.handler');
      const invokeConfig = asyncConfigs.get(id);
      const deadLetter = (r.property(id, 'DeadLetterConfig') as { TargetArn?: string } | undefined)
        ?.TargetArn;
      const onFailure = invokeConfig?.onFailureArn ?? deadLetter;
      if (onFailure && !onFailure.startsWith('arn:aws:sqs:')) {
        warnings.push(`Function ${id}: only SQS on-failure destinations of async invocations are emulated`);
      }
      out.push({
        logicalId: id,
        constructId: constructId(res, id),
        name: localFunctionName(r, id),
        arn: String(r.getAtt(id, 'Arn')),
        entry: resolve(root, entry),
        handlerExport: handler.slice(handler.lastIndexOf('.') + 1) || 'handler',
        environment,
        timeoutSeconds: Number(r.property(id, 'Timeout') ?? 3),
        memoryMb: Number(r.property(id, 'MemorySize') ?? 128),
        runtime: String(r.property(id, 'Runtime') ?? 'nodejs'),
        asyncRetryAttempts: invokeConfig?.maxRetryAttempts,
        asyncOnFailure:
          onFailure?.startsWith('arn:aws:sqs:') === true
            ? { queueArn: onFailure, kind: invokeConfig?.onFailureArn ? 'destination' : 'dead-letter' }
            : undefined,
      });
    }
    return out;
  };
}

/** Functions that a custom resource names as its ServiceToken. */
function customResourceHandlers({ template, idOfType }: StackReader): Set<string> {
  const ids = new Set<string>();
  for (const res of Object.values(template.Resources)) {
    if (!res.Type.startsWith('Custom::') && res.Type !== 'AWS::CloudFormation::CustomResource') continue;
    const handler = idOfType(res.Properties?.ServiceToken, 'AWS::Lambda::Function');
    if (handler) ids.add(handler);
  }
  return ids;
}

/** AWS::Lambda::EventInvokeConfig per function logical id. */
function readAsyncConfigs({
  ofType,
  idOfType,
  propertiesOf,
  warnings,
}: StackReader): Map<string, AsyncConfig> {
  const asyncConfigs = new Map<string, AsyncConfig>();
  for (const [id, res] of ofType('AWS::Lambda::EventInvokeConfig')) {
    const functionId = idOfType(res.Properties?.FunctionName, 'AWS::Lambda::Function');
    const p = propertiesOf(id, res);
    if (!functionId || !p) continue;
    const retries = p.MaximumRetryAttempts;
    asyncConfigs.set(functionId, {
      maxRetryAttempts: retries === undefined ? undefined : Number(retries),
      onFailureArn: (p.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure
        ?.Destination,
    });
    if (p.MaximumEventAgeInSeconds !== undefined) {
      warnings.push(`EventInvokeConfig ${id}: MaximumEventAgeInSeconds is not emulated`);
    }
  }
  return asyncConfigs;
}
