// analyze(source, target, inputs, options) → Report: parse, resolve inputs, run, differentiate,
// check, match the user's own gradients, and describe it all as plain data for the views.
import { UserCodeError } from '../core/errors';
import { defaultGradCheckOptions, GradCheckOptions } from '../core/gradcheck';
import { backward, defaultTapeLimits, TapeLimits } from '../core/tape';
import { Tensor } from '../core/tensor';
import type { Module } from '../python/ast';
import type { Frame } from '../python/interpret';
import { builtinNames } from '../python/builtins';
import { parseModule } from '../python/parse';
import { Budget, defaultBudget } from '../python/runtime';
import type { PyValue } from '../python/values';
import { generateBackwardCode } from './backwardCode';
import { checkGradients } from './check';
import { execute, Execution, findFunction, InputValue, Target } from './execute';
import { buildGraph } from './graph';
import { HandWrittenGradients } from './handwritten';
import { parseGivenInputs, resolveInputs, ResolvedInput } from './inputs';
import { pairedBackwardMismatches, returnedMismatches } from './returned';
import type { Mismatch, Report, ReportInput } from './report';
import { defaultDimSizes, DimSizes } from './shapes';
import { describeVariables, VariableRecorder } from './variables';
import { toReportError } from './errors';

export type { Target } from './execute';

export interface AnalyzeOptions {
  seed?: number;
  budget?: Partial<Budget>;
  limits?: Partial<TapeLimits>;
  gradcheck?: Partial<GradCheckOptions>;
  dims?: DimSizes;
  /** Run the finite-difference check (on by default). */
  check?: boolean;
  /** Build the graph and the generated backward code (on by default; the hover needs neither). */
  views?: boolean;
  /** Called between forward evaluations; throw to cancel. */
  shouldStop?: () => void;
  onProgress?: (done: number, total: number) => void;
}

// Names a function's body may read that are not its inputs.
const knownNames = new Set([...builtinNames, 'True', 'False', 'None']);

function emptyReport(target: Target): Report {
  return {
    ok: false, function: target.kind === 'function' ? target.name : null, target, output: null, inputs: {}, gradcheck: {},
    mismatches: [], errors: [], graph: { nodes: [], edges: [] }, variables: [], backwardCode: null, forwardPasses: 0, span: null,
  };
}

/** Accepts INPUTS.json already parsed, or the resolved map. */
function givenInputs(inputs: unknown): Map<string, InputValue> {
  if (inputs instanceof Map) return inputs as Map<string, InputValue>;
  if (inputs === undefined || inputs === null) return new Map();
  return parseGivenInputs(inputs);
}

export function analyze(source: string, target: Target, inputs: unknown = {}, options: AnalyzeOptions = {}): Report {
  const report = emptyReport(target);
  let module: Module;
  try {
    module = parseModule(source);
  } catch (err) {
    report.errors.push(toReportError(err, null));
    return report;
  }
  const fn = target.kind === 'function' ? findFunction(module, target.name) : null;
  report.span = fn?.span ?? null;
  try {
    analyzeModule(module, target, givenInputs(inputs), options, report);
  } catch (err) {
    report.errors.push(toReportError(err, fn?.headerSpan ?? null));
  }
  report.ok = report.errors.length === 0 && report.mismatches.length === 0 && Object.values(report.gradcheck).every((c) => c.status !== 'fail');
  return report;
}

/**
 * A `NAME_backward(dout, cache)` is checked through its `NAME_forward`: its inputs are what the
 * forward pass produces, so that is where the analysis starts.
 */
function analyzedTarget(module: Module, target: Target): Target {
  if (target.kind !== 'function') return target;
  const pair = /^(.*)_backward$/.exec(target.name);
  return pair && findFunction(module, `${pair[1]}_forward`) ? { kind: 'function', name: `${pair[1]}_forward` } : target;
}

