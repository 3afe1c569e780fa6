import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Target } from '../../../src/analysis/analyze';
import { AnalysisClient, AnalysisRequest, Logger, WorkerFactory } from '../../../src/vscode/analysisClient';
import { runAnalysisJob } from '../../../src/vscode/analysisJob';
import { inProcessWorker } from '../../../src/vscode/inProcessWorker';
import { analysisOptions, defaultSettings } from '../../../src/vscode/settings';
import { targetKey } from '../../../src/vscode/targets';
import type { AnalyzeRequestMessage } from '../../../src/vscode/workerProtocol';
import { exampleSource } from './examples';

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const losses = exampleSource('losses.py');
const softmax: Target = { kind: 'function', name: 'softmax_loss' };

function request(overrides: Partial<AnalysisRequest> = {}, check = false): AnalysisRequest {
  return { uri: 'file:///losses.py', version: 1, source: losses, target: softmax, options: analysisOptions(defaultSettings, check), priority: 'user', ...overrides };
}

/** Workers that run the real job in this thread after `delayMillis`; `silent` ones never answer. */
function fakeWorkers(behaviour: (index: number) => { delayMillis: number; silent?: boolean } = () => ({ delayMillis: 0 })) {
  const started: { posted: AnalyzeRequestMessage[]; terminated: boolean }[] = [];
  const factory: WorkerFactory = (events) => {
    const { delayMillis, silent } = behaviour(started.length);
    const worker = { posted: [] as AnalyzeRequestMessage[], terminated: false };
    started.push(worker);
    return {
      post: (message) => {
        worker.posted.push(message);
        if (silent) return;
        setTimeout(() => { if (!worker.terminated) runAnalysisJob(message, (response) => events.onMessage(response)); }, delayMillis);
      },
      terminate: () => { worker.terminated = true; },
    };
  };
  return { factory, started };
}

