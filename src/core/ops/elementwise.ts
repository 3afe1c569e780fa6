// Elementwise ops are data: a name, the function, and its derivative next to it.
import { allocate, copyOf } from '../storage';
import { broadcastShapes, broadcastTo, Layout, layoutOver, readersOf, sourceOf, StridedLoop, stridedKernel, unbroadcast, zipBroadcast, zipKernel, zipStrided } from '../broadcast';
import { UserCodeError } from '../errors';
import { DType, promote, Tensor } from '../tensor';
import { Kernel, runKernel, tooManyToFollow, type Op } from './op';

function map(t: Tensor, f: (x: number) => number, dtype: DType = 'float64'): Tensor {
  const out = allocate(t.size);
  const d = t.data;
  for (let i = 0; i < out.length; i++) out[i] = f(d[i]);
  return new Tensor(out, t.shape, dtype);
}

function map2(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  return zipBroadcast(a, b, f, 'float64');
}

// Loops: an op's function written out as one loop over whole arrays (a binary op's over one run of
// a broadcast, StridedLoop). A loop that calls `f` per element is shared by every op, so V8 cannot
// inline any of them and pays a call per element; a loop of its own runs the arithmetic inline,
// several times faster on large arrays. Each loop sits next to the `f` it must agree with
// (test/unit/core/loops.test.ts checks they do, bit for bit).
type Loop1 = (x: Float64Array, out: Float64Array) => void;

function mapLoop(t: Tensor, loop: Loop1, dtype: DType): Tensor {
  const out = allocate(t.size);
  loop(t.data, out);
  return new Tensor(out, t.shape, dtype);
}

const multiplyLoop: StridedLoop = (a, ia, sa, b, ib, sb, out, o, n) => { for (let k = o; k < o + n; k++, ia += sa, ib += sb) out[k] = a[ia] * b[ib]; };
const divideLoop: StridedLoop = (a, ia, sa, b, ib, sb, out, o, n) => { for (let k = o; k < o + n; k++, ia += sa, ib += sb) out[k] = a[ia] / b[ib]; };
const signOfDifferenceLoop: StridedLoop = (a, ia, sa, b, ib, sb, out, o, n) => { for (let k = o; k < o + n; k++, ia += sa, ib += sb) out[k] = Math.sign(a[ia] - b[ib]); };
const negativeLoop: Loop1 = (x, out) => { for (let i = 0; i < out.length; i++) out[i] = -x[i]; };
const negativeProductLoop: StridedLoop = (a, ia, sa, b, ib, sb, out, o, n) => { for (let k = o; k < o + n; k++, ia += sa, ib += sb) out[k] = -a[ia] * b[ib]; };

interface UnarySpec {
  f: (x: number) => number;
  /** d f / d x, given x and y = f(x). */
  df: (x: number, y: number) => number;
  pattern: string;
  /** For ops with a kink: which side of it each element is on. */
  branch?: (x: number) => number;
  /** NumPy keeps integer input integral (negative, abs, square, sign); the rest give float64. */
  keepsIntegers?: boolean;
  /** `f` as a loop of its own, for the ops programs use most. */
  loop?: Loop1;
  /** g · df as a loop of its own: (g, x, y, out). */
  gradLoop?: (g: Float64Array, x: Float64Array, y: Float64Array, out: Float64Array) => void;
}

function unaryOp(name: string, spec: UnarySpec): Op {
  const loop: Loop1 = spec.loop ?? ((x, out) => { for (let i = 0; i < out.length; i++) out[i] = spec.f(x[i]); });
  const kernel: Kernel = (ins, out) => loop(ins[0], out);
  return {
    name,
    pattern: spec.pattern,
    shape: ([x]) => [...x],
    forward: ([x]) => runKernel(kernel, [x], x.shape, spec.keepsIntegers && x.dtype !== 'float64' ? 'int64' : 'float64'),
    kernel: () => kernel,
    vjp: (g, ans, [x]) => {
      const out = allocate(g.size);
      if (spec.gradLoop) spec.gradLoop(g.data, x.data, ans.data, out);
      else for (let i = 0; i < out.length; i++) out[i] = g.data[i] * spec.df(x.data[i], ans.data[i]);
      return [new Tensor(out, x.shape)];
    },
    branches: spec.branch ? ([x]) => map(x, spec.branch!).data : undefined,
    propagate: ([x], [moved], out) => {
      if (!moved) return [];
      for (const p of moved) out[p] = spec.f(x.data[p]);
      return moved;
    },
  };
}

