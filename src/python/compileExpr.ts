// Expressions compiled into closures, once per parse (parses are cached, and so is this, by node).
// Each closure holds its node's fields and its children's closures, so running the code dispatches
// on no node type and reads no AST node (they come in two dozen shapes). Code of many small
// statements, such as loops over scalars, spends much of its time there: the naive SVM's loops ran
// 10-15% faster compiled. Statements are compiled the same way in compileStmt.ts.
import { UserCodeError } from '../core/errors';
import type { Arg, Expr, IndexItem, Param, Span } from './ast';
import { binary, compare, unary } from './arith';
import { getAttribute } from './attributes';
import type { Interpreter } from './interpret';
import { itemsOf, iterate } from './iteration';
import { IndexValue, readIndex, writeIndex } from './subscript';
import { CallArgs, dictKey, hasKind, list, noKeywords, PyFloat, PyValue, Scope, tuple, typeError } from './values';

export type ExprCode = (x: Interpreter) => PyValue;
/** Assigns a value to an assignment's target (a name, an unpacking, an index). */
export type TargetCode = (x: Interpreter, value: PyValue, span: Span) => void;
type IndexCode = (x: Interpreter) => IndexValue;

const exprCodes = new WeakMap<Expr, ExprCode>();

export function exprCode(e: Expr): ExprCode {
  let code = exprCodes.get(e);
  if (code === undefined) exprCodes.set(e, (code = withSpan(e)));
  return code;
}

/** A function's or lambda's default values, evaluated where it is defined. */
export function defaultsCode(params: readonly Param[]): (x: Interpreter) => (PyValue | undefined)[] {
  const codes = params.map((p) => (p.defaultValue ? exprCode(p.defaultValue) : null));
  return (x) => codes.map((code) => (code ? code(x) : undefined));
}

// ---- assignment targets ----

export function targetCode(target: Expr): TargetCode {
  switch (target.type) {
    case 'Name': {
      const id = target.id;
      return (x, value, span) => x.assignName(id, value, span, 'assign');
    }
    case 'Tuple':
    case 'List': {
      const parts = target.elts.map(targetCode);
      return (x, value, span) => {
        const items = itemsOf(x.rt, value, span);
        if (items.length !== parts.length) {
          throw new UserCodeError('value', items.length > parts.length
            ? `too many values to unpack (expected ${parts.length})`
            : `not enough values to unpack (expected ${parts.length}, got ${items.length})`, span);
        }
        for (let i = 0; i < parts.length; i++) parts[i](x, items[i], span);
      };
    }
    case 'Subscript': {
      const obj = exprCode(target.obj), objName = nameOf(target.obj);
      const index = indexCodes(target.index);
      const targetSpan = target.span;
      return (x, value, span) => {
        const o = obj(x);
        const at = index(x);
        writeIndex(x.rt, o, at, value, targetSpan);
        x.emitIndexWrite(objName, o, at, span);
      };
    }
    case 'Attribute':
      return () => {
        throw new UserCodeError('unsupported', 'assigning to attributes is not supported', target.span);
      };
    default:
      return () => {
        throw new UserCodeError('syntax', 'cannot assign to this expression', target.span);
      };
  }
}

/** The variable an index write writes into, when it is a plain name. */
export function nameOf(e: Expr): string | null {
  return e.type === 'Name' ? e.id : null;
}

// ---- expressions ----

/** The node's code, giving its span to an error raised below it that has none. */
function withSpan(e: Expr): ExprCode {
  const code = expression(e);
  // A name, a literal or a lambda raises nothing without a span of its own.
  if (e.type === 'Name' || e.type === 'Num' || e.type === 'Str' || e.type === 'Bool' || e.type === 'None' || e.type === 'Lambda') return code;
  const span = e.span;
  return (x) => {
    try {
      return code(x);
    } catch (err) {
      throw attachSpan(err, span, x.module.source);
    }
  };
}