function analyzeModule(module: Module, requested: Target, given: Map<string, InputValue>, options: AnalyzeOptions, report: Report): void {
  const target = analyzedTarget(module, requested);
  const seed = options.seed ?? 0;
  const budget = { ...defaultBudget, ...options.budget };
  const limits = { ...defaultTapeLimits, ...options.limits };
  const checkOptions: GradCheckOptions = { ...defaultGradCheckOptions, seed, ...options.gradcheck };
  const fn = target.kind === 'function' ? findFunction(module, target.name) : null;
  if (target.kind === 'function' && !fn) throw new UserCodeError('name', `no function named '${target.name}' at the top level of this file`);

  const resolved = resolveInputs(module, target, given, fn, { seed, dims: { ...defaultDimSizes, ...options.dims }, builtins: knownNames });
  const inputValues: ReadonlyMap<string, InputValue> = resolved;

  let analyzedFrame: number | null = null;
  const isAnalyzedFrame = (frame: Frame): boolean => {
    if (target.kind === 'lines') return frame.depth === 0;
    if (analyzedFrame === null && frame.fn === fn && frame.depth === 1) analyzedFrame = frame.id;
    return frame.id === analyzedFrame;
  };
  const handWritten = new HandWrittenGradients(isAnalyzedFrame, resolved);
  const variables = new VariableRecorder(isAnalyzedFrame);
  const run = (values: ReadonlyMap<string, InputValue>, record: boolean): Execution => execute(module, target, values, {
    seed, budget, limits,
    inputSpan: (name) => resolved.get(name)?.span ?? null,
    isGradientName: (n) => handWritten.isGradientName(n),
    hooks: record ? (interp) => {
      const lookup = (name: string, frame: Frame): PyValue | undefined => interp.lookup(name, frame.scope);
      const tape = interp.rt.tape;
      return {
        onAssign: (name, value, span, kind, frame) => {
          handWritten.record(name, value, span, kind, frame, lookup, tape);
          variables.record(name, value, span, frame, tape);
        },
      };
    } : undefined,
  });
  let exec: Execution;
  let grads: (Tensor | null)[];
  try {
    exec = run(inputValues, true);
    grads = backward(exec.rt.tape, exec.lossNode);
  } catch (err) {
    // The inputs are known before anything runs, so a failed run still says where they came from.
    report.inputs = reportInputs(resolved, null, []);
    throw err;
  }
  const tape = exec.rt.tape;
  const outputValue = tape.value(exec.output.node);
  report.output = { name: exec.output.name ?? (target.kind === 'function' ? `${target.name}()` : null), shape: [...outputValue.shape], value: outputValue.data };
  report.inputs = reportInputs(resolved, exec, grads);

  // The user's own gradients: named ones, returned ones, and a NAME_backward pair.
  const threshold = checkOptions.warnThreshold;
  const returned = fn ? returnedMismatches({ fn, execution: exec, handWritten, grads, threshold, frame: analyzedFrame }) : { found: [], names: new Set<string>(), userGradients: new Map() };
  const paired = fn ? pairedBackwardMismatches({ module, fn, execution: exec, handWritten, grads, threshold }) : { found: [], errors: [], userGradients: new Map() };
  const named = handWritten.namedMismatches(grads, returned.names, threshold);
  const all = [...named, ...returned.found, ...paired.found].sort((a, b) => a.order - b.order);
  report.mismatches = dedupe(all.map((m) => m.mismatch));
  report.errors.push(...paired.errors);

  report.variables = describeVariables(variables, grads, resolved);
  if (options.views !== false) {
    report.graph = buildGraph(tape, { output: exec.lossNode, grads });
    report.backwardCode = generateBackwardCode(tape, exec.lossNode, exec.leaves);
  }

  if (options.check !== false) {
    const userGradients = new Map([...returned.userGradients, ...paired.userGradients]);
    const checkStarted = Date.now();
    const { entries, forwardPasses, unchecked } = checkGradients({
      execution: exec, inputs: inputValues, grads, options: checkOptions, userGradients,
      rerun: (values) => {
        const again = run(values, false);
        return again.rt.tape.value(again.lossNode).data[0];
      },
      shouldStop: options.shouldStop,
      onProgress: options.onProgress,
      deadline: checkStarted + budget.maxMillis,
    });
    report.gradcheck = entries;
    report.forwardPasses = forwardPasses;
    if (unchecked.length > 0) {
      const span = fn?.headerSpan ?? report.span ?? { from: 0, to: 0, line: target.kind === 'lines' ? target.from : 1, column: 1, endLine: 1, endColumn: 1 };
      report.errors.push({
        message: `the gradient check ran longer than ${budget.maxMillis / 1000} s and was stopped; not checked: ${unchecked.join(', ')}`,
        line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, kind: 'budget',
      });
    }
  }
  markProblems(report);
}

function reportInputs(resolved: Map<string, ResolvedInput>, exec: Execution | null, grads: readonly (Tensor | null)[]): Record<string, ReportInput> {
  // The Report takes the tensors' data as it is (tensors are never written after they are made);
  // a worker compacts it before posting it to another thread (`compactArrays`).
  const inputs: Record<string, ReportInput> = {};
  for (const [name, r] of resolved) {
    const leaf = exec?.leaves.get(name);
    const t = r.tensor;
    const grad = leaf === undefined ? null : (grads[leaf] ?? Tensor.zeros(t.shape));
    inputs[name] = { name, shape: [...t.shape], dtype: t.dtype, value: t.data, grad: grad ? grad.data : null, source: r.source, symbolicShape: r.symbolicShape };
  }
  return inputs;
}

function dedupe(mismatches: Mismatch[]): Mismatch[] {
  const seen = new Set<string>();
  return mismatches.filter((m) => {
    const key = `${m.name}@${m.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The forward variables whose hand-written gradient is wrong, and failing inputs, in the error color. */
function markProblems(report: Report): void {
  const targets = new Set(report.mismatches.map((m) => m.target));
  const failing = new Set(Object.entries(report.gradcheck).filter(([, c]) => c.status === 'fail').map(([name]) => name));
  for (const node of report.graph.nodes) {
    if (node.name && targets.has(node.name)) node.problem = 'mismatch';
    else if (node.kind === 'leaf' && failing.has(node.op)) node.problem = 'fail';
  }
}
