// The browser analysis worker (a Web Worker started by the web extension): the same job as the
// desktop worker, over postMessage.
import { runAnalysisJob } from './analysisJob';
import type { AnalyzeRequestMessage, WorkerResponse } from './workerProtocol';

// The DOM lib types `self` as a Window; inside a dedicated worker it is this much.
interface DedicatedWorkerScope {
  onmessage: ((event: MessageEvent<AnalyzeRequestMessage>) => void) | null;
  postMessage(message: WorkerResponse): void;
}

const scope = globalThis as unknown as DedicatedWorkerScope;
scope.onmessage = (event) => {
  if (event.data?.type === 'analyze') runAnalysisJob(event.data, (response) => scope.postMessage(response));
};
