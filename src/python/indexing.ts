// NumPy indexing rules, lowered to the flat position of each selected element: basic indexing
// (ints, slices, None, ...) and advanced indexing (integer arrays, boolean masks), and whether
// the result is a view (basic only) or a copy (any advanced index).
import { allocate, allocateIndices, copyOf } from '../core/storage';
import { broadcastShapes, broadcastTo } from '../core/broadcast';
import { UserCodeError } from '../core/errors';
import { sizeOf, stridesOf, Tensor, unravel } from '../core/tensor';

export type IndexPart =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'newaxis' }
  | { kind: 'ellipsis' }
  | { kind: 'array'; value: Tensor };

export interface Selection {
  positions: Int32Array;
  shape: number[];
  isView: boolean;
}

type OutDim =
  | { kind: 'range'; inDim: number; start: number; step: number; size: number }
  | { kind: 'newaxis' }
  | { kind: 'advanced'; axis: number; size: number };

/** Python's slice.indices: clamps start/stop into the axis and gives the count. */
export function sliceBounds(start: number | null, stop: number | null, step: number | null, size: number): { start: number; step: number; count: number } {
  const st = step ?? 1;
  if (st === 0) throw new UserCodeError('value', 'slice step cannot be zero');
  const clamp = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    if (v < 0) v += size;
    return Math.min(Math.max(v, lo), hi);
  };
  const s = st > 0 ? clamp(start, 0, 0, size) : clamp(start, size - 1, -1, size - 1);
  const e = st > 0 ? clamp(stop, size, 0, size) : clamp(stop, -1, -1, size - 1);
  const count = st > 0 ? Math.max(0, Math.ceil((e - s) / st)) : Math.max(0, Math.ceil((s - e) / -st));
  return { start: s, step: st, count };
}

function normalizeIndex(i: number, size: number, axis: number): number {
  if (!Number.isInteger(i)) throw new UserCodeError('index', 'only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices');
  if (i < -size || i >= size) throw new UserCodeError('index', `index ${i} is out of bounds for axis ${axis} with size ${size}`);
  return i < 0 ? i + size : i;
}

