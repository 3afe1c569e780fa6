// Python's operators on the subset's values: exact int arithmetic, Python-float rules
// (ZeroDivisionError), NumPy rules once an array or NumPy scalar is involved.
import { UserCodeError } from '../core/errors';
import { binaryOps, discreteOps, logicalNot, modOp, unaryOps } from '../core/ops/elementwise';
import { dotOp } from '../core/ops/linalg';
import { compareInts, intOp, intToFloat, normalizeInt } from './ints';
import type { AnyOp } from '../core/ops/op';
import type { Span } from './ast';
import { NDArray } from './ndarray';
import type { Runtime } from './runtime';
import { hasKind, list, PyFloat, PyValue, tuple, typeError, typeName } from './values';

export const arithmeticOps: Record<string, AnyOp> = {
  '+': binaryOps.add,
  '-': binaryOps.subtract,
  '*': binaryOps.multiply,
  '/': binaryOps.divide,
  '**': binaryOps.power,
  '//': discreteOps.floor_divide,
  '%': modOp,
  '&': discreteOps.logical_and,
  '|': discreteOps.logical_or,
  '^': discreteOps.logical_xor,
};

const comparisonOps: Record<string, AnyOp> = {
  '<': discreteOps.less,
  '<=': discreteOps.less_equal,
  '>': discreteOps.greater,
  '>=': discreteOps.greater_equal,
  '==': discreteOps.equal,
  '!=': discreteOps.not_equal,
};

/** Names NumPy gives these ufuncs, for casting errors. */
export const ufuncNames: Record<string, string> = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '**': 'power', '//': 'floor_divide', '%': 'remainder' };

const isPyInt = (v: PyValue): v is number | bigint | boolean => typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
const isScalar = (v: PyValue): v is number | bigint | boolean | PyFloat => isPyInt(v) || v instanceof PyFloat;
/** A bool or an int as an int (True + True == 2). */
const asInt = (v: number | bigint | boolean): number | bigint => (typeof v === 'boolean' ? +v : v);
const isNumeric = (v: PyValue): boolean => isScalar(v) || v instanceof NDArray;

export function binary(rt: Runtime, op: string, a: PyValue, b: PyValue, span: Span): PyValue {
  if (op === '@') return matmul(rt, a, b, span);
  if (isPyInt(a) && isPyInt(b)) {
    if (typeof a === 'boolean' && typeof b === 'boolean' && (op === '&' || op === '|' || op === '^')) return Boolean(intOp(op, +a, +b, span));
    return intOp(op, asInt(a), asInt(b), span);
  }
  // A Python int next to a Python float becomes a float, exactly as CPython converts it.
  if (typeof a === 'bigint' && b instanceof PyFloat) a = new PyFloat(intToFloat(a, span));
  if (typeof b === 'bigint' && a instanceof PyFloat) b = new PyFloat(intToFloat(b, span));
  if (isNumeric(a) && isNumeric(b)) {
    const numpy = a instanceof NDArray || b instanceof NDArray || (a instanceof PyFloat && a.numpy) || (b instanceof PyFloat && b.numpy);
    if (!numpy && (op === '/' || op === '//' || op === '%') && rt.peek(b, span) === 0) {
      throw new UserCodeError('zero-division', op === '/' ? 'float division by zero' : 'float modulo', span);
    }
    const opFn = arithmeticOps[op];
    if (!opFn) throw new UserCodeError('unsupported', `the operator ${op} is not supported on arrays`, span);
    if (!numpy && op === '**' && rt.peek(a, span) < 0 && !Number.isInteger(rt.peek(b, span))) {
      throw new UserCodeError('unsupported', 'a negative number to a fractional power is a complex number, which is not supported', span);
    }
    const node = rt.record(opFn, [rt.node(a, span), rt.node(b, span)], undefined, span);
    const result = rt.wrap(node);
    if (!numpy && result instanceof PyFloat) return new PyFloat(result.value, result.node, false);
    return result;
  }
  return sequenceOp(op, a, b, span);
}

