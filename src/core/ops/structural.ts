// Ops that move elements without changing them: reshape, transpose, indexing, index writes,
// concatenation. Their gradients move the upstream gradient back to where each element came from.
import { allocate, copyOf } from '../storage';
import { broadcastTo, unbroadcast } from '../broadcast';
import { formatShape, shapeError, UserCodeError } from '../errors';
import { sizeOf, stridesOf, Tensor, unravel } from '../tensor';
import { Kernel, runKernel, type Op } from './op';

export const reshapeOp: Op<{ shape: number[] }> = {
  name: 'reshape',
  pattern: 'reshape: passes the gradient back in the input\'s shape',
  shape: ([x], { shape }) => {
    if (sizeOf(x) !== sizeOf(shape)) throw shapeError(`cannot reshape array of size ${sizeOf(x)} into shape ${formatShape(shape)}`);
    return shape;
  },
  forward: ([x], { shape }) => x.withShape(shape),
  vjp: (g, _ans, [x]) => [g.withShape(x.shape)],
};

export function transposeData(x: Tensor, axes: readonly number[]): Tensor {
  const outShape = axes.map((a) => x.shape[a]);
  const inStrides = stridesOf(x.shape);
  const permStrides = axes.map((a) => inStrides[a]);
  const out = allocate(x.size);
  if (x.ndim === 2 && axes[0] === 1) {
    const [m, n] = x.shape;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = x.data[i * n + j];
  } else {
    for (let flat = 0; flat < out.length; flat++) {
      const idx = unravel(flat, outShape);
      let src = 0;
      for (let d = 0; d < idx.length; d++) src += idx[d] * permStrides[d];
      out[flat] = x.data[src];
    }
  }
  return new Tensor(out, outShape, x.dtype);
}

export const transposeOp: Op<{ axes: number[] }> = {
  name: 'transpose',
  pattern: 'transpose: passes the gradient back transposed',
  shape: ([x], { axes }) => {
    if (axes.length !== x.length || [...axes].sort().some((a, i) => a !== i)) throw new UserCodeError('value', "axes don't match array");
    return axes.map((a) => x[a]);
  },
  forward: ([x], { axes }) => transposeData(x, axes),
  vjp: (g, _ans, _inputs, { axes }) => {
    const inverse = new Array<number>(axes.length);
    axes.forEach((a, i) => { inverse[a] = i; });
    return [transposeData(g, inverse)];
  },
};

/**
 * Indexing of any kind (ints, slices, integer arrays, masks) lowered to the flat source position of
 * each output element; the gradient adds back into those positions (repeats add up).
 */
export interface GatherAttrs {
  sources: Int32Array;
  shape: number[];
}

const gather = (sources: Int32Array): Kernel => (ins, out) => { const x = ins[0]; for (let i = 0; i < out.length; i++) out[i] = x[sources[i]]; };

export const gatherOp: Op<GatherAttrs> = {
  name: 'index',
  pattern: 'index: routes the gradient back to the elements that were picked (repeats add)',
  shape: (_inputs, { shape }) => shape,
  forward: ([x], { sources, shape }) => runKernel(gather(sources), [x], shape, x.dtype),
  kernel: (_inputs, { sources }) => gather(sources),
  vjp: (g, _ans, [x], { sources }) => {
    const out = allocate(x.size);
    for (let i = 0; i < sources.length; i++) out[sources[i]] += g.data[i];
    return [new Tensor(out, x.shape)];
  },
};

/**
 * `base[index] = value`: a new version of base with the indexed elements replaced. With repeated
 * positions the last write wins, as in NumPy, so only that write receives the gradient.
 */
export interface ScatterAttrs {
  targets: Int32Array;
  /** Shape of the indexed region, which value is broadcast to. */
  regionShape: number[];
}

/** 1 for the write to each target that NumPy keeps (the last), 0 for the overwritten ones. */
export function lastWrites(targets: Int32Array): Uint8Array {
  const seen = new Set<number>();
  const last = new Uint8Array(targets.length);
  for (let i = targets.length - 1; i >= 0; i--) {
    if (!seen.has(targets[i])) {
      last[i] = 1;
      seen.add(targets[i]);
    }
  }
  return last;
}

