// The web extension (vscode.dev, a browser-side extension host): the same engine in a Web Worker
// (dist/web/worker.js); documents are read through VS Code only, never from a file system.
import * as vscode from 'vscode';
import { activateGradLens } from './activate';
import type { WorkerFactory } from './analysisClient';
import { inProcessWorker } from './inProcessWorker';

export function activate(context: vscode.ExtensionContext): void {
  const workerUrl = vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'worker.js').toString(true);
  activateGradLens(context, (log): WorkerFactory => {
    let workersUnavailable = false;
    return (events) => {
      if (workersUnavailable) return inProcessWorker(events);
      let worker: Worker;
      try {
        worker = new Worker(workerUrl);
      } catch (err) {
        workersUnavailable = true;
        log.warn(`cannot start a Web Worker here (${err instanceof Error ? err.message : String(err)}); analyses run in the extension host`);
        return inProcessWorker(events);
      }
      worker.onmessage = (event: MessageEvent<unknown>) => events.onMessage(event.data);
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        events.onError(new Error(event.message || 'the analysis worker failed'));
      };
      return { post: (request) => worker.postMessage(request), terminate: () => worker.terminate() };
    };
  });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
