// Shared by the core tests: seeded inputs, one op applied the way the tape applies it, the
// central-difference check of an op's VJP (float64, step 1e-6 relative to the value's magnitude),
// and a two-layer net recorded op by op.
import { strict as assert } from 'assert';
import { broadcastShapes } from '../../../src/core/broadcast';
import { binaryOps, modOp, unaryOps } from '../../../src/core/ops/elementwise';
import { dotOp } from '../../../src/core/ops/linalg';
import type { AnyOp } from '../../../src/core/ops/op';
import { maxOp, meanOp, sumOp } from '../../../src/core/ops/reduce';
import { gatherOp, reshapeOp } from '../../../src/core/ops/structural';
import { RandomState } from '../../../src/core/random';
import type { Tape } from '../../../src/core/tape';
import { DType, Nested, sameShape, sizeOf, Tensor } from '../../../src/core/tensor';

export const GRAD_TOLERANCE = 1e-6;

export const t = (value: Nested, dtype: DType = 'float64'): Tensor => Tensor.fromNested(value, dtype);

/** Uniform values in [lo, hi) from a seeded generator, so every run draws the same inputs. */
export function uniform(shape: readonly number[], random: RandomState, lo = -2, hi = 2): Tensor {
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * random.random();
  return new Tensor(data, shape);
}

/** Applies `op` as Tape.record does: the shape rule first, then the forward pass, which must agree. */
export function apply<A>(op: AnyOp, inputs: readonly Tensor[], attrs?: A): Tensor {
  const shape = op.shape(inputs.map((x) => x.shape), attrs);
  const out = op.forward(inputs, attrs);
  assert.deepEqual([...out.shape], [...shape], `${op.name}: forward shape [${out.shape}] disagrees with its shape rule [${shape}]`);
  return out;
}

/** The gradient checker's relative error: |a - n| / max(|a| + |n|, 1e-8 max|n|, 1e-12), 0 when a = n. */
export function relErr(analytic: number, numeric: number, maxAbsNumeric: number): number {
  if (analytic === numeric) return 0;
  return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-8 * maxAbsNumeric, 1e-12);
}

/**
 * Central-difference gradient of L(inputs) = sum(g * op(inputs)) with respect to input `k`.
 * The difference f(x+h) - f(x-h) is taken per output element before weighting, which keeps
 * the round-off of a large sum out of small gradient entries.
 */
export function numericVjp<A>(op: AnyOp, inputs: readonly Tensor[], attrs: A, g: Tensor, k: number): Tensor {
  const x = inputs[k];
  const out = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) {
    const h = 1e-6 * Math.max(1, Math.abs(x.data[i]));
    const plus = Float64Array.from(x.data);
    const minus = Float64Array.from(x.data);
    plus[i] += h;
    minus[i] -= h;
    const at = (data: Float64Array): Tensor => op.forward(inputs.map((v, j) => (j === k ? new Tensor(data, x.shape, x.dtype) : v)), attrs);
    const fPlus = at(plus);
    const fMinus = at(minus);
    let dot = 0;
    for (let j = 0; j < g.size; j++) dot += g.data[j] * (fPlus.data[j] - fMinus.data[j]);
    out[i] = dot / (plus[i] - minus[i]);
  }
  return new Tensor(out, x.shape);
}

/** Largest relative error between two gradients, with the denominator floor set by `numeric`. */
export function maxRelErr(analytic: Tensor, numeric: Tensor): number {
  assert.deepEqual([...analytic.shape], [...numeric.shape], 'gradient shape differs from the input shape');
  let maxAbs = 0;
  for (const v of numeric.data) maxAbs = Math.max(maxAbs, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < analytic.size; i++) {
    const e = relErr(analytic.data[i], numeric.data[i], maxAbs);
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
  }
  return worst;
}

/**
 * Checks every float input's VJP against central differences under a seeded random upstream
 * gradient; throws naming the input and the error when one is off.
 */
