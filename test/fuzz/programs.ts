// Random programs in GradLens's Python subset, with their INPUTS.json, for property-based fuzzing.
//
// The arbitrary draws a *plan* (input shapes, a list of steps made of small integers, a value seed)
// and a deterministic renderer turns it into a well-typed program: it tracks every variable's shape
// and a bound on its magnitude, so each step only combines operands that fit, and values stay in a
// range where central differences are accurate. Shrinking works on the plan (fewer steps, smaller
// choices), and every shrunk plan still renders to a valid program.
//
// The property: analyze() returns a Report without throwing, its errors (if any) have a line and are
// not 'internal', and no float input's gradient check is 'fail' (autograd disagreeing with central
// differences on a smooth program is an engine bug).
import fc from 'fast-check';
import { analyze, type AnalyzeOptions } from '../../src/analysis/analyze';
import type { NestedNumbers, Report } from '../../src/analysis/report';
import { HANG_MILLIS, reportProblems, type Problem } from './verdict';
import { Choices } from './choices';

export interface GeneratedProgram {
  source: string;
  functionName: string;
  /** INPUTS.json: a number is a Python float, a nested list a float64 array. */
  inputs: Record<string, NestedNumbers>;
}

export interface StepPlan {
  /** Which step template; taken modulo the number of templates. */
  template: number;
  /** The template's decisions (operands, axes, constants), each taken modulo its number of options. */
  choices: number[];
}

export interface ProgramPlan {
  inputShapes: number[][];
  steps: StepPlan[];
  valueSeed: number;
}

/** Magnitude above which a step's result is scaled down, so that |f| and its gradients stay moderate. */
const BOUND_LIMIT = 6;
const INPUT_NAMES = ['x', 'w', 'b', 'y'];
/** Constants the programs use; inputs have three decimals with a non-zero last digit, so never tie with these. */
const CONSTANTS = [0.5, 1.5, -0.25, 2.0, 0.75, -1.25, 0.3, 0.1];
const SAFE_EXP_BOUND = 3;

// ---------------------------------------------------------------------------------------------
// Shapes

type Shape = readonly number[];

export function broadcastShapes(a: Shape, b: Shape): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(Math.max(da, db));
  }
  return out;
}

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const sizeOf = (shape: Shape): number => shape.reduce((n, d) => n * d, 1);
/** `b` can be written into (or added in place to) a region of shape `a`. */
const broadcastsInto = (b: Shape, a: Shape): boolean => {
  const s = broadcastShapes(a, b);
  return s !== null && sameShape(s, a);
};

function sliceLength(size: number, start: number | null, stop: number | null, step: number): number {
  let count = 0;
  const s = start ?? (step > 0 ? 0 : size - 1);
  const e = stop ?? (step > 0 ? size : -1);
  for (let i = s; step > 0 ? i < e : i > e; i += step) count++;
  return count;
}

