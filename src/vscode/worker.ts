// The desktop analysis worker (node worker_threads): runs one request at a time, synchronously.
// The host cancels by terminating the thread, so nothing here listens for "stop".
import { parentPort } from 'node:worker_threads';
import { runAnalysisJob } from './analysisJob';
import type { AnalyzeRequestMessage } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('dist/worker.js must run as a worker thread');
port.on('message', (request: AnalyzeRequestMessage) => {
  if (request?.type === 'analyze') runAnalysisJob(request, (response) => port.postMessage(response));
});