const local = (words: string): string => `multiplies the upstream gradient by the local gradient ${words}`;

export const unaryOps = {
  negative: unaryOp('negative', {
    f: (x) => -x, df: () => -1, pattern: 'negative: flips the sign of the gradient', keepsIntegers: true,
    loop: negativeLoop,
    gradLoop: (g, _x, _y, out) => { for (let i = 0; i < out.length; i++) out[i] = g[i] * -1; },
  }),
  exp: unaryOp('exp', {
    f: Math.exp, df: (_x, y) => y, pattern: `exp: ${local('e^x')}`,
    loop: (x, out) => { for (let i = 0; i < out.length; i++) out[i] = Math.exp(x[i]); },
    gradLoop: (g, _x, y, out) => { for (let i = 0; i < out.length; i++) out[i] = g[i] * y[i]; },
  }),
  log: unaryOp('log', {
    f: Math.log, df: (x) => 1 / x, pattern: `log: ${local('1/x')}`,
    loop: (x, out) => { for (let i = 0; i < out.length; i++) out[i] = Math.log(x[i]); },
    gradLoop: (g, x, _y, out) => { for (let i = 0; i < out.length; i++) out[i] = g[i] * (1 / x[i]); },
  }),
  sqrt: unaryOp('sqrt', {
    f: Math.sqrt, df: (_x, y) => 0.5 / y, pattern: `sqrt: ${local('1/(2 sqrt(x))')}`,
    loop: (x, out) => { for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(x[i]); },
    gradLoop: (g, _x, y, out) => { for (let i = 0; i < out.length; i++) out[i] = g[i] * (0.5 / y[i]); },
  }),
  tanh: unaryOp('tanh', {
    f: Math.tanh, df: (_x, y) => 1 - y * y, pattern: `tanh: ${local('1 - tanh(x)^2')}`,
    loop: (x, out) => { for (let i = 0; i < out.length; i++) out[i] = Math.tanh(x[i]); },
    gradLoop: (g, _x, y, out) => { for (let i = 0; i < out.length; i++) out[i] = g[i] * (1 - y[i] * y[i]); },
  }),
  sin: unaryOp('sin', { f: Math.sin, df: (x) => Math.cos(x), pattern: `sin: ${local('cos(x)')}` }),
  cos: unaryOp('cos', { f: Math.cos, df: (x) => -Math.sin(x), pattern: `cos: ${local('-sin(x)')}` }),
  square: unaryOp('square', {
    f: (x) => x * x, df: (x) => 2 * x, pattern: `square: ${local('2x')}`, keepsIntegers: true,
    loop: (x, out) => { for (let i = 0; i < out.length; i++) out[i] = x[i] * x[i]; },
    gradLoop: (g, x, _y, out) => { for (let i = 0; i < out.length; i++) out[i] = g[i] * (2 * x[i]); },
  }),
  reciprocal: unaryOp('reciprocal', { f: (x) => 1 / x, df: (x) => -1 / (x * x), pattern: `reciprocal: ${local('-1/x^2')}` }),
  abs: unaryOp('abs', { f: Math.abs, df: (x) => Math.sign(x), pattern: 'abs: routes the gradient with the sign of x', branch: Math.sign, keepsIntegers: true }),
  sign: unaryOp('sign', { f: Math.sign, df: () => 0, pattern: 'sign: passes no gradient', branch: Math.sign, keepsIntegers: true }),
  floor: unaryOp('floor', { f: Math.floor, df: () => 0, pattern: 'floor: passes no gradient', branch: Math.floor }),
  log1p: unaryOp('log1p', { f: Math.log1p, df: (x) => 1 / (1 + x), pattern: `log1p: ${local('1/(1+x)')}` }),
  expm1: unaryOp('expm1', { f: Math.expm1, df: (_x, y) => y + 1, pattern: `expm1: ${local('e^x')}` }),
  sigmoid: unaryOp('sigmoid', { f: (x) => 1 / (1 + Math.exp(-x)), df: (_x, y) => (1 - y) * y, pattern: `sigmoid: ${local('(1 - s) s')}` }),
} satisfies Record<string, Op>;

