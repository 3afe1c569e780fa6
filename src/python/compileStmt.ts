// Statements compiled into closures, as expressions are (compileExpr.ts): a body's code is kept with
// the body, and a statement's work is looked up when it is compiled, not each time it runs.
import { UserCodeError } from '../core/errors';
import type { Expr, Span, Stmt } from './ast';
import { arithmeticOps, binary, ufuncNames } from './arith';
import { attachSpan, defaultsCode, ExprCode, exprCode, indexCodes, nameOf, targetCode } from './compileExpr';
import type { Interpreter } from './interpret';
import { iterate } from './iteration';
import { NDArray } from './ndarray';
import { readIndex, writeIndex } from './subscript';
import { hasKind, PyFunction } from './values';

export enum Signal { Normal, Break, Continue, Return }

export type StmtCode = (x: Interpreter) => Signal;

const stmtCodes = new WeakMap<Stmt, StmtCode>();
const blockCodes = new WeakMap<readonly Stmt[], StmtCode>();

/** A statement's code; errors no expression claimed are not given its span here (a block does that). */
export function stmtCode(s: Stmt): StmtCode {
  let code = stmtCodes.get(s);
  if (code === undefined) stmtCodes.set(s, (code = statement(s)));
  return code;
}

/** Runs statements in order until one signals a break, continue or return. */
export function blockCode(body: readonly Stmt[]): StmtCode {
  let code = blockCodes.get(body);
  if (code === undefined) blockCodes.set(body, (code = block(body)));
  return code;
}

function block(body: readonly Stmt[]): StmtCode {
  const codes = body.map(stmtCode);
  const spans = body.map((s) => s.span);
  return (x) => runCodes(x, codes, spans);
}

/** Runs statements of a list made for one run (a body's code is kept with its body instead). */
export function runStatements(x: Interpreter, body: readonly Stmt[]): Signal {
  return runCodes(x, body.map(stmtCode), body.map((s) => s.span));
}

function runCodes(x: Interpreter, codes: readonly StmtCode[], spans: readonly Span[]): Signal {
  for (let i = 0; i < codes.length; i++) {
    let signal: Signal;
    try {
      signal = codes[i](x);
    } catch (err) {
      // An error no expression claimed (an index write, an unpacking) belongs to its statement.
      throw attachSpan(err, spans[i], x.module.source);
    }
    if (signal !== Signal.Normal) return signal;
  }
  return Signal.Normal;
}

// ---- statements ----

function statement(s: Stmt): StmtCode {
  const span = s.span;
  const work = statementWork(s);
  return (x) => {
    x.rt.step(span);
    return work(x);
  };
}