export function assertVjpMatchesCentralDifferences<A>(op: AnyOp, inputs: readonly Tensor[], attrs?: A, seed = 7): void {
  const ans = apply(op, inputs, attrs);
  const g = uniform(ans.shape, new RandomState(seed), -1.5, 1.5);
  const grads = op.vjp(g, ans, inputs, attrs);
  assert.equal(grads.length, inputs.length, `${op.name} returned ${grads.length} gradients for ${inputs.length} inputs`);
  inputs.forEach((x, k) => {
    if (x.dtype !== 'float64') return;
    const analytic = grads[k];
    assert.ok(analytic, `${op.name} sent no gradient to float input ${k}`);
    assert.ok(sameShape(analytic.shape, x.shape), `${op.name}: gradient of input ${k} has shape [${analytic.shape}], the input [${x.shape}]`);
    const err = maxRelErr(analytic, numericVjp(op, inputs, attrs, g, k));
    assert.ok(err <= GRAD_TOLERANCE, `${op.name}: input ${k} (shape [${x.shape}]) relative error ${err.toExponential(2)} > ${GRAD_TOLERANCE}`);
  });
}

/** Elementwise comparison with NumPy's printed values (17 significant digits), to `tol` relative. */
export function assertCloseTo(actual: Tensor, expected: Nested, tol = 1e-12): void {
  const want = Tensor.fromNested(expected);
  assert.deepEqual([...actual.shape], [...want.shape], `shape [${actual.shape}], expected [${want.shape}]`);
  for (let i = 0; i < want.size; i++) {
    const a = actual.data[i], e = want.data[i];
    const ok = Object.is(a, e) || Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
    assert.ok(ok, `element ${i}: ${a}, NumPy gives ${e}`);
  }
}

export type Draw = (shape: readonly number[], random: RandomState) => Tensor;

/** Magnitudes in [lo, hi] with a random sign: away from 0 for abs, reciprocal and divide. */
export const awayFromZero = (lo: number, hi: number): Draw => (shape, random) => {
  const x = uniform(shape, random, lo, hi);
  return new Tensor(x.data.map((v) => (random.random() < 0.5 ? -v : v)), shape);
};
export const within = (lo: number, hi: number): Draw => (shape, random) => uniform(shape, random, lo, hi);
/** Values on the grid offset + 0.1 k, k in [-20, 20): two grids 0.05 apart never tie. */
export const onGrid = (offset: number): Draw => (shape, random) =>
  new Tensor(Float64Array.from({ length: sizeOf(shape) }, () => offset + 0.1 * random.randint(-20, 20)), shape);

/**
 * Draws a pair of operands, redrawing until `ok` holds for every broadcast pair of elements
 * (keeps inputs away from kinks and ties).
 */
export function drawPair(
  shapes: readonly [readonly number[], readonly number[]],
  random: RandomState,
  draw: readonly [Draw, Draw],
  ok: (a: number, b: number) => boolean = () => true,
): [Tensor, Tensor] {
  const out = broadcastShapes(shapes[0], shapes[1]);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const a = draw[0](shapes[0], random);
    const b = draw[1](shapes[1], random);
    if (everyPair(a, b, out, ok)) return [a, b];
  }
  throw new Error(`no inputs of shapes [${shapes[0]}] and [${shapes[1]}] away from the kinks in 1000 draws`);
}