function expression(e: Expr): ExprCode {
  const span = e.span;
  switch (e.type) {
    case 'Name': {
      const id = e.id;
      return (x) => {
        const v = x.lookup(id);
        if (v === undefined) throw new UserCodeError('name', `name '${id}' is not defined`, span);
        return v;
      };
    }
    case 'Num': {
      if (e.isInt) {
        const v = e.exact ?? e.value;
        return () => v;
      }
      const value = e.value;
      return () => new PyFloat(value);
    }
    case 'Str': case 'Bool': {
      const v = e.value;
      return () => v;
    }
    case 'None':
      return () => null;
    case 'Ellipsis':
      return () => {
        throw new UserCodeError('unsupported', '... is only supported inside an index', span);
      };
    case 'Tuple': {
      const items = elementsCode(e.elts);
      return (x) => tuple(items(x));
    }
    case 'List': {
      const items = elementsCode(e.elts);
      return (x) => list(items(x));
    }
    case 'Dict': {
      const keys = e.keys.map(exprCode), values = e.values.map(exprCode);
      return (x) => {
        const entries = new Map<string, { key: PyValue; value: PyValue }>();
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i](x);
          entries.set(dictKey(key), { key, value: values[i](x) });
        }
        return { kind: 'dict', entries };
      };
    }
    case 'Attribute': {
      const obj = exprCode(e.obj), objExpr = e.obj, name = e.name;
      return (x) => getAttribute(x.rt, obj(x), name, span, objExpr);
    }
    case 'Subscript': {
      const obj = exprCode(e.obj);
      const index = indexCodes(e.index);
      return (x) => readIndex(x.rt, obj(x), index(x), span);
    }
    case 'Call': {
      const fn = exprCode(e.func);
      const args = callArgsCode(e.args, span);
      return (x) => x.callValue(fn(x), args(x));
    }
    case 'BinOp': {
      const { op } = e;
      const left = exprCode(e.left), right = exprCode(e.right);
      return (x) => binary(x.rt, op, left(x), right(x), span);
    }
    case 'UnaryOp': {
      const { op } = e;
      const operand = exprCode(e.operand);
      return (x) => unary(x.rt, op, operand(x), span);
    }
    case 'BoolOp': {
      const and = e.op === 'and';
      const left = exprCode(e.left), leftSpan = e.left.span, right = exprCode(e.right);
      return (x) => {
        const l = left(x);
        const truth = x.rt.truth(l, leftSpan);
        return (and ? !truth : truth) ? l : right(x);
      };
    }
    case 'Compare': {
      const left = exprCode(e.left), ops = e.ops, comparators = e.comparators.map(exprCode);
      return (x) => {
        let l = left(x);
        let result: PyValue = true;
        for (let i = 0; i < ops.length; i++) {
          const r = comparators[i](x);
          result = compare(x.rt, ops[i], l, r, span);
          if (i < ops.length - 1 && !x.rt.truth(result, span)) return result;
          l = r;
        }
        return result;
      };
    }
    case 'IfExp': {
      const test = exprCode(e.test), testSpan = e.test.span, body = exprCode(e.body), orelse = exprCode(e.orelse);
      return (x) => (x.rt.truth(test(x), testSpan) ? body(x) : orelse(x));
    }
    case 'Lambda': {
      const { params, body } = e;
      const defaults = defaultsCode(params);
      return (x) => ({ kind: 'lambda', params, body, defaults: defaults(x), closure: x.frame.scope });
    }
    case 'ListComp':
      return listComprehension(e);
    case 'Starred':
      return () => {
        throw new UserCodeError('unsupported', 'starred expressions are only supported in calls and lists', span);
      };
    case 'Unsupported': {
      const what = e.what;
      return () => {
        throw new UserCodeError('unsupported', `${what} ${what.endsWith('s') ? 'are' : 'is'} not supported`, span);
      };
    }
  }
}

function listComprehension(e: Extract<Expr, { type: 'ListComp' }>): ExprCode {
  const span = e.span;
  const iter = exprCode(e.iter), iterSpan = e.iter.span;
  const target = targetCode(e.target), targetSpan = e.target.span;
  const conditions = e.conditions.map((c) => ({ code: exprCode(c), span: c.span }));
  const elt = exprCode(e.elt);
  return (x) => {
    const out: PyValue[] = [];
    const scope: Scope = { vars: new Map(), parent: x.frame.scope };
    const saved = x.frame;
    x.frame = { ...saved, scope };
    try {
      for (const item of iterate(x.rt, iter(x), iterSpan)) {
        x.rt.step(span);
        target(x, item, targetSpan);
        if (conditions.every((c) => x.rt.truth(c.code(x), c.span))) out.push(elt(x));
      }
    } finally {
      x.frame = saved;
    }
    return list(out);
  };
}

/** A tuple's or list's items, with starred items spread. */
function elementsCode(elts: readonly Expr[]): (x: Interpreter) => PyValue[] {
  const parts = elts.map((el) => ({ code: exprCode(el.type === 'Starred' ? el.value : el), starred: el.type === 'Starred', span: el.span }));
  if (parts.every((p) => !p.starred)) {
    const codes = parts.map((p) => p.code);
    return (x) => {
      const out = new Array<PyValue>(codes.length);
      for (let i = 0; i < codes.length; i++) out[i] = codes[i](x);
      return out;
    };
  }
  return (x) => {
    const out: PyValue[] = [];
    for (const p of parts) {
      if (p.starred) out.push(...iterate(x.rt, p.code(x), p.span));
      else out.push(p.code(x));
    }
    return out;
  };
}

export function indexCodes(items: readonly IndexItem[]): (x: Interpreter) => IndexValue[] {
  const codes = items.map(indexCode);
  return (x) => {
    const out = new Array<IndexValue>(codes.length);
    for (let i = 0; i < codes.length; i++) out[i] = codes[i](x);
    return out;
  };
}

function indexCode(item: IndexItem): IndexCode {
  if (item.type === 'Slice') {
    const bound = (b: Expr | null): ((x: Interpreter) => number | null) => {
      if (!b) return () => null;
      const code = exprCode(b), span = b.span;
      return (x) => {
        const v = code(x);
        return v === null ? null : x.rt.int(v, span, 'slice indices');
      };
    };
    const [start, stop, step] = [bound(item.lower), bound(item.upper), bound(item.step)];
    return (x) => ({ slice: { start: start(x), stop: stop(x), step: step(x) } });
  }
  if (item.type === 'Ellipsis') return () => ({ ellipsis: true });
  const code = exprCode(item);
  return (x) => ({ value: code(x) });
}

function callArgsCode(args: readonly Arg[], span: Span): (x: Interpreter) => CallArgs {
  const parts = args.map((a) => ({ code: exprCode(a.value), name: a.name, star: a.star, span: a.value.span }));
  return (x) => {
    const positional: PyValue[] = [];
    let keywords: Map<string, PyValue> | null = null;
    for (const a of parts) {
      const v = a.code(x);
      if (a.star && a.name === '**') {
        if (!hasKind(v, 'dict')) throw typeError('argument after ** must be a mapping', a.span);
        keywords ??= new Map();
        for (const { key, value } of v.entries.values()) keywords.set(String(key), value);
      } else if (a.star) positional.push(...iterate(x.rt, v, a.span));
      else if (a.name !== null) (keywords ??= new Map()).set(a.name, v);
      else positional.push(v);
    }
    return { positional, keywords: keywords ?? noKeywords, span };
  };
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