/** NumPy drops a value's leading length-1 axes beyond the region's rank: `a[0] = row` with row of shape (1, n). */
function fitToRegion(value: readonly number[], regionShape: readonly number[]): readonly number[] {
  let drop = 0;
  while (value.length - drop > regionShape.length && value[drop] === 1) drop++;
  return value.slice(drop);
}

export const scatterOp: Op<ScatterAttrs> = {
  name: 'setitem',
  pattern: 'index write: the written elements send their gradient to the new value, the rest to the old array',
  shape: ([base, value], { regionShape }) => {
    // NumPy 2: one element takes a scalar, not an array (even of one element).
    if (regionShape.length === 0 && value.length > 0) throw new UserCodeError('value', 'setting an array element with a sequence.');
    try {
      broadcastTo(Tensor.zeros(fitToRegion(value, regionShape)), regionShape);
    } catch {
      throw shapeError(`could not broadcast input array from shape ${formatShape(value)} into shape ${formatShape(regionShape)}`);
    }
    return [...base];
  },
  forward: ([base, value], { targets, regionShape }) => {
    const out = copyOf(base.data);
    const v = broadcastTo(value.withShape(fitToRegion(value.shape, regionShape)), regionShape).data;
    for (let i = 0; i < targets.length; i++) out[targets[i]] = base.dtype === 'float64' ? v[i] : Math.trunc(v[i]);
    return new Tensor(out, base.shape, base.dtype);
  },
  vjp: (g, _ans, [base, value], { targets, regionShape }) => {
    const gBase = copyOf(g.data);
    for (let i = 0; i < targets.length; i++) gBase[targets[i]] = 0;
    const last = lastWrites(targets);
    const gRegion = allocate(targets.length);
    for (let i = 0; i < targets.length; i++) gRegion[i] = last[i] ? g.data[targets[i]] : 0;
    const gValue = base.dtype === 'float64' ? unbroadcast(new Tensor(gRegion, regionShape), fitToRegion(value.shape, regionShape)).withShape(value.shape) : null;
    return [new Tensor(gBase, base.shape), gValue];
  },
};

export const concatenateOp: Op<{ axis: number }> = {
  name: 'concatenate',
  pattern: 'concatenate: splits the gradient back into the pieces',
  shape: (shapes, { axis }) => {
    const first = shapes[0];
    for (const s of shapes) {
      if (s.length !== first.length) throw shapeError(`all the input array dimensions must match: ${formatShape(first)} and ${formatShape(s)} have different numbers of dimensions`);
      s.forEach((d, i) => {
        if (i !== axis && d !== first[i]) {
          throw shapeError(`all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${i}, the array at index 0 has size ${first[i]} and another has size ${d}`);
        }
      });
    }
    return first.map((d, i) => (i === axis ? shapes.reduce((n, s) => n + s[axis], 0) : d));
  },
  forward: (xs, { axis }) => {
    const shape = concatenateOp.shape(xs.map((x) => x.shape), { axis });
    const outer = sizeOf(shape.slice(0, axis));
    const out = allocate(sizeOf(shape));
    const rowOut = sizeOf(shape.slice(axis));
    let offset = 0;
    for (const x of xs) {
      const row = sizeOf(x.shape.slice(axis));
      for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * row, (o + 1) * row), o * rowOut + offset);
      offset += row;
    }
    const dtype = xs.some((x) => x.dtype === 'float64') ? 'float64' : xs.some((x) => x.dtype === 'int64') ? 'int64' : 'bool';
    return new Tensor(out, shape, dtype);
  },
  vjp: (g, _ans, xs, { axis }) => {
    const outer = sizeOf(g.shape.slice(0, axis));
    const rowOut = sizeOf(g.shape.slice(axis));
    let offset = 0;
    return xs.map((x) => {
      const row = sizeOf(x.shape.slice(axis));
      const out = allocate(x.size);
      for (let o = 0; o < outer; o++) out.set(g.data.subarray(o * rowOut + offset, o * rowOut + offset + row), o * row);
      offset += row;
      return new Tensor(out, x.shape);
    });
  },
};
