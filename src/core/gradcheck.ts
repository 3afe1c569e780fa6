// Finite-difference gradient check: central differences in float64, relative error per element,
// full for small inputs, sampled plus directional for large ones, and kinks told apart from errors.
import { allocate, copyOf } from './storage';
import { RandomState } from './random';
import { Tensor, unravel } from './tensor';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'kink';

export interface GradCheckOptions {
  /** Step; scaled by |x| where |x| > 1. */
  h: number;
  passThreshold: number;
  warnThreshold: number;
  /** Inputs up to this many elements are checked element by element. */
  fullCheckMaxElements: number;
  sampledElements: number;
  directions: number;
  seed: number;
  /**
   * A full check of an input of at least this many elements runs its nudges at once where the
   * caller can (EvaluateStack); below it, setting a stack up costs more than it saves. Infinity:
   * always one at a time.
   */
  stackFrom: number;
}

export const defaultGradCheckOptions: GradCheckOptions = {
  h: 1e-6,
  passThreshold: 1e-7,
  warnThreshold: 1e-4,
  fullCheckMaxElements: 1000,
  sampledElements: 25,
  directions: 3,
  seed: 0,
  stackFrom: 4,
};

/** One forward evaluation with some inputs replaced: the scalar output and the branch each op took. */
export interface Evaluation {
  value: number;
  /**
   * Branch signatures (which side of each max, comparison, guard) of the ops this evaluation ran;
   * equal between x-h and x+h when no kink was crossed.
   */
  branches: ReadonlyMap<number, Float64Array>;
  /** The recorded signature of an op an evaluation did not run (its inputs came out as recorded). */
  recorded?: (key: number) => Float64Array;
}

/**
 * The output with some inputs replaced. `movedElement`, when given, is the one flat position in
 * which the single override differs from the input's recorded value: the replay need not compare
 * the whole input to find it.
 */
export type Evaluate = (overrides: ReadonlyMap<string, Tensor>, movedElement?: number) => Evaluation;

/**
 * Every nudge of a full check at once, where the caller can (core/batch.ts): `stack()` gives input
 * `name`'s value for each of `items` nudges, one after another (made only if the caller runs them);
 * gives each one's output and, for each branching op, each one's branch signature. Null: evaluate
 * them one at a time.
 */
export type EvaluateStack = (name: string, items: number, fillStack: (stack: Float64Array) => void) => StackedEvaluation | null;

/** One branching op's signatures for nudges run at once: nudge j's is data[j·size, (j+1)·size). */
export interface StackedSignatures {
  readonly data: Float64Array;
  readonly size: number;
}

/** What the nudges run at once give. */
export interface StackedEvaluation {
  /** Output of nudge j. */
  outputs: Float64Array;
  /** For each branching op downstream of the input (in tape order), every nudge's branch signature. */
  signatures: StackedSignatures[];
}

export interface CheckedElement {
  index: number[];
  analytic: number;
  numeric: number;
  relError: number;
}

export interface InputCheck {
  maxRelError: number;
  checked: number;
  status: CheckStatus;
  mode: 'full' | 'sampled';
  worst: CheckedElement | null;
  kinks: number[][];
  directional: { count: number; maxRelError: number } | null;
}

/**
 * |a - n| / max(|a| + |n|, 1e-8 max|n|, floor); 0 when both are 0. The floor is 1e-12, or larger
 * where rounding makes smaller numbers meaningless (see noiseFloor).
 */
export function relativeError(analytic: number, numeric: number, maxAbsNumeric: number, floor = 1e-12): number {
  if (analytic === numeric) return 0;
  const denom = Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-8 * maxAbsNumeric, floor);
  return Math.abs(analytic - numeric) / denom;
}

/**
 * (f(x+h) - f(x-h)) / 2h carries a rounding error of about eps |f| / h, so a derivative that is 0
 * comes out as noise of that size. As a floor of the relative error, a difference of that size reads
 * as 1e-7, the pass threshold: noise, not a 100% error.
 */
export function noiseFloor(fPlus: number, fMinus: number, h: number): number {
  // A small f can still be a difference of terms of size 1 (log(exp(w)) - w), rounded at that size.
  return (16 * Number.EPSILON * Math.max(Math.abs(fPlus), Math.abs(fMinus), 1)) / h / 1e-7;
}

