// A define-by-run interpreter for the Python subset: it runs the AST (compiled into closures by
// compileExpr.ts and compileStmt.ts) on concrete values, and every NumPy operation on values that
// depend on the inputs records a node on the tape. This class holds the frames, scopes and calls.
import { UserCodeError } from '../core/errors';
import type { Expr, FunctionDef, Module, Param, Span, Stmt } from './ast';
import { makeBuiltins } from './builtins';
import { exprCode } from './compileExpr';
import { blockCode, runStatements, Signal } from './compileStmt';
import { makeModules } from './modules';
import { NDArray } from './ndarray';
import type { IndexValue } from './subscript';
import { Runtime } from './runtime';
import { CallArgs, dictKey, hasKind, ModuleAttributes, PyFloat, PyFunction, PyLambda, PyValue, Scope, typeError, typeName } from './values';

export type AssignKind = 'assign' | 'update' | 'index-write' | 'parameter';

export interface Frame {
  readonly id: number;
  readonly fn: FunctionDef | null;
  readonly scope: Scope;
  readonly depth: number;
}

export interface CallEvent {
  fn: FunctionDef;
  frame: Frame;
  args: ReadonlyMap<string, PyValue>;
}

export interface InterpreterHooks {
  /** `name` bound to `value` in `frame`; positional, since it runs for every assignment. */
  onAssign?(name: string, value: PyValue, span: Span, kind: AssignKind, frame: Frame): void;
  onEnter?(event: CallEvent): void;
  onReturn?(event: CallEvent & { value: PyValue }): void;
}

const maxCallDepth = 100;

export class Interpreter {
  readonly globals: Scope;
  private readonly builtins: ModuleAttributes;
  private readonly modules: (name: string) => PyValue | undefined;
  private frameCount = 0;
  /** The value a `return` statement gave, until its function takes it. */
  returnValue: PyValue = null;
  /** The running function's frame (a list comprehension runs in a scope of its own). */
  frame: Frame;

  constructor(
    readonly module: Module,
    readonly rt: Runtime,
    /** Listeners for assignments and calls (hand-written gradient matching, variables). */
    public hooks: InterpreterHooks = {},
  ) {
    const call = (fn: PyValue, args: CallArgs): PyValue => this.callValue(fn, args);
    this.globals = { vars: new Map(), parent: null };
    this.builtins = makeBuiltins(rt, call);
    this.modules = makeModules(rt);
    this.frame = { id: this.frameCount++, fn: null, scope: this.globals, depth: 0 };
  }

  /** Runs statements in the module scope. */
  runStatements(body: readonly Stmt[]): void {
    const signal = runStatements(this, body);
    if (signal === Signal.Break || signal === Signal.Continue) throw new UserCodeError('syntax', "'break' or 'continue' outside a loop");
  }

  setGlobal(name: string, value: PyValue, span: Span, kind: AssignKind = 'assign'): void {
    this.assignName(name, value, span, kind);
  }

