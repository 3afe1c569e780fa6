// Python values as the interpreter holds them. ints are JS numbers and bools JS booleans;
// floats are objects because a float that depends on an input carries its node on the tape.
import { UserCodeError } from '../core/errors';
import type { FunctionDef, Span } from './ast';
import type { NDArray } from './ndarray';

/** A Python float (or a NumPy float64 scalar), traced when `node >= 0`. */
export class PyFloat {
  constructor(
    readonly value: number,
    readonly node: number = -1,
    /** np.float64 rather than a Python float: divides by zero to inf instead of raising. */
    readonly numpy: boolean = false,
  ) {}
}

export interface PyList { kind: 'list'; items: PyValue[] }
export interface PyTuple { kind: 'tuple'; items: PyValue[] }
export interface PyDict { kind: 'dict'; entries: Map<string, { key: PyValue; value: PyValue }> }
export interface PyRange { kind: 'range'; start: number; stop: number; step: number }
/** A module's names: a Map, or built on first use (`lazyAttributes`). */
export interface ModuleAttributes {
  get(name: string): PyValue | undefined;
}

export interface PyModule { kind: 'module'; name: string; attrs: ModuleAttributes }

/** Attributes each made by its maker (from `context`) on first use, then kept. */
export function lazyAttributes<C>(makers: ReadonlyMap<string, (context: C) => PyValue>, context: C): ModuleAttributes {
  const made = new Map<string, PyValue>();
  return {
    get(name) {
      if (made.has(name)) return made.get(name);
      const make = makers.get(name);
      if (!make) return undefined;
      const value = make(context);
      made.set(name, value);
      return value;
    },
  };
}
export interface PyDType { kind: 'dtype'; dtype: 'float64' | 'int64' | 'bool' }

export interface Scope {
  vars: Map<string, PyValue>;
  parent: Scope | null;
}

export interface PyFunction {
  kind: 'function';
  def: FunctionDef;
  defaults: (PyValue | undefined)[];
  closure: Scope;
}

export interface PyLambda {
  kind: 'lambda';
  params: FunctionDef['params'];
  body: import('./ast').Expr;
  defaults: (PyValue | undefined)[];
  closure: Scope;
}

export interface CallArgs {
  positional: PyValue[];
  keywords: ReadonlyMap<string, PyValue>;
  span: Span;
}

/** The keywords of a call that passes none (most calls): one map for all of them. */
export const noKeywords: ReadonlyMap<string, PyValue> = new Map();

export interface PyBuiltin {
  kind: 'builtin';
  name: string;
  call: (args: CallArgs) => PyValue;
}

export type PyValue =
  | number
  | bigint
  | boolean
  | string
  | null
  | PyFloat
  | NDArray
  | PyList
  | PyTuple
  | PyDict
  | PyRange
  | PyModule
  | PyDType
  | PyFunction
  | PyLambda
  | PyBuiltin;

export const tuple = (items: PyValue[]): PyTuple => ({ kind: 'tuple', items });
export const list = (items: PyValue[]): PyList => ({ kind: 'list', items });

export function isInt(v: PyValue): v is number {
  return typeof v === 'number';
}

export function hasKind<K extends string>(v: PyValue, kind: K): v is Extract<PyValue, { kind: K }> {
  return typeof v === 'object' && v !== null && 'kind' in v && v.kind === kind;
}

export function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'number' || typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v instanceof PyFloat) return v.numpy ? 'numpy.float64' : 'float';
  if ('kind' in v) {
    switch (v.kind) {
      case 'ndarray': return 'numpy.ndarray';
      case 'function': case 'lambda': case 'builtin': return 'function';
      default: return v.kind;
    }
  }
  return 'object';
}

export function typeError(message: string, span: Span | null = null): UserCodeError {
  return new UserCodeError('type', message, span);
}

/** Dict keys: Python equality for the key types the subset uses (str, int, float, bool, tuples of them). */
export function dictKey(key: PyValue): string {
  if (typeof key === 'string') return `s:${key}`;
  if (typeof key === 'number' || typeof key === 'boolean') return `n:${Number(key)}`;
  if (typeof key === 'bigint') return `n:${key}`;
  if (key instanceof PyFloat) return `n:${key.value}`;
  if (key === null) return 'None';
  if (hasKind(key, 'tuple')) return `t:(${key.items.map(dictKey).join(',')})`;
  throw typeError(`unhashable type: '${typeName(key)}'`);
}