/** The largest relative error between two gradients of the same shape. */
export function maxRelativeError(analytic: Tensor, numeric: Tensor): number {
  let maxAbs = 0, maxAbsAnalytic = 0;
  for (const v of numeric.data) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (const v of analytic.data) maxAbsAnalytic = Math.max(maxAbsAnalytic, Math.abs(v));
  // Float rounding of two analytic gradients: a difference of 1e-13 of their scale reads as 1e-7.
  const rounding = 1e-6 * Math.max(1, maxAbs, maxAbsAnalytic);
  let worst = 0;
  for (let i = 0; i < analytic.size; i++) {
    const e = relativeError(analytic.data[i], numeric.data[i], maxAbs, rounding);
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}

/** Whether two evaluations took the same branches; an op one of them did not run took its recorded one. */
function sameBranches(a: Evaluation, b: Evaluation): boolean {
  const recorded = a.recorded ?? b.recorded;
  const other = (e: Evaluation, key: number): Float64Array | undefined => e.branches.get(key) ?? recorded?.(key);
  for (const [key, x] of a.branches) if (!sameSignature(x, other(b, key))) return false;
  for (const [key, y] of b.branches) if (!a.branches.has(key) && !sameSignature(other(a, key), y)) return false;
  return true;
}

/** NaN matches NaN: an op fed NaN takes no side, in either run, and that is no kink. */
function sameSignature(x: Float64Array | undefined, y: Float64Array | undefined): boolean {
  return x !== undefined && y !== undefined && x.length === y.length && sameElements(x, 0, y, 0, x.length);
}

/** Whether x[i, i + size) equals y[j, j + size), NaN equal to NaN. */
function sameElements(x: Float64Array, i: number, y: Float64Array, j: number, size: number): boolean {
  for (let k = 0; k < size; k++) {
    const u = x[i + k], v = y[j + k];
    if (u !== v && !(Number.isNaN(u) && Number.isNaN(v))) return false;
  }
  return true;
}

export function statusOf(maxRelError: number, kinks: number, options: GradCheckOptions): CheckStatus {
  if (!(maxRelError <= options.warnThreshold)) return 'fail';
  if (kinks > 0) return 'kink';
  return maxRelError <= options.passThreshold ? 'pass' : 'warn';
}

/**
 * Checks `analytic` = d(output)/d(input `name`) against central differences of `evaluate`.
 * Returns the check and how many forward evaluations it cost.
 */
export function checkInput(
  name: string,
  x: Tensor,
  analytic: Tensor,
  evaluate: Evaluate,
  options: GradCheckOptions = defaultGradCheckOptions,
  /** Receives each element's numeric estimate, for comparing the user's own gradient too. */
  numeric: Map<number, number> = new Map(),
  evaluateStack?: EvaluateStack,
): { check: InputCheck; forwardPasses: number } {
  const full = x.size <= options.fullCheckMaxElements;
  // Only a sampled check draws (its elements and directions); seeding a generator costs more than a small check.
  const random = full ? null : new RandomState(options.seed + hashName(name));
  const indices = random === null ? everyIndex(x.size) : sampleIndices(analytic, options.sampledElements, random);
  let forwardPasses = 0;
  const stepAt = (v: number): number => options.h * Math.max(1, Math.abs(v));

  let floor = 1e-12;
  // One buffer, one element moved at a time: evaluate() reads it and keeps nothing of it.
  const moved = copyOf(x.data);
  const movedTensor = new Map([[name, new Tensor(moved, x.shape, x.dtype)]]);
  // Every element's two nudges in one stack, x + h then x - h, when the caller runs them at once.
  const stacked = full && evaluateStack && indices.length >= options.stackFrom ? evaluateStack(name, 2 * indices.length, (stack) => nudgeStack(x, indices, stepAt, stack)) : null;
  // Each element's estimate by its place in `indices`: plain loops over arrays, not the map's
  // entries (a full check of a small input does little else per element).
  const estimates = allocate(indices.length);
  const kinked = new Array<boolean>(indices.length).fill(false);
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j];
    const h = stepAt(x.data[i]);
    moved[i] = x.data[i] + h;
    const up = moved[i];
    moved[i] = x.data[i] - h;
    const down = moved[i];
    let fPlus: number, fMinus: number;
    if (stacked) {
      fPlus = stacked.outputs[2 * j];
      fMinus = stacked.outputs[2 * j + 1];
      for (const { data, size } of stacked.signatures) {
        if (!sameElements(data, 2 * j * size, data, (2 * j + 1) * size, size)) kinked[j] = true;
      }
    } else {
      moved[i] = up;
      const plus = evaluate(movedTensor, i);
      moved[i] = down;
      const minus = evaluate(movedTensor, i);
      fPlus = plus.value;
      fMinus = minus.value;
      if (!sameBranches(plus, minus)) kinked[j] = true;
    }
    moved[i] = x.data[i];
    forwardPasses += 2;
    estimates[j] = (fPlus - fMinus) / (up - down);
    numeric.set(i, estimates[j]);
    floor = Math.max(floor, noiseFloor(fPlus, fMinus, h));
  }

  let maxAbsNumeric = 0;
  for (let j = 0; j < estimates.length; j++) maxAbsNumeric = Math.max(maxAbsNumeric, Math.abs(estimates[j]));
  let worst: CheckedElement | null = null;
  let maxRelError = 0;
  const kinks: number[][] = [];
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j];
    if (kinked[j]) {
      kinks.push(unravel(i, x.shape));
      continue;
    }
    const n = estimates[j];
    const e = relativeError(analytic.data[i], n, maxAbsNumeric, floor);
    const err = Number.isNaN(e) ? Infinity : e;
    if (worst === null || err > worst.relError) worst = { index: unravel(i, x.shape), analytic: analytic.data[i], numeric: n, relError: err };
    maxRelError = Math.max(maxRelError, err);
  }

  let directional: InputCheck['directional'] = null;
  if (random !== null) {
    let worstDirectional = 0;
    let maxAbsX = 0;
    for (let i = 0; i < x.size; i++) maxAbsX = Math.max(maxAbsX, Math.abs(x.data[i]));
    // v is a unit vector, so each element moves by about h/sqrt(n): scale h up so it moves by about h.
    const h = stepAt(maxAbsX) * Math.sqrt(x.size);
    for (let d = 0; d < options.directions; d++) {
      const v = unitDirection(x.size, random);
      // The same buffer as the elements' nudges, moved whole (a large input: no new arrays).
      for (let i = 0; i < x.size; i++) moved[i] = x.data[i] + h * v[i];
      const fPlus = evaluate(movedTensor);
      for (let i = 0; i < x.size; i++) moved[i] = x.data[i] - h * v[i];
      const fMinus = evaluate(movedTensor);
      forwardPasses += 2;
      const num = (fPlus.value - fMinus.value) / (2 * h);
      let ana = 0;
      for (let i = 0; i < v.length; i++) ana += analytic.data[i] * v[i];
      const crossed = !sameBranches(fPlus, fMinus);
      if (!crossed) worstDirectional = Math.max(worstDirectional, relativeError(ana, num, Math.abs(num), noiseFloor(fPlus.value, fMinus.value, h)));
    }
    moved.set(x.data);
    directional = { count: options.directions, maxRelError: worstDirectional };
    maxRelError = Math.max(maxRelError, worstDirectional);
  }

  return {
    check: { maxRelError, checked: indices.length, status: statusOf(maxRelError, kinks.length, options), mode: full ? 'full' : 'sampled', worst, kinks, directional },
    forwardPasses,
  };
}