describe('the analysis client', () => {
  it('runs a request in a worker and answers the same request from its cache', async () => {
    const { factory, started } = fakeWorkers();
    const client = new AnalysisClient(factory, quiet);
    const first = await client.request(request({}, true)).outcome;
    assert.equal(first.status, 'done');
    if (first.status !== 'done') return;
    assert.equal(first.result.report.ok, true);
    assert.equal(first.result.checked, true);
    // A checked Report also answers the hover's unchecked request for the same version.
    const again = await client.request(request({}, false)).outcome;
    assert.equal(again.status === 'done' && again.result, first.result);
    assert.equal(started[0].posted.length, 1);
    // A new version is analyzed again.
    await client.request(request({ version: 2 })).outcome;
    assert.equal(started[0].posted.length, 2);
    client.dispose();
  });

  it("builds the panel's views only when asked, and answers from the cache only what a Report holds", async () => {
    const { factory, started } = fakeWorkers();
    const client = new AnalysisClient(factory, quiet);
    const withViews = (check: boolean, views: boolean): AnalysisRequest => request({ options: analysisOptions(defaultSettings, check, views) });
    const lens = await client.request(withViews(true, false)).outcome;
    assert.ok(lens.status === 'done');
    assert.equal(lens.result.withViews, false);
    assert.deepEqual(lens.result.report.graph.nodes, []);
    assert.equal(lens.result.report.backwardCode, null);
    // The panel needs the views: the checked Report without them does not answer it.
    const panel = await client.request(withViews(true, true)).outcome;
    assert.ok(panel.status === 'done');
    assert.equal(started[0].posted.length, 2);
    assert.equal(panel.result.withViews, true);
    assert.ok(panel.result.report.graph.nodes.length > 0);
    assert.match(panel.result.report.backwardCode ?? '', /grad_W/);
    // It answers every later request of the version.
    for (const [check, views] of [[true, false], [false, false], [false, true]]) {
      const again = await client.request(withViews(check, views)).outcome;
      assert.equal(again.status === 'done' && again.result, panel.result);
    }
    assert.equal(started[0].posted.length, 2);
    // A Report of the same version that holds less (run afresh) does not replace it.
    const less = await client.request({ ...withViews(true, false), fresh: true }).outcome;
    assert.ok(less.status === 'done' && less.result !== panel.result);
    assert.equal(client.cache.get('file:///losses.py', 1, targetKey(softmax), { check: true, views: true }), panel.result);
    client.dispose();
  });

  it('drops the work on an older version when a newer one is requested', async () => {
    const { factory, started } = fakeWorkers(() => ({ delayMillis: 30 }));
    const client = new AnalysisClient(factory, quiet);
    const running = client.request(request({ version: 1 }));
    const queued = client.request(request({ version: 1, target: { kind: 'function', name: 'svm_loss_scores' } }));
    const newer = client.request(request({ version: 2 }));
    assert.deepEqual(await running.outcome, { status: 'stale' });
    assert.deepEqual(await queued.outcome, { status: 'stale' });
    assert.equal((await newer.outcome).status, 'done');
    assert.equal(started[0].terminated, true, 'the worker busy with the old version was replaced');
    assert.equal(started.length, 2);
    client.dispose();
  });

  it('terminates and replaces a worker that overruns its time budget', async () => {
    const { factory, started } = fakeWorkers((index) => ({ delayMillis: 0, silent: index === 0 }));
    const client = new AnalysisClient(factory, quiet, { marginMillis: 20 });
    const options = { ...analysisOptions(defaultSettings, false), budget: { maxSteps: 1000, maxMillis: 30 } };
    const outcome = await client.request(request({ options })).outcome;
    assert.deepEqual(outcome, { status: 'timeout', millis: 50 });
    assert.equal(started[0].terminated, true);
    assert.equal((await client.request(request({ version: 2 })).outcome).status, 'done', 'a fresh worker takes the next request');
    assert.equal(started.length, 2);
    client.dispose();
  });

  it('cancels a running check by replacing the worker, and a queued one without', async () => {
    const { factory, started } = fakeWorkers(() => ({ delayMillis: 50 }));
    const client = new AnalysisClient(factory, quiet);
    const running = client.request(request({}, true));
    const queued = client.request(request({ target: { kind: 'function', name: 'svm_loss_scores' } }, true));
    client.cancel(queued.id);
    client.cancel(running.id);
    assert.deepEqual(await running.outcome, { status: 'cancelled' });
    assert.deepEqual(await queued.outcome, { status: 'cancelled' });
    assert.equal(started[0].terminated, true);
    client.dispose();
  });

  it('runs user requests before the background pass', async () => {
    const { factory, started } = fakeWorkers(() => ({ delayMillis: 5 }));
    const client = new AnalysisClient(factory, quiet);
    const names = ['svm_loss_scores', 'softmax_loss_scores', 'softmax_loss'];
    const jobs = names.map((name, i) => client.request(request({ target: { kind: 'function', name }, priority: i === 2 ? 'user' : 'background' })));
    await Promise.all(jobs.map((j) => j.outcome));
    // The first background request was already running; the user's jumps the second.
    assert.deepEqual(started[0].posted.map((m) => m.target.kind === 'function' && m.target.name), ['svm_loss_scores', 'softmax_loss', 'softmax_loss_scores']);
    client.dispose();
  });

  it('fails the job of a worker that crashed and starts another', async () => {
    let crash: ((error: Error) => void) | null = null;
    const { factory: working } = fakeWorkers();
    let created = 0;
    const factory: WorkerFactory = (events) => {
      created++;
      if (created === 1) {
        crash = events.onError;
        return { post: () => setTimeout(() => crash?.(new Error('out of memory'))), terminate: () => {} };
      }
      return working(events);
    };
    const client = new AnalysisClient(factory, quiet);
    assert.deepEqual(await client.request(request()).outcome, { status: 'failed', message: 'the analysis worker stopped: out of memory' });
    assert.equal((await client.request(request({ version: 2 })).outcome).status, 'done');
    assert.equal(created, 2);
    client.dispose();
  });

  it('runs in the extension host itself where workers cannot start, ignoring a replaced job', async () => {
    const client = new AnalysisClient(inProcessWorker, quiet);
    const cancelled = client.request(request({}, true));
    client.cancel(cancelled.id);
    const outcome = await client.request(request({ version: 2 }, true)).outcome;
    assert.deepEqual(await cancelled.outcome, { status: 'cancelled' });
    assert.equal(outcome.status === 'done' && outcome.result.report.gradcheck.W.status, 'pass');
    client.dispose();
  });

  it('runs in a real worker thread', async () => {
    const factory: WorkerFactory = (events) => {
      // The worker entry in TypeScript, through the same loader mocha uses.
      const worker = new Worker(join(__dirname, '..', '..', '..', 'src', 'vscode', 'worker.ts'), { execArgv: ['--require', 'tsx/cjs'] });
      worker.on('message', events.onMessage);
      worker.on('error', events.onError);
      return { post: (m) => worker.postMessage(m), terminate: () => void worker.terminate() };
    };
    const client = new AnalysisClient(factory, quiet);
    const progress: number[] = [];
    const outcome = await client.request({ ...request({}, true), onProgress: (done) => progress.push(done) }).outcome;
    client.dispose();
    assert.equal(outcome.status, 'done');
    if (outcome.status !== 'done') return;
    assert.equal(outcome.result.report.gradcheck.W.status, 'pass');
    assert.deepEqual(outcome.result.guessedInputs, []);
    assert.ok(progress.length > 0, 'the check reported progress');
  });
});
