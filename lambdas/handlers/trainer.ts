import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { tableAdapters } from '#adapters/runtime.ts';
import { logger } from '#http/logger.ts';
import { trainSentiment } from '#insight/use-cases/train-sentiment.ts';

const { surveys, comments, sentimentModels } = tableAdapters();

/**
 * The nightly training of the deployment's sentiment classifiers, one per language, from its own score-labelled
 * comments (decision 0025). "Now" is the scheduled event's time, so tests choose the period read.
 */
export const handler = middy<ScheduledEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const now = event.time ? new Date(event.time) : new Date();
    const runs = await trainSentiment({
      surveys,
      comments,
      models: sentimentModels,
      clock: { now: () => now },
    });
    for (const run of runs) logger.info('Sentiment training', { ...run });
    return runs;
  });