/** Writes into `stack` x with element indices[j] moved to x + h at item 2j and to x - h at item 2j + 1, the items one after another. */
function nudgeStack(x: Tensor, indices: readonly number[], stepAt: (v: number) => number, stack: Float64Array): void {
  const n = x.size;
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j];
    const h = stepAt(x.data[i]);
    const up = 2 * j * n, down = up + n;
    stack.set(x.data, up);
    stack[up + i] = x.data[i] + h;
    stack.set(x.data, down);
    stack[down + i] = x.data[i] - h;
  }
}

/** 0, 1, ..., n - 1 (a loop: an array spread from an iterator costs more than a small check's arithmetic). */
function everyIndex(n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Distinct seeded indices, always including the element with the largest analytic gradient. */
function sampleIndices(analytic: Tensor, count: number, random: RandomState): number[] {
  let largest = 0;
  for (let i = 1; i < analytic.size; i++) if (Math.abs(analytic.data[i]) > Math.abs(analytic.data[largest])) largest = i;
  const picked = new Set<number>([largest]);
  while (picked.size < Math.min(count, analytic.size)) picked.add(random.randint(0, analytic.size));
  return [...picked].sort((a, b) => a - b);
}

/**
 * A seeded random unit vector of random signs, ±1/√n in every element (a Rademacher direction:
 * like a Gaussian one, its outer product averages to I/n, so an error in any element shows). One
 * random bit per element: a Gaussian per element cost more than the forward passes of the check
 * at CIFAR size.
 */
function unitDirection(n: number, random: RandomState): Float64Array {
  const v = allocate(n);
  const size = 1 / Math.sqrt(n);
  let bits = 0;
  for (let i = 0; i < n; i++) {
    if ((i & 31) === 0) bits = random.nextUint32();
    v[i] = bits & 1 ? size : -size;
    bits >>>= 1;
  }
  return v;
}

function hashName(name: string): number {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 1000;
}
