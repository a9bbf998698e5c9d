import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; service name and level come from POWERTOOLS_SERVICE_NAME and LOG_LEVEL. */
export const logger = new Logger();
export const logError = (message: string, err: unknown) => logger.error(message, err as Error);
