// A define-by-run interpreter for the Python subset: it executes the AST on concrete values and
// every NumPy operation on values that depend on the inputs records a node on the tape.
import { UserCodeError } from '../core/errors';
import type { Arg, Expr, FunctionDef, Module, Param, Span, Stmt } from './ast';
import { binary, compare, ufuncNames, arithmeticOps, unary } from './arith';
import { makeBuiltins } from './builtins';
import { makeModules } from './modules';
import { getAttribute } from './attributes';
import { iterate } from './iteration';
import { NDArray } from './ndarray';
import { IndexValue, readIndex, writeIndex } from './subscript';
import { Runtime } from './runtime';
import { CallArgs, dictKey, hasKind, list, ModuleAttributes, PyFloat, PyFunction, PyLambda, PyValue, Scope, tuple, typeError, typeName } from './values';

export type AssignKind = 'assign' | 'update' | 'index-write' | 'parameter';

export interface Frame {
  readonly id: number;
  readonly fn: FunctionDef | null;
  readonly scope: Scope;
  readonly depth: number;
}

export interface AssignEvent {
  name: string;
  value: PyValue;
  span: Span;
  kind: AssignKind;
  frame: Frame;
}

export interface CallEvent {
  fn: FunctionDef;
  frame: Frame;
  args: Map<string, PyValue>;
}

export interface InterpreterHooks {
  onAssign?(event: AssignEvent): void;
  onEnter?(event: CallEvent): void;
  onReturn?(event: CallEvent & { value: PyValue }): void;
}

const enum Signal { Normal, Break, Continue, Return }

const maxCallDepth = 100;

export class Interpreter {
  readonly globals: Scope;
  private readonly builtins: ModuleAttributes;
  private readonly modules: (name: string) => PyValue | undefined;
  private frameCount = 0;
  private returnValue: PyValue = null;
  private frame: Frame;

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

  get currentFrame(): Frame {
    return this.frame;
  }

