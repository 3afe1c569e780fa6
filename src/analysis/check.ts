// The gradient check of one analysis: each float input against central differences of the
// recorded forward pass, replayed without the interpreter; when a perturbation changes the path
// the code took (a guarded `if` or mask), the code is run again from the start instead.
import { NudgeBatch } from '../core/batch';
import { checkInput, EvaluateStack, Evaluation, GradCheckOptions, relativeError } from '../core/gradcheck';
import { Replay } from '../core/replay';
import { Tensor } from '../core/tensor';
import type { Execution, InputValue } from './execute';
import type { GradCheckEntry } from './report';

export interface CheckContext {
  execution: Execution;
  inputs: ReadonlyMap<string, InputValue>;
  grads: readonly (Tensor | null)[];
  /** Re-runs the code from the start with some inputs replaced; returns L. */
  rerun: (inputs: ReadonlyMap<string, InputValue>) => number;
  options: GradCheckOptions;
  /** The user's own gradient for an input, when they wrote one. */
  userGradients: ReadonlyMap<string, { name: string; value: Tensor }>;
  shouldStop?: () => void;
  onProgress?: (done: number, total: number) => void;
  /** Date.now() after which the check stops, keeping the inputs it has checked. */
  deadline: number;
}

/** The check ran out of time: thrown between two forward evaluations. */
class OutOfTime extends Error {}

export function checkGradients(ctx: CheckContext): { entries: Record<string, GradCheckEntry>; forwardPasses: number; unchecked: string[] } {
  const { execution, inputs, grads } = ctx;
  const replay = new Replay(execution.rt.tape, execution.lossNode);
  // checkInput passes one map again and again (its tensors' data moved in place): its leaves are looked up once.
  let lastOverrides: ReadonlyMap<string, Tensor> | null = null;
  let leafValues = new Map<number, Tensor>();
  const evaluate = (overrides: ReadonlyMap<string, Tensor>, movedElement?: number): Evaluation => {
    ctx.shouldStop?.();
    if (Date.now() > ctx.deadline) throw new OutOfTime();
    if (overrides !== lastOverrides) {
      leafValues = new Map();
      for (const [name, t] of overrides) leafValues.set(execution.leaves.get(name)!, t);
      lastOverrides = overrides;
    }
    const result = replay.run(leafValues, movedElement);
    if (result.guardsHeld) return { value: result.output.data[0], branches: result.branches, recorded: result.recorded };
    const changed = new Map(inputs);
    for (const [name, t] of overrides) changed.set(name, { tensor: t, python: inputs.get(name)!.python });
    let value = Number.NaN;
    try {
      value = ctx.rerun(changed);
    } catch {
      // The perturbed input made the code fail (a different branch raised): no number to compare.
    }
    return { value, branches: result.branches, recorded: result.recorded };
  };

  // A full check of a small input runs all its nudges at once where nothing downstream is large
  // enough for the replay to follow one element (core/batch.ts).
  const evaluateStack: EvaluateStack = (name, items, fillStack) => {
    const batch = NudgeBatch.plan(execution.rt.tape, execution.lossNode, execution.leaves.get(name)!);
    if (!batch || items > batch.itemsPerRun) return null;
    ctx.shouldStop?.();
    if (Date.now() > ctx.deadline) throw new OutOfTime();
    return batch.run(fillStack, items);
  };

  const entries: Record<string, GradCheckEntry> = {};
  let forwardPasses = 0;
  const names = [...execution.leaves.keys()];
  const unchecked: string[] = [];
  names.forEach((name, k) => {
    if (unchecked.length > 0) {
      unchecked.push(name);
      return;
    }
    const leaf = execution.leaves.get(name)!;
    const x = execution.rt.tape.value(leaf);
    const analytic = grads[leaf] ?? Tensor.zeros(x.shape);
    // Each element's numeric estimate, for comparing the user's own gradient too.
    const numeric = new Map<number, number>();
    let checked: ReturnType<typeof checkInput>;
    try {
      checked = checkInput(name, x, analytic, evaluate, ctx.options, numeric, evaluateStack);
    } catch (err) {
      if (!(err instanceof OutOfTime)) throw err;
      unchecked.push(name);
      return;
    }
    const { check } = checked;
    forwardPasses += checked.forwardPasses;
    const user = ctx.userGradients.get(name);
    let userGradient: GradCheckEntry['userGradient'] = null;
    if (user && user.value.size === x.size && user.value.shape.length === x.shape.length) {
      userGradient = { name: user.name, maxRelError: agreementWithNumeric(user.value, numeric) };
    }
    // Written out: a spread of a small object costs more here than the arithmetic of a tiny check.
    entries[name] = {
      maxRelError: check.maxRelError, checked: check.checked, status: check.status, mode: check.mode,
      worst: check.worst, kinks: check.kinks, directional: check.directional, userGradient,
    };
    ctx.onProgress?.(k + 1, names.length);
  });
  return { entries, forwardPasses, unchecked };
}

function agreementWithNumeric(user: Tensor, numeric: ReadonlyMap<number, number>): number {
  let maxAbs = 0;
  for (const n of numeric.values()) maxAbs = Math.max(maxAbs, Math.abs(n));
  let worst = 0;
  for (const [i, n] of numeric) worst = Math.max(worst, relativeError(user.data[i], n, maxAbs));
  return worst;
}