  lookup(name: string, scope: Scope = this.frame.scope): PyValue | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    // Past the module's globals: Python's builtins.
    return this.builtins.get(name);
  }

  /** Calls a function value with already-evaluated arguments. */
  callValue(fn: PyValue, args: CallArgs): PyValue {
    if (hasKind(fn, 'builtin')) return fn.call(args);
    if (hasKind(fn, 'function')) return this.callFunction(fn, args);
    if (hasKind(fn, 'lambda')) return this.callLambda(fn, args);
    if (hasKind(fn, 'dtype')) return castScalar(this.rt, fn.dtype, args);
    throw typeError(`'${typeName(fn)}' object is not callable`, args.span);
  }

  /** Evaluates an expression (through its compiled code, compileExpr.ts). */
  expr(e: Expr): PyValue {
    return exprCode(e)(this);
  }

  // ---- what the compiled code calls ----

  importModule(module: string, span: Span): PyValue {
    const base = this.modules(module);
    if (!base) throw new UserCodeError('unsupported', `the module '${module}' is not supported (numpy and math are)`, span);
    return base;
  }

  assignName(name: string, value: PyValue, span: Span, kind: AssignKind): void {
    this.frame.scope.vars.set(name, value);
    const node = value instanceof NDArray ? value.read(this.rt.tape, span) : value instanceof PyFloat ? value.node : -1;
    if (node >= 0) {
      const n = this.rt.tape.nodes[node];
      if (n.name === null && n.kind !== 'leaf') n.name = name;
    }
    this.emit(name, value, span, kind);
  }

  /** `dW[:, j] += ...` counts as an assignment of dW; `grads['W1'] = ...` of the entry `grads['W1']`. */
  emitIndexWrite(objName: string | null, obj: PyValue, index: readonly IndexValue[], span: Span): void {
    if (objName === null) return;
    if (hasKind(obj, 'dict') && index.length === 1 && 'value' in index[0] && typeof index[0].value === 'string') {
      const key = index[0].value;
      this.emit(`${objName}['${key}']`, obj.entries.get(dictKey(key))?.value ?? null, span, 'index-write');
      return;
    }
    this.emit(objName, obj, span, 'index-write');
  }

  emit(name: string, value: PyValue, span: Span, kind: AssignKind): void {
    this.hooks.onAssign?.(name, value, span, kind, this.frame);
  }

  private bindParameters(name: string, params: readonly Param[], defaults: readonly (PyValue | undefined)[], args: CallArgs): Map<string, PyValue> {
    const bound = new Map<string, PyValue>();
    const plain = params.filter((p) => p.star === '');
    if (params.some((p) => p.star !== '')) throw new UserCodeError('unsupported', `*args and **kwargs parameters (in ${name}) are not supported`, args.span);
    if (args.positional.length > plain.length) {
      throw typeError(`${name}() takes ${plain.length} positional arguments but ${args.positional.length} were given`, args.span);
    }
    args.positional.forEach((v, i) => bound.set(plain[i].name, v));
    for (const [k, v] of args.keywords) {
      if (!plain.some((p) => p.name === k)) throw typeError(`${name}() got an unexpected keyword argument '${k}'`, args.span);
      if (bound.has(k)) throw typeError(`${name}() got multiple values for argument '${k}'`, args.span);
      bound.set(k, v);
    }
    for (const p of plain) {
      if (bound.has(p.name)) continue;
      const d = defaults[params.indexOf(p)];
      if (d === undefined) throw typeError(`${name}() missing 1 required positional argument: '${p.name}'`, args.span);
      bound.set(p.name, d);
    }
    return bound;
  }

  private callFunction(fn: PyFunction, args: CallArgs): PyValue {
    const bound = this.bindParameters(fn.def.name, fn.def.params, fn.defaults, args);
    return this.runFunction(fn.def, fn.closure, bound, args.span);
  }

  /** Runs a function body with parameters already bound (also the analysis entry point). */
  runFunction(def: FunctionDef, closure: Scope, bound: ReadonlyMap<string, PyValue>, callSpan: Span): PyValue {
    if (this.frame.depth >= maxCallDepth) throw new UserCodeError('runtime', 'maximum recursion depth exceeded', callSpan);
    const caller = this.frame;
    const frame: Frame = { id: this.frameCount++, fn: def, scope: { vars: new Map(), parent: closure }, depth: caller.depth + 1 };
    this.frame = frame;
    try {
      for (const [name, value] of bound) this.assignName(name, value, parameterSpan(def, name), 'parameter');
      this.hooks.onEnter?.({ fn: def, frame, args: bound });
      const signal = blockCode(def.body)(this);
      const value = signal === Signal.Return ? this.returnValue : null;
      this.returnValue = null;
      this.hooks.onReturn?.({ fn: def, frame, args: bound, value });
      return value;
    } finally {
      this.frame = caller;
    }
  }

  private callLambda(fn: PyLambda, args: CallArgs): PyValue {
    const bound = this.bindParameters('<lambda>', fn.params, fn.defaults, args);
    const caller = this.frame;
    this.frame = { id: this.frameCount++, fn: null, scope: { vars: bound, parent: fn.closure }, depth: caller.depth + 1 };
    try {
      return this.expr(fn.body);
    } finally {
      this.frame = caller;
    }
  }
}

/** np.float64(x), int(x) on a dtype object. */
function castScalar(rt: Runtime, dtype: 'float64' | 'int64' | 'bool', args: CallArgs): PyValue {
  const v = args.positional[0] ?? 0;
  if (dtype === 'float64') {
    if (v instanceof PyFloat) return new PyFloat(v.value, v.node, true);
    if (v instanceof NDArray && v.size === 1) return rt.wrap(rt.node(v, args.span));
    return new PyFloat(rt.number(v, args.span), -1, true);
  }
  const n = rt.number(v, args.span);
  return dtype === 'bool' ? n !== 0 : Math.trunc(n);
}

/** Where a parameter is declared: a loop, not a search with a closure, as it runs for every call. */
function parameterSpan(def: FunctionDef, name: string): Span {
  for (const p of def.params) if (p.name === name) return p.span;
  return def.headerSpan;
}
