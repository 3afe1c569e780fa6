// NumPy broadcasting, and its undoing for gradients (written once, used by every binary op).
import { allocate } from './storage';
import { formatShape, shapeError } from './errors';
import { DType, sameShape, sizeOf, stridesOf, Tensor } from './tensor';

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const padA = n - a.length, padB = n - b.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    // Missing leading axes are 1; no read before an array's start (V8 looks such an index up as a property).
    const da = i < padA ? 1 : a[i - padA];
    const db = i < padB ? 1 : b[i - padB];
    if (da !== db && da !== 1 && db !== 1) {
      throw shapeError(`operands could not be broadcast together with shapes ${formatShape(a)} ${formatShape(b)}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` seen from `outShape`: 0 along broadcast axes. */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const strides = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, i) => {
    const j = i - offset;
    return j < 0 || shape[j] === 1 ? 0 : strides[j];
  });
}

/** Applies `f` elementwise over two broadcast operands. */
export function zipBroadcast(a: Tensor, b: Tensor, f: (x: number, y: number) => number, dtype: DType): Tensor {
  const same = sameShape(a.shape, b.shape);
  const shape = same ? a.shape : broadcastShapes(a.shape, b.shape);
  const out = allocate(sizeOf(shape));
  zip(same ? 'same' : zipLayout(a.shape, b.shape, shape), a.shape, b.shape, shape, f, a.data, b.data, out);
  return new Tensor(out, shape, dtype);
}

/** Two operands' data in, every element of the broadcast output written. */
export type Zip = (a: Float64Array, b: Float64Array, out: Float64Array) => void;

/** `f` over operands of these two shapes broadcast together, the layout worked out once. */
export function zipKernel(aShape: readonly number[], bShape: readonly number[], f: (x: number, y: number) => number): Zip {
  const shape = broadcastShapes(aShape, bShape);
  const layout = zipLayout(aShape, bShape, shape);
  return (ad, bd, out) => zip(layout, aShape, bShape, shape, f, ad, bd, out);
}

/**
 * One run of an op's own loop over a broadcast: out[o + k] = a[ia + k·sa] op b[ib + k·sb] for k < n
 * (a stride of 0 repeats one value). Written out per op, so its arithmetic is inline.
 */
export type StridedLoop = (a: Float64Array, ia: number, sa: number, b: Float64Array, ib: number, sb: number, out: Float64Array, o: number, n: number) => void;

/**
 * `loop` over operands of these two shapes broadcast together, as runs laid out once: one run for
 * one shape or a scalar, one per row for a bias row, one per block for a keepdims column, and for
 * any other broadcast one per step along the last axis (generalRuns).
 */
export function stridedKernel(aShape: readonly number[], bShape: readonly number[], loop: StridedLoop): Zip {
  const shape = broadcastShapes(aShape, bShape);
  const layout = zipLayout(aShape, bShape, shape);
  if (layout === 'general') return generalRuns(aShape, bShape, shape, loop);
  return (ad, bd, out) => runs(layout, loop, ad, bd, out);
}

/** `loop` over two operands broadcast together, into a new tensor. */
export function zipStrided(a: Tensor, b: Tensor, loop: StridedLoop, dtype: DType): Tensor {
  const same = sameShape(a.shape, b.shape);
  const shape = same ? a.shape : broadcastShapes(a.shape, b.shape);
  const layout = same ? 'same' : zipLayout(a.shape, b.shape, shape);
  const out = allocate(sizeOf(shape));
  if (layout === 'general') generalRuns(a.shape, b.shape, shape, loop)(a.data, b.data, out);
  else runs(layout, loop, a.data, b.data, out);
  return new Tensor(out, shape, dtype);
}

/**
 * `loop` over a broadcast of any other kind, (S, 1, H) + (N, H) say: one run along the last axis
 * per step of the axes before it, walked once. Neighbouring axes that both operands walk
 * contiguously (or both repeat) are merged first, so the runs are as long as they can be.
 */
function generalRuns(aShape: readonly number[], bShape: readonly number[], shape: readonly number[], loop: StridedLoop): Zip {
  const sa = broadcastStrides(aShape, shape), sb = broadcastStrides(bShape, shape);
  const dims: number[] = [], ta: number[] = [], tb: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && ta[last] === sa[d] * shape[d] && tb[last] === sb[d] * shape[d]) {
      dims[last] *= shape[d];
      ta[last] = sa[d];
      tb[last] = sb[d];
    } else {
      dims.push(shape[d]);
      ta.push(sa[d]);
      tb.push(sb[d]);
    }
  }
  // A single value each: one run of one element.
  if (dims.length === 0) {
    dims.push(1);
    ta.push(0);
    tb.push(0);
  }
  const outer = dims.length - 1;
  const n = dims[outer], runA = ta[outer], runB = tb[outer];
  const outerShape = dims.slice(0, outer), outerA = ta.slice(0, outer), outerB = tb.slice(0, outer);
  return (ad, bd, out) => forEachIndex(outerShape, (run, ia, ib) => loop(ad, ia, runA, bd, ib, runB, out, run * n, n), outerA, outerB);
}