export type UnaryName = keyof typeof unaryOps;

interface BinarySpec {
  f: (a: number, b: number) => number;
  /** Gradients for a and b before the broadcast is undone; null for one that is not `needed` may save the work. */
  vjp: (g: Tensor, ans: Tensor, a: Tensor, b: Tensor, needed: Needed) => [Tensor | null, Tensor | null];
  pattern: string;
  branch?: (a: number, b: number) => number;
  /** `branch` as a loop of its own: the kink check runs it over every stack of nudges. */
  branchLoop?: StridedLoop;
  /** Result dtype; arithmetic keeps integers integral, as NumPy does. */
  result?: (a: DType, b: DType) => DType;
  /** `f` as a loop of its own over runs of a broadcast, for the ops programs use most. */
  loop?: StridedLoop;
}

const arithmeticResult = (a: DType, b: DType): DType => {
  const t = promote(a, b);
  return t === 'bool' ? 'int64' : t;
};
const floatResult = (): DType => 'float64';
// NumPy has no subtraction of masks; it points to xor instead.
const subtractResult = (a: DType, b: DType): DType => {
  if (a === 'bool' && b === 'bool') {
    throw new UserCodeError('type', 'numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.');
  }
  return arithmeticResult(a, b);
};
// NumPy's add, multiply, maximum and minimum of two bool arrays are logical or/and: the result is still a mask.
const maskResult = (a: DType, b: DType): DType => (a === 'bool' && b === 'bool' ? 'bool' : arithmeticResult(a, b));

/** Which of a binary op's operands need a gradient. */
interface Needed { readonly a: boolean; readonly b: boolean }
const both: Needed = { a: true, b: true }, onlyA: Needed = { a: true, b: false }, onlyB: Needed = { a: false, b: true }, neither: Needed = { a: false, b: false };

function binaryOp(name: string, spec: BinarySpec): Op {
  const resultOf = (a: Tensor, b: Tensor): DType => (spec.result ?? arithmeticResult)(a.dtype, b.dtype);
  const kernel = (a: Tensor, b: Tensor): Kernel => {
    const mask = resultOf(a, b) === 'bool';
    const loop = mask ? undefined : spec.loop;
    // The op's own loop over runs of the broadcast.
    if (loop) {
      const strided = stridedKernel(a.shape, b.shape, loop);
      return (ins, out) => strided(ins[0], ins[1], out);
    }
    const f = mask ? (x: number, y: number): number => (spec.f(x, y) ? 1 : 0) : spec.f;
    const zip = zipKernel(a.shape, b.shape, f);
    return (ins, out) => zip(ins[0], ins[1], out);
  };
  return {
    name,
    pattern: spec.pattern,
    shape: ([a, b]) => broadcastShapes(a, b),
    forward: ([a, b]) => {
      const dtype = resultOf(a, b);
      // The op's own loop straight into a new tensor, without setting up a kernel to run once.
      if (spec.loop && dtype !== 'bool') return zipStrided(a, b, spec.loop, dtype);
      return runKernel(kernel(a, b), [a, b], broadcastShapes(a.shape, b.shape), dtype);
    },
    kernel: ([a, b]) => kernel(a, b),
    vjp: (g, ans, [a, b], _attrs, needed) => {
      const [ga, gb] = spec.vjp(g, ans, a, b, needed === undefined ? both : needed[0] ? (needed[1] ? both : onlyA) : needed[1] ? onlyB : neither);
      return [ga && unbroadcast(ga, a.shape), gb && unbroadcast(gb, b.shape)];
    },
    branches: spec.branchLoop ? ([a, b]) => zipStrided(a, b, spec.branchLoop!, 'float64').data
      : spec.branch ? ([a, b]) => zipBroadcast(a, b, spec.branch!, 'float64').data : undefined,
    propagate: ([a, b], moved, out) => {
      const bool = (spec.result ?? arithmeticResult)(a.dtype, b.dtype) === 'bool';
      return propagateZip(a, b, moved, out, bool ? (x, y) => (spec.f(x, y) ? 1 : 0) : spec.f);
    },
  };
}

