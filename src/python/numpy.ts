// The `numpy` module: each function reads its arguments as NumPy does and records core ops.
import { allocate, allPositions, copyOf } from '../core/storage';
import { zipBroadcast } from '../core/broadcast';
import { UserCodeError } from '../core/errors';
import { binaryOps, castOp, clipOp, copyOp, discreteOps, unaryOps, whereOp, type UnaryName } from '../core/ops/elementwise';
import { outerOp } from '../core/ops/linalg';
import { argmaxOp, argminOp, maxOp, meanOp, minOp, normalizeAxes, sumOp } from '../core/ops/reduce';
import { concatenateOp, reshapeOp, transposeData, transposeOp } from '../core/ops/structural';
import { DType, sizeOf, Tensor } from '../core/tensor';
import { Bound, builtin, variadic } from './args';
import { matmul } from './arith';
import type { Span } from './ast';
import { NDArray } from './ndarray';
import { randomModule } from './numpyRandom';
import type { Runtime } from './runtime';
import { hasKind, lazyAttributes, PyDType, PyFloat, PyModule, PyValue, tuple, typeError, typeName } from './values';

export const dtypes: Record<string, DType> = {
  float64: 'float64', float32: 'float64', float_: 'float64', double: 'float64', float: 'float64',
  int64: 'int64', int32: 'int64', int_: 'int64', int: 'int64', intp: 'int64',
  bool_: 'bool', bool: 'bool',
};

export function dtypeOf(v: PyValue | undefined, span: Span): DType | null {
  if (v === undefined || v === null) return null;
  if (hasKind(v, 'dtype')) return v.dtype;
  if (typeof v === 'string' && dtypes[v]) return dtypes[v];
  if (hasKind(v, 'builtin') && dtypes[v.name]) return dtypes[v.name];
  throw new UserCodeError('unsupported', `the dtype ${typeof v === 'string' ? `'${v}'` : typeName(v)} is not supported (float64, int64 and bool are)`, span);
}

/** A shape argument: an int or a sequence of ints. */
export function shapeOf(rt: Runtime, v: PyValue | undefined, span: Span): number[] {
  if (v === undefined) throw typeError('a shape is required', span);
  const dims = hasKind(v, 'tuple') || hasKind(v, 'list') ? v.items.map((d) => rt.int(d, span, 'a dimension')) : [rt.int(v, span, 'a dimension')];
  if (dims.some((d) => d < 0)) throw new UserCodeError('value', 'negative dimensions are not allowed', span);
  rt.tape.checkSize(sizeOf(dims));
  return dims;
}

export function axisOf(rt: Runtime, v: PyValue | undefined, span: Span): number | number[] | null {
  if (v === undefined || v === null) return null;
  if (hasKind(v, 'tuple') || hasKind(v, 'list')) return v.items.map((a) => rt.int(a, span, 'axis'));
  return rt.int(v, span, 'axis');
}

const bool = (v: PyValue | undefined): boolean => v === true || (typeof v === 'number' && v !== 0);

export class NumpyOps {
  constructor(readonly rt: Runtime) {}

  node(v: PyValue | undefined, span: Span): number {
    if (v === undefined) throw typeError('missing an array argument', span);
    return this.rt.node(v, span);
  }

  shape(v: PyValue, span: Span): readonly number[] {
    return this.rt.tape.value(this.node(v, span)).shape;
  }

  unary(name: UnaryName, x: PyValue | undefined, span: Span): PyValue {
    return this.rt.wrap(this.rt.record(unaryOps[name], [this.node(x, span)], undefined, span));
  }

  binary(name: keyof typeof binaryOps | keyof typeof discreteOps, a: PyValue | undefined, b: PyValue | undefined, span: Span): PyValue {
    const op = name in binaryOps ? binaryOps[name as keyof typeof binaryOps] : discreteOps[name as keyof typeof discreteOps];
    return this.rt.wrap(this.rt.record(op, [this.node(a, span), this.node(b, span)], undefined, span));
  }

  reduce(kind: 'sum' | 'mean' | 'max' | 'min', a: Bound, span: Span): PyValue {
    const op = { sum: sumOp, mean: meanOp, max: maxOp, min: minOp }[kind];
    const attrs = { axis: axisOf(this.rt, a.get('axis'), span), keepdims: bool(a.get('keepdims')) };
    return this.rt.wrap(this.rt.record(op, [this.node(a.get('a'), span)], attrs, span));
  }