function runs(layout: Exclude<ZipLayout, 'general'>, loop: StridedLoop, ad: Float64Array, bd: Float64Array, out: Float64Array): void {
  const size = out.length;
  // Also keeps the block loops below from stepping by zero.
  if (size === 0) return;
  switch (layout) {
    case 'same': loop(ad, 0, 1, bd, 0, 1, out, 0, size); return;
    case 'scalarB': loop(ad, 0, 1, bd, 0, 0, out, 0, size); return;
    case 'scalarA': loop(ad, 0, 0, bd, 0, 1, out, 0, size); return;
    case 'suffixB': { const n = bd.length; for (let o = 0; o < size; o += n) loop(ad, o, 1, bd, 0, 1, out, o, n); return; }
    case 'suffixA': { const n = ad.length; for (let o = 0; o < size; o += n) loop(ad, 0, 1, bd, o, 1, out, o, n); return; }
    case 'prefixB': { const r = size / bd.length; for (let j = 0, o = 0; o < size; j++, o += r) loop(ad, o, 1, bd, j, 0, out, o, r); return; }
    case 'prefixA': { const r = size / ad.length; for (let j = 0, o = 0; o < size; j++, o += r) loop(ad, j, 0, bd, o, 1, out, o, r); return; }
  }
}

/**
 * How two operands lie over their broadcast `shape`: one shape; one operand a single value; the
 * common cases of one operand repeating over the other, a bias row (N, D) + (D,) ('suffix') and a
 * keepdims column (N, C) - (N, 1) ('prefix'), which index the smaller operand directly; or any other.
 */
type ZipLayout = 'same' | 'scalarA' | 'scalarB' | 'suffixA' | 'prefixA' | 'suffixB' | 'prefixB' | 'general';

function zipLayout(aShape: readonly number[], bShape: readonly number[], shape: readonly number[]): ZipLayout {
  if (sameShape(aShape, bShape)) return 'same';
  const aSize = sizeOf(aShape), bSize = sizeOf(bShape), size = sizeOf(shape);
  if (bSize === 1) return 'scalarB';
  if (aSize === 1) return 'scalarA';
  if (aSize === size) {
    const how = repeatPattern(bShape, shape);
    if (how) return how === 'suffix' ? 'suffixB' : 'prefixB';
  } else if (bSize === size) {
    const how = repeatPattern(aShape, shape);
    if (how) return how === 'suffix' ? 'suffixA' : 'prefixA';
  }
  return 'general';
}

function zip(layout: ZipLayout, aShape: readonly number[], bShape: readonly number[], shape: readonly number[], f: (x: number, y: number) => number, ad: Float64Array, bd: Float64Array, out: Float64Array): void {
  switch (layout) {
    case 'same': for (let i = 0; i < out.length; i++) out[i] = f(ad[i], bd[i]); return;
    case 'scalarB': { const y = bd[0]; for (let i = 0; i < out.length; i++) out[i] = f(ad[i], y); return; }
    case 'scalarA': { const x = ad[0]; for (let i = 0; i < out.length; i++) out[i] = f(x, bd[i]); return; }
    case 'suffixB': { const n = bd.length; for (let i = 0; i < out.length; i++) out[i] = f(ad[i], bd[i % n]); return; }
    case 'prefixB': { const r = out.length / bd.length; for (let i = 0; i < out.length; i++) out[i] = f(ad[i], bd[Math.floor(i / r)]); return; }
    case 'suffixA': { const n = ad.length; for (let i = 0; i < out.length; i++) out[i] = f(ad[i % n], bd[i]); return; }
    case 'prefixA': { const r = out.length / ad.length; for (let i = 0; i < out.length; i++) out[i] = f(ad[Math.floor(i / r)], bd[i]); return; }
    case 'general': forEachIndex(shape, (i, ia, ib) => { out[i] = f(ad[ia], bd[ib]); }, broadcastStrides(aShape, shape), broadcastStrides(bShape, shape));
  }
}

/**
 * How a smaller operand repeats over `shape` in C order: 'suffix' when it is the trailing dims
 * (each element of a block), 'prefix' when it is the leading dims with trailing 1s (each block
 * one element), else null.
 */
function repeatPattern(small: readonly number[], shape: readonly number[]): 'suffix' | 'prefix' | null {
  const pad = shape.length - small.length;
  const dim = (i: number): number => (i < pad ? 1 : small[i - pad]);
  let k = 0;
  while (k < shape.length && dim(k) === 1) k++;
  let suffix = true;
  for (let i = k; suffix && i < shape.length; i++) suffix = dim(i) === shape[i];
  if (suffix) return 'suffix';
  let e = shape.length;
  while (e > 0 && dim(e - 1) === 1) e--;
  for (let i = 0; i < e; i++) if (dim(i) !== shape[i]) return null;
  return 'prefix';
}

