// Reductions over axes (sum, mean, max, min, argmax, argmin) with NumPy's axis/keepdims rules.
import { allocate } from '../storage';
import { broadcastTo, forEachIndex, zipBroadcast } from '../broadcast';
import { UserCodeError } from '../errors';
import { sizeOf, stridesOf, Tensor } from '../tensor';
import { Kernel, runKernel, tooManyToFollow, type Op } from './op';

export interface ReduceAttrs {
  /** Axes to reduce, or null for all of them. */
  axis: number | number[] | null;
  keepdims: boolean;
}

/** Normalized, sorted, de-duplicated axes; a bad axis is NumPy's AxisError. */
export function normalizeAxes(axis: number | number[] | null, ndim: number): number[] {
  if (axis === null) return allAxes(ndim);
  // The common case, one valid axis, without the list work below.
  if (typeof axis === 'number' && Number.isInteger(axis) && axis >= -ndim && axis < ndim) return [axis < 0 ? axis + ndim : axis];
  const list = Array.isArray(axis) ? axis : [axis];
  // A 0-d array takes axis 0 or -1 (and reduces nothing), as NumPy allows.
  const bound = Math.max(ndim, 1);
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -bound || a >= bound) {
      throw new UserCodeError('index', `axis ${a} is out of bounds for array of dimension ${ndim}`);
    }
    return a < 0 ? a + bound : a;
  });
  if (new Set(out).size !== out.length) throw new UserCodeError('value', 'duplicate value in axis');
  return out.filter((a) => a < ndim).sort((x, y) => x - y);
}

const allAxesByRank: number[][] = [];
function allAxes(ndim: number): number[] {
  return (allAxesByRank[ndim] ??= [...Array(ndim).keys()]).slice();
}

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reducedShape(shape: readonly number[], attrs: ReduceAttrs): number[] {
  const axes = normalizeAxes(attrs.axis, shape.length);
  return attrs.keepdims ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

// The steps of sum, max and min, shared so that fold can recognize them and run loops of their own
// (a step called per element through a shared loop cannot be inlined). Each loop below computes
// exactly what its step does, in the same order.
const add = (acc: number, v: number): number => acc + v;
const pickMax = (acc: number, v: number): number => (v > acc || Number.isNaN(v) ? v : acc);
const pickMin = (acc: number, v: number): number => (v < acc || Number.isNaN(v) ? v : acc);

/** Folds runs of `along` consecutive elements into `out`, one per run; false for other steps. */
function foldRuns(d: Float64Array, along: number, init: number, step: unknown, out: Float64Array): boolean {
  if (step === add) {
    for (let slot = 0, i = 0; slot < out.length; slot++) {
      let acc = init;
      for (let end = i + along; i < end; i++) acc += d[i];
      out[slot] = acc;
    }
  } else if (step === pickMax) {
    for (let slot = 0, i = 0; slot < out.length; slot++) {
      let acc = init;
      for (let end = i + along; i < end; i++) if (d[i] > acc || Number.isNaN(d[i])) acc = d[i];
      out[slot] = acc;
    }
  } else if (step === pickMin) {
    for (let slot = 0, i = 0; slot < out.length; slot++) {
      let acc = init;
      for (let end = i + along; i < end; i++) if (d[i] < acc || Number.isNaN(d[i])) acc = d[i];
      out[slot] = acc;
    }
  } else return false;
  return true;
}

/** Folds the rows of `d` into `out` (one slot per column, already holding the initial value); false for other steps. */
function foldColumns(d: Float64Array, step: unknown, out: Float64Array): boolean {
  const n = out.length;
  if (n === 0) return step === add || step === pickMax || step === pickMin;
  if (step === add) for (let i = 0; i < d.length; i++) out[i % n] += d[i];
  else if (step === pickMax) for (let i = 0; i < d.length; i++) { const v = d[i], k = i % n; if (v > out[k] || Number.isNaN(v)) out[k] = v; }
  else if (step === pickMin) for (let i = 0; i < d.length; i++) { const v = d[i], k = i % n; if (v < out[k] || Number.isNaN(v)) out[k] = v; }
  else return false;
  return true;
}

/**
 * Folds data `d` of shape `shape` along `axes`: `step(acc, value, positionAlongReducedAxes)` for
 * each element. Returns the accumulators in the kept (keepdims) shape, in `into` when given.
 */
function fold(d: Float64Array, shape: readonly number[], axes: readonly number[], init: number, step: (acc: number, v: number, pos: number, slot: number) => number, into?: Float64Array): Float64Array {
  const nd = shape.length;
  // Fast paths for the reductions programs use most: everything, the last axis, the first axis.
  if (axes.length === nd) {
    const out = into ?? allocate(1);
    if (foldRuns(d, d.length, init, step, out)) return out;
    let acc = init;
    for (let i = 0; i < d.length; i++) acc = step(acc, d[i], i, 0);
    out[0] = acc;
    return out;
  }
  if (axes.length === 1 && (axes[0] === nd - 1 || axes[0] === 0)) {
    const along = shape[axes[0]];
    const slots = along === 0 ? sizeOf(shape.filter((_, i) => i !== axes[0])) : d.length / along;
    const out = (into ?? allocate(slots)).fill(init);
    if (axes[0] === nd - 1 && foldRuns(d, along, init, step, out)) return out;
    if (axes[0] === 0 && foldColumns(d, step, out)) return out;
    if (axes[0] === nd - 1) {
      for (let slot = 0, i = 0; slot < slots; slot++) {
        let acc = init;
        for (let pos = 0; pos < along; pos++, i++) acc = step(acc, d[i], pos, slot);
        out[slot] = acc;
      }
    } else {
      for (let pos = 0, i = 0; pos < along; pos++) for (let slot = 0; slot < slots; slot++, i++) out[slot] = step(out[slot], d[i], pos, slot);
    }
    return out;
  }
  const kept = keptShape(shape, axes);
  const out = (into ?? allocate(sizeOf(kept))).fill(init);
  const keptStrides = stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s));
  // Position along the reduced axes, for argmax: C order over the reduced sub-shape.
  const reducedStrides = stridesOf(axes.map((a) => shape[a]));
  const posStrides = shape.map((_, i) => (axes.includes(i) ? reducedStrides[axes.indexOf(i)] : 0));
  forEachIndex(shape, (flat, slot, pos) => { out[slot] = step(out[slot], d[flat], pos, slot); }, keptStrides, posStrides);
  return out;
}

