// What the interpreter, the builtins and the NumPy bindings share: the tape, NumPy's random state,
// the budget, and the conversions between Python values and tape nodes.
import { UserCodeError } from '../core/errors';
import { concatenateOp, reshapeOp } from '../core/ops/structural';
import type { AnyOp } from '../core/ops/op';
import { RandomState } from '../core/random';
import { Tape, TapeLimits } from '../core/tape';
import { DType, Nested, Tensor } from '../core/tensor';
import type { Span } from './ast';
import { NDArray } from './ndarray';
import { intToFloat } from './ints';
import { hasKind, PyFloat, PyValue, typeError, typeName } from './values';

export interface Budget {
  maxSteps: number;
  maxMillis: number;
}

export const defaultBudget: Budget = { maxSteps: 2_000_000, maxMillis: 10_000 };

export class Runtime {
  readonly tape: Tape;
  private randomState: RandomState | null = null;
  private steps = 0;
  private readonly deadline: number;

  private readonly seed: number;

  constructor(seed: number, readonly budget: Budget = defaultBudget, limits?: TapeLimits) {
    this.tape = new Tape(limits);
    this.seed = seed;
    this.deadline = Date.now() + budget.maxMillis;
  }

  /** NumPy's global RandomState, seeded with the analysis seed; made on first use (most code has none). */
  get random(): RandomState {
    return (this.randomState ??= new RandomState(this.seed));
  }

  /** Counts one step of the program; stops an endless loop with an error at `span`. */
  step(span: Span): void {
    this.steps++;
    if (this.steps > this.budget.maxSteps) {
      throw new UserCodeError('budget', `the code ran more than ${this.budget.maxSteps.toLocaleString('en-US')} steps and was stopped (an endless loop?)`, span);
    }
    if ((this.steps & 1023) === 0 && Date.now() > this.deadline) {
      throw new UserCodeError('budget', `the code ran longer than ${this.budget.maxMillis / 1000} s and was stopped (an endless loop?)`, span);
    }
  }

  /** `Tape.record`: the node keeps `inputs`, so pass an array of the call's own. */
  record<A>(op: AnyOp, inputs: readonly number[], attrs: A, span: Span | null): number {
    return this.tape.record(op, inputs, attrs, span);
  }

  /** The tape node for any numeric value: arrays, scalars, (nested) lists of them. */
  node(v: PyValue, span: Span | null, dtype?: DType): number {
    if (v instanceof NDArray) return v.read(this.tape, span);
    if (v instanceof PyFloat) return v.node >= 0 ? v.node : this.tape.constant(Tensor.scalar(v.value), span);
    if (typeof v === 'number') return this.tape.constant(Tensor.scalar(v, dtype ?? 'int64'), span);
    if (typeof v === 'bigint') throw new UserCodeError('value', `Python int ${v} too large to convert to a NumPy int64 or float64`, span);
    if (typeof v === 'boolean') return this.tape.constant(Tensor.scalar(v ? 1 : 0, dtype ?? 'bool'), span);
    if (hasKind(v, 'list') || hasKind(v, 'tuple')) return this.sequenceNode(v.items, span, dtype);
    throw typeError(`expected a number or an array, got ${typeName(v)}`, span);
  }

  private sequenceNode(items: PyValue[], span: Span | null, dtype?: DType): number {
    const constant = constantNested(items);
    if (constant) {
      const t = Tensor.fromNested(constant.value, dtype ?? constant.dtype);
      return this.tape.constant(t, span);
    }
    // Some element is traced: stack the elements along a new first axis.
    if (items.length === 0) return this.tape.constant(Tensor.zeros([0]), span);
    const parts = items.map((item) => {
      const n = this.node(item, span, dtype);
      const shape = this.tape.value(n).shape;
      return this.record(reshapeOp, [n], { shape: [1, ...shape] }, span);
    });
    const shapes = parts.map((p) => this.tape.value(p).shape.join(','));
    if (new Set(shapes).size > 1) throw new UserCodeError('value', 'setting an array element with a sequence: the elements have different shapes');
    return parts.length === 1 ? parts[0] : this.record(concatenateOp, parts, { axis: 0 }, span);
  }

