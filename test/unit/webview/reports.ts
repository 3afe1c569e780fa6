// Real Reports of the shared examples, analyzed once per test run: the panel is tested on what
// the engine really sends it, with the lecture's numbers.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze, Target } from '../../../src/analysis/analyze';
import type { Report } from '../../../src/analysis/report';

const repo = path.resolve(__dirname, '../../..');
const examples = path.resolve(repo, 'examples');

const cache = new Map<string, Report>();

function cached(key: string, run: () => Report): Report {
  let report = cache.get(key);
  if (!report) {
    report = run();
    cache.set(key, report);
  }
  return report;
}

export function exampleReport(file: string, target: Target, inputs: unknown = {}): Report {
  return cached(`${file}:${JSON.stringify(target)}:${JSON.stringify(inputs)}`, () => analyze(readFileSync(path.join(examples, file), 'utf8'), target, inputs));
}

export function corpusReport(name: string, fn: string): Report {
  return cached(`corpus:${name}`, () => {
    const source = readFileSync(path.join(repo, 'test/corpus', `${name}.py`), 'utf8');
    const inputs: unknown = JSON.parse(readFileSync(path.join(repo, 'test/corpus', `${name}.inputs.json`), 'utf8'));
    return analyze(source, { kind: 'function', name: fn }, inputs);
  });
}

/** The lecture's sigmoid neuron as flat code with its hand-written backward pass (lines 16-31). */
export const sigmoidNeuron = (): Report => exampleReport('sigmoid_neuron.py', { kind: 'lines', from: 16, to: 31 });
export const softmaxLoss = (): Report => exampleReport('losses.py', { kind: 'function', name: 'softmax_loss' });
/** layers.py's deliberately wrong pair: a value mismatch (dx) and a shape mismatch (dalpha). */
export const leakyForward = (): Report => exampleReport('layers.py', { kind: 'function', name: 'leaky_forward' });
export const shapeError = (): Report => exampleReport('shape_error.py', { kind: 'function', name: 'scores_of' });
/** cs231n's naive SVM: loops whose bodies fold into nodes with counts. */
export const svmLossNaive = (): Report => corpusReport('svm_loss_naive', 'svm_loss_naive');

/** vectors.py's ReLU with the lecture's x and upstream gradient: its local Jacobian is a 4×4 diagonal. */
export const reluWithUpstream = (): Report =>
  exampleReport('vectors.py', { kind: 'function', name: 'relu_with_upstream' }, { x: [1, -2, 3, -1], dout: [4, -1, 5, 9] });