/** Materializes `t` broadcast to `shape` (into `into` when given: a buffer of that size). */
export function broadcastTo(t: Tensor, shape: readonly number[], into?: Float64Array): Tensor {
  if (sameShape(t.shape, shape)) return t;
  const check = broadcastShapes(t.shape, shape);
  if (!sameShape(check, shape)) throw shapeError(`cannot broadcast an array of shape ${formatShape(t.shape)} to shape ${formatShape(shape)}`);
  const out = into ?? allocate(sizeOf(shape));
  const td = t.data;
  const how = t.size === 1 ? 'scalar' : repeatPattern(t.shape, shape);
  if (how === 'scalar') out.fill(td[0]);
  else if (how === 'suffix' && td.length > 0) for (let i = 0; i < out.length; i += td.length) out.set(td, i);
  else if (how === 'prefix') {
    const r = out.length / t.size;
    for (let j = 0; j < td.length; j++) out.fill(td[j], j * r, (j + 1) * r);
  } else {
    const st = broadcastStrides(t.shape, shape);
    forEachIndex(shape, (i, it) => { out[i] = td[it]; }, st, st);
  }
  return new Tensor(out, shape, t.dtype);
}

/** Sums `grad` over the axes along which an operand of `shape` was broadcast. */
export function unbroadcast(grad: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(grad.shape, shape)) return grad;
  const out = allocate(sizeOf(shape));
  const gd = grad.data;
  // The sums of the common patterns in the order the general walk takes them, so the result is
  // the same to the last bit: a bias row sums the rows in turn, a keepdims column each block.
  const how = out.length === 1 ? 'scalar' : repeatPattern(shape, grad.shape);
  if (how === 'scalar') {
    let total = 0;
    for (let i = 0; i < gd.length; i++) total += gd[i];
    out[0] = total;
  } else if (how === 'suffix' && out.length > 0) {
    const n = out.length;
    for (let i = 0; i < gd.length; i += n) for (let j = 0; j < n; j++) out[j] += gd[i + j];
  } else if (how === 'prefix') {
    const r = gd.length / out.length;
    for (let j = 0, i = 0; j < out.length; j++) {
      let total = 0;
      for (let k = 0; k < r; k++, i++) total += gd[i];
      out[j] = total;
    }
  } else {
    const so = broadcastStrides(shape, grad.shape);
    forEachIndex(grad.shape, (i, io) => { out[io] += gd[i]; }, so, so);
  }
  return new Tensor(out, shape);
}

/**
 * Walks every multi-index of `shape` in C order, giving the flat index and the offsets
 * into two operands with strides `sa` and `sb`.
 */
export function forEachIndex(
  shape: readonly number[],
  visit: (flat: number, offsetA: number, offsetB: number) => void,
  sa: readonly number[],
  sb: readonly number[],
): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const nd = shape.length;
  const counter = new Array<number>(nd).fill(0);
  let oa = 0, ob = 0;
  for (let flat = 0; flat < n; flat++) {
    visit(flat, oa, ob);
    for (let d = nd - 1; d >= 0; d--) {
      counter[d]++;
      oa += sa[d];
      ob += sb[d];
      if (counter[d] < shape[d]) break;
      oa -= sa[d] * shape[d];
      ob -= sb[d] * shape[d];
      counter[d] = 0;
    }
  }
}

/**
 * How an operand of shape `small` lies over the output `shape`, for the replay's sparse updates:
 * element for element, one value for all, the whole operand repeated (a bias row), or each element
 * over a block (a keepdims column). Null for other broadcasts.
 */
export type Layout = { kind: 'same' } | { kind: 'scalar' } | { kind: 'suffix'; size: number } | { kind: 'prefix'; block: number };

export function layoutOver(small: readonly number[], shape: readonly number[]): Layout | null {
  const n = sizeOf(small), total = sizeOf(shape);
  if (n === total) return { kind: 'same' };
  if (n === 1) return { kind: 'scalar' };
  const how = repeatPattern(small, shape);
  if (how === 'suffix') return { kind: 'suffix', size: n };
  if (how === 'prefix') return { kind: 'prefix', block: total / n };
  return null;
}

/** The operand's element that output position `q` reads. */
export function sourceOf(layout: Layout, q: number): number {
  switch (layout.kind) {
    case 'same': return q;
    case 'scalar': return 0;
    case 'suffix': return q % layout.size;
    case 'prefix': return Math.floor(q / layout.block);
  }
}

/** Adds to `out` the output positions that read the operand's element `p`. */
export function readersOf(layout: Layout, p: number, total: number, out: number[]): void {
  switch (layout.kind) {
    case 'same': out.push(p); return;
    case 'scalar': for (let q = 0; q < total; q++) out.push(q); return;
    case 'suffix': for (let q = p; q < total; q += layout.size) out.push(q); return;
    case 'prefix': for (let q = p * layout.block, end = q + layout.block; q < end; q++) out.push(q); return;
  }
}