/**
 * An elementwise op of two operands after a few of their elements moved: the output positions the
 * moved elements reach (through broadcasting), recomputed with `f`; null for a moved operand that
 * every output reads (a scalar: recomputing all is as cheap) or a broadcast of another kind.
 */
function propagateZip(a: Tensor, b: Tensor, moved: readonly (readonly number[] | null)[], out: Float64Array, f: (x: number, y: number) => number): readonly number[] | null {
  const shape = broadcastShapes(a.shape, b.shape);
  const la = layoutOver(a.shape, shape), lb = layoutOver(b.shape, shape);
  if (!la || !lb) return null;
  const [movedA, movedB] = moved;
  if ((movedA && la.kind === 'scalar') || (movedB && lb.kind === 'scalar')) return null;
  const fanOut = (layout: Layout, moved: readonly number[] | null): number => (!moved ? 0 : layout.kind === 'prefix' ? moved.length * layout.block : layout.kind === 'suffix' ? moved.length * (out.length / layout.size) : moved.length);
  if (tooManyToFollow(fanOut(la, movedA) + fanOut(lb, movedB), out.length)) return null;
  let positions: number[] = [];
  if (movedA) for (const p of movedA) readersOf(la, p, out.length, positions);
  // Both operands may be one node (x * x): the same positions, once.
  if (movedB && !(movedB === movedA && la.kind === lb.kind)) {
    for (const p of movedB) readersOf(lb, p, out.length, positions);
    if (movedA) positions = [...new Set(positions)];
  }
  for (const q of positions) out[q] = f(a.data[sourceOf(la, q)], b.data[sourceOf(lb, q)]);
  return positions;
}

/** Gradient share of `a` in max(a, b): all of it when a wins, half on a tie (as HIPS autograd). */
const winnerShareLoop: StridedLoop = (a, ia, sa, b, ib, sb, out, o, n) => {
  for (let k = o; k < o + n; k++, ia += sa, ib += sb) { const x = a[ia], y = b[ib]; out[k] = x > y ? 1 : x === y ? 0.5 : 0; }
};
/** g times the share of `winner` in max(winner, other): one new array, in g's (the broadcast) shape. */
function routed(g: Tensor, winner: Tensor, other: Tensor): Tensor {
  const share = zipStrided(winner, other, winnerShareLoop, 'float64');
  const s = share.data, gd = g.data;
  for (let i = 0; i < s.length; i++) s[i] *= gd[i];
  return share;
}

