// One analysis request as a worker runs it: analyze() under the request's wall-time budget, with
// throttled progress, and the names of the inputs GradLens had to guess. Shared by the node worker
// (worker.ts) and the Web Worker (webWorker.ts).
import { analyze, Target } from '../analysis/analyze';
import { resolveInputs } from '../analysis/inputs';
import { findFunction } from '../analysis/execute';
import { compactArrays, InputSource, Report } from '../analysis/report';
import { defaultDimSizes } from '../analysis/shapes';
import { UserCodeError } from '../core/errors';
import { parseModule } from '../python/parse';
import { defaultBudget } from '../python/runtime';
import type { AnalyzeRequestMessage, WorkerResponse } from './workerProtocol';

const progressIntervalMillis = 100;

/** Inputs GradLens made up from how the code uses them; an error they cause may not be the user's. */
const guessedSources: ReadonlySet<InputSource> = new Set(['usage', 'random']);

export function runAnalysisJob(request: AnalyzeRequestMessage, post: (response: WorkerResponse) => void, now: () => number = Date.now): void {
  const { id, source, target, options } = request;
  const started = now();
  // Each forward pass has its own maxMillis inside the engine; the check as a whole gets the same.
  const maxMillis = options.budget?.maxMillis ?? defaultBudget.maxMillis;
  const deadline = started + maxMillis;
  let lastProgress = -Infinity;
  try {
    const dims = { ...defaultDimSizes, ...options.dims };
    const report = analyze(source, target, {}, {
      ...options,
      dims,
      shouldStop: () => {
        if (now() > deadline) {
          throw new UserCodeError('budget', `the gradient check took longer than ${maxMillis / 1000} s and was stopped (setting gradlens.budget.maxMillis)`);
        }
      },
      onProgress: (done, total) => {
        const t = now();
        if (t - lastProgress < progressIntervalMillis && done < total) return;
        lastProgress = t;
        post({ type: 'progress', id, done, total });
      },
    });
    post({ type: 'result', id, report: compactArrays(report), guessedInputs: guessedInputs(report, source, target, dims), millis: now() - started });
  } catch (err) {
    post({ type: 'failure', id, message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
}

/**
 * The inputs of a function target that were guessed from usage. A Report whose run failed has no
 * `inputs` (analyze() fills them after the run), so their sources are resolved again here; this
 * goes away once analyze() reports the resolved inputs of a failed run too.
 */
export function guessedInputs(report: Report, source: string, target: Target, dims: Record<string, number>): string[] {
  const reported = Object.values(report.inputs);
  if (reported.length > 0) return reported.filter((i) => guessedSources.has(i.source)).map((i) => i.name);
  if (target.kind !== 'function' || report.errors.length === 0) return [];
  try {
    const module = parseModule(source);
    const resolved = resolveInputs(module, target, new Map(), findFunction(module, target.name), { seed: 0, dims, builtins: new Set() });
    return [...resolved.values()].filter((i) => guessedSources.has(i.source)).map((i) => i.name);
  } catch {
    return []; // a syntax error, or an input GradLens cannot infer at all (the Report says so)
  }
}