function checkNotEmpty(x: Tensor, axes: readonly number[], name: string): void {
  if (axes.some((a) => x.shape[a] === 0) || (axes.length === 0 && x.size === 0)) {
    throw new UserCodeError('value', `zero-size array to reduction operation ${name} which has no identity`);
  }
}

/** Spreads a reduced gradient back over the input's shape. */
function spread(g: Tensor, x: Tensor, attrs: ReduceAttrs): Tensor {
  // A reduction to one element (over every axis, the loss's sums): that element everywhere.
  if (g.size === 1) return Tensor.full(x.shape, g.data[0]);
  const axes = normalizeAxes(attrs.axis, x.ndim);
  return broadcastTo(g.withShape(keptShape(x.shape, axes)), x.shape);
}

function sumKernel(x: Tensor, attrs: ReduceAttrs): Kernel {
  const axes = normalizeAxes(attrs.axis, x.ndim);
  const shape = x.shape;
  return (ins, out) => { fold(ins[0], shape, axes, 0, add, out); };
}

function meanKernel(x: Tensor, attrs: ReduceAttrs): Kernel {
  const axes = normalizeAxes(attrs.axis, x.ndim);
  const shape = x.shape;
  const count = axes.reduce((n, a) => n * shape[a], 1);
  return (ins, out) => {
    fold(ins[0], shape, axes, 0, add, out);
    for (let i = 0; i < out.length; i++) out[i] /= count;
  };
}

export const sumOp: Op<ReduceAttrs> = {
  name: 'sum',
  pattern: 'sum: copies the gradient to every summed element',
  shape: ([x], attrs) => reducedShape(x, attrs),
  forward: ([x], attrs) => runKernel(sumKernel(x, attrs), [x], reducedShape(x.shape, attrs), x.dtype === 'float64' ? 'float64' : 'int64'),
  kernel: ([x], attrs) => sumKernel(x, attrs),
  vjp: (g, _ans, [x], attrs) => [spread(g, x, attrs)],
  propagate: ([x], [moved], out, attrs, [x0]) => propagateSum(x, x0, moved, out, attrs, 1),
};