export const binaryOps = {
  add: binaryOp('add', {
    f: (a, b) => a + b, result: maskResult, vjp: (g) => [g, g], pattern: 'add: distributes the gradient to both inputs unchanged',
    loop: (a, ia, sa, b, ib, sb, out, o, n) => { for (let k = o; k < o + n; k++, ia += sa, ib += sb) out[k] = a[ia] + b[ib]; },
  }),
  subtract: binaryOp('subtract', {
    f: (a, b) => a - b, result: subtractResult, vjp: (g, _ans, _a, _b, needed) => [g, needed.b ? mapLoop(g, negativeLoop, 'float64') : null], pattern: 'subtract: distributes the gradient, negated for the right side',
    loop: (a, ia, sa, b, ib, sb, out, o, n) => { for (let k = o; k < o + n; k++, ia += sa, ib += sb) out[k] = a[ia] - b[ib]; },
  }),
  multiply: binaryOp('multiply', {
    f: (a, b) => a * b,
    result: maskResult,
    vjp: (g, _ans, a, b, needed) => {
      const ga = needed.a ? zipStrided(g, b, multiplyLoop, 'float64') : null;
      // x * x (an L2 penalty): both gradients are g·x, computed once; reverse mode adds them.
      return [ga, !needed.b ? null : a === b && ga ? ga : zipStrided(g, a, multiplyLoop, 'float64')];
    },
    pattern: "mul: swaps the inputs' values into the gradients",
    loop: multiplyLoop,
  }),
  divide: binaryOp('divide', {
    f: (a, b) => a / b,
    result: floatResult,
    vjp: (g, ans, _a, b, needed) => [
      needed.a ? zipStrided(g, b, divideLoop, 'float64') : null,
      needed.b ? zipStrided(zipStrided(g, ans, negativeProductLoop, 'float64'), b, divideLoop, 'float64') : null,
    ],
    pattern: `divide: ${local('1/b for a and -a/b^2 for b')}`,
    loop: divideLoop,
  }),
  power: binaryOp('power', {
    f: Math.pow,
    result: (a, b) => (arithmeticResult(a, b) === 'int64' ? 'int64' : 'float64'),
    vjp: (g, ans, a, b, needed) => [
      needed.a ? zipStrided(g, zipBroadcast(a, b, (x, y) => (y === 0 ? 0 : y * Math.pow(x, y - 1)), 'float64'), multiplyLoop, 'float64') : null,
      needed.b ? zipStrided(g, zipBroadcast(a, ans, (x, y) => (x > 0 ? Math.log(x) * y : 0), 'float64'), multiplyLoop, 'float64') : null,
    ],
    pattern: `power: ${local('b a^(b-1) for a and log(a) a^b for b')}`,
  }),
  maximum: binaryOp('maximum', {
    f: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
    loop: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (let k = o; k < o + n; k++, ia += sa, ib += sb) { const x = a[ia], y = b[ib]; out[k] = x >= y || Number.isNaN(x) ? x : y; }
    },
    result: maskResult,
    vjp: (g, _ans, a, b, needed) => [needed.a ? routed(g, a, b) : null, needed.b ? routed(g, b, a) : null],
    pattern: 'max: routes the gradient to the larger input',
    branch: (a, b) => Math.sign(a - b),
    branchLoop: signOfDifferenceLoop,
  }),
  minimum: binaryOp('minimum', {
    f: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
    loop: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (let k = o; k < o + n; k++, ia += sa, ib += sb) { const x = a[ia], y = b[ib]; out[k] = x <= y || Number.isNaN(x) ? x : y; }
    },
    result: maskResult,
    vjp: (g, _ans, a, b, needed) => [needed.a ? routed(g, b, a) : null, needed.b ? routed(g, a, b) : null],
    pattern: 'min: routes the gradient to the smaller input',
    branch: (a, b) => Math.sign(a - b),
    branchLoop: signOfDifferenceLoop,
  }),
} satisfies Record<string, Op>;

export type BinaryName = keyof typeof binaryOps;

/** Comparisons and logic give bool or integer arrays: no gradient, but a branch for the kink check. */
function discreteOp(name: string, f: (a: number, b: number) => number, result: (a: DType, b: DType) => DType): Op {
  const kernel = (a: Tensor, b: Tensor): Kernel => {
    const zip = zipKernel(a.shape, b.shape, f);
    return (ins, out) => zip(ins[0], ins[1], out);
  };
  return {
    name,
    pattern: `${name}: passes no gradient (its output is not differentiable)`,
    shape: ([a, b]) => broadcastShapes(a, b),
    forward: ([a, b]) => runKernel(kernel(a, b), [a, b], broadcastShapes(a.shape, b.shape), result(a.dtype, b.dtype)),
    kernel: ([a, b]) => kernel(a, b),
    vjp: () => [null, null],
    propagate: ([a, b], moved, out) => propagateZip(a, b, moved, out, f),
    branches: ([a, b]) => zipBroadcast(a, b, f, 'float64').data,
  };
}

const boolResult = (): DType => 'bool';
const floorDiv = (a: number, b: number): number => Math.floor(a / b);
// Python's modulo takes the sign of the divisor.
const pyMod = (a: number, b: number): number => a - Math.floor(a / b) * b;

export const discreteOps = {
  less: discreteOp('less', (a, b) => (a < b ? 1 : 0), boolResult),
  less_equal: discreteOp('less_equal', (a, b) => (a <= b ? 1 : 0), boolResult),
  greater: discreteOp('greater', (a, b) => (a > b ? 1 : 0), boolResult),
  greater_equal: discreteOp('greater_equal', (a, b) => (a >= b ? 1 : 0), boolResult),
  equal: discreteOp('equal', (a, b) => (a === b ? 1 : 0), boolResult),
  not_equal: discreteOp('not_equal', (a, b) => (a !== b ? 1 : 0), boolResult),
  logical_and: discreteOp('logical_and', (a, b) => (a && b ? 1 : 0), boolResult),
  logical_or: discreteOp('logical_or', (a, b) => (a || b ? 1 : 0), boolResult),
  logical_xor: discreteOp('logical_xor', (a, b) => (!a !== !b ? 1 : 0), boolResult),
  floor_divide: discreteOp('floor_divide', floorDiv, promote),
} satisfies Record<string, Op>;

