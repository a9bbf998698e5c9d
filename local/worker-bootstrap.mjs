// One Lambda "container": loads one handler (TypeScript through tsx) and runs one invocation at a time.
// Plain JavaScript because it is loaded before any TypeScript loader exists in this thread.
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// Loader hooks given through execArgv (`--import tsx`) do not reach worker threads on Node 20, so the
// worker registers tsx itself.
register();

const { entry, handlerExport } = workerData;

function serializeError(err, fallbackType) {
  if (err instanceof Error) {
    return {
      errorType: err.name && err.name !== 'Error' ? err.name : fallbackType,
      errorMessage: err.message,
      trace: (err.stack ?? '').split('\n'),
    };
  }
  return { errorType: fallbackType, errorMessage: String(err), trace: [] };
}

let handler;
try {
  const mod = await import(pathToFileURL(entry).href);
  handler = mod[handlerExport];
  if (typeof handler !== 'function') {
    const err = new Error(`${entry} does not export a function named ${handlerExport}`);
    err.name = 'Runtime.HandlerNotFound';
    throw err;
  }
  parentPort.postMessage({ type: 'ready' });
} catch (err) {
  parentPort.postMessage({ type: 'init-error', error: serializeError(err, 'Runtime.ImportModuleError') });
}

function traceId() {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0;Lineage=local`;
}

async function run(event, info) {
  process.env._X_AMZN_TRACE_ID = traceId();
  return await new Promise((resolve, reject) => {
    const callback = (err, result) => (err ? reject(err) : resolve(result));
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: info.functionName,
      functionVersion: info.functionVersion,
      invokedFunctionArn: info.invokedFunctionArn,
      memoryLimitInMB: info.memoryLimitInMB,
      awsRequestId: info.awsRequestId,
      logGroupName: info.logGroupName,
      logStreamName: info.logStreamName,
      getRemainingTimeInMillis: () => Math.max(0, info.deadline - Date.now()),
      done: callback,
      succeed: (result) => resolve(result),
      fail: (err) => reject(err),
    };
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });
}

parentPort.on('message', async (msg) => {
  if (msg.type !== 'invoke') return;
  try {
    const result = await run(msg.event, msg.context);
    // Lambda hands back JSON: what does not survive JSON does not reach the caller.
    const json = JSON.stringify(result === undefined ? null : result);
    parentPort.postMessage({ type: 'result', id: msg.id, ok: true, json });
  } catch (err) {
    parentPort.postMessage({ type: 'result', id: msg.id, ok: false, error: serializeError(err, 'Error') });
  }
});