function formatFloat(v: number): string {
  const text = String(v);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** `v` rounded down to one significant digit: a short literal that keeps a bound a bound. */
function roundDown(v: number): number {
  const unit = 10 ** Math.floor(Math.log10(v));
  return Number((Math.floor(v / unit) * unit).toPrecision(1));
}

function formatTuple(values: readonly (number | string)[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// The renderer

interface Variable {
  name: string;
  shape: number[];
  /** Upper bound on |element|. */
  bound: number;
  /** A Python float or NumPy scalar: no indexing, no methods. */
  scalar: boolean;
}

/** A step's decisions, plus the constants programs are built from. */
class StepChoices extends Choices {
  constant(): number {
    return this.of(CONSTANTS);
  }
}

type HelperName = 'sigmoid' | 'affine' | 'scale_inplace' | 'pair' | 'softplus' | 'norm_sq' | 'rows_mean';

const HELPER_SOURCE: Record<HelperName, string> = {
  sigmoid: 'def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n',
  affine: 'def affine(u, s, t=0.5):\n    return u * s + t\n',
  scale_inplace: 'def scale_inplace(u, k):\n    u *= k\n    return u\n',
  pair: 'def pair(u, v):\n    return u + v, u * v\n',
  softplus: 'def softplus(z):\n    return np.log(1.0 + np.exp(z))\n',
  norm_sq: 'def norm_sq(u):\n    return np.sum(u * u)\n',
  rows_mean: 'def rows_mean(u, keep=False):\n    total = u.sum(axis=0, keepdims=keep)\n    return total / u.shape[0]\n',
};

class ProgramBuilder {
  readonly body: string[] = [];
  readonly vars: Variable[] = [];
  readonly helpers = new Set<HelperName>();
  /** A fault was emitted: the program stops there, later steps would never run. */
  faulted = false;
  private counter = 0;

  fresh(prefix = 'v'): string {
    return `${prefix}${this.counter++}`;
  }

  emit(line: string, indent = 0): void {
    this.body.push(`${'    '.repeat(indent + 1)}${line}`);
  }

  define(name: string, shape: readonly number[], bound: number, scalar = shape.length === 0): Variable {
    const v: Variable = { name, shape: [...shape], bound, scalar };
    this.vars.push(v);
    return v;
  }

  /**
   * A variable satisfying `accept`, counted from the most recent (choice 0 is the newest). Half of
   * the choices take the newest, so that steps chain into one computation more often than not.
   */
  operand(c: StepChoices, accept: (v: Variable) => boolean = () => true): Variable | null {
    const candidates = this.vars.filter(accept).reverse();
    if (candidates.length === 0) return null;
    const k = c.pick(candidates.length * 2);
    return candidates[k < candidates.length ? k : 0];
  }

  /** Updates what we know of a variable after an in-place write (every alias of it sees the write). */
  rebound(v: Variable, bound: number): void {
    for (const w of this.vars) if (w.name === v.name) w.bound = Math.max(w.bound, bound);
  }

  get last(): Variable {
    return this.vars[this.vars.length - 1];
  }
}

/** `expr` with a bound; scaled down by a power of ten when the bound is past BOUND_LIMIT. */
function tamed(expr: string, bound: number): { expr: string; bound: number } {
  if (bound <= BOUND_LIMIT) return { expr, bound };
  let factor = 1;
  while (bound * factor > BOUND_LIMIT && factor > 1e-8) factor /= 10;
  return { expr: `(${expr}) * ${formatFloat(Number(factor.toPrecision(1)))}`, bound: bound * factor };
}

/** An argument for exp/tanh/sigmoid whose magnitude is at most SAFE_EXP_BOUND. */
function squashed(v: Variable): string {
  if (v.bound <= SAFE_EXP_BOUND) return v.name;
  return `${v.name} * ${formatFloat(roundDown(SAFE_EXP_BOUND / v.bound))}`;
}

/** A scalar-valued expression built from some variable, for writes and in-place updates. */
function scalarExpr(b: ProgramBuilder, c: StepChoices): { expr: string; bound: number } {
  const v = b.operand(c);
  switch (c.pick(4)) {
    case 0: return { expr: formatFloat(c.constant()), bound: 2 };
    case 1: return v === null ? { expr: '0.5', bound: 0.5 } : tamed(`np.sum(${v.name})`, v.bound * sizeOf(v.shape));
    case 2: return v === null ? { expr: '0.5', bound: 0.5 } : { expr: `np.mean(${v.name}) * 0.5`, bound: v.bound * 0.5 };
    default: return v === null || !v.scalar ? { expr: '-0.75', bound: 0.75 } : { expr: v.name, bound: v.bound };
  }
}

/** A value for a region of `shape`: a variable of a shape that broadcasts into it, else a scalar. */
function regionValue(b: ProgramBuilder, c: StepChoices, shape: Shape, exclude: string): { expr: string; bound: number } {
  if (c.flag()) {
    const v = b.operand(c, (w) => w.name !== exclude && w.shape.length > 0 && broadcastsInto(w.shape, shape));
    if (v) return { expr: v.name, bound: v.bound };
  }
  return scalarExpr(b, c);
}

interface IndexExpr {
  /** What goes between the brackets. */
  text: string;
  /** The shape it selects. */
  shape: number[];
}

/** A basic index (ints and slices) into an array of `shape`, and the shape it selects. */
function basicIndex(c: StepChoices, shape: Shape): IndexExpr {
  const parts: string[] = [];
  const out: number[] = [];
  const axes = 1 + c.pick(shape.length);
  for (let axis = 0; axis < shape.length; axis++) {
    const size = shape[axis];
    if (axis >= axes) {
      out.push(size);
      continue;
    }
    switch (c.pick(6)) {
      case 0: {
        const i = c.pick(size);
        parts.push(String(c.flag() ? i - size : i));
        break;
      }
      case 1: {
        const start = c.pick(size);
        const stop = start + 1 + c.pick(size - start);
        parts.push(`${start}:${stop}`);
        out.push(stop - start);
        break;
      }
      case 2:
        parts.push('::-1');
        out.push(size);
        break;
      case 3:
        parts.push('::2');
        out.push(sliceLength(size, null, null, 2));
        break;
      case 4:
        parts.push(size > 1 ? '1:' : ':');
        out.push(size > 1 ? size - 1 : size);
        break;
      default:
        parts.push(':');
        out.push(size);
    }
  }
  return { text: parts.join(', '), shape: out };
}

/** An advanced index: integer arrays (repeats allowed), a constant mask, or a mix with slices. */
function advancedIndex(c: StepChoices, shape: Shape): IndexExpr {
  const size = shape[0];
  const ints = (count: number, dim: number): number[] => Array.from({ length: count }, () => c.pick(dim));
  switch (c.pick(shape.length >= 2 ? 6 : 3)) {
    case 0: {
      const idx = ints(1 + c.pick(4), size);
      return { text: `np.array([${idx.join(', ')}])`, shape: [idx.length, ...shape.slice(1)] };
    }
    case 1: {
      const idx = ints(1 + c.pick(3), size);
      return { text: `[${idx.join(', ')}]`, shape: [idx.length, ...shape.slice(1)] };
    }
    case 2: {
      const mask = Array.from({ length: size }, () => c.flag());
      if (!mask.some(Boolean)) mask[c.pick(size)] = true;
      return { text: `np.array([${mask.map((m) => (m ? 'True' : 'False')).join(', ')}])`, shape: [mask.filter(Boolean).length, ...shape.slice(1)] };
    }
    case 3: {
      // The cs231n pattern: one element per row.
      const cols = ints(size, shape[1]);
      return { text: `np.arange(${size}), np.array([${cols.join(', ')}])`, shape: [size, ...shape.slice(2)] };
    }
    case 4: {
      const cols = ints(1 + c.pick(3), shape[1]);
      return { text: `:, [${cols.join(', ')}]`, shape: [size, cols.length, ...shape.slice(2)] };
    }
    default: {
      if (shape.length >= 3) {
        // Advanced indices separated by a slice: NumPy puts the broadcast index dims first.
        const n = 1 + c.pick(3);
        const first = ints(n, size);
        const last = ints(n, shape[2]);
        return { text: `np.array([${first.join(', ')}]), :, np.array([${last.join(', ')}])`, shape: [n, shape[1], ...shape.slice(3)] };
      }
      const rows = ints(1 + c.pick(3), size);
      const tail = shape[1] > 1 ? '1:' : ':';
      return { text: `[${rows.join(', ')}], ${tail}`, shape: [rows.length, shape[1] > 1 ? shape[1] - 1 : 1, ...shape.slice(2)] };
    }
  }
}

type Template = (b: ProgramBuilder, c: StepChoices) => void;

const isArray = (v: Variable): boolean => !v.scalar && v.shape.length > 0;

const binaryArith: Template = (b, c) => {
  const a = b.operand(c)!;
  const op = c.of(['+', '-', '*', '/']);
  // Not `a - a`: an identically zero gradient leaves only rounding noise to check.
  const other = c.pick(3) === 0 ? null : b.operand(c, (v) => broadcastShapes(v.shape, a.shape) !== null && (op !== '-' || v.name !== a.name));
  const name = b.fresh();
  const k = c.constant();
  let expr: string;
  let bound: number;
  let shape: number[] = a.shape;
  if (other === null) {
    const reversed = c.flag();
    if (op === '/') {
      expr = reversed ? `${formatFloat(k)} / (${a.name} * ${a.name} + 1.0)` : `${a.name} / ${formatFloat(k)}`;
      bound = reversed ? Math.abs(k) : a.bound / Math.abs(k);
    } else {
      expr = reversed ? `${formatFloat(k)} ${op} ${a.name}` : `${a.name} ${op} ${formatFloat(k)}`;
      bound = op === '*' ? a.bound * Math.abs(k) : a.bound + Math.abs(k);
    }
  } else {
    shape = broadcastShapes(a.shape, other.shape)!;
    if (op === '/') {
      expr = `${a.name} / (${other.name} * ${other.name} + 1.0)`;
      bound = a.bound;
    } else {
      expr = `${a.name} ${op} ${other.name}`;
      bound = op === '*' ? a.bound * other.bound : a.bound + other.bound;
    }
  }
  const t = tamed(expr, bound);
  b.emit(`${name} = ${t.expr}`);
  b.define(name, shape, t.bound, a.scalar && (other === null || other.scalar));
};

const maximumMinimum: Template = (b, c) => {
  const a = b.operand(c)!;
  const fn = c.of(['np.maximum', 'np.minimum']);
  const other = c.flag() ? b.operand(c, (v) => v.name !== a.name && broadcastShapes(v.shape, a.shape) !== null) : null;
  const name = b.fresh();
  if (other) {
    const [first, second] = c.flag() ? [a, other] : [other, a];
    b.emit(`${name} = ${fn}(${first.name}, ${second.name})`);
    b.define(name, broadcastShapes(a.shape, other.shape)!, Math.max(a.bound, other.bound));
  } else {
    const k = c.constant();
    b.emit(`${name} = ${fn}(${a.name}, ${formatFloat(k)})`);
    b.define(name, a.shape, Math.max(a.bound, Math.abs(k)));
  }
};

const unaryOp: Template = (b, c) => {
  const a = b.operand(c)!;
  const name = b.fresh();
  const forms: { expr: string; bound: number }[] = [
    { expr: `np.tanh(${squashed(a)})`, bound: 1 },
    { expr: `np.exp(${squashed(a)})`, bound: Math.exp(Math.min(a.bound, SAFE_EXP_BOUND)) },
    { expr: `np.log(${a.name} * ${a.name} + 1.0)`, bound: Math.log(a.bound * a.bound + 1) },
    { expr: `np.sqrt(${a.name} * ${a.name} + 0.5)`, bound: Math.sqrt(a.bound * a.bound + 0.5) },
    { expr: `np.log(np.exp(${squashed(a)}))`, bound: Math.min(a.bound, SAFE_EXP_BOUND) },
    { expr: `np.sqrt(np.exp(${squashed(a)}))`, bound: Math.exp(Math.min(a.bound, SAFE_EXP_BOUND) / 2) },
    { expr: `np.abs(${a.name})`, bound: a.bound },
    { expr: `np.square(${a.name})`, bound: a.bound * a.bound },
    { expr: `${a.name} ** 2`, bound: a.bound * a.bound },
    { expr: `-${a.name}`, bound: a.bound },
    { expr: `1.0 / (1.0 + np.exp(-${squashed(a)}))`, bound: 1 },
  ];
  const chosen = c.of(forms);
  const out = tamed(chosen.expr, chosen.bound);
  b.emit(`${name} = ${out.expr}`);
  b.define(name, a.shape, out.bound, a.scalar);
};

const reduction: Template = (b, c) => {
  const a = b.operand(c, isArray);
  if (!a) return binaryArith(b, c);
  const kind = c.of(['sum', 'mean', 'max', 'min']);
  const rank = a.shape.length;
  let axes: number[] | null = null;
  let axisText: string | null = null;
  switch (c.pick(rank >= 2 ? 4 : 3)) {
    case 0:
      break;
    case 1: {
      const axis = c.pick(rank);
      axes = [axis];
      axisText = String(axis);
      break;
    }
    case 2: {
      const axis = c.pick(rank);
      axes = [axis];
      axisText = String(axis - rank);
      break;
    }
    default: {
      const first = c.pick(rank);
      const second = (first + 1 + c.pick(rank - 1)) % rank;
      axes = [first, second];
      axisText = `(${first}, ${second})`;
    }
  }
  const keepdims = c.pick(3) === 0;
  const reduced = axes ?? a.shape.map((_, i) => i);
  const shape = keepdims ? a.shape.map((d, i) => (reduced.includes(i) ? 1 : d)) : a.shape.filter((_, i) => !reduced.includes(i));
  const count = reduced.reduce((n, i) => n * a.shape[i], 1);
  const args = [axisText === null ? null : `axis=${axisText}`, keepdims ? 'keepdims=True' : null].filter((s) => s !== null);
  const expr = c.flag() ? `np.${kind}(${[a.name, ...args].join(', ')})` : `${a.name}.${kind}(${args.join(', ')})`;
  const name = b.fresh();
  const t = tamed(expr, kind === 'sum' ? a.bound * count : a.bound);
  b.emit(`${name} = ${t.expr}`);
  b.define(name, shape, t.bound);
};

const indexRead: Template = (b, c) => {
  const a = b.operand(c, isArray);
  if (!a) return unaryOp(b, c);
  const name = b.fresh();
  switch (c.pick(5)) {
    case 0:
    case 1: {
      const index = basicIndex(c, a.shape);
      b.emit(`${name} = ${a.name}[${index.text}]`);
      b.define(name, index.shape, a.bound);
      return;
    }
    case 2: {
      const index = advancedIndex(c, a.shape);
      b.emit(`${name} = ${a.name}[${index.text}]`);
      b.define(name, index.shape, a.bound);
      return;
    }
    case 3: {
      const where = c.pick(a.shape.length + 1);
      const parts = [...Array(where).fill(':'), 'None'];
      const text = c.flag() && where === a.shape.length ? '..., None' : parts.join(', ');
      const shape = [...a.shape.slice(0, where), 1, ...a.shape.slice(where)];
      b.emit(`${name} = ${a.name}[${text}]`);
      b.define(name, shape, a.bound);
      return;
    }
    default: {
      // A value mask has a data-dependent length: reduce it right away.
      const k = c.constant();
      const mask = c.flag() ? `${a.name} > ${formatFloat(k)}` : `${a.name} < ${formatFloat(k)}`;
      const t = tamed(`np.sum(${a.name}[${mask}])`, a.bound * sizeOf(a.shape));
      b.emit(`${name} = ${t.expr}`);
      b.define(name, [], t.bound);
    }
  }
};

const inPlace: Template = (b, c) => {
  const a = b.operand(c, isArray);
  if (!a) return binaryArith(b, c);
  const name = b.fresh('c');
  b.emit(`${name} = ${c.of([`${a.name}.copy()`, `np.copy(${a.name})`, `${a.name} * 1.0`, `np.array(${a.name})`])}`);
  const target = b.define(name, a.shape, a.bound, false);
  const op = c.of(['+=', '-=', '*=', '=']);
  const combine = (current: number, value: number): number => (op === '*=' ? current * value : op === '=' ? Math.max(current, value) : current + value);
  switch (c.pick(7)) {
    case 0: {
      const index = basicIndex(c, a.shape);
      const value = regionValue(b, c, index.shape, name);
      b.emit(`${name}[${index.text}] ${op} ${value.expr}`);
      b.rebound(target, combine(a.bound, value.bound));
      break;
    }
    case 1: {
      const other = b.operand(c, (v) => v.name !== name && broadcastsInto(v.shape, a.shape));
      const value = other ? { expr: other.name, bound: other.bound } : scalarExpr(b, c);
      const wholeOp = op === '=' ? '+=' : op;
      b.emit(`${name} ${wholeOp} ${value.expr}`);
      b.rebound(target, wholeOp === '*=' ? a.bound * value.bound : a.bound + value.bound);
      break;
    }
    case 2: {
      // A view: writing it writes the copy.
      const view = b.fresh('view');
      const index = c.flag() || a.shape.length < 2 ? basicIndex(c, a.shape) : { text: '', shape: [...a.shape].reverse() };
      b.emit(index.text === '' ? `${view} = ${name}.T` : `${view} = ${name}[${index.text}]`);
      if (index.shape.length === 0) {
        // An int index on every axis gives a scalar, not a view: write the element instead.
        const value = scalarExpr(b, c);
        b.emit(`${name}[${index.text}] ${op} ${value.expr}`);
        b.rebound(target, combine(a.bound, value.bound));
        break;
      }
      const whole = c.flag();
      const value = regionValue(b, c, whole ? index.shape : index.shape.slice(1), name);
      if (whole) b.emit(`${view} ${op === '=' ? '*=' : op} ${value.expr}`);
      else b.emit(`${view}[${c.pick(index.shape[0])}] ${op} ${value.expr}`);
      b.rebound(target, op === '*=' || op === '=' ? a.bound * Math.max(1, value.bound) + value.bound : a.bound + value.bound);
      break;
    }
    case 3: {
      const index = advancedIndex(c, a.shape);
      const value = regionValue(b, c, index.shape, name);
      b.emit(`${name}[${index.text}] ${op} ${value.expr}`);
      b.rebound(target, combine(a.bound, value.bound));
      break;
    }
    case 4: {
      const k = c.constant();
      const maskSource = b.operand(c, (v) => sameShape(v.shape, a.shape) && v.name !== name) ?? target;
      const value = scalarExpr(b, c);
      b.emit(`${name}[${maskSource.name} ${c.flag() ? '>' : '<'} ${formatFloat(k)}] ${op} ${value.expr}`);
      b.rebound(target, combine(a.bound, value.bound));
      break;
    }
    case 5: {
      // A view of a view.
      if (a.shape.length < 2) {
        b.emit(`${name}[::2] ${op} 0.5`);
        b.rebound(target, combine(a.bound, 0.5));
        break;
      }
      const outer = b.fresh('view');
      const inner = b.fresh('view');
      b.emit(`${outer} = ${name}[${a.shape[0] > 1 ? '1:' : ':'}]`);
      b.emit(`${inner} = ${outer}[${c.flag() ? '0' : '-1'}]`);
      const value = scalarExpr(b, c);
      b.emit(`${inner} ${op === '=' ? '+=' : op} ${value.expr}`);
      b.rebound(target, op === '*=' ? a.bound * value.bound : a.bound + value.bound);
      break;
    }
    default: {
      // reshape and ravel of a contiguous array are views in NumPy; of a transpose or a strided
      // slice they are copies, and writing them leaves the array alone.
      const flat = b.fresh('flat');
      const last = a.shape[a.shape.length - 1];
      const strided = sizeOf(a.shape) / last * Math.ceil(last / 2);
      const [source, size] = c.of<[string, number]>([
        [`${name}.reshape(-1)`, sizeOf(a.shape)],
        [`${name}.ravel()`, sizeOf(a.shape)],
        [`${name}.T.reshape(-1)`, sizeOf(a.shape)],
        [`${name}.T.ravel()`, sizeOf(a.shape)],
        [`${name}[..., ::2].reshape(-1)`, strided],
        [`${name}[::-1].ravel()`, sizeOf(a.shape)],
      ]);
      b.emit(`${flat} = ${source}`);
      const value = scalarExpr(b, c);
      b.emit(`${flat}[${c.pick(size)}] ${op} ${value.expr}`);
      b.rebound(target, combine(a.bound, value.bound));
    }
  }
  const t = tamed(name, target.bound);
  if (t.expr !== name) {
    const scaled = b.fresh();
    b.emit(`${scaled} = ${t.expr}`);
    b.define(scaled, a.shape, t.bound, false);
  }
};

const loop: Template = (b, c) => {
  const a = b.operand(c)!;
  const name = b.fresh('acc');
  const n = 1 + c.pick(4);
  switch (c.pick(5)) {
    case 0: {
      const driver = b.operand(c, (v) => broadcastsInto(v.shape, a.shape)) ?? a;
      b.emit(`${name} = ${a.name} * 0.5`);
      b.emit(`for i in range(${n}):`);
      b.emit(`${name} = ${name} * 0.8 + np.tanh(${squashed(driver)}) * 0.25`, 1);
      b.define(name, a.shape, a.bound * 0.5 + n * 0.25);
      return;
    }
    case 1: {
      if (!isArray(a)) return loopWhile(b, c, a, name, n);
      const rowShape = a.shape.slice(1);
      const k = c.constant();
      b.emit(`${name} = np.zeros_like(${a.name}[0])`);
      b.emit(`for i in range(${c.flag() ? `${a.name}.shape[0]` : `len(${a.name})`}):`);
      if (c.flag()) {
        b.emit(`if i % 2 == 0:`, 1);
        b.emit(`${name} = ${name} + ${a.name}[i] * ${formatFloat(k)}`, 2);
        b.emit(`else:`, 1);
        b.emit(`${name} = ${name} - ${a.name}[i]`, 2);
      } else {
        b.emit(`${name} += ${a.name}[i] * ${formatFloat(k)}`, 1);
      }
      const t = tamed(name, a.bound * Math.max(1, Math.abs(k)) * a.shape[0]);
      const out = b.fresh();
      b.emit(`${out} = ${t.expr}`);
      b.define(out, rowShape, t.bound, false);
      return;
    }
    case 2: {
      if (!isArray(a) || a.shape[0] < 2) return loopWhile(b, c, a, name, n);
      // Rows written one at a time, each from the previous (already updated) one.
      b.emit(`${name} = ${a.name}.copy()`);
      b.emit(`for i in range(1, ${name}.shape[0]):`);
      b.emit(`${name}[i] ${c.flag() ? '+=' : '='} ${name}[i - 1] * 0.5`, 1);
      b.define(name, a.shape, a.bound * 2);
      return;
    }
    case 3: {
      if (!isArray(a)) return loopWhile(b, c, a, name, n);
      const stop = c.pick(a.shape[0]);
      b.emit(`${name} = ${a.name}[0] * 0.0`);
      b.emit(`for i in range(${a.name}.shape[0]):`);
      b.emit(`if i == ${stop}:`, 1);
      b.emit(c.flag() ? 'break' : 'continue', 2);
      b.emit(`${name} = ${name} + ${a.name}[i]`, 1);
      b.define(name, a.shape.slice(1), a.bound * a.shape[0], a.shape.length === 1);
      return;
    }
    default:
      loopWhile(b, c, a, name, n);
  }
};

function loopWhile(b: ProgramBuilder, c: StepChoices, a: Variable, name: string, n: number): void {
  const counter = b.fresh('i');
  b.emit(`${counter} = 0`);
  b.emit(`${name} = ${a.name} + 0.0`);
  b.emit(`while ${counter} < ${n}:`);
  b.emit(`${name} = ${name} * ${formatFloat(c.of([0.5, 0.9, -0.75]))} + ${squashed(a)} * 0.1`, 1);
  b.emit(`${counter} += 1`, 1);
  b.define(name, a.shape, a.bound * (1 + 0.1 * SAFE_EXP_BOUND * n), a.scalar);
}

const branch: Template = (b, c) => {
  const a = b.operand(c)!;
  const name = b.fresh();
  const k = c.constant();
  const test = c.of([
    `np.sum(${a.name}) > ${formatFloat(k)}`,
    `np.max(${a.name}) < ${formatFloat(k)}`,
    a.scalar ? `${a.name} > ${formatFloat(k)}` : `${a.name}.shape[0] > 2`,
    `np.mean(${a.name}) >= 0.0`,
  ]);
  b.emit(`if ${test}:`);
  b.emit(`${name} = ${a.name} * ${formatFloat(k)}`, 1);
  if (c.flag()) {
    b.emit(`elif np.min(${a.name}) < -0.5:`);
    b.emit(`${name} = ${a.name} - 1.0`, 1);
  }
  b.emit('else:');
  b.emit(`${name} = np.tanh(${squashed(a)})`, 1);
  b.define(name, a.shape, Math.max(a.bound * Math.abs(k), a.bound + 1, 1), a.scalar);
};

const helperCall: Template = (b, c) => {
  const a = b.operand(c)!;
  const name = b.fresh();
  switch (c.pick(7)) {
    case 0:
      b.helpers.add('sigmoid');
      b.emit(`${name} = sigmoid(${squashed(a)})`);
      b.define(name, a.shape, 1, a.scalar);
      return;
    case 1: {
      b.helpers.add('affine');
      const other = b.operand(c, (v) => broadcastShapes(v.shape, a.shape) !== null);
      const s = other ?? a;
      const call = c.flag() ? `affine(${a.name}, ${s.name})` : `affine(${a.name}, ${s.name}, t=${formatFloat(c.constant())})`;
      const t = tamed(call, a.bound * s.bound + 2);
      b.emit(`${name} = ${t.expr}`);
      b.define(name, broadcastShapes(a.shape, s.shape)!, t.bound, a.scalar && s.scalar);
      return;
    }
    case 2: {
      if (!isArray(a)) break;
      // The helper's `u *= k` writes the caller's array: `copied` and the result are the same array.
      b.helpers.add('scale_inplace');
      const copied = b.fresh('c');
      b.emit(`${copied} = ${a.name}.copy()`);
      b.emit(`${name} = scale_inplace(${copied}, ${formatFloat(c.constant())})`);
      b.define(copied, a.shape, a.bound * 2, false);
      const sum = b.fresh();
      b.emit(`${sum} = ${copied} + ${name}`);
      b.define(sum, a.shape, a.bound * 4, false);
      return;
    }
    case 3: {
      b.helpers.add('pair');
      const other = b.operand(c, (v) => broadcastShapes(v.shape, a.shape) !== null) ?? a;
      const [p, q] = [b.fresh('p'), b.fresh('q')];
      b.emit(`${p}, ${q} = pair(${a.name}, ${other.name})`);
      const t = tamed(`${p} - ${q}`, a.bound + other.bound + a.bound * other.bound);
      b.emit(`${name} = ${t.expr}`);
      b.define(name, broadcastShapes(a.shape, other.shape)!, t.bound, a.scalar && other.scalar);
      return;
    }
    case 4:
      b.helpers.add('softplus');
      b.emit(`${name} = softplus(${squashed(a)})`);
      b.define(name, a.shape, SAFE_EXP_BOUND + 1, a.scalar);
      return;
    case 5: {
      b.helpers.add('norm_sq');
      const t = tamed(`norm_sq(${a.name})`, a.bound * a.bound * sizeOf(a.shape));
      b.emit(`${name} = ${t.expr}`);
      b.define(name, [], t.bound);
      return;
    }
    default: {
      if (!isArray(a) || a.shape.length < 2) break;
      b.helpers.add('rows_mean');
      const keep = c.flag();
      b.emit(`${name} = rows_mean(${a.name}${keep ? ', keep=True' : ''})`);
      b.define(name, keep ? [1, ...a.shape.slice(1)] : a.shape.slice(1), a.bound);
      return;
    }
  }
  b.helpers.add('sigmoid');
  b.emit(`${name} = sigmoid(-${squashed(a)})`);
  b.define(name, a.shape, 1, a.scalar);
};

/** Factorizations of a size into up to three dims, for reshape targets. */
function reshapeTargets(size: number): number[][] {
  const out: number[][] = [[size], [1, size], [size, 1]];
  for (let d = 2; d < size; d++) {
    if (size % d !== 0) continue;
    out.push([d, size / d]);
    for (let e = 2; e < size / d; e++) if ((size / d) % e === 0) out.push([d, e, size / d / e]);
  }
  return out;
}

const structural: Template = (b, c) => {
  const a = b.operand(c, isArray);
  if (!a) return binaryArith(b, c);
  const name = b.fresh();
  const rank = a.shape.length;
  switch (c.pick(6)) {
    case 0: {
      if (rank === 3 && c.flag()) {
        const perms = [[0, 2, 1], [1, 0, 2], [2, 0, 1], [1, 2, 0]];
        const perm = c.of(perms);
        b.emit(`${name} = np.transpose(${a.name}, ${formatTuple(perm)})`);
        b.define(name, perm.map((p) => a.shape[p]), a.bound);
      } else {
        b.emit(`${name} = ${a.name}.T`);
        b.define(name, [...a.shape].reverse(), a.bound);
      }
      return;
    }
    case 1: {
      const target = c.of(reshapeTargets(sizeOf(a.shape)));
      const withInferred = c.flag() && target.length > 1 ? target.map((d, i) => (i === 0 ? -1 : d)) : target;
      const form = c.pick(3);
      const text = form === 0 ? `${a.name}.reshape(${withInferred.join(', ')})` : form === 1 ? `${a.name}.reshape(${formatTuple(withInferred)})` : `np.reshape(${a.name}, ${formatTuple(withInferred)})`;
      b.emit(`${name} = ${text}`);
      b.define(name, target, a.bound);
      return;
    }
    case 2:
      b.emit(`${name} = ${c.of([`${a.name}.ravel()`, `${a.name}.flatten()`, `np.ravel(${a.name})`, `${a.name}.reshape(-1)`])}`);
      b.define(name, [sizeOf(a.shape)], a.bound);
      return;
    case 3: {
      const axis = c.pick(rank + 1);
      b.emit(`${name} = np.expand_dims(${a.name}, ${axis})`);
      b.define(name, [...a.shape.slice(0, axis), 1, ...a.shape.slice(axis)], a.bound);
      return;
    }
    case 4: {
      const axis = c.pick(rank);
      const partner = b.operand(c, (v) => v.name !== a.name && v.shape.length === rank && v.shape.every((d, i) => i === axis || d === a.shape[i]));
      const second = partner ? partner.name : `${a.name} * 0.5`;
      const length = a.shape[axis] + (partner ? partner.shape[axis] : a.shape[axis]);
      b.emit(`${name} = np.concatenate([${a.name}, ${second}], axis=${axis})`);
      b.define(name, a.shape.map((d, i) => (i === axis ? length : d)), Math.max(a.bound, partner?.bound ?? 0));
      return;
    }
    default: {
      const axis = c.pick(rank + 1);
      b.emit(`${name} = np.stack([${a.name}, ${a.name} - 1.0], axis=${axis})`);
      b.define(name, [...a.shape.slice(0, axis), 2, ...a.shape.slice(axis)], a.bound + 1);
    }
  }
};

const matmul: Template = (b, c) => {
  const a = b.operand(c, (v) => isArray(v) && v.shape.length <= 2);
  if (!a) return structural(b, c);
  const name = b.fresh();
  const rank = a.shape.length;
  const inner = a.shape[rank - 1];
  const partner = b.operand(c, (v) => isArray(v) && v.shape.length <= 2 && v.shape[0] === inner);
  let expr: string;
  let shape: number[];
  let bound: number;
  if (partner && c.pick(3) !== 0) {
    expr = c.of([`${a.name} @ ${partner.name}`, `np.dot(${a.name}, ${partner.name})`, `${a.name}.dot(${partner.name})`]);
    shape = [...a.shape.slice(0, -1), ...partner.shape.slice(1)];
    bound = a.bound * partner.bound * inner;
  } else if (rank === 2) {
    const form = c.pick(3);
    expr = form === 0 ? `${a.name} @ ${a.name}.T` : form === 1 ? `${a.name}.T @ ${a.name}` : `np.dot(${a.name}, ${a.name}.T)`;
    shape = form === 1 ? [a.shape[1], a.shape[1]] : [a.shape[0], a.shape[0]];
    bound = a.bound * a.bound * (form === 1 ? a.shape[0] : a.shape[1]);
  } else {
    const other = b.operand(c, (v) => isArray(v) && v.shape.length === 1) ?? a;
    if (c.flag() && other.shape[0] === a.shape[0]) {
      expr = `np.dot(${a.name}, ${other.name})`;
      shape = [];
    } else {
      expr = `np.outer(${a.name}, ${other.name})`;
      shape = [a.shape[0], other.shape[0]];
    }
    bound = a.bound * other.bound * (shape.length === 0 ? a.shape[0] : 1);
  }
  const t = tamed(expr, bound);
  b.emit(`${name} = ${t.expr}`);
  b.define(name, shape, t.bound);
};

const whereClip: Template = (b, c) => {
  const a = b.operand(c)!;
  const name = b.fresh();
  const k = c.constant();
  switch (c.pick(3)) {
    case 0: {
      const other = b.operand(c, (v) => broadcastShapes(v.shape, a.shape) !== null) ?? a;
      b.emit(`${name} = np.where(${a.name} > ${formatFloat(k)}, ${a.name}, ${other.name} * 0.5)`);
      b.define(name, broadcastShapes(a.shape, other.shape)!, Math.max(a.bound, other.bound), a.scalar && other.scalar);
      return;
    }
    case 1:
      b.emit(`${name} = np.clip(${a.name}, ${formatFloat(-0.9)}, ${formatFloat(1.1)})`);
      b.define(name, a.shape, 1.1, a.scalar);
      return;
    default:
      b.emit(`${name} = np.where(${a.name} < ${formatFloat(k)}, ${a.name} * ${a.name}, 0.25)`);
      b.define(name, a.shape, Math.max(a.bound * a.bound, 0.25), a.scalar);
  }
};

const variance: Template = (b, c) => {
  const a = b.operand(c, isArray);
  if (!a) return unaryOp(b, c);
  const name = b.fresh();
  const axis = c.pick(a.shape.length + 1);
  const args = axis === a.shape.length ? '' : `, axis=${axis}`;
  b.emit(`${name} = ${c.flag() ? `np.var(${a.name}${args})` : `${a.name}.var(${args.slice(2)})`}`);
  b.define(name, axis === a.shape.length ? [] : a.shape.filter((_, i) => i !== axis), a.bound * a.bound);
};

const pythonScalars: Template = (b, c) => {
  const a = b.operand(c)!;
  const name = b.fresh('s');
  switch (c.pick(4)) {
    case 0: {
      const t = tamed(`float(np.sum(${a.name}))`, a.bound * sizeOf(a.shape));
      b.emit(`${name} = ${t.expr}`);
      b.define(name, [], t.bound, true);
      return;
    }
    case 1: {
      b.emit(`${name} = math.tanh(float(np.mean(${a.name})))`);
      b.define(name, [], 1, true);
      return;
    }
    case 2: {
      if (!isArray(a)) break;
      b.emit(`${name} = ${a.name}.shape[0] * ${formatFloat(c.constant())} + ${a.name}.mean()`);
      b.define(name, [], a.shape[0] * 2 + a.bound, true);
      return;
    }
    default:
      break;
  }
  const t = tamed(`${a.name} * len([1, 2, 3]) + sum([0.5, 0.25])`, a.bound * 3 + 1);
  b.emit(`${name} = ${t.expr}`);
  b.define(name, a.shape, t.bound, a.scalar);
};

const tuplesAndLists: Template = (b, c) => {
  const a = b.operand(c)!;
  const [p, q] = [b.fresh('p'), b.fresh('q')];
  const name = b.fresh();
  if (c.flag()) {
    b.emit(`${p}, ${q} = ${a.name} * 2.0, ${a.name} - 1.0`);
    b.emit(`${name} = ${q} * ${p}`);
    const t = tamed(name, 2 * a.bound * (a.bound + 1));
    if (t.expr !== name) b.emit(`${name} = ${t.expr}`);
    b.define(name, a.shape, t.bound, a.scalar);
  } else {
    b.emit(`${p} = [${a.name}, ${a.name} * 0.5]`);
    b.emit(`${p}.append(${a.name} + 1.0)`);
    b.emit(`${name} = ${p}[0] + ${p}[-1] - ${p}[1]`);
    b.define(name, a.shape, a.bound * 2.5 + 1, a.scalar);
  }
};

const softmax: Template = (b, c) => {
  const a = b.operand(c, isArray);
  if (!a) return unaryOp(b, c);
  const axis = c.pick(a.shape.length);
  const [shifted, exps, probs] = [b.fresh('shifted'), b.fresh('e'), b.fresh()];
  b.emit(`${shifted} = ${a.name} - np.max(${a.name}, axis=${axis}, keepdims=True)`);
  b.emit(`${exps} = np.exp(${shifted})`);
  if (c.flag()) {
    b.emit(`${probs} = ${exps} / np.sum(${exps}, axis=${axis}, keepdims=True)`);
    b.define(probs, a.shape, 1);
  } else {
    // log-sum-exp along the axis, the numerically stable way.
    b.emit(`${probs} = np.log(np.sum(${exps}, axis=${axis})) + np.max(${a.name}, axis=${axis})`);
    b.define(probs, a.shape.filter((_, i) => i !== axis), a.bound + Math.log(a.shape[axis]) + 1);
  }
};

const argmaxGather: Template = (b, c) => {
  const a = b.operand(c, (v) => isArray(v) && v.shape.length === 2);
  if (!a) return indexRead(b, c);
  const [picks, name] = [b.fresh('picks'), b.fresh()];
  b.emit(`${picks} = np.${c.flag() ? 'argmax' : 'argmin'}(${a.name}, axis=1)`);
  b.emit(`${name} = ${a.name}[np.arange(${a.name}.shape[0]), ${picks}]`);
  b.define(name, [a.shape[0]], a.bound);
};

const buildInLoop: Template = (b, c) => {
  const a = b.operand(c, isArray);
  if (!a) return loop(b, c);
  const name = b.fresh('z');
  const s = scalarExpr(b, c);
  b.emit(`${name} = ${c.flag() ? `np.zeros(${formatTuple(a.shape)})` : `np.zeros_like(${a.name})`}`);
  b.emit(`for i in range(${a.shape[0]}):`);
  if (a.shape.length >= 2 && c.flag()) {
    b.emit(`for j in range(${a.shape[1]}):`, 1);
    b.emit(`${name}[i, j] = ${a.name}[i, j] * ${formatFloat(c.constant())} + ${s.expr}`, 2);
  } else {
    b.emit(`${name}[i] ${c.flag() ? '+=' : '='} ${a.name}[${a.shape[0] - 1} - i] * ${formatFloat(c.constant())}`, 1);
  }
  const t = tamed(name, a.bound * 2 + s.bound);
  if (t.expr !== name) b.emit(`${name} = ${t.expr}`);
  b.define(name, a.shape, t.bound, false);
};

const pythonMath: Template = (b, c) => {
  const a = b.operand(c)!;
  const [s, name] = [b.fresh('s'), b.fresh()];
  b.emit(`${s} = float(np.mean(${a.name})) * ${formatFloat(roundDown(1 / Math.max(1, a.bound)))}`);
  const form = c.of([
    `math.exp(${s}) + max(${s}, 0.3) - min(${s}, -0.3)`,
    `abs(${s}) + math.sqrt(${s} * ${s} + 1.0)`,
    `math.log(${s} * ${s} + 2.0) * ${s} ** 2`,
    `math.tanh(${s}) / (1.0 + ${s} ** 2)`,
  ]);
  b.emit(`${name} = ${form}`);
  b.define(name, [], 5, true);
};

const aliasing: Template = (b, c) => {
  const a = b.operand(c, isArray);
  if (!a) return inPlace(b, c);
  const [copy, alias] = [b.fresh('c'), b.fresh('alias')];
  b.emit(`${copy} = ${a.name}.copy()`);
  const v = scalarExpr(b, c);
  switch (c.pick(3)) {
    case 0:
      // Names share an array: an update through one is seen through the other.
      b.emit(`${alias} = ${copy}`);
      b.emit(`${alias} ${c.of(['+=', '-=', '*='])} ${v.expr}`);
      break;
    case 1:
      // A write through a reversed view, chained on a temporary.
      b.emit(`${copy}[::-1][0] = ${v.expr}`);
      break;
    default:
      b.emit(`${alias} = ${copy}[...]`);
      b.emit(`${alias}[${c.pick(a.shape[0])}] *= ${v.expr}`);
  }
  b.define(copy, a.shape, Math.max(a.bound * Math.max(1, v.bound), a.bound + v.bound), false);
};

const powers: Template = (b, c) => {
  const a = b.operand(c)!;
  const name = b.fresh();
  const forms: { expr: string; bound: number }[] = [
    { expr: `np.abs(${a.name}) ** 1.5`, bound: a.bound ** 1.5 },
    { expr: `(${a.name} * ${a.name} + 1.0) ** -0.5`, bound: 1 },
    { expr: `${a.name} ** 3`, bound: a.bound ** 3 },
    { expr: `2.0 ** ${squashed(a)}`, bound: 2 ** SAFE_EXP_BOUND },
    { expr: `np.power(${a.name}, 2)`, bound: a.bound ** 2 },
  ];
  const form = c.of(forms);
  const t = tamed(form.expr, form.bound);
  b.emit(`${name} = ${t.expr}`);
  b.define(name, a.shape, t.bound, a.scalar);
};

const integerArithmetic: Template = (b, c) => {
  const a = b.operand(c)!;
  const [k, name] = [b.fresh('k'), b.fresh()];
  // Python ints are exact at any size: these are small only after the modulo.
  b.emit(`${k} = ${c.of(['(3 ** 40 + 7) % 1000', '(2 ** 62 + 2 ** 61) // 2 ** 60', '(10 ** 18 + 1) % 97', '(1 << 40) >> 38', '(2 ** 53 + 1) - 2 ** 53', '-7 // 2 + 7 % -3', '99999999999999999999 % 7', '(5 ^ (1 << 33)) % 10'])}`);
  b.emit(`${name} = ${a.name} * (${k} * 0.01 + 1.0)`);
  b.define(name, a.shape, a.bound * 12, a.scalar);
};

const maskedWrite: Template = (b, c) => {
  const a = b.operand(c, isArray);
  if (!a) return inPlace(b, c);
  const other = b.operand(c, (v) => v.name !== a.name && sameShape(v.shape, a.shape)) ?? a;
  const [copy, mask] = [b.fresh('c'), b.fresh('mask')];
  b.emit(`${copy} = ${a.name}.copy()`);
  b.emit(`${mask} = ${other.name} ${c.flag() ? '>' : '<'} ${formatFloat(c.constant())}`);
  b.emit(c.flag() ? `${copy}[${mask}] = ${other.name}[${mask}] * 2.0` : `${copy}[~${mask}] += 1.0`);
  b.define(copy, a.shape, Math.max(a.bound + 1, other.bound * 2), false);
};

/**
 * A statement NumPy rejects (shape, index, name, type, zero-division, domain errors), so that the
 * error's kind and line can be compared with real NumPy's. Rare: most steps fall through to arithmetic.
 */
const fault: Template = (b, c) => {
  if (c.pick(3) !== 0 || b.faulted) return binaryArith(b, c);
  const a = b.operand(c, isArray);
  if (!a) return binaryArith(b, c);
  const last = a.shape[a.shape.length - 1];
  const size = sizeOf(a.shape);
  const name = b.fresh('bad');
  const copy = b.fresh('c');
  const statements: string[][] = [
    [`${name} = ${a.name} + np.ones(${last + 1})`],
    [`${name} = ${a.name}[${a.shape[0]}]`],
    [`${name} = ${a.name}.reshape(${size + 1})`],
    [`${name} = np.dot(${a.name}, np.ones((${last + 1}, 2)))`],
    [`${copy} = ${a.name}.copy()`, `${copy}[0] = np.ones(${(a.shape[1] ?? 1) + 1})`],
    [`${name} = undefined_scale * 2.0`],
    [`${name} = np.sum(${a.name}, axis=${a.shape.length})`],
    [`${copy} = ${a.name}.copy()`, `${copy} += np.ones(${last + 1})`],
    [`${name} = ${a.name}[np.array([${Array.from({ length: a.shape[0] + 1 }, () => 'True').join(', ')}])]`],
    [`${name} = ${a.name}[${Array(a.shape.length + 1).fill('0').join(', ')}]`],
    [`${name} = 1.0 / 0.0`],
    [`${name} = math.log(-1.0)`],
    [size > 1 ? `${name} = float(${a.name})` : `${name} = float([1.0, 2.0])`],
    [size > 1 ? `if ${a.name} > 0.0:` : 'if np.ones(2) > 0.0:', `    ${name} = 1.0`],
    [`${copy} = ${a.name}.copy()`, `${copy}[[${a.shape[0]}]] = 1.0`],
    [`${name} = np.concatenate([${a.name}, np.ones((1,) * ${a.shape.length + 1})], axis=0)`],
  ];
  for (const line of c.of(statements)) b.emit(line);
  b.faulted = true;
};

/** Rows as views: iterating an array, unpacking it, passing a slice to a helper that writes it. */
const rowViews: Template = (b, c) => {
  const a = b.operand(c, (v) => isArray(v) && v.shape.length >= 2);
  if (!a) return aliasing(b, c);
  const copy = b.fresh('c');
  b.emit(`${copy} = ${a.name}.copy()`);
  const k = formatFloat(c.of([0.5, 1.5, -0.75]));
  switch (c.pick(5)) {
    case 0:
      b.emit(`for row in ${copy}:`);
      b.emit(`row *= ${k}`, 1);
      break;
    case 1:
      b.emit(`for i, row in enumerate(${copy}):`);
      b.emit(`row[i % ${a.shape[1]}] = ${k}`, 1);
      break;
    case 2:
      if (a.shape[0] !== 2) {
        b.emit(`first, rest = ${copy}[0], ${copy}[1:]`);
        b.emit(`rest += first`);
      } else {
        b.emit(`first, second = ${copy}`);
        b.emit(`first += second * ${k}`);
      }
      break;
    case 3:
      b.helpers.add('scale_inplace');
      b.emit(`scale_inplace(${copy}[${c.pick(a.shape[0])}], ${k})`);
      break;
    default:
      // Overlapping in-place updates: NumPy reads the right side before it writes.
      b.emit(c.flag() ? `${copy}[1:] += ${copy}[:-1]` : `${copy} += ${copy}[::-1]`);
  }
  b.define(copy, a.shape, a.bound * 2 + 1, false);
};

/** Integer and boolean arrays mixed with floats: masks as numbers, counts, arange, integer division. */
const integerMix: Template = (b, c) => {
  const a = b.operand(c, isArray);
  if (!a) return binaryArith(b, c);
  const name = b.fresh();
  const last = a.shape[a.shape.length - 1];
  const k = formatFloat(c.constant());
  const forms: { expr: string; bound: number }[] = [
    { expr: `(${a.name} > ${k}) * ${a.name}`, bound: a.bound },
    { expr: `${a.name} * np.arange(${last})`, bound: a.bound * last },
    { expr: `${a.name} + np.sum(${a.name} > ${k})`, bound: a.bound + sizeOf(a.shape) },
    { expr: `${a.name} * (np.arange(${last}) // 2 + 1)`, bound: a.bound * last },
    { expr: `${a.name} * (${a.name} < ${k}).astype(float)`, bound: a.bound },
    { expr: `${a.name} / (np.arange(${last}) % 3 + 1)`, bound: a.bound },
  ];
  const form = c.of(forms);
  const t = tamed(form.expr, form.bound);
  b.emit(`${name} = ${t.expr}`);
  b.define(name, a.shape, t.bound, false);
};

/** Simplest first: shrinking the template number moves toward plain arithmetic. */
const TEMPLATES: readonly Template[] = [
  binaryArith, unaryOp, maximumMinimum, reduction, indexRead, inPlace, loop, branch, helperCall, structural,
  matmul, whereClip, variance, pythonScalars, tuplesAndLists, softmax, argmaxGather, buildInLoop, pythonMath,
  aliasing, powers, integerArithmetic, maskedWrite, fault, rowViews, integerMix,
];
export const TEMPLATE_COUNT = TEMPLATES.length;

/** The step templates a plan uses, by name: what a failure has in common with another. */
export function templatesOf(plan: ProgramPlan): string[] {
  return [...new Set(plan.steps.map((s) => TEMPLATES[s.template % TEMPLATES.length].name))].sort();
}

/**
 * Smaller plans than `plan`, simplest first: without one step, without one input, with one step's
 * choices all 0. A greedy pass over these after fast-check's shrinking removes what it left.
 */
export function* simplerPlans(plan: ProgramPlan): Generator<ProgramPlan> {
  for (let i = plan.steps.length - 1; i >= 0; i--) yield { ...plan, steps: plan.steps.filter((_, k) => k !== i) };
  for (let i = plan.inputShapes.length - 1; i >= 0 && plan.inputShapes.length > 1; i--) yield { ...plan, inputShapes: plan.inputShapes.filter((_, k) => k !== i) };
  for (let i = 0; i < plan.inputShapes.length; i++) {
    const shape = plan.inputShapes[i];
    for (let d = 0; d < shape.length; d++) {
      if (shape[d] > 1) yield { ...plan, inputShapes: plan.inputShapes.map((s, k) => (k === i ? s.map((x, e) => (e === d ? x - 1 : x)) : s)) };
    }
    if (shape.length > 0) yield { ...plan, inputShapes: plan.inputShapes.map((s, k) => (k === i ? s.slice(1) : s)) };
  }
  for (let i = 0; i < plan.steps.length; i++) {
    const step = plan.steps[i];
    for (let j = 0; j < step.choices.length; j++) {
      if (step.choices[j] !== 0) yield { ...plan, steps: plan.steps.map((s, k) => (k === i ? { ...s, choices: s.choices.map((x, e) => (e === j ? 0 : x)) } : s)) };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs: seeded float values away from kinks (no zeros, no ties)

/** mulberry32: a tiny seeded generator, so that a plan's values never depend on fast-check internals. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values in ±[0.2, 1.5] with three decimals, the last one non-zero, all magnitudes distinct. */
function inputValues(shapes: readonly number[][], seed: number): NestedNumbers[] {
  const random = seededRandom(seed);
  const used = new Set<number>();
  const draw = (): number => {
    for (;;) {
      const thousandths = 200 + Math.floor(random() * 1300);
      if (thousandths % 10 === 0 || used.has(thousandths)) continue;
      used.add(thousandths);
      return (random() < 0.5 ? -1 : 1) * (thousandths / 1000);
    }
  };
  const build = (shape: readonly number[]): NestedNumbers => (shape.length === 0 ? draw() : Array.from({ length: shape[0] }, () => build(shape.slice(1))));
  return shapes.map(build);
}

// ---------------------------------------------------------------------------------------------
// Plan → program

export function renderPlan(plan: ProgramPlan): GeneratedProgram {
  const b = new ProgramBuilder();
  const shapes = plan.inputShapes.slice(0, INPUT_NAMES.length);
  const names = INPUT_NAMES.slice(0, shapes.length);
  const values = inputValues(shapes, plan.valueSeed);
  shapes.forEach((shape, i) => b.define(names[i], shape, 1.5));
  for (const step of plan.steps) {
    if (b.faulted) break;
    TEMPLATES[step.template % TEMPLATES.length](b, new StepChoices(step.choices));
  }
  const result = b.last;
  const helpers = [...b.helpers].sort().map((h) => `\n\n${HELPER_SOURCE[h]}`).join('');
  const source = `import math\nimport numpy as np${helpers}\n\n\ndef f(${names.join(', ')}):\n${b.body.map((l) => `${l}\n`).join('')}    return np.sum(${result.name})\n`;
  const inputs: Record<string, NestedNumbers> = {};
  names.forEach((n, i) => { inputs[n] = values[i]; });
  return { source, functionName: 'f', inputs };
}

const shapeArbitrary: fc.Arbitrary<number[]> = fc.integer({ min: 0, max: 3 }).chain((rank) => fc.array(fc.integer({ min: 1, max: 4 }), { minLength: rank, maxLength: rank }));

export const planArbitrary: fc.Arbitrary<ProgramPlan> = fc.record({
  inputShapes: fc.array(shapeArbitrary, { minLength: 1, maxLength: 3 }),
  steps: fc.array(fc.record({ template: fc.nat({ max: TEMPLATE_COUNT - 1 }), choices: fc.array(fc.nat({ max: 1000 }), { minLength: 8, maxLength: 8 }) }), { minLength: 1, maxLength: 8 }),
  valueSeed: fc.nat(),
});

export const programArbitrary: fc.Arbitrary<GeneratedProgram> = planArbitrary.map(renderPlan);

// ---------------------------------------------------------------------------------------------
// The property

export const programBudget: AnalyzeOptions['budget'] = { maxSteps: 200_000, maxMillis: 2_000 };

export interface ProgramOutcome {
  report: Report | null;
  millis: number;
  problems: Problem[];
}

/** Runs analyze() on a generated program and lists what breaks the property. */
export function checkProgram(program: GeneratedProgram, options: AnalyzeOptions = {}): ProgramOutcome {
  const started = performance.now();
  let report: Report | null = null;
  const problems: Problem[] = [];
  try {
    report = analyze(program.source, { kind: 'function', name: program.functionName }, program.inputs, { budget: programBudget, ...options });
  } catch (err) {
    problems.push({ kind: 'crash', detail: `analyze() threw: ${err instanceof Error ? err.stack ?? err.message : String(err)}` });
  }
  const millis = performance.now() - started;
  if (millis > HANG_MILLIS) problems.push({ kind: 'hang', detail: `analyze() took ${(millis / 1000).toFixed(1)} s` });
  if (report) problems.push(...reportProblems(report, program.source, { gradcheck: true }));
  return { report, millis, problems };
}

// ---------------------------------------------------------------------------------------------
// The same program as flat code: analyzing its lines must give what analyzing the function gives

/**
 * The program with its function body as top-level code on the same lines (the `def` line becomes a
 * comment, `return E` becomes `out = E`), and the line range of that code.
 */
export function flatForm(program: GeneratedProgram): { source: string; from: number; to: number } {
  const lines = program.source.split('\n');
  const header = lines.findIndex((l) => l.startsWith(`def ${program.functionName}(`));
  let last = header;
  for (let i = header + 1; i < lines.length && (lines[i].startsWith('    ') || lines[i] === ''); i++) {
    if (lines[i] === '') continue;
    lines[i] = lines[i].slice(4).replace(/^return /, 'out = ');
    last = i;
  }
  lines[header] = `# ${program.functionName} as flat code`;
  return { source: lines.join('\n'), from: header + 2, to: last + 1 };
}

const FORM_TOLERANCE = 1e-9;

function flatNumbers(v: Float64Array | null | undefined): number[] {
  return v ? [...v] : [];
}

function close(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i] || (Number.isNaN(x) && Number.isNaN(b[i])) || Math.abs(x - b[i]) <= FORM_TOLERANCE * Math.max(1, Math.abs(x), Math.abs(b[i])));
}

/** Compares the function's Report with the Report of its body analyzed as a line range. */
export function checkFlatForm(program: GeneratedProgram, functionReport: Report, options: AnalyzeOptions = {}): Problem[] {
  const flat = flatForm(program);
  let report: Report;
  try {
    report = analyze(flat.source, { kind: 'lines', from: flat.from, to: flat.to }, program.inputs, { budget: programBudget, check: false, ...options });
  } catch (err) {
    return [{ kind: 'crash', detail: `analyze(--lines ${flat.from}-${flat.to}) of the flat form threw: ${err instanceof Error ? err.message : String(err)}` }];
  }
  const problems = reportProblems(report, flat.source, { gradcheck: false }).map((p) => ({ ...p, detail: `flat form: ${p.detail}` }));
  const fnError = functionReport.errors[0];
  const flatError = report.errors[0];
  // A name read before it is assigned is an input of a line range (design.md): no error there.
  if (fnError?.kind === 'name' && !flatError) return problems;
  if (fnError || flatError) {
    if (!fnError || !flatError || fnError.kind !== flatError.kind || fnError.line !== flatError.line) {
      const describe = (e: Report['errors'][number] | undefined): string => (e ? `${e.kind} error at line ${e.line} ("${e.message}")` : 'no error');
      problems.push({ kind: 'lines-divergence', detail: `the function gives ${describe(fnError)}, its body as --lines ${flat.from}-${flat.to} gives ${describe(flatError)}` });
    }
    return problems;
  }
  const fnValue = flatNumbers(functionReport.output?.value);
  const flatValue = flatNumbers(report.output?.value);
  if (!close(fnValue, flatValue)) problems.push({ kind: 'lines-divergence', detail: `the function returns ${fnValue.join(', ')}, its body as --lines gives ${flatValue.join(', ')}` });
  for (const [name, input] of Object.entries(functionReport.inputs)) {
    const other = report.inputs[name];
    if (!other) {
      // A parameter the body never reads is no input of the line range; its gradient is 0.
      if (flatNumbers(input.grad).some((g) => g !== 0)) problems.push({ kind: 'lines-divergence', detail: `input ${name} of the function is not an input of its body as --lines` });
      continue;
    }
    if (!close(flatNumbers(input.grad), flatNumbers(other.grad))) {
      problems.push({ kind: 'lines-divergence', detail: `d/d${name}: the function gives ${flatNumbers(input.grad).join(', ')}, its body as --lines gives ${flatNumbers(other.grad).join(', ')}` });
    }
  }
  return problems;
}