  arg(kind: 'argmax' | 'argmin', a: Bound, span: Span): PyValue {
    const axis = axisOf(this.rt, a.get('axis'), span);
    if (Array.isArray(axis)) throw typeError('an integer axis is required', span);
    return this.rt.wrap(this.rt.record(kind === 'argmax' ? argmaxOp : argminOp, [this.node(a.get('a'), span)], { axis }, span));
  }

  /** var = mean(|x - mean(x)|^2), composed of recorded ops so its gradient is theirs. */
  variance(a: Bound, span: Span, sqrt: boolean): PyValue {
    const x = this.node(a.get('a'), span);
    const shape = this.rt.tape.value(x).shape;
    const axis = axisOf(this.rt, a.get('axis'), span);
    const keepdims = bool(a.get('keepdims'));
    const ddof = a.get('ddof') === undefined ? 0 : this.rt.number(a.get('ddof')!, span);
    const count = normalizeAxes(axis, shape.length).reduce((n, ax) => n * shape[ax], 1);
    const mean = this.rt.record(meanOp, [x], { axis, keepdims: true }, span);
    const centered = this.rt.record(binaryOps.subtract, [x, mean], undefined, span);
    const squared = this.rt.record(unaryOps.square, [centered], undefined, span);
    const total = this.rt.record(sumOp, [squared], { axis, keepdims }, span);
    const divisor = this.rt.tape.constant(Tensor.scalar(Math.max(count - ddof, 0)), span);
    const v = this.rt.record(binaryOps.divide, [total, divisor], undefined, span);
    return this.rt.wrap(sqrt ? this.rt.record(unaryOps.sqrt, [v], undefined, span) : v);
  }

  /**
   * `reshape` is a view whenever strides can express it (here: the same shape, or elements evenly
   * spaced in the base); `ravel` (contiguous: true) only when the elements are contiguous.
   */
  reshape(x: PyValue | undefined, shapeArg: PyValue[], span: Span, contiguous = false): PyValue {
    const node = this.node(x, span);
    const size = this.rt.tape.value(node).size;
    const raw = shapeArg.length === 1 && (hasKind(shapeArg[0], 'tuple') || hasKind(shapeArg[0], 'list'))
      ? (shapeArg[0] as { items: PyValue[] }).items : shapeArg;
    const dims = raw.map((d) => this.rt.int(d, span, 'a dimension'));
    const unknown = dims.indexOf(-1);
    if (unknown >= 0) {
      const known = dims.filter((_, i) => i !== unknown).reduce((n, d) => n * d, 1);
      if (known === 0 || size % known !== 0) throw new UserCodeError('shape', `cannot reshape array of size ${size} into shape (${raw.length === 1 ? '-1,' : dims.join(', ')})`, span);
      dims[unknown] = size / known;
    }
    const out = this.rt.record(reshapeOp, [node], { shape: dims }, span);
    if (x instanceof NDArray && x.isView()) {
      const sameShape = dims.length === x.shape.length && dims.every((d, i) => d === x.shape[i]);
      const view = contiguous ? x.isContiguous() : sameShape || x.isEvenlySpaced();
      if (!view) return this.rt.wrap(out, true);
    }
    return this.asView(x!, out, (n) => allPositions(n));
  }

  transpose(x: PyValue | undefined, axesArg: PyValue[], span: Span): PyValue {
    const node = this.node(x, span);
    const t = this.rt.tape.value(node);
    const raw = axesArg.length === 1 && (hasKind(axesArg[0], 'tuple') || hasKind(axesArg[0], 'list')) ? (axesArg[0] as { items: PyValue[] }).items : axesArg;
    const axes = raw.length === 0 || (raw.length === 1 && raw[0] === null) ? [...Array(t.ndim).keys()].reverse() : raw.map((a) => this.rt.int(a, span, 'axis'));
    const normalized = axes.map((a) => (a < 0 ? a + t.ndim : a));
    const out = this.rt.record(transposeOp, [node], { axes: normalized }, span);
    return this.asView(x!, out, (n) => transposeData(new Tensor(copyOf(allPositions(n)), t.shape), normalized).data);
  }

