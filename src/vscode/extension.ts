// The desktop extension: analyses run in a node worker thread (dist/worker.js).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import { activateGradLens } from './activate';
import type { WorkerFactory } from './analysisClient';

export function activate(context: vscode.ExtensionContext): void {
  const workerPath = path.join(context.extensionPath, 'dist', 'worker.js');
  const createWorker: WorkerFactory = (events) => {
    const worker = new Worker(workerPath);
    let terminated = false;
    worker.on('message', (message: unknown) => events.onMessage(message));
    worker.on('error', (error) => events.onError(error));
    worker.on('exit', (code) => { if (!terminated) events.onError(new Error(`the worker exited with code ${code}`)); });
    return {
      post: (request) => worker.postMessage(request),
      terminate: () => {
        terminated = true;
        void worker.terminate();
      },
    };
  };
  activateGradLens(context, () => createWorker);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
