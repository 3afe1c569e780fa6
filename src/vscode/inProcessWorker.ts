// A stand-in for the analysis worker that runs the job on the extension host's own thread, for
// hosts that cannot start workers (VS Code's web extension host refuses a Worker to extensions
// served from a remote, e.g. code-server). That thread is itself a Web Worker there, so the
// editor stays responsive; only termination cannot interrupt a running job (its deadline still does).
import type { WorkerFactory } from './analysisClient';
import { runAnalysisJob } from './analysisJob';

export const inProcessWorker: WorkerFactory = (events) => {
  let terminated = false;
  return {
    post: (request) => {
      // After the current task, so that the caller's bookkeeping (watchdog, activity) comes first.
      setTimeout(() => {
        if (!terminated) runAnalysisJob(request, (response) => { if (!terminated) events.onMessage(response); });
      }, 0);
    },
    terminate: () => {
      terminated = true;
    },
  };
};