  /** Results of reshape/transpose of an array are views of it, as in NumPy. */
  private asView(x: PyValue, node: number, positionsOf: (n: number) => ArrayLike<number>): PyValue {
    const t = this.rt.tape.value(node);
    if (!(x instanceof NDArray) || t.ndim === 0) return this.rt.wrap(node, true);
    return x.view(node, Int32Array.from(positionsOf(t.size)), t.shape);
  }

  squeeze(x: PyValue | undefined, axisArg: PyValue | undefined, span: Span): PyValue {
    const shape = this.shape(x!, span);
    const axes = axisArg === undefined || axisArg === null ? shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0) : normalizeAxes(axisOf(this.rt, axisArg, span), shape.length);
    for (const a of axes) if (shape[a] !== 1) throw new UserCodeError('value', 'cannot select an axis to squeeze out which has size not equal to one', span);
    return this.reshape(x, [tuple(shape.filter((_, i) => !axes.includes(i)))], span);
  }

  expandDims(x: PyValue | undefined, axisArg: PyValue | undefined, span: Span): PyValue {
    const shape = [...this.shape(x!, span)];
    let axis = this.rt.int(axisArg ?? null, span, 'axis');
    if (axis < 0) axis += shape.length + 1;
    if (axis < 0 || axis > shape.length) throw new UserCodeError('index', `axis ${axis} is out of bounds for array of dimension ${shape.length + 1}`, span);
    shape.splice(axis, 0, 1);
    return this.reshape(x, [tuple(shape)], span);
  }

  concatenate(seq: PyValue | undefined, axisArg: PyValue | undefined, span: Span): PyValue {
    if (!seq || !(hasKind(seq, 'list') || hasKind(seq, 'tuple'))) throw typeError('concatenate expects a list or tuple of arrays', span);
    const nodes = seq.items.map((v) => this.node(v, span));
    if (nodes.length === 0) throw new UserCodeError('value', 'need at least one array to concatenate', span);
    const ndim = this.rt.tape.value(nodes[0]).ndim;
    if (ndim === 0) throw new UserCodeError('value', 'zero-dimensional arrays cannot be concatenated', span);
    let axis = axisArg === undefined ? 0 : this.rt.int(axisArg, span, 'axis');
    if (axis < -ndim || axis >= ndim) throw new UserCodeError('index', `axis ${axis} is out of bounds for array of dimension ${ndim}`, span);
    if (axis < 0) axis += ndim;
    return this.rt.wrap(this.rt.record(concatenateOp, nodes, { axis }, span));
  }

  stack(seq: PyValue | undefined, axisArg: PyValue | undefined, span: Span): PyValue {
    if (!seq || !(hasKind(seq, 'list') || hasKind(seq, 'tuple'))) throw typeError('stack expects a list or tuple of arrays', span);
    const shapes = seq.items.map((v) => this.shape(v, span).join(','));
    if (new Set(shapes).size > 1) throw new UserCodeError('shape', 'all input arrays must have the same shape', span);
    const expanded = seq.items.map((v) => this.expandDims(v, axisArg ?? 0, span));
    return this.concatenate(tuple(expanded), axisArg ?? 0, span);
  }

  creation(shape: number[], fill: number, dtype: DType): PyValue {
    return NDArray.own(this.rt.tape, this.rt.tape.constant(Tensor.full(shape, fill, dtype)));
  }

  array(v: PyValue | undefined, dtypeArg: PyValue | undefined, span: Span, copy: boolean): PyValue {
    const dtype = dtypeOf(dtypeArg, span);
    if (v instanceof NDArray && !copy && (dtype === null || dtype === v.dtype)) return v;
    let node = this.node(v, span);
    if (dtype && dtype !== this.rt.tape.value(node).dtype) node = this.rt.record(castOp, [node], { dtype }, span);
    else if (v instanceof NDArray || (v instanceof PyFloat && v.node >= 0)) node = this.rt.record(copyOp, [node], undefined, span);
    return this.rt.wrap(node, true);
  }

  copy(x: PyValue | undefined, span: Span): PyValue {
    return this.rt.wrap(this.rt.record(copyOp, [this.node(x, span)], undefined, span), x instanceof NDArray);
  }

  astype(x: PyValue | undefined, dtypeArg: PyValue | undefined, span: Span): PyValue {
    const dtype = dtypeOf(dtypeArg, span) ?? 'float64';
    return this.rt.wrap(this.rt.record(castOp, [this.node(x, span)], { dtype }, span), x instanceof NDArray);
  }

  clip(x: PyValue | undefined, lo: PyValue | undefined, hi: PyValue | undefined, span: Span): PyValue {
    const bound = (v: PyValue | undefined, dflt: number): number => (v === undefined || v === null ? dflt : this.rt.number(v, span));
    return this.rt.wrap(this.rt.record(clipOp, [this.node(x, span)], { lo: bound(lo, -Infinity), hi: bound(hi, Infinity) }, span));
  }

  truthReduce(kind: 'any' | 'all', a: Bound, span: Span): PyValue {
    const x = this.node(a.get('a'), span);
    const zero = this.rt.tape.constant(Tensor.scalar(0), span);
    const nonzero = this.rt.record(discreteOps.not_equal, [x, zero], undefined, span);
    const attrs = { axis: axisOf(this.rt, a.get('axis'), span), keepdims: bool(a.get('keepdims')) };
    const reduced = this.rt.record(kind === 'any' ? maxOp : minOp, [nonzero], attrs, span);
    return this.rt.wrap(reduced);
  }
}