export type DiscreteName = keyof typeof discreteOps;

/** Python's `%`: the gradient is 1 for a and -floor(a/b) for b. */
export const modOp: Op = binaryOp('mod', {
  f: pyMod,
  vjp: (g, _ans, a, b) => [g, map2(g, zipBroadcast(a, b, floorDiv, 'float64'), (x, q) => -x * q)],
  pattern: 'mod: passes the gradient to a unchanged',
  branch: floorDiv,
});

export const logicalNot: Op = {
  name: 'logical_not',
  pattern: 'logical_not: passes no gradient',
  shape: ([x]) => [...x],
  forward: ([x]) => map(x, (v) => (v ? 0 : 1), 'bool'),
  vjp: () => [null],
};

/** `where(cond, a, b)`: routes the gradient to a where cond holds, else to b. */
export const whereOp: Op = {
  name: 'where',
  pattern: 'where: routes the gradient to the branch that was chosen',
  shape: ([c, a, b]) => broadcastShapes(c, broadcastShapes(a, b)),
  forward: ([c, a, b]) => selectWhere(c, a, b),
  vjp: (g, _ans, [c, a, b]) => [
    null,
    unbroadcast(zipBroadcast(g, c, (x, cv) => (cv ? x : 0), 'float64'), a.shape),
    unbroadcast(zipBroadcast(g, c, (x, cv) => (cv ? 0 : x), 'float64'), b.shape),
  ],
  branches: ([c]) => copyOf(c.data),
};

function selectWhere(c: Tensor, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(c.shape, broadcastShapes(a.shape, b.shape));
  const [cd, ad, bd] = [c, a, b].map((t) => broadcastTo(t, shape).data);
  const out = allocate(cd.length);
  for (let i = 0; i < out.length; i++) out[i] = cd[i] ? ad[i] : bd[i];
  return new Tensor(out, shape, promote(a.dtype, b.dtype));
}

/** `clip(x, lo, hi)`: passes the gradient where x is strictly inside the interval. */
export const clipOp: Op<{ lo: number; hi: number }> = {
  name: 'clip',
  pattern: 'clip: passes the gradient where the value was not clipped',
  shape: ([x]) => [...x],
  forward: ([x], { lo, hi }) => map(x, (v) => Math.min(Math.max(v, lo), hi), x.dtype === 'float64' || !Number.isInteger(lo) || !Number.isInteger(hi) ? 'float64' : x.dtype),
  vjp: (g, _ans, [x], { lo, hi }) => [zipBroadcast(g, x, (gv, v) => (v > lo && v < hi ? gv : 0), 'float64')],
  branches: ([x], _ans, { lo, hi }) => map(x, (v) => (v < lo ? -1 : v > hi ? 1 : 0)).data,
};

/** A copy: the gradient passes through unchanged (a variable used twice adds its gradients). */
export const copyOp: Op = {
  name: 'copy',
  pattern: 'copy: passes the gradient through; where a value is used twice, the gradients add',
  shape: ([x]) => [...x],
  forward: ([x]) => new Tensor(copyOf(x.data), x.shape, x.dtype),
  vjp: (g) => [g],
};

/** A change of dtype: float to float passes the gradient; to int or bool cuts it. */
export const castOp: Op<{ dtype: DType }> = {
  name: 'astype',
  pattern: 'astype: passes the gradient only between float types',
  shape: ([x]) => [...x],
  forward: ([x], { dtype }) => x.astype(dtype),
  vjp: (g, ans, [x]) => [ans.dtype === 'float64' && x.dtype === 'float64' ? g : null],
  branches: ([x], _ans, { dtype }) => (dtype === 'float64' ? new Float64Array(0) : dtype === x.dtype ? copyOf(x.data) : x.astype(dtype).data),
};