export const meanOp: Op<ReduceAttrs> = {
  name: 'mean',
  pattern: 'mean: copies the gradient divided by the count to every element',
  shape: ([x], attrs) => reducedShape(x, attrs),
  forward: ([x], attrs) => runKernel(meanKernel(x, attrs), [x], reducedShape(x.shape, attrs), 'float64'),
  kernel: ([x], attrs) => meanKernel(x, attrs),
  vjp: (g, _ans, [x], attrs) => {
    const axes = normalizeAxes(attrs.axis, x.ndim);
    const count = axes.reduce((n, a) => n * x.shape[a], 1);
    const spreadG = spread(g, x, attrs);
    const out = allocate(x.size);
    for (let i = 0; i < out.length; i++) out[i] = spreadG.data[i] / count;
    return [new Tensor(out, x.shape)];
  },
  propagate: ([x], [moved], out, attrs, [x0]) => {
    const axes = normalizeAxes(attrs.axis, x.ndim);
    return propagateSum(x, x0, moved, out, attrs, axes.reduce((n, a) => n * x.shape[a], 1));
  },
};

/** Sums over every axis of at least this many elements follow a move by its change instead of adding them all again. */
const linearSumElements = 4096;

/**
 * A sum (or mean: the sum over `count`) after a few input elements moved. Over every axis of a large
 * array, the recorded result plus the moved elements' change: O(moved) instead of O(size). Not bit
 * for bit, as dot's propagate is not: rounded in another order, about one unit in the last place of
 * the sum, and the difference between two nudges is no less accurate than two sums taken whole. A
 * move from or to a non-finite value, or a sum that was not finite, is folded again.
 */
function propagateSum(x: Tensor, x0: Tensor, moved: readonly number[] | null, out: Float64Array, attrs: ReduceAttrs, count: number): readonly number[] | null {
  if (moved && x.size >= linearSumElements && normalizeAxes(attrs.axis, x.ndim).length === x.ndim && Number.isFinite(out[0])) {
    let change = 0;
    for (const p of moved) {
      if (!Number.isFinite(x.data[p]) || !Number.isFinite(x0.data[p])) return propagateFold(x, moved, out, attrs, 0, add, (sum) => sum / count);
      change += x.data[p] - x0.data[p];
    }
    // Two finite values can differ by more than the largest double.
    if (!Number.isFinite(change)) return propagateFold(x, moved, out, attrs, 0, add, (sum) => sum / count);
    out[0] += change / count;
    return [0];
  }
  return propagateFold(x, moved, out, attrs, 0, add, (sum) => sum / count);
}

/**
 * A reduction after a few input elements moved: the output slots they fall in, each folded again
 * from its whole slot in the order `fold` takes (so it comes out bit for bit), for reductions over
 * every axis, the last or the first; null for others.
 */
function propagateFold(x: Tensor, moved: readonly number[] | null, out: Float64Array, attrs: ReduceAttrs, init: number, step: (acc: number, v: number) => number, finish: (acc: number) => number = (acc) => acc): readonly number[] | null {
  if (!moved) return [];
  const axes = normalizeAxes(attrs.axis, x.ndim);
  const d = x.data, nd = x.ndim;
  if (axes.length === nd) {
    out[0] = finish(fold(x.data, x.shape, axes, init, step)[0]);
    return [0];
  }
  if (axes.length !== 1 || (axes[0] !== 0 && axes[0] !== nd - 1)) return null;
  const along = x.shape[axes[0]];
  const stride = d.length / along;
  const reached = new Set(moved.map(axes[0] === nd - 1 ? (p) => Math.floor(p / along) : (p) => p % stride));
  if (tooManyToFollow(reached.size, out.length)) return null;
  const slots: number[] = [];
  if (axes[0] === nd - 1) {
    for (const slot of reached) {
      let acc = init;
      for (let i = slot * along, end = i + along; i < end; i++) acc = step(acc, d[i]);
      out[slot] = finish(acc);
      slots.push(slot);
    }
  } else {
    for (const slot of reached) {
      let acc = init;
      for (let i = slot; i < d.length; i += stride) acc = step(acc, d[i]);
      out[slot] = finish(acc);
      slots.push(slot);
    }
  }
  return slots;
}