/** What numpy's names are made from, per run: its operations on the run's tape, and the module's own names. */
interface NumpyContext {
  np: NumpyOps;
  rt: Runtime;
  alias: string;
  /** The module itself, for names that are another name (`np.absolute` is `np.abs`). */
  module: PyModule;
}

// A run reads a few of numpy's hundred names: the makers are set up once, each name is made on first use in a run.
const makers = new Map<string, (context: NumpyContext) => PyValue>();
const def = (name: string, make: (context: NumpyContext) => PyValue): void => { makers.set(name, make); };

for (const name of Object.keys(unaryOps) as UnaryName[]) {
  if (name === 'sigmoid') continue; // not a NumPy function
  def(name, ({ np }) => builtin(name, ['x'], (a, span) => np.unary(name, a.get('x'), span)));
}
def('absolute', ({ module }) => module.attrs.get('abs')!);
for (const name of ['add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum'] as const) {
  def(name, ({ np }) => builtin(name, ['a', 'b'], (a, span) => np.binary(name, a.get('a'), a.get('b'), span)));
}
for (const name of ['less', 'less_equal', 'greater', 'greater_equal', 'equal', 'not_equal', 'logical_and', 'logical_or', 'logical_xor'] as const) {
  def(name, ({ np }) => builtin(name, ['a', 'b'], (a, span) => np.binary(name, a.get('a'), a.get('b'), span)));
}
def('true_divide', ({ module }) => module.attrs.get('divide')!);
const reduction = ['a', 'axis=', 'keepdims='];
for (const kind of ['sum', 'mean', 'max', 'min'] as const) def(kind, ({ np }) => builtin(kind, reduction, (a, span) => np.reduce(kind, a, span)));
def('amax', ({ module }) => module.attrs.get('max')!);
def('amin', ({ module }) => module.attrs.get('min')!);
def('argmax', ({ np }) => builtin('argmax', ['a', 'axis='], (a, span) => np.arg('argmax', a, span)));
def('argmin', ({ np }) => builtin('argmin', ['a', 'axis='], (a, span) => np.arg('argmin', a, span)));
def('var', ({ np }) => builtin('var', ['a', 'axis=', 'keepdims=', 'ddof='], (a, span) => np.variance(a, span, false)));
def('std', ({ np }) => builtin('std', ['a', 'axis=', 'keepdims=', 'ddof='], (a, span) => np.variance(a, span, true)));
def('any', ({ np }) => builtin('any', reduction, (a, span) => np.truthReduce('any', a, span)));
def('all', ({ np }) => builtin('all', reduction, (a, span) => np.truthReduce('all', a, span)));
def('dot', ({ rt }) => builtin('dot', ['a', 'b'], (a, span) => matmul(rt, a.get('a')!, a.get('b')!, span)));
def('matmul', ({ module }) => module.attrs.get('dot')!);
def('outer', ({ np, rt }) => builtin('outer', ['a', 'b'], (a, span) => rt.wrap(rt.record(outerOp, [np.node(a.get('a'), span), np.node(a.get('b'), span)], undefined, span))));
def('reshape', ({ np }) => builtin('reshape', ['a', 'newshape'], (a, span) => np.reshape(a.get('a'), [a.get('newshape')!], span)));
def('transpose', ({ np }) => builtin('transpose', ['a', 'axes='], (a, span) => np.transpose(a.get('a'), a.get('axes') === undefined ? [] : [a.get('axes')!], span)));
def('ravel', ({ np }) => builtin('ravel', ['a'], (a, span) => np.reshape(a.get('a'), [-1], span, true)));
def('squeeze', ({ np }) => builtin('squeeze', ['a', 'axis='], (a, span) => np.squeeze(a.get('a'), a.get('axis'), span)));
def('expand_dims', ({ np }) => builtin('expand_dims', ['a', 'axis'], (a, span) => np.expandDims(a.get('a'), a.get('axis'), span)));
def('concatenate', ({ np }) => builtin('concatenate', ['arrays', 'axis='], (a, span) => np.concatenate(a.get('arrays'), a.get('axis'), span)));
def('stack', ({ np }) => builtin('stack', ['arrays', 'axis='], (a, span) => np.stack(a.get('arrays'), a.get('axis'), span)));
def('where', ({ np, rt }) => builtin('where', ['condition', 'x=', 'y='], (a, span) => {
  if (a.get('x') === undefined || a.get('y') === undefined) throw new UserCodeError('unsupported', 'np.where with one argument is not supported; use the three-argument form', span);
  return rt.wrap(rt.record(whereOp, [np.node(a.get('condition'), span), np.node(a.get('x'), span), np.node(a.get('y'), span)], undefined, span));
}));
def('clip', ({ np }) => builtin('clip', ['a', 'a_min', 'a_max'], (a, span) => np.clip(a.get('a'), a.get('a_min'), a.get('a_max'), span)));
def('copy', ({ np }) => builtin('copy', ['a'], (a, span) => np.copy(a.get('a'), span)));
def('array', ({ np }) => builtin('array', ['object', 'dtype=', 'copy='], (a, span) => np.array(a.get('object'), a.get('dtype'), span, a.get('copy') !== false)));
def('asarray', ({ np }) => builtin('asarray', ['a', 'dtype='], (a, span) => np.array(a.get('a'), a.get('dtype'), span, false)));
const filled = (name: string, fill: number): void => {
  def(name, ({ np, rt }) => builtin(name, ['shape', 'dtype='], (a, span) => np.creation(shapeOf(rt, a.get('shape'), span), fill, dtypeOf(a.get('dtype'), span) ?? 'float64')));
  def(`${name}_like`, ({ np, rt }) => builtin(`${name}_like`, ['a', 'dtype='], (a, span) => {
    const t = rt.value(a.get('a')!, span);
    return np.creation([...t.shape], fill, dtypeOf(a.get('dtype'), span) ?? t.dtype);
  }));
};
filled('zeros', 0);
filled('ones', 1);
filled('empty', 0);
def('full', ({ np, rt }) => builtin('full', ['shape', 'fill_value', 'dtype='], (a, span) => {
  const fill = a.get('fill_value')!;
  return np.creation(shapeOf(rt, a.get('shape'), span), rt.number(fill, span), dtypeOf(a.get('dtype'), span) ?? (typeof fill === 'number' ? 'int64' : 'float64'));
}));
def('full_like', ({ np, rt }) => builtin('full_like', ['a', 'fill_value', 'dtype='], (a, span) => {
  const t = rt.value(a.get('a')!, span);
  return np.creation([...t.shape], rt.number(a.get('fill_value')!, span), dtypeOf(a.get('dtype'), span) ?? t.dtype);
}));
def('eye', ({ rt }) => builtin('eye', ['N', 'M=', 'dtype='], (a, span) => {
  const n = rt.int(a.get('N')!, span), m = a.get('M') == null ? n : rt.int(a.get('M')!, span);
  if (n < 0 || m < 0) throw new UserCodeError('value', 'negative dimensions are not allowed', span);
  rt.tape.checkSize(n * m);
  const t = Tensor.zeros([n, m], dtypeOf(a.get('dtype'), span) ?? 'float64');
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return NDArray.own(rt.tape, rt.tape.constant(t));
}));
def('arange', ({ rt }) => builtin('arange', ['start', 'stop=', 'step=', 'dtype='], (a, span) => {
  const args = [a.get('start'), a.get('stop'), a.get('step')].filter((v): v is PyValue => v !== undefined && v !== null);
  const nums = args.map((v) => rt.number(v, span));
  const [start, stop, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw new UserCodeError('value', 'Maximum allowed size exceeded', span);
  const length = Math.ceil((stop - start) / step);
  if (Number.isNaN(length)) throw new UserCodeError('value', 'arange: cannot compute length', span);
  if (!Number.isFinite(length)) throw new UserCodeError('value', 'Maximum allowed size exceeded', span);
  const n = Math.max(0, length);
  rt.tape.checkSize(n);
  const isInt = args.every((v) => typeof v === 'number' || typeof v === 'boolean');
  const data = allocate(n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return NDArray.own(rt.tape, rt.tape.constant(new Tensor(data, [n], dtypeOf(a.get('dtype'), span) ?? (isInt ? 'int64' : 'float64'))));
}));
def('linspace', ({ rt }) => builtin('linspace', ['start', 'stop', 'num='], (a, span) => {
  const start = rt.number(a.get('start')!, span), stop = rt.number(a.get('stop')!, span);
  const n = a.get('num') === undefined ? 50 : rt.int(a.get('num')!, span);
  if (n < 0) throw new UserCodeError('value', `Number of samples, ${n}, must be non-negative.`, span);
  rt.tape.checkSize(n);
  const data = allocate(n);
  for (let i = 0; i < n; i++) data[i] = n === 1 ? start : start + ((stop - start) * i) / (n - 1);
  return NDArray.own(rt.tape, rt.tape.constant(new Tensor(data, [n])));
}));
def('allclose', ({ rt }) => builtin('allclose', ['a', 'b', 'rtol=', 'atol='], (a, span) => {
  const x = rt.value(a.get('a')!, span), y = rt.value(a.get('b')!, span);
  const rtol = a.get('rtol') === undefined ? 1e-5 : rt.number(a.get('rtol')!, span);
  const atol = a.get('atol') === undefined ? 1e-8 : rt.number(a.get('atol')!, span);
  const close = zipBroadcast(x, y, (p, q) => (Math.abs(p - q) <= atol + rtol * Math.abs(q) ? 1 : 0), 'bool');
  return close.data.every((v) => v === 1);
}));
def('hstack', ({ np }) => variadic('hstack', ([seq], args) => {
  const first = hasKind(seq, 'list') || hasKind(seq, 'tuple') ? seq.items[0] : undefined;
  return np.concatenate(seq, first !== undefined && np.shape(first, args.span).length === 1 ? 0 : 1, args.span);
}));
def('vstack', ({ np }) => variadic('vstack', ([seq], args) => {
  if (!(hasKind(seq, 'list') || hasKind(seq, 'tuple'))) throw typeError('vstack expects a list or tuple of arrays', args.span);
  const rows = seq.items.map((v) => (np.shape(v, args.span).length === 1 ? np.expandDims(v, 0, args.span) : v));
  return np.concatenate(tuple(rows), 0, args.span);
}));
def('linalg', ({ np, alias }) => ({ kind: 'module', name: `${alias}.linalg`, attrs: new Map<string, PyValue>([
  ['norm', builtin('norm', ['x', 'ord=', 'axis=', 'keepdims='], (a, span) => {
    if (a.get('ord') !== undefined && a.get('ord') !== null) throw new UserCodeError('unsupported', `${alias}.linalg.norm with ord is not supported`, span);
    const squared = np.unary('square', a.get('x'), span);
    const total = np.reduce('sum', Bound.named({ a: squared, axis: a.get('axis'), keepdims: a.get('keepdims') }), span);
    return np.unary('sqrt', total, span);
  })],
]) }));
def('random', ({ rt, alias }) => randomModule(rt, `${alias}.random`));
for (const [name, dtype] of Object.entries(dtypes)) if (name !== 'float' && name !== 'int' && name !== 'bool') def(name, () => ({ kind: 'dtype', dtype }) satisfies PyDType);
def('pi', () => new PyFloat(Math.PI));
def('e', () => new PyFloat(Math.E));
def('inf', () => new PyFloat(Infinity));
def('nan', () => new PyFloat(Number.NaN));
def('newaxis', () => null);
def('ndarray', () => ({ kind: 'dtype', dtype: 'float64' }));

export function numpyModule(rt: Runtime, alias = 'np'): PyModule {
  const module: PyModule = { kind: 'module', name: alias, attrs: new Map() };
  module.attrs = lazyAttributes(makers, { np: new NumpyOps(rt), rt, alias, module });
  return module;
}