function statementWork(s: Stmt): StmtCode {
  const span = s.span;
  switch (s.type) {
    case 'Expr': {
      const value = exprCode(s.value);
      return (x) => {
        value(x);
        return Signal.Normal;
      };
    }
    case 'Assign': {
      const value = exprCode(s.value);
      const targets = s.targets.map(targetCode);
      if (targets.length === 1) {
        const [target] = targets;
        return (x) => {
          target(x, value(x), span);
          return Signal.Normal;
        };
      }
      return (x) => {
        const v = value(x);
        for (const target of targets) target(x, v, span);
        return Signal.Normal;
      };
    }
    case 'AugAssign':
      return augAssign(s.target, s.op, exprCode(s.value), span);
    case 'Return': {
      const value = s.value ? exprCode(s.value) : null;
      return (x) => {
        x.returnValue = value ? value(x) : null;
        return Signal.Return;
      };
    }
    case 'If': {
      const test = exprCode(s.test), testSpan = s.test.span;
      const body = blockCode(s.body), orelse = blockCode(s.orelse);
      return (x) => (x.rt.truth(test(x), testSpan) ? body(x) : orelse(x));
    }
    case 'For': {
      const iter = exprCode(s.iter), iterSpan = s.iter.span;
      const target = targetCode(s.target), targetSpan = s.target.span;
      const body = blockCode(s.body);
      return (x) => {
        for (const item of iterate(x.rt, iter(x), iterSpan)) {
          x.rt.step(span);
          target(x, item, targetSpan);
          const signal = body(x);
          if (signal === Signal.Break) break;
          if (signal === Signal.Return) return signal;
        }
        return Signal.Normal;
      };
    }
    case 'While': {
      const test = exprCode(s.test), testSpan = s.test.span;
      const body = blockCode(s.body);
      return (x) => {
        while (x.rt.truth(test(x), testSpan)) {
          x.rt.step(span);
          const signal = body(x);
          if (signal === Signal.Break) break;
          if (signal === Signal.Return) return signal;
        }
        return Signal.Normal;
      };
    }
    case 'Break':
      return () => Signal.Break;
    case 'Continue':
      return () => Signal.Continue;
    case 'Pass':
      return () => Signal.Normal;
    case 'FunctionDef': {
      const def = s.def;
      const defaults = defaultsCode(def.params);
      return (x) => {
        const fn: PyFunction = { kind: 'function', def, defaults: defaults(x), closure: x.frame.scope };
        x.frame.scope.vars.set(def.name, fn);
        return Signal.Normal;
      };
    }
    case 'Import': {
      const { module, alias } = s;
      return (x) => {
        x.frame.scope.vars.set(alias, x.importModule(module, span));
        return Signal.Normal;
      };
    }
    case 'ImportFrom': {
      const { module: name, names } = s;
      return (x) => {
        const module = x.importModule(name, span);
        if (!hasKind(module, 'module')) return Signal.Normal;
        for (const { name: attribute, alias } of names) {
          const v = module.attrs.get(attribute);
          if (v === undefined) throw new UserCodeError('unsupported', `${name}.${attribute} is not supported`, span);
          x.frame.scope.vars.set(alias, v);
        }
        return Signal.Normal;
      };
    }
    case 'Assert': {
      const test = exprCode(s.test), testSpan = s.test.span;
      const message = s.message ? exprCode(s.message) : null;
      return (x) => {
        if (!x.rt.truth(test(x), testSpan)) {
          const text = message ? message(x) : null;
          throw new UserCodeError('runtime', `AssertionError${typeof text === 'string' ? `: ${text}` : ''}`, span);
        }
        return Signal.Normal;
      };
    }
    case 'Unsupported': {
      const what = s.what;
      return () => {
        throw new UserCodeError('unsupported', `${what} ${what.endsWith('s') ? 'are' : 'is'} not supported`, span);
      };
    }
  }
}

// ---- augmented assignment ----

/** `x op= y`: in place for arrays (every alias sees it), a rebinding for everything else. */
function augAssign(target: Expr, op: string, value: ExprCode, span: Span): StmtCode {
  if (target.type === 'Subscript') {
    const obj = exprCode(target.obj), objName = nameOf(target.obj);
    const index = indexCodes(target.index);
    const targetSpan = target.span;
    return (x) => {
      const v = value(x);
      const o = obj(x);
      const at = index(x);
      const current = readIndex(x.rt, o, at, targetSpan);
      writeIndex(x.rt, o, at, binary(x.rt, op, current, v, span), targetSpan);
      x.emitIndexWrite(objName, o, at, span);
      return Signal.Normal;
    };
  }
  if (target.type !== 'Name') {
    return () => {
      throw new UserCodeError('syntax', 'illegal expression for augmented assignment', target.span);
    };
  }
  const name = target.id;
  const read = exprCode(target);
  const inPlace = arithmeticOps[op];
  const ufunc = ufuncNames[op] ?? op;
  return (x) => {
    const v = value(x);
    const current = read(x);
    if (current instanceof NDArray && inPlace) {
      try {
        current.updateInPlace(x.rt.tape, inPlace, x.rt.node(v, span), span, ufunc);
      } catch (e) {
        throw attachSpan(e, span, x.module.source);
      }
      x.emit(name, current, span, 'update');
    } else if (hasKind(current, 'list') && op === '+') {
      current.items.push(...iterate(x.rt, v, span));
      x.emit(name, current, span, 'update');
    } else {
      x.assignName(name, binary(x.rt, op, current, v, span), span, 'update');
    }
    return Signal.Normal;
  };
}