function sequenceOp(op: string, a: PyValue, b: PyValue, span: Span): PyValue {
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (hasKind(a, 'list') && hasKind(b, 'list')) return list([...a.items, ...b.items]);
    if (hasKind(a, 'tuple') && hasKind(b, 'tuple')) return tuple([...a.items, ...b.items]);
  }
  if (op === '*') {
    const [seq, n] = typeof a === 'number' ? [b, a] : [a, b];
    if (typeof n === 'number') {
      if (hasKind(seq, 'list')) return list(Array.from({ length: Math.max(0, n) }, () => seq.items).flat());
      if (hasKind(seq, 'tuple')) return tuple(Array.from({ length: Math.max(0, n) }, () => seq.items).flat());
      if (typeof seq === 'string') return seq.repeat(Math.max(0, n));
    }
  }
  if (op === '%' && typeof a === 'string') return a;
  throw typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`, span);
}

export function matmul(rt: Runtime, a: PyValue, b: PyValue, span: Span): PyValue {
  const na = rt.node(a, span), nb = rt.node(b, span);
  const [sa, sb] = [rt.tape.value(na).shape, rt.tape.value(nb).shape];
  if (sa.length === 0 || sb.length === 0) return rt.wrap(rt.record(binaryOps.multiply, [na, nb], undefined, span));
  return rt.wrap(rt.record(dotOp, [na, nb], undefined, span));
}

export function unary(rt: Runtime, op: string, v: PyValue, span: Span): PyValue {
  if (op === 'not') return !rt.truth(v, span);
  if (isPyInt(v)) {
    if (op === '-') return typeof v === 'bigint' ? normalizeInt(-v) : -v;
    if (op === '+') return asInt(v);
    if (op === '~') return typeof v === 'boolean' ? !v : normalizeInt(~BigInt(v));
  }
  if (v instanceof PyFloat || v instanceof NDArray) {
    if (op === '+') return v;
    const opFn = op === '-' ? unaryOps.negative : op === '~' ? logicalNot : null;
    if (!opFn) throw new UserCodeError('unsupported', `the unary operator ${op} is not supported here`, span);
    const result = rt.wrap(rt.record(opFn, [rt.node(v, span)], undefined, span));
    return v instanceof PyFloat && result instanceof PyFloat ? new PyFloat(result.value, result.node, v.numpy) : result;
  }
  throw typeError(`bad operand type for unary ${op}: '${typeName(v)}'`, span);
}

/** One comparison of a chain; arrays compare elementwise, traced scalars are guarded. */
export function compare(rt: Runtime, op: string, a: PyValue, b: PyValue, span: Span): PyValue {
  switch (op) {
    case 'is': return identical(a, b);
    case 'is not': return !identical(a, b);
    case 'in': return contains(rt, b, a, span);
    case 'not in': return !contains(rt, b, a, span);
  }
  if (isNumeric(a) && isNumeric(b)) {
    if (isPyInt(a) && isPyInt(b)) return compareNumbers(op, compareInts(asInt(a), asInt(b)), 0);
    const node = rt.record(comparisonOps[op], [rt.node(a, span), rt.node(b, span)], undefined, span);
    return rt.wrap(node);
  }
  if (op === '==' || op === '!=') {
    const eq = equalValues(rt, a, b, span);
    return op === '==' ? eq : !eq;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareNumbers(op, a < b ? -1 : a > b ? 1 : 0, 0);
  throw typeError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`, span);
}

function compareNumbers(op: string, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    default: return a !== b;
  }
}

function identical(a: PyValue, b: PyValue): boolean {
  if (a instanceof PyFloat && b instanceof PyFloat) return a === b;
  return a === b;
}

function equalValues(rt: Runtime, a: PyValue, b: PyValue, span: Span): boolean {
  if (a === b) return true;
  if ((hasKind(a, 'list') && hasKind(b, 'list')) || (hasKind(a, 'tuple') && hasKind(b, 'tuple'))) {
    return a.items.length === b.items.length && a.items.every((x, i) => {
      const r = compare(rt, '==', x, b.items[i], span);
      return rt.truth(r, span);
    });
  }
  return false;
}

function contains(rt: Runtime, container: PyValue, item: PyValue, span: Span): boolean {
  if (typeof container === 'string' && typeof item === 'string') return container.includes(item);
  if (hasKind(container, 'list') || hasKind(container, 'tuple')) return container.items.some((x) => rt.truth(compare(rt, '==', x, item, span), span));
  if (hasKind(container, 'dict')) {
    for (const { key } of container.entries.values()) if (rt.truth(compare(rt, '==', key, item, span), span)) return true;
    return false;
  }
  if (hasKind(container, 'range')) {
    const n = rt.number(item, span);
    const { start, stop, step } = container;
    return Number.isInteger(n) && (step > 0 ? n >= start && n < stop : n <= start && n > stop) && (n - start) % step === 0;
  }
  throw typeError(`argument of type '${typeName(container)}' is not iterable`, span);
}