/** Every binary op with inputs drawn where its gradient is defined and smooth. */
export const binaryCases: { name: string; op: AnyOp; behaviour: string; draw: readonly [Draw, Draw]; ok?: (a: number, b: number) => boolean }[] = [
  { name: 'add', op: binaryOps.add, behaviour: 'distributes the upstream gradient to both inputs', draw: [within(-2, 2), within(-2, 2)] },
  { name: 'subtract', op: binaryOps.subtract, behaviour: 'distributes the gradient, negated for the right input', draw: [within(-2, 2), within(-2, 2)] },
  { name: 'multiply', op: binaryOps.multiply, behaviour: "swaps the inputs' values into the gradients", draw: [within(-2, 2), within(-2, 2)] },
  { name: 'divide', op: binaryOps.divide, behaviour: 'sends g/b to a and -g a/b^2 to b', draw: [within(-2, 2), awayFromZero(0.4, 2)] },
  // A positive base keeps log(a), the exponent's local gradient, defined.
  { name: 'power', op: binaryOps.power, behaviour: 'sends g b a^(b-1) to a and g log(a) a^b to b', draw: [within(0.3, 2.5), within(-2, 2)] },
  { name: 'maximum', op: binaryOps.maximum, behaviour: 'routes the gradient to the larger input', draw: [onGrid(0.03), onGrid(0.08)] },
  { name: 'minimum', op: binaryOps.minimum, behaviour: 'routes the gradient to the smaller input', draw: [onGrid(0.03), onGrid(0.08)] },
  {
    name: 'mod', op: modOp, behaviour: 'passes the gradient to a and -floor(a/b) times it to b',
    // a = 0.7 (k + f) with f in [0.1, 0.9] and b = ±0.7 or ±1.4: a/b stays at least 0.05 from an integer,
    // where a % b jumps.
    draw: [
      (shape, random) => new Tensor(Float64Array.from({ length: sizeOf(shape) }, () => 0.7 * (random.randint(-3, 3) + 0.1 + 0.8 * random.random())), shape),
      (shape, random) => new Tensor(Float64Array.from({ length: sizeOf(shape) }, () => (random.random() < 0.5 ? -1 : 1) * 0.7 * random.randint(1, 3)), shape),
    ],
    ok: (a, b) => { const f = a / b - Math.floor(a / b); return f > 0.04 && f < 0.96; },
  },
];

function everyPair(a: Tensor, b: Tensor, out: readonly number[], ok: (x: number, y: number) => boolean): boolean {
  const index = (t: Tensor, flat: number): number => {
    // Walk the output's multi-index, clamping broadcast axes of `t` to 0.
    let offset = 0, stride = 1, rest = flat;
    for (let d = out.length - 1; d >= 0; d--) {
      const i = rest % out[d];
      rest = Math.floor(rest / out[d]);
      const td = d - (out.length - t.ndim);
      if (td >= 0) {
        if (t.shape[td] !== 1) offset += i * stride;
        stride *= t.shape[td];
      }
    }
    return offset;
  };
  for (let flat = 0; flat < sizeOf(out); flat++) if (!ok(a.data[index(a, flat)], b.data[index(b, flat)])) return false;
  return true;
}

/** A tensor's values as a plain array, with -0 read as 0 (the same gradient). */
export const values = (x: Tensor): number[] => Array.from(x.data, (v) => (v === 0 ? 0 : v));

/**
 * A two-layer net's softmax loss with a column mean subtracted, the ops of most programs, recorded
 * on `tape` from the leaves X, W1, b1, W2: a reduction over the first axis, a bias row, ReLU (a
 * branch), two products, a row max (a branch) and sum, a gather, and an L2 term of W1. The node
 * `scale`, when given, multiplies the scores. Gives the data loss's node and the L2 term's.
 */
export function recordSoftmaxNet(tape: Tape, [X, W1, b1, W2]: readonly number[], labels: readonly number[], classes: number, scale?: number): { loss: number; reg: number } {
  const r = <A>(op: Parameters<Tape['record']>[0], ins: number[], attrs?: A): number => tape.record(op, ins, attrs, null);
  const centered = r(binaryOps.subtract, [X, r(meanOp, [X], { axis: 0, keepdims: false })]);
  const hidden = r(binaryOps.maximum, [r(binaryOps.add, [r(dotOp, [centered, W1]), b1]), tape.constant(Tensor.scalar(0))]);
  const product = r(dotOp, [hidden, W2]);
  const scores = scale === undefined ? product : r(binaryOps.multiply, [product, scale]);
  const shifted = r(binaryOps.subtract, [scores, r(maxOp, [scores], { axis: 1, keepdims: true })]);
  const exp = r(unaryOps.exp, [shifted]);
  const probs = r(binaryOps.divide, [exp, r(sumOp, [exp], { axis: 1, keepdims: true })]);
  const flat = r(reshapeOp, [probs], { shape: [labels.length * classes] });
  const picked = r(gatherOp, [flat], { sources: Int32Array.from(labels.map((c, i) => i * classes + c)), shape: [labels.length] });
  const loss = r(sumOp, [r(unaryOps.negative, [r(unaryOps.log, [picked])])], { axis: null, keepdims: false });
  const reg = r(sumOp, [r(binaryOps.multiply, [W1, W1])], { axis: null, keepdims: false });
  return { loss, reg };
}
