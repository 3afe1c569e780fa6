// Messages between the extension host and its analysis worker (a node worker thread on the
// desktop, a Web Worker in the browser). Plain data: both sides structured-clone them.
import type { AnalyzeOptions, Target } from '../analysis/analyze';
import type { Report } from '../analysis/report';

/** The serializable part of AnalyzeOptions; the worker adds the callbacks (progress, deadline). */
export type AnalysisOptions = Omit<AnalyzeOptions, 'shouldStop' | 'onProgress'>;

export interface AnalyzeRequestMessage {
  type: 'analyze';
  id: number;
  source: string;
  target: Target;
  options: AnalysisOptions;
}

export type WorkerResponse =
  /** Forward evaluations done by the gradient check so far. */
  | { type: 'progress'; id: number; done: number; total: number }
  | {
      type: 'result';
      id: number;
      report: Report;
      /** Inputs whose values GradLens guessed from how the code uses them (no declaration, no default). */
      guessedInputs: string[];
      millis: number;
    }
  /** GradLens itself failed (analyze() turns the user's errors into the Report). */
  | { type: 'failure'; id: number; message: string };

export function isWorkerResponse(value: unknown): value is WorkerResponse {
  if (typeof value !== 'object' || value === null) return false;
  const { type, id } = value as { type?: unknown; id?: unknown };
  return typeof id === 'number' && (type === 'progress' || type === 'result' || type === 'failure');
}