  /** Runs statements in the module scope. */
  runStatements(body: readonly Stmt[]): void {
    const signal = this.block(body);
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

  // ---- statements ----

  private block(body: readonly Stmt[]): Signal {
    for (const stmt of body) {
      let signal: Signal;
      try {
        signal = this.statement(stmt);
      } catch (err) {
        // An error no expression claimed (an index write, an unpacking) belongs to its statement.
        throw attachSpan(err, stmt.span, this.module.source);
      }
      if (signal !== Signal.Normal) return signal;
    }
    return Signal.Normal;
  }

  private statement(s: Stmt): Signal {
    this.rt.step(s.span);
    switch (s.type) {
      case 'Expr':
        this.expr(s.value);
        return Signal.Normal;
      case 'Assign': {
        const value = this.expr(s.value);
        for (const target of s.targets) this.assign(target, value, s.span);
        return Signal.Normal;
      }
      case 'AugAssign':
        this.augAssign(s.target, s.op, s.value, s.span);
        return Signal.Normal;
      case 'Return':
        this.returnValue = s.value ? this.expr(s.value) : null;
        return Signal.Return;
      case 'If':
        return this.block(this.rt.truth(this.expr(s.test), s.test.span) ? s.body : s.orelse);
      case 'For': {
        const iterable = this.expr(s.iter);
        for (const item of iterate(this.rt, iterable, s.iter.span)) {
          this.rt.step(s.span);
          this.assign(s.target, item, s.target.span);
          const signal = this.block(s.body);
          if (signal === Signal.Break) break;
          if (signal === Signal.Return) return signal;
        }
        return Signal.Normal;
      }
      case 'While':
        while (this.rt.truth(this.expr(s.test), s.test.span)) {
          this.rt.step(s.span);
          const signal = this.block(s.body);
          if (signal === Signal.Break) break;
          if (signal === Signal.Return) return signal;
        }
        return Signal.Normal;
      case 'Break':
        return Signal.Break;
      case 'Continue':
        return Signal.Continue;
      case 'Pass':
        return Signal.Normal;
      case 'FunctionDef': {
        const fn: PyFunction = { kind: 'function', def: s.def, defaults: this.defaults(s.def.params), closure: this.frame.scope };
        this.frame.scope.vars.set(s.def.name, fn);
        return Signal.Normal;
      }
      case 'Import':
        this.frame.scope.vars.set(s.alias, this.importModule(s.module, s.span));
        return Signal.Normal;
      case 'ImportFrom': {
        const module = this.importModule(s.module, s.span);
        if (!hasKind(module, 'module')) return Signal.Normal;
        for (const { name, alias } of s.names) {
          const v = module.attrs.get(name);
          if (v === undefined) throw new UserCodeError('unsupported', `${s.module}.${name} is not supported`, s.span);
          this.frame.scope.vars.set(alias, v);
        }
        return Signal.Normal;
      }
      case 'Assert':
        if (!this.rt.truth(this.expr(s.test), s.test.span)) {
          const message = s.message ? this.expr(s.message) : null;
          throw new UserCodeError('runtime', `AssertionError${typeof message === 'string' ? `: ${message}` : ''}`, s.span);
        }
        return Signal.Normal;
      case 'Unsupported':
        throw new UserCodeError('unsupported', `${s.what} ${s.what.endsWith('s') ? 'are' : 'is'} not supported`, s.span);
    }
  }

  private importModule(module: string, span: Span): PyValue {
    const base = this.modules(module);
    if (!base) throw new UserCodeError('unsupported', `the module '${module}' is not supported (numpy and math are)`, span);
    return base;
  }

  private defaults(params: readonly Param[]): (PyValue | undefined)[] {
    return params.map((p) => (p.defaultValue ? this.expr(p.defaultValue) : undefined));
  }

  // ---- assignment ----

  private assign(target: Expr, value: PyValue, span: Span): void {
    switch (target.type) {
      case 'Name':
        this.assignName(target.id, value, span, 'assign');
        return;
      case 'Tuple':
      case 'List': {
        const items = [...iterate(this.rt, value, span)];
        if (items.length !== target.elts.length) {
          throw new UserCodeError('value', items.length > target.elts.length
            ? `too many values to unpack (expected ${target.elts.length})`
            : `not enough values to unpack (expected ${target.elts.length}, got ${items.length})`, span);
        }
        target.elts.forEach((t, i) => this.assign(t, items[i], span));
        return;
      }
      case 'Subscript': {
        const obj = this.expr(target.obj);
        const index = target.index.map((i) => this.indexItem(i));
        writeIndex(this.rt, obj, index, value, target.span, (e) => this.expr(e));
        this.emitIndexWrite(target.obj, obj, index, span);
        return;
      }
      case 'Attribute':
        throw new UserCodeError('unsupported', 'assigning to attributes is not supported', target.span);
      default:
        throw new UserCodeError('syntax', 'cannot assign to this expression', target.span);
    }
  }

  private assignName(name: string, value: PyValue, span: Span, kind: AssignKind): void {
    this.frame.scope.vars.set(name, value);
    const node = value instanceof NDArray ? value.read(this.rt.tape, span) : value instanceof PyFloat ? value.node : -1;
    if (node >= 0) {
      const n = this.rt.tape.nodes[node];
      if (n.name === null && n.kind !== 'leaf') n.name = name;
    }
    this.emit(name, value, span, kind);
  }

  /** `dW[:, j] += ...` counts as an assignment of dW; `grads['W1'] = ...` of the entry `grads['W1']`. */
  private emitIndexWrite(objExpr: Expr, obj: PyValue, index: readonly IndexValue[], span: Span): void {
    if (objExpr.type !== 'Name') return;
    if (hasKind(obj, 'dict') && index.length === 1 && 'value' in index[0] && typeof index[0].value === 'string') {
      const key = index[0].value;
      this.emit(`${objExpr.id}['${key}']`, obj.entries.get(dictKey(key))?.value ?? null, span, 'index-write');
      return;
    }
    this.emit(objExpr.id, obj, span, 'index-write');
  }

  private emit(name: string, value: PyValue, span: Span, kind: AssignKind): void {
    this.hooks.onAssign?.({ name, value, span, kind, frame: this.frame });
  }

  /** `x op= y`: in place for arrays (every alias sees it), a rebinding for everything else. */
  private augAssign(target: Expr, op: string, valueExpr: Expr, span: Span): void {
    const value = this.expr(valueExpr);
    if (target.type === 'Subscript') {
      const obj = this.expr(target.obj);
      const index = target.index.map((i) => this.indexItem(i));
      const current = readIndex(this.rt, obj, index, target.span);
      writeIndex(this.rt, obj, index, binary(this.rt, op, current, value, span), target.span, (e) => this.expr(e));
      this.emitIndexWrite(target.obj, obj, index, span);
      return;
    }
    if (target.type !== 'Name') throw new UserCodeError('syntax', 'illegal expression for augmented assignment', target.span);
    const current = this.expr(target);
    if (current instanceof NDArray && arithmeticOps[op]) {
      try {
        current.updateInPlace(this.rt.tape, arithmeticOps[op], this.rt.node(value, span), span, ufuncNames[op] ?? op);
      } catch (e) {
        throw attachSpan(e, span, this.module.source);
      }
      this.emit(target.id, current, span, 'update');
      return;
    }
    if (hasKind(current, 'list') && op === '+') {
      current.items.push(...iterate(this.rt, value, span));
      this.emit(target.id, current, span, 'update');
      return;
    }
    this.assignName(target.id, binary(this.rt, op, current, value, span), span, 'update');
  }

  // ---- expressions ----

  expr(e: Expr): PyValue {
    try {
      return this.evaluate(e);
    } catch (err) {
      throw attachSpan(err, e.span, this.module.source);
    }
  }

  private evaluate(e: Expr): PyValue {
    switch (e.type) {
      case 'Name': {
        const v = this.lookup(e.id);
        if (v === undefined) throw new UserCodeError('name', `name '${e.id}' is not defined`, e.span);
        return v;
      }
      case 'Num':
        return e.isInt ? (e.exact ?? e.value) : new PyFloat(e.value);
      case 'Str':
        return e.value;
      case 'Bool':
        return e.value;
      case 'None':
        return null;
      case 'Ellipsis':
        throw new UserCodeError('unsupported', '... is only supported inside an index', e.span);
      case 'Tuple':
        return tuple(this.elements(e.elts));
      case 'List':
        return list(this.elements(e.elts));
      case 'Dict': {
        const entries = new Map<string, { key: PyValue; value: PyValue }>();
        e.keys.forEach((k, i) => {
          const key = this.expr(k);
          entries.set(dictKey(key), { key, value: this.expr(e.values[i]) });
        });
        return { kind: 'dict', entries };
      }
      case 'Attribute':
        return getAttribute(this.rt, this.expr(e.obj), e.name, e.span, e.obj);
      case 'Subscript':
        return readIndex(this.rt, this.expr(e.obj), e.index.map((i) => this.indexItem(i)), e.span, e.isTuple);
      case 'Call':
        return this.call(e);
      case 'BinOp':
        return binary(this.rt, e.op, this.expr(e.left), this.expr(e.right), e.span);
      case 'UnaryOp':
        return unary(this.rt, e.op, this.expr(e.operand), e.span);
      case 'BoolOp': {
        const left = this.expr(e.left);
        const truth = this.rt.truth(left, e.left.span);
        if (e.op === 'and' ? !truth : truth) return left;
        return this.expr(e.right);
      }
      case 'Compare': {
        let left = this.expr(e.left);
        let result: PyValue = true;
        for (let i = 0; i < e.ops.length; i++) {
          const right = this.expr(e.comparators[i]);
          result = compare(this.rt, e.ops[i], left, right, e.span);
          if (i < e.ops.length - 1 && !this.rt.truth(result, e.span)) return result;
          left = right;
        }
        return result;
      }
      case 'IfExp':
        return this.rt.truth(this.expr(e.test), e.test.span) ? this.expr(e.body) : this.expr(e.orelse);
      case 'Lambda':
        return { kind: 'lambda', params: e.params, body: e.body, defaults: this.defaults(e.params), closure: this.frame.scope };
      case 'ListComp': {
        const out: PyValue[] = [];
        const scope: Scope = { vars: new Map(), parent: this.frame.scope };
        const saved = this.frame;
        this.frame = { ...saved, scope };
        try {
          for (const item of iterate(this.rt, this.expr(e.iter), e.iter.span)) {
            this.rt.step(e.span);
            this.assign(e.target, item, e.target.span);
            if (e.conditions.every((c) => this.rt.truth(this.expr(c), c.span))) out.push(this.expr(e.elt));
          }
        } finally {
          this.frame = saved;
        }
        return list(out);
      }
      case 'Starred':
        throw new UserCodeError('unsupported', 'starred expressions are only supported in calls and lists', e.span);
      case 'Unsupported':
        throw new UserCodeError('unsupported', `${e.what} ${e.what.endsWith('s') ? 'are' : 'is'} not supported`, e.span);
    }
  }

  private elements(elts: readonly Expr[]): PyValue[] {
    const out: PyValue[] = [];
    for (const el of elts) {
      if (el.type === 'Starred') out.push(...iterate(this.rt, this.expr(el.value), el.span));
      else out.push(this.expr(el));
    }
    return out;
  }

  private indexItem(item: Expr | { type: 'Slice'; lower: Expr | null; upper: Expr | null; step: Expr | null; span: Span }): IndexValue {
    if (item.type === 'Slice') {
      const bound = (b: Expr | null): number | null => {
        if (!b) return null;
        const v = this.expr(b);
        return v === null ? null : this.rt.int(v, b.span, 'slice indices');
      };
      return { slice: { start: bound(item.lower), stop: bound(item.upper), step: bound(item.step) } };
    }
    if (item.type === 'Ellipsis') return { ellipsis: true };
    return { value: this.expr(item) };
  }

  private call(e: Extract<Expr, { type: 'Call' }>): PyValue {
    const fn = this.expr(e.func);
    const args = this.callArgs(e.args, e.span);
    return this.callValue(fn, args);
  }

  private callArgs(args: readonly Arg[], span: Span): CallArgs {
    const positional: PyValue[] = [];
    const keywords = new Map<string, PyValue>();
    for (const a of args) {
      const v = this.expr(a.value);
      if (a.star && a.name === '**') {
        if (!hasKind(v, 'dict')) throw typeError('argument after ** must be a mapping', a.value.span);
        for (const { key, value } of v.entries.values()) keywords.set(String(key), value);
      } else if (a.star) positional.push(...iterate(this.rt, v, a.value.span));
      else if (a.name !== null) keywords.set(a.name, v);
      else positional.push(v);
    }
    return { positional, keywords, span };
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
  runFunction(def: FunctionDef, closure: Scope, bound: Map<string, PyValue>, callSpan: Span): PyValue {
    if (this.frame.depth >= maxCallDepth) throw new UserCodeError('runtime', 'maximum recursion depth exceeded', callSpan);
    const caller = this.frame;
    const frame: Frame = { id: this.frameCount++, fn: def, scope: { vars: new Map(), parent: closure }, depth: caller.depth + 1 };
    this.frame = frame;
    try {
      for (const [name, value] of bound) this.assignName(name, value, def.params.find((p) => p.name === name)?.span ?? def.headerSpan, 'parameter');
      this.hooks.onEnter?.({ fn: def, frame, args: bound });
      const signal = this.block(def.body);
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

/** Gives a span to an error raised below an expression; shape errors also name the expression. */
export function attachSpan(err: unknown, span: Span, source: string): unknown {
  if (err instanceof UserCodeError && err.span === null) {
    err.span = span;
    if (err.kind === 'shape') {
      const text = source.slice(span.from, span.to);
      if (text.length <= 80 && !text.includes('\n')) err.message = `${text}: ${err.message}`;
    }
  }
  return err;
}