/** Selects elements of an array of `shape` with NumPy's indexing rules. */
export function select(shape: readonly number[], parts: readonly IndexPart[]): Selection {
  // Boolean masks become one integer array per masked dimension (mask.nonzero()).
  const expanded: IndexPart[] = [];
  let axis = 0;
  let afterEllipsis = false;
  for (const p of parts) {
    if (p.kind === 'array' && p.value.dtype === 'bool') {
      if (!afterEllipsis) checkMask(p.value, shape, axis);
      axis += p.value.ndim;
      expanded.push(...maskToIntegerArrays(p.value));
    } else {
      if (p.kind === 'ellipsis') afterEllipsis = true;
      else if (p.kind !== 'newaxis') axis++;
      expanded.push(p);
    }
  }
  const consumed = expanded.filter((p) => p.kind !== 'newaxis' && p.kind !== 'ellipsis').length;
  if (expanded.filter((p) => p.kind === 'ellipsis').length > 1) throw new UserCodeError('index', "an index can only have a single ellipsis ('...')");
  if (consumed > shape.length) {
    throw new UserCodeError('index', `too many indices for array: array is ${shape.length}-dimensional, but ${consumed} were indexed`);
  }
  const full: IndexPart[] = [];
  for (const p of expanded) {
    if (p.kind === 'ellipsis') for (let k = 0; k < shape.length - consumed; k++) full.push({ kind: 'slice', start: null, stop: null, step: null });
    else full.push(p);
  }
  while (full.filter((p) => p.kind !== 'newaxis').length < shape.length) full.push({ kind: 'slice', start: null, stop: null, step: null });

  const hasAdvanced = full.some((p) => p.kind === 'array');
  const strides = stridesOf(shape);
  // With an array index present, integer scalars are advanced indices too (NumPy's rule).
  const advanced: { inDim: number; index: Tensor; position: number }[] = [];
  const dims: OutDim[] = [];
  let fixedOffset = 0;
  let inDim = 0;
  full.forEach((p, position) => {
    if (p.kind === 'newaxis') {
      dims.push({ kind: 'newaxis' });
      return;
    }
    const size = shape[inDim];
    if (p.kind === 'int' && !hasAdvanced) {
      fixedOffset += normalizeIndex(p.value, size, inDim) * strides[inDim];
    } else if (p.kind === 'int' || p.kind === 'array') {
      const index = p.kind === 'int' ? Tensor.scalar(p.value, 'int64') : p.value;
      if (index.dtype === 'float64') throw new UserCodeError('index', 'arrays used as indices must be of integer (or boolean) type');
      const normalized = allocate(index.size);
      for (let k = 0; k < index.size; k++) normalized[k] = normalizeIndex(index.data[k], size, inDim);
      advanced.push({ inDim, index: new Tensor(normalized, index.shape, 'int64'), position });
    } else if (p.kind === 'slice') {
      const b = sliceBounds(p.start, p.stop, p.step, size);
      dims.push({ kind: 'range', inDim, start: b.start, step: b.step, size: b.count });
    }
    inDim++;
  });

  let outDims = dims;
  let advancedFlat: Float64Array[] = [];
  let advancedShape: number[] = [];
  if (advanced.length > 0) {
    advancedShape = advanced.map((a) => a.index.shape).reduce<number[]>((s, t) => {
      try {
        return broadcastShapes(s, t);
      } catch {
        throw new UserCodeError('index', `shape mismatch: indexing arrays could not be broadcast together with shapes ${advanced.map((a) => `(${a.index.shape.join(',')}${a.index.shape.length === 1 ? ',' : ''})`).join(' ')}`);
      }
    }, []);
    advancedFlat = advanced.map((a) => broadcastTo(a.index, advancedShape).data);
    const advDims: OutDim[] = advancedShape.map((size, axis) => ({ kind: 'advanced', axis, size }));
    const positions = advanced.map((a) => a.position);
    const adjacent = positions.every((pos, k) => k === 0 || pos === positions[k - 1] + 1);
    // Adjacent advanced indices put their dims where they stand; otherwise they go first.
    const insertAt = adjacent ? full.slice(0, positions[0]).filter((p) => p.kind === 'slice' || p.kind === 'newaxis').length : 0;
    outDims = [...dims.slice(0, insertAt), ...advDims, ...dims.slice(insertAt)];
  }

  const outShape = outDims.map((d) => (d.kind === 'newaxis' ? 1 : d.size));
  const n = sizeOf(outShape);
  const positions = allocateIndices(n);
  for (let flat = 0; flat < n; flat++) {
    const idx = unravel(flat, outShape);
    let offset = fixedOffset;
    let advIndex = -1;
    for (let d = 0; d < outDims.length; d++) {
      const dim = outDims[d];
      if (dim.kind === 'range') offset += (dim.start + idx[d] * dim.step) * strides[dim.inDim];
      else if (dim.kind === 'advanced') advIndex = (advIndex < 0 ? 0 : advIndex) * dim.size + idx[d];
    }
    if (advanced.length > 0) {
      const a = advancedShape.length === 0 ? 0 : advIndex;
      for (let k = 0; k < advanced.length; k++) offset += advancedFlat[k][a] * strides[advanced[k].inDim];
    }
    positions[flat] = offset;
  }
  return { positions, shape: outShape, isView: advanced.length === 0 };
}

function maskToIntegerArrays(mask: Tensor): IndexPart[] {
  const hits: number[][] = mask.shape.map(() => []);
  for (let i = 0; i < mask.size; i++) {
    if (!mask.data[i]) continue;
    unravel(i, mask.shape).forEach((v, d) => hits[d].push(v));
  }
  if (mask.ndim === 0) throw new UserCodeError('unsupported', 'indexing with a 0-d boolean is not supported');
  return hits.map((h) => ({ kind: 'array', value: new Tensor(copyOf(h), [h.length], 'int64') }));
}

/** Checks a boolean mask against the axes it indexes (NumPy's IndexError). */
function checkMask(mask: Tensor, shape: readonly number[], firstAxis: number): void {
  mask.shape.forEach((d, k) => {
    const axis = firstAxis + k;
    if (shape[axis] !== d) {
      throw new UserCodeError('index', `boolean index did not match indexed array along axis ${axis}; size of axis is ${shape[axis]} but size of corresponding boolean axis is ${d}`);
    }
  });
}
