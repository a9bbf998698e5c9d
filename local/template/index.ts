// The synthesized template as the local runtime needs it: one reader per resource type, composed by readStack().
import { type LocalCors, type LocalRoute, readCors, readRoutes } from './api-routes.ts';
import { type LocalBucket, readBuckets } from './buckets.ts';
import {
  type LocalMapping,
  type LocalQueueMapping,
  readQueueMappings,
  readStreamMappings,
} from './event-source-mappings.ts';
import { type LocalFunction, readFunctions } from './functions.ts';
import { type LocalQueue, readQueues } from './queues.ts';
import { stackReader } from './reader.ts';
import type { LocalValues } from './resolver.ts';
import { type LocalRule, readRules } from './schedules.ts';
import { type LocalConfigurationSet, readConfigurationSets } from './ses-configuration-sets.ts';
import { type LocalSubscription, readSubscriptions } from './subscriptions.ts';
import type { CfnTemplate } from './synth.ts';
import { type LocalTable, readTables } from './tables.ts';
import { type LocalTopic, readTopics } from './topics.ts';

export type { LocalCors, LocalRoute } from './api-routes.ts';
export type { LocalBucket } from './buckets.ts';
export type { LocalMapping, LocalQueueMapping } from './event-source-mappings.ts';
export type { LocalFunction } from './functions.ts';
export type { LocalQueue } from './queues.ts';
export { ENTRY_METADATA, referencedIds } from './reader.ts';
export { LOCAL_ACCOUNT, LOCAL_REGION, type LocalValues, Resolver, UnresolvableError } from './resolver.ts';
export type { LocalRule, LocalRuleTarget } from './schedules.ts';
export type { LocalConfigurationSet, LocalSesEventDestination } from './ses-configuration-sets.ts';
export type { LocalSubscription } from './subscriptions.ts';
export { type CfnResource, type CfnTemplate, ROOT, synthesizeTemplate } from './synth.ts';
export type { LocalTable } from './tables.ts';
export type { LocalTopic } from './topics.ts';

export interface LocalStackModel {
  readonly tables: readonly LocalTable[];
  readonly topics: readonly LocalTopic[];
  readonly queues: readonly LocalQueue[];
  readonly buckets: readonly LocalBucket[];
  readonly configurationSets: readonly LocalConfigurationSet[];
  readonly subscriptions: readonly LocalSubscription[];
  readonly rules: readonly LocalRule[];
  readonly routes: readonly LocalRoute[];
  readonly cors?: LocalCors;
  readonly warnings: readonly string[];
  /** Functions and mappings need the engines' values (API URL, stream ARNs). */
  functions(local: LocalValues): LocalFunction[];
  mappings(local: LocalValues): LocalMapping[];
  /** SQS event source mappings. */
  queueMappings(local: LocalValues): LocalQueueMapping[];
}

/** Reads what the local runtime builds from a template: tables, topics, queues, routes, functions, mappings. */
export function readStack(
  template: CfnTemplate,
  opts: { root?: string; stackName?: string } = {},
): LocalStackModel {
  const reader = stackReader(template, opts);
  // In this order, so the warnings read as they always did.
  const tables = readTables(reader);
  const topics = readTopics(reader);
  const queues = readQueues(reader);
  const routes = readRoutes(reader);
  const cors = readCors(reader);
  const functions = readFunctions(reader);
  const buckets = readBuckets(reader);
  const configurationSets = readConfigurationSets(reader);
  const subscriptions = readSubscriptions(reader);
  const rules = readRules(reader);
  return {
    tables,
    topics,
    queues,
    buckets,
    configurationSets,
    subscriptions,
    rules,
    routes,
    cors,
    warnings: reader.warnings,
    functions,
    mappings: readStreamMappings(reader),
    queueMappings: readQueueMappings(reader, queues),
  };
}
