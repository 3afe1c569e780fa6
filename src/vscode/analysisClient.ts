// Runs analyses off the extension host's thread, one at a time, in a worker it can replace.
// No VS Code import: the host passes a worker factory (worker_threads or Web Worker) and a log.
import type { Target } from '../analysis/analyze';
import { AnalysisResult, covers, needsOf, ReportCache } from './reportCache';
import { targetKey } from './targets';
import { AnalysisOptions, isWorkerResponse, WorkerResponse, AnalyzeRequestMessage } from './workerProtocol';

export interface WorkerHandle {
  post(request: AnalyzeRequestMessage): void;
  terminate(): void;
}

export interface WorkerEvents {
  onMessage(message: unknown): void;
  /** The worker crashed or exited on its own. */
  onError(error: Error): void;
}

export type WorkerFactory = (events: WorkerEvents) => WorkerHandle;

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface AnalysisRequest {
  uri: string;
  version: number;
  source: string;
  target: Target;
  options: AnalysisOptions;
  /** User requests (commands, hover, panel) run before the background pass. */
  priority: 'user' | 'background';
  /** Ignore the cache (the panel's "rerun"). */
  fresh?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export type AnalysisOutcome =
  | { status: 'done'; result: AnalysisResult }
  /** A newer version of the document was requested before this one finished. */
  | { status: 'stale' }
  | { status: 'cancelled' }
  /** The worker overran its wall-time budget and was replaced. */
  | { status: 'timeout'; millis: number }
  /** GradLens itself failed (the worker crashed or threw). */
  | { status: 'failed'; message: string };

export interface AnalysisJob {
  id: number;
  outcome: Promise<AnalysisOutcome>;
}

export interface RunningAnalysis {
  id: number;
  uri: string;
  target: Target;
  checked: boolean;
}

interface Job extends AnalysisJob {
  request: AnalysisRequest;
  key: string;
  settle: (outcome: AnalysisOutcome) => void;
  progressListeners: ((done: number, total: number) => void)[];
  watchdog?: ReturnType<typeof setTimeout>;
  startedAt?: number;
}

export interface ClientTiming {
  /** Grace beyond budget.maxMillis before a silent worker is terminated. */
  marginMillis: number;
}

export class AnalysisClient {
  readonly cache = new ReportCache();
  private worker: WorkerHandle | null = null;
  private queue: Job[] = [];
  private running: Job | null = null;
  private nextId = 1;
  private readonly activityListeners = new Set<(running: RunningAnalysis | null) => void>();

  constructor(private readonly createWorker: WorkerFactory, private readonly log: Logger, private readonly timing: ClientTiming = { marginMillis: 2000 }) {}

  request(request: AnalysisRequest): AnalysisJob {
    const key = targetKey(request.target);
    const needs = needsOf(request.options);
    const cached = request.fresh ? undefined : this.cache.get(request.uri, request.version, key, needs);
    if (cached) return { id: 0, outcome: Promise.resolve({ status: 'done', result: cached }) };

    this.dropOlderVersions(request.uri, request.version);
    const same = request.fresh ? undefined : [this.running, ...this.queue].find((j): j is Job => !!j && j.request.uri === request.uri
      && j.request.version === request.version && j.key === key && covers(needsOf(j.request.options), needs));
    if (same) {
      if (request.onProgress) same.progressListeners.push(request.onProgress);
      if (request.priority === 'user' && same.request.priority === 'background' && same !== this.running) {
        same.request.priority = 'user';
        this.queue = [same, ...this.queue.filter((j) => j !== same)];
      }
      return same;
    }

    let settle!: (outcome: AnalysisOutcome) => void;
    const outcome = new Promise<AnalysisOutcome>((resolve) => (settle = resolve));
    const job: Job = { id: this.nextId++, request, key, outcome, settle, progressListeners: request.onProgress ? [request.onProgress] : [] };
    // User requests go after earlier user requests and before every background one.
    const firstBackground = this.queue.findIndex((j) => j.request.priority === 'background');
    if (request.priority === 'user' && firstBackground >= 0) this.queue.splice(firstBackground, 0, job);
    else this.queue.push(job);
    this.pump();
    return job;
  }

  /** Cancels a queued or running analysis (a running one by replacing the worker). */
  cancel(id: number): void {
    const queued = this.queue.find((j) => j.id === id);
    if (queued) {
      this.queue = this.queue.filter((j) => j !== queued);
      queued.settle({ status: 'cancelled' });
    } else if (this.running?.id === id) {
      this.replaceWorker('cancelled');
      this.finish(this.running, { status: 'cancelled' });
    }
  }

  /** Whether an analysis of this target and version is queued or running. */
  isPending(uri: string, version: number, target: Target, checked: boolean): boolean {
    const key = targetKey(target);
    return [this.running, ...this.queue].some((j) => !!j && j.request.uri === uri && j.request.version === version && j.key === key
      && (j.request.options.check !== false) === checked);
  }

  /** Listens for the analysis that starts running (null when the worker goes idle). */
  onDidChangeActivity(listener: (running: RunningAnalysis | null) => void): { dispose(): void } {
    this.activityListeners.add(listener);
    return { dispose: () => this.activityListeners.delete(listener) };
  }

  /** Forgets a closed document: drops its cache and its pending work. */
  forgetDocument(uri: string): void {
    this.cache.forget(uri);
    this.dropOlderVersions(uri, Infinity);
  }

  dispose(): void {
    for (const job of this.queue) job.settle({ status: 'cancelled' });
    this.queue = [];
    if (this.running) this.finish(this.running, { status: 'cancelled' });
    this.worker?.terminate();
    this.worker = null;
    this.activityListeners.clear();
  }

  /** A newer version makes queued and running work on older ones stale. */
  private dropOlderVersions(uri: string, version: number): void {
    const stale = (j: Job): boolean => j.request.uri === uri && j.request.version < version;
    for (const job of this.queue.filter(stale)) job.settle({ status: 'stale' });
    this.queue = this.queue.filter((j) => !stale(j));
    if (this.running && stale(this.running)) {
      this.replaceWorker('its document changed');
      this.finish(this.running, { status: 'stale' });
    }
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    job.startedAt = Date.now();
    const { source, target, options } = job.request;
    const wallMillis = (options.budget?.maxMillis ?? 10_000) + this.timing.marginMillis;
    job.watchdog = setTimeout(() => {
      this.log.warn(`analysis of ${job.key} overran ${wallMillis} ms; replacing the worker`);
      this.replaceWorker('it overran its time budget');
      this.finish(job, { status: 'timeout', millis: wallMillis });
    }, wallMillis);
    this.emitActivity({ id: job.id, uri: job.request.uri, target, checked: options.check !== false });
    try {
      this.ensureWorker().post({ type: 'analyze', id: job.id, source, target, options });
    } catch (err) {
      this.replaceWorker('it could not start');
      this.finish(job, { status: 'failed', message: `the analysis worker could not start: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  private ensureWorker(): WorkerHandle {
    if (this.worker) return this.worker;
    // Events from a replaced worker are ignored: its job was already settled.
    const handle: WorkerHandle = this.createWorker({
      onMessage: (message) => { if (this.worker === handle) this.onMessage(message); },
      onError: (error) => { if (this.worker === handle) this.onWorkerError(error); },
    });
    this.worker = handle;
    return handle;
  }

  private replaceWorker(why: string): void {
    if (!this.worker) return;
    this.log.info(`terminating the analysis worker: ${why}`);
    const old = this.worker;
    this.worker = null;
    old.terminate();
  }

  private onMessage(message: unknown): void {
    if (!isWorkerResponse(message)) return this.log.warn('the analysis worker sent a message GradLens does not know');
    const job = this.running;
    if (!job || message.id !== job.id) return;
    this.handleResponse(job, message);
  }

  private handleResponse(job: Job, message: WorkerResponse): void {
    if (message.type === 'progress') {
      for (const listener of job.progressListeners) listener(message.done, message.total);
      return;
    }
    if (message.type === 'failure') {
      this.log.error(`GradLens failed analyzing ${job.key} of ${job.request.uri}: ${message.message}`);
      return this.finish(job, { status: 'failed', message: message.message.split('\n')[0] });
    }
    const { uri, version, target, options } = job.request;
    const result: AnalysisResult = { uri, version, target, targetKey: job.key, checked: options.check !== false, withViews: options.views !== false, report: message.report, guessedInputs: message.guessedInputs, millis: message.millis };
    this.cache.put(result);
    this.log.info(`analyzed ${job.key} of ${uri} (version ${version}${result.checked ? ', checked' : ''}) in ${message.millis} ms`);
    this.finish(job, { status: 'done', result });
  }

  private onWorkerError(error: Error): void {
    this.log.error(`the analysis worker stopped: ${error.message}`);
    this.worker = null;
    if (this.running) this.finish(this.running, { status: 'failed', message: `the analysis worker stopped: ${error.message}` });
  }

  private finish(job: Job, outcome: AnalysisOutcome): void {
    clearTimeout(job.watchdog);
    job.settle(outcome);
    if (this.running === job) {
      this.running = null;
      this.emitActivity(null);
    }
    this.pump();
  }

  private emitActivity(running: RunningAnalysis | null): void {
    for (const listener of this.activityListeners) listener(running);
  }
}