function extremumOp(name: 'max' | 'min'): Op<ReduceAttrs> {
  const init = name === 'max' ? -Infinity : Infinity;
  const pick = name === 'max' ? pickMax : pickMin;
  const kernel = (x: Tensor, attrs: ReduceAttrs): Kernel => {
    const axes = normalizeAxes(attrs.axis, x.ndim);
    checkNotEmpty(x, axes, name === 'max' ? 'maximum' : 'minimum');
    const shape = x.shape;
    return (ins, out) => { fold(ins[0], shape, axes, init, pick, out); };
  };
  return {
    name,
    pattern: `${name}: routes the gradient to the ${name === 'max' ? 'largest' : 'smallest'} element`,
    shape: ([x], attrs) => reducedShape(x, attrs),
    forward: ([x], attrs) => runKernel(kernel(x, attrs), [x], reducedShape(x.shape, attrs), x.dtype),
    kernel: ([x], attrs) => kernel(x, attrs),
    // Ties share the gradient equally, as HIPS autograd does.
    vjp: (g, ans, [x], attrs) => {
      const along = runLength(x, attrs);
      if (along > 0) return [new Tensor(shareAmongWinners(x.data, ans.data, g.data, along), x.shape)];
      const best = spread(ans, x, attrs);
      const winners = zipBroadcast(x, best, (v, b) => (v === b ? 1 : 0), 'float64');
      const counts = spread(new Tensor(fold(winners.data, winners.shape, normalizeAxes(attrs.axis, x.ndim), 0, add), ans.shape), x, attrs);
      const spreadG = spread(g, x, attrs);
      const out = allocate(x.size);
      for (let i = 0; i < out.length; i++) out[i] = winners.data[i] ? spreadG.data[i] / counts.data[i] : 0;
      return [new Tensor(out, x.shape)];
    },
    branches: ([x], _ans, attrs) => argFold(x, attrs, name === 'max'),
    propagate: ([x], [moved], out, attrs) => propagateFold(x, moved, out, attrs, init, pick),
  };
}

/** How many consecutive elements each reduced element comes from (the last axis, or all of them); 0 for other axes. */
function runLength(x: Tensor, attrs: ReduceAttrs): number {
  const axes = normalizeAxes(attrs.axis, x.ndim);
  return axes.length === x.ndim ? x.size : axes.length === 1 && axes[0] === x.ndim - 1 ? x.shape[x.ndim - 1] : 0;
}

/** max's and min's gradient over runs: each run's g shared equally by the elements equal to its extremum. */
function shareAmongWinners(x: Float64Array, best: Float64Array, g: Float64Array, along: number): Float64Array {
  const out = allocate(x.length);
  for (let slot = 0, start = 0; slot < best.length; slot++, start += along) {
    const b = best[slot];
    let count = 0;
    for (let i = start; i < start + along; i++) if (x[i] === b) count++;
    const share = g[slot] / count;
    for (let i = start; i < start + along; i++) if (x[i] === b) out[i] = share;
  }
  return out;
}

function argFold(x: Tensor, attrs: ReduceAttrs, largest: boolean): Float64Array {
  const axes = normalizeAxes(attrs.axis, x.ndim);
  const along = runLength(x, attrs);
  // Runs of consecutive elements (the last axis, or all of them): the same choice in a plain loop.
  if (along > 0) return argRuns(x.data, along, largest, allocate(x.size / along));
  const better = largest ? (v: number, best: number) => v > best : (v: number, best: number) => v < best;
  const bestValue = allocate(sizeOf(keptShape(x.shape, axes))).fill(Number.NaN);
  return fold(x.data, x.shape, axes, -1, (acc, v, pos, slot) => {
    if (acc < 0 || better(v, bestValue[slot]) || (Number.isNaN(v) && !Number.isNaN(bestValue[slot]))) {
      bestValue[slot] = v;
      return pos;
    }
    return acc;
  });
}

/** The position in each run of `along` elements of its largest (or smallest) element: the first of ties, or the first NaN. */
function argRuns(d: Float64Array, along: number, largest: boolean, out: Float64Array): Float64Array {
  for (let slot = 0, start = 0; slot < out.length; slot++, start += along) {
    let best = d[start], pos = 0;
    for (let p = 1; p < along; p++) {
      const v = d[start + p];
      if (Number.isNaN(best)) break;
      if (largest ? v > best : v < best) { best = v; pos = p; } else if (Number.isNaN(v)) { best = v; pos = p; }
    }
    out[slot] = pos;
  }
  return out;
}

export const maxOp = extremumOp('max');
export const minOp = extremumOp('min');

function argOp(name: 'argmax' | 'argmin'): Op<{ axis: number | null }> {
  return {
    name,
    pattern: `${name}: passes no gradient (its output is an index)`,
    shape: ([x], { axis }) => reducedShape(x, { axis, keepdims: false }),
    forward: ([x], { axis }) => {
      const flat = axis === null ? x.withShape([x.size]) : x;
      const attrs = { axis: axis === null ? 0 : axis, keepdims: false };
      checkNotEmpty(flat, normalizeAxes(attrs.axis, flat.ndim), name);
      return new Tensor(argFold(flat, attrs, name === 'argmax'), reducedShape(flat.shape, attrs), 'int64');
    },
    vjp: () => [null],
    branches: (_inputs, ans) => ans.data,
  };
}

export const argmaxOp = argOp('argmax');
export const argminOp = argOp('argmin');
