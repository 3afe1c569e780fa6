// Python's ints are exact at any size: small ones are JS numbers, the rest JS bigints.
import { UserCodeError } from '../core/errors';
import type { Span } from './ast';
import { PyFloat, PyValue } from './values';

export type PyInt = number | bigint;

/** A bigint that fits a double exactly goes back to being a number. */
export function normalizeInt(v: bigint): PyInt {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** int → float, as Python's float(int): an int beyond a double's range is an OverflowError. */
export function intToFloat(v: PyInt, span: Span | null): number {
  const f = Number(v);
  if (!Number.isFinite(f)) throw new UserCodeError('value', 'int too large to convert to float', span);
  return f;
}

const exact = (v: number): boolean => Number.isSafeInteger(v);

function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}

export function intOp(op: string, a: PyInt, b: PyInt, span: Span): PyValue {
  if (op === '/') {
    if (b === 0 || b === 0n) throw new UserCodeError('zero-division', 'division by zero', span);
    return new PyFloat(intToFloat(a, span) / intToFloat(b, span));
  }
  if ((op === '//' || op === '%') && (b === 0 || b === 0n)) throw new UserCodeError('zero-division', 'integer division or modulo by zero', span);
  if (op === '**' && b < 0) return new PyFloat(Math.pow(intToFloat(a, span), intToFloat(b, span)));
  // The double result is exact while every value stays a safe integer; bit operations always go exact.
  if (typeof a === 'number' && typeof b === 'number' && !['&', '|', '^', '<<', '>>'].includes(op)) {
    const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '//' ? Math.floor(a / b) : op === '%' ? a - Math.floor(a / b) * b : op === '**' ? Math.pow(a, b) : Number.NaN;
    if (Number.isNaN(r)) throw new UserCodeError('unsupported', `the operator ${op} is not supported on ints`, span);
    if (exact(r)) return r;
  }
  const x = BigInt(a), y = BigInt(b);
  switch (op) {
    case '+': return normalizeInt(x + y);
    case '-': return normalizeInt(x - y);
    case '*': return normalizeInt(x * y);
    case '//': return normalizeInt(floorDivBig(x, y));
    case '%': return normalizeInt(x - floorDivBig(x, y) * y);
    case '**':
      if (y > 100_000n) throw new UserCodeError('budget', 'an integer power this large is over the budget', span);
      return normalizeInt(x ** y);
    case '&': return normalizeInt(x & y);
    case '|': return normalizeInt(x | y);
    case '^': return normalizeInt(x ^ y);
    case '<<': return normalizeInt(x << y);
    case '>>': return normalizeInt(x >> y);
  }
  throw new UserCodeError('unsupported', `the operator ${op} is not supported on ints`, span);
}

/** Compares two Python ints exactly. */
export function compareInts(a: PyInt, b: PyInt): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = BigInt(a), y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