  value(v: PyValue, span: Span | null): Tensor {
    return this.tape.value(this.node(v, span));
  }

  /**
   * Wraps a node as the Python value NumPy would give: an array, or for a 0-d result a NumPy
   * scalar (a float64 keeps its node; ints and bools leave the tape, guarded).
   */
  wrap(node: number, keepZeroDim = false): PyValue {
    const t = this.tape.value(node);
    if (t.ndim > 0 || keepZeroDim) return NDArray.own(this.tape, node);
    if (t.dtype === 'float64') return new PyFloat(t.data[0], this.tape.dependsOnLeaves(node) ? node : -1, true);
    this.tape.guard(node);
    return t.dtype === 'bool' ? t.data[0] !== 0 : t.data[0];
  }

  /** A plain JavaScript number from a scalar value (guarded when it came from the inputs). */
  number(v: PyValue, span: Span | null, what = 'a number'): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return intToFloat(v, span);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v instanceof PyFloat) {
      if (v.node >= 0) this.tape.guard(v.node);
      return v.value;
    }
    if (v instanceof NDArray && v.size === 1) {
      const node = v.read(this.tape, span);
      this.tape.guard(node);
      return this.tape.value(node).data[0];
    }
    throw typeError(`expected ${what}, got ${typeName(v)}`, span);
  }

  /** A scalar's value for a check that raises rather than branches (domain, division by zero): no guard. */
  peek(v: PyValue, span: Span | null): number {
    if (v instanceof PyFloat) return v.value;
    if (v instanceof NDArray && v.size === 1) return this.tape.value(v.read(this.tape, span)).data[0];
    return this.number(v, span);
  }

  /** A Python int (an index, a size, an axis). */
  int(v: PyValue, span: Span | null, what = 'an integer'): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') throw new UserCodeError('index', `cannot fit 'int' into an index-sized integer: ${what} ${v} is too large`, span);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v instanceof NDArray && v.size === 1 && v.dtype !== 'float64') return this.number(v, span);
    throw typeError(`${what} must be an integer, not ${typeName(v)}`, span);
  }

  /** Python truthiness; an array decides only when it has one element. */
  truth(v: PyValue, span: Span | null): boolean {
    if (v === null) return false;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'bigint') return v !== 0n;
    if (typeof v === 'string') return v.length > 0;
    if (v instanceof PyFloat) return this.number(v, span) !== 0;
    if (v instanceof NDArray) {
      if (v.size !== 1) {
        throw new UserCodeError('value', 'The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()', span);
      }
      return this.number(v, span) !== 0;
    }
    if (hasKind(v, 'list') || hasKind(v, 'tuple')) return v.items.length > 0;
    if (hasKind(v, 'dict')) return v.entries.size > 0;
    if (hasKind(v, 'range')) return rangeLength(v) > 0;
    return true;
  }
}

export function rangeLength(r: { start: number; stop: number; step: number }): number {
  return Math.max(0, Math.ceil((r.stop - r.start) / r.step));
}

/** A nested list of untraced numbers as nested JS numbers and its NumPy dtype, or null. */
function constantNested(items: PyValue[]): { value: Nested; dtype: DType } | null {
  let dtype: DType | null = null;
  const walk = (v: PyValue): Nested | null => {
    if (typeof v === 'boolean') {
      dtype ??= 'bool';
      return v ? 1 : 0;
    }
    if (typeof v === 'number') {
      if (dtype !== 'float64') dtype = 'int64';
      return v;
    }
    if (v instanceof PyFloat) {
      if (v.node >= 0) return null;
      dtype = 'float64';
      return v.value;
    }
    if (hasKind(v, 'list') || hasKind(v, 'tuple')) {
      const out: Nested[] = [];
      for (const item of v.items) {
        const w = walk(item);
        if (w === null) return null;
        out.push(w);
      }
      return out;
    }
    return null;
  };
  const value = walk({ kind: 'list', items });
  return value === null ? null : { value, dtype: dtype ?? 'float64' };
}
