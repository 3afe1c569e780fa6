// The benchmark programs: which source file, which two functions, which seeded inputs, and the
// GradLens calls that the bench (bench/run.ts) and the profile driver (bench/profile.ts) time.
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../src/analysis/analyze';
import { execute, type InputValue } from '../src/analysis/execute';
import { parseGivenInputs } from '../src/analysis/inputs';
import type { Report } from '../src/analysis/report';
import { parseModule } from '../src/python/parse';
import { defaultBudget } from '../src/python/runtime';
import { batchnormInputs, InputsJson, sigmoidNeuronInputs, softmaxInputs, svmInputs, twoLayerNetInputs } from './inputs';

/** bench/; the profile driver runs bundled from elsewhere and is told where bench/ is. */
export const benchDir = process.env.GRADLENS_BENCH_DIR ?? __dirname;
export const repoRoot = path.resolve(benchDir, '..');

export interface BenchProgram {
  /** Key in the JSON output and file name stem under bench/out/inputs. */
  id: string;
  /** The row's name in the table. */
  label: string;
  /** Source under bench/programs. */
  file: string;
  /** Returns the loss (or the layer's output); what GradLens analyzes. */
  forwardFunction: string;
  /** Returns (loss, grads) or (loss, dW) with hand-written gradients; what NumPy times as forward + backward. */
  gradsFunction: string;
  inputs: () => InputsJson;
}

export const benchPrograms: BenchProgram[] = [
  { id: 'sigmoid_neuron', label: 'sigmoid neuron (5 floats)', file: 'sigmoid_neuron.py', forwardFunction: 'neuron', gradsFunction: 'neuron_with_grads', inputs: sigmoidNeuronInputs },
  {
    id: 'two_layer_net_tiny', label: 'two-layer net, tiny (N=5, D=4, H=10, C=3)', file: 'two_layer_net.py',
    forwardFunction: 'two_layer_net_loss', gradsFunction: 'two_layer_net_loss_and_grads', inputs: () => twoLayerNetInputs({ N: 5, D: 4, H: 10, C: 3 }, 1),
  },
  {
    id: 'two_layer_net_cifar', label: 'two-layer net, CIFAR (N=64, D=3072, H=100, C=10)', file: 'two_layer_net.py',
    forwardFunction: 'two_layer_net_loss', gradsFunction: 'two_layer_net_loss_and_grads', inputs: () => twoLayerNetInputs({ N: 64, D: 3072, H: 100, C: 10 }, 2),
  },
  {
    id: 'svm_loss_naive', label: 'svm_loss_naive, loops (N=50, D=20, C=10)', file: 'svm_loss_naive.py',
    forwardFunction: 'svm_loss_naive_loss', gradsFunction: 'svm_loss_naive', inputs: () => svmInputs(50, 20, 10, 3),
  },
  {
    id: 'softmax_loss_vectorized', label: 'softmax loss, vectorized (N=500, D=100, C=10)', file: 'softmax_loss_vectorized.py',
    forwardFunction: 'softmax_loss_vectorized_loss', gradsFunction: 'softmax_loss_vectorized', inputs: () => softmaxInputs(500, 100, 10, 4),
  },
  {
    id: 'batchnorm_forward', label: 'batchnorm forward (N=64, D=256)', file: 'batchnorm_forward.py',
    forwardFunction: 'batchnorm_forward', gradsFunction: 'batchnorm_forward_and_grads', inputs: () => batchnormInputs(64, 256, 5),
  },
];

export function programSource(program: BenchProgram): string {
  return fs.readFileSync(path.join(benchDir, 'programs', program.file), 'utf8');
}

/** INPUTS.json read into tensors once, as NumPy's side holds its arrays: the forward pass alone does not pay for it. */
export function gradlensInputs(inputs: InputsJson): Map<string, InputValue> {
  return parseGivenInputs(inputs);
}

/**
 * GradLens's forward pass alone: parse and interpret the function on the tape, from inputs already
 * read (gradlensInputs); no input resolution, reverse mode or Report. The benchmark programs never
 * write into their inputs, so the same tensors serve every call.
 */
export function gradlensForward(source: string, program: BenchProgram, inputs: ReadonlyMap<string, InputValue>): void {
  const module = parseModule(source);
  execute(module, { kind: 'function', name: program.forwardFunction }, inputs, { seed: 0, budget: defaultBudget });
}

/** Forward + backward: the whole analysis without the finite-difference check, from inputs already read. */
export function gradlensForwardBackward(source: string, program: BenchProgram, inputs: ReadonlyMap<string, InputValue>): Report {
  return analyze(source, { kind: 'function', name: program.forwardFunction }, inputs, { check: false, views: false });
}

/**
 * The analysis with the gradient check as the code lens and the CLI run it: default options (full,
 * or sampled above 1,000 elements), without the graph and generated code, which only the panel builds.
 */
export function gradlensCheck(source: string, program: BenchProgram, inputs: ReadonlyMap<string, InputValue>): Report {
  return analyze(source, { kind: 'function', name: program.forwardFunction }, inputs, { views: false });
}

/** How long warmUpAll runs each program: the first measures still sped up 10× over their repetitions after 0.5 s of warm-up (V8 tiers up gradually). */
export const runWarmUpMsPerProgram = 1500;

/**
 * Before any measure: GradLens's forward and forward + backward on every program of the run (the
 * large ones once), so that the interpreter, ops and Report code the measures share are optimized
 * and the first rows are not timed while V8 is still compiling them.
 */
export function warmUpAll(programs: readonly BenchProgram[]): void {
  for (const program of programs) {
    const source = programSource(program);
    const inputs = program.inputs();
    const tensors = gradlensInputs(inputs);
    const start = performance.now();
    do {
      gradlensForward(source, program, tensors);
      gradlensForwardBackward(source, program, tensors);
    } while (performance.now() - start < runWarmUpMsPerProgram);
  }
}
