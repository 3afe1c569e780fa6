import { strict as assert } from 'node:assert';
import type { Target } from '../../../src/analysis/analyze';
import { runAnalysisJob } from '../../../src/vscode/analysisJob';
import { analysisOptions, defaultSettings } from '../../../src/vscode/settings';
import type { WorkerResponse } from '../../../src/vscode/workerProtocol';
import { exampleSource } from './examples';

function run(file: string, name: string, check: boolean, now?: () => number, maxMillis = 10_000): WorkerResponse[] {
  const responses: WorkerResponse[] = [];
  const target: Target = { kind: 'function', name };
  const options = { ...analysisOptions(defaultSettings, check), budget: { maxSteps: 2_000_000, maxMillis } };
  runAnalysisJob({ type: 'analyze', id: 7, source: exampleSource(file), target, options }, (r) => responses.push(r), now);
  return responses;
}

function resultOf(responses: WorkerResponse[]) {
  const last = responses[responses.length - 1];
  assert.equal(last.type, 'result');
  return last as Extract<WorkerResponse, { type: 'result' }>;
}

describe('an analysis job in the worker', () => {
  it('names the inputs GradLens guessed from usage, and none that were declared', () => {
    assert.deepEqual(resultOf(run('layers.py', 'leaky_forward', false)).guessedInputs, ['x', 'alpha']);
    assert.deepEqual(resultOf(run('losses.py', 'softmax_loss', false)).guessedInputs, []);
  });

  it('posts a Report whose arrays are in buffers of its own, not views into shared storage', () => {
    const { report } = resultOf(run('losses.py', 'softmax_loss', false));
    const arrays = [report.output!.value, ...Object.values(report.inputs).flatMap((i) => [i.value, ...(i.grad ? [i.grad] : [])])];
    const total = new Set(arrays.map((a) => a.buffer)).size === 1 ? arrays.reduce((n, a) => n + a.length, 0) * 8 : NaN;
    assert.equal(arrays[0].buffer.byteLength, total, 'the small arrays share one buffer exactly their size');
  });

  it('names them for a run that failed too', () => {
    const result = resultOf(run('sigmoid_neuron.py', 'sigmoid', false));
    assert.equal(result.report.errors[0].kind, 'type');
    assert.deepEqual(result.guessedInputs, ['x']);
    assert.deepEqual(resultOf(run('shape_error.py', 'scores_of', false)).guessedInputs, [], 'the docstring declares X and W');
  });

  it('reports the check\'s progress, answering with the same id', () => {
    const responses = run('losses.py', 'softmax_loss', true);
    const progress = responses.filter((r) => r.type === 'progress');
    assert.ok(progress.length >= 1);
    assert.ok(responses.every((r) => r.id === 7));
    const last = progress[progress.length - 1] as Extract<WorkerResponse, { type: 'progress' }>;
    assert.equal(last.done, last.total, 'the last progress is the end');
  });

  it('stops a check that overruns the time budget, keeping the forward results', () => {
    let clock = 0;
    // Each reading of the clock moves it 0.4 s on: the check reads it before each input's nudges.
    const result = resultOf(run('losses.py', 'softmax_loss', true, () => (clock += 400), 1000));
    assert.equal(result.report.errors[0]?.kind, 'budget');
    assert.match(result.report.errors[0].message, /gradient check took longer than 1 s/);
    assert.ok(result.report.variables.length > 0);
  });
});
