// Gradients the user returns: `return loss, dW`, `return loss, grads` (a dict keyed by parameter),
// and the results of NAME_backward(dout, cache) for a NAME_forward pair. Compared by value returned.
import { UserCodeError } from '../core/errors';
import { Tensor } from '../core/tensor';
import type { Expr, FunctionDef, Module } from '../python/ast';
import type { Frame } from '../python/interpret';
import { NDArray } from '../python/ndarray';
import { hasKind, noKeywords, PyFloat, PyValue } from '../python/values';
import { toReportError } from './errors';
import type { Execution } from './execute';
import { findFunction } from './execute';
import { Assignment, compareGradient, floatValue, gradientTargets, HandWrittenGradients, returnedExpressions, toMismatch } from './handwritten';
import type { Mismatch, ReportError, SourceSpan } from './report';

export interface Found {
  mismatch: Mismatch;
  order: number;
}

type UserGradients = Map<string, { name: string; value: Tensor }>;

interface ReturnedContext {
  fn: FunctionDef;
  execution: Execution;
  handWritten: HandWrittenGradients;
  grads: readonly (Tensor | null)[];
  threshold: number;
  frame: number | null;
}

/** The float parameters of a function, in order: the ones a gradient can belong to. */
function floatParameters(fn: FunctionDef, execution: Execution): string[] {
  return fn.params.map((p) => p.name).filter((name) => execution.leaves.has(name));
}

/** Which parameter a returned gradient belongs to: by its name, else by its position. */
function targetOf(expr: Expr | undefined, position: number, candidates: readonly string[], handWritten: HandWrittenGradients): string | null {
  if (expr?.type === 'Name') {
    const tracked = handWritten.tracking(expr.id);
    if (tracked && candidates.includes(tracked.target)) return tracked.target;
    const byName = gradientTargets(expr.id).find((t) => candidates.includes(t));
    if (byName) return byName;
  }
  return candidates[position] ?? null;
}

function compareOne(ctx: Pick<ReturnedContext, 'execution' | 'grads' | 'threshold'>, name: string, target: string, value: PyValue, where: Assignment): { found: Found | null; user: Tensor | null } {
  const tape = ctx.execution.rt.tape;
  const leaf = ctx.execution.leaves.get(target)!;
  const expected = ctx.grads[leaf] ?? Tensor.zeros(tape.value(leaf).shape);
  const actual = floatValue(tape, value);
  if (!actual) return { found: null, user: null };
  const verdict = compareGradient(actual.value, expected, ctx.threshold, false);
  return { found: verdict ? { mismatch: toMismatch(name, target, where.span, expected, actual.value, verdict), order: where.order } : null, user: actual.value };
}

export function returnedMismatches(ctx: ReturnedContext): { found: Found[]; names: Set<string>; userGradients: UserGradients } {
  const found: Found[] = [];
  const names = new Set<string>();
  const userGradients: UserGradients = new Map();
  const returned = ctx.execution.returned;
  if (!(hasKind(returned, 'tuple') || hasKind(returned, 'list')) || returned.items.length < 2) return { found, names, userGradients };
  // (out, cache) of a forward layer is not (loss, gradients).
  if (/_forward$/.test(ctx.fn.name)) return { found, names, userGradients };
  const exprs = returnedExpressions(ctx.fn);
  const candidates = floatParameters(ctx.fn, ctx.execution);
  const lastOf = (name: string, fallback: SourceSpan): Assignment =>
    (ctx.frame !== null ? ctx.handWritten.lastAssignment(ctx.frame, name) : undefined) ?? { span: fallback, order: Number.MAX_SAFE_INTEGER };
  const returnSpan = exprs?.[0]?.span ?? ctx.fn.span;

  returned.items.slice(1).forEach((item, k) => {
    const expr = exprs && exprs.length === returned.items.length ? exprs[k + 1] : undefined;
    if (hasKind(item, 'dict')) {
      const dictName = expr?.type === 'Name' ? expr.id : 'grads';
      names.add(dictName);
      for (const { key, value } of item.entries.values()) {
        if (typeof key !== 'string' || !candidates.includes(key)) continue;
        const name = `${dictName}['${key}']`;
        // grads['W1'] = ... counts; else the line the dict itself was built on.
        const where = (ctx.frame !== null ? ctx.handWritten.lastAssignment(ctx.frame, name) : undefined) ?? lastOf(dictName, returnSpan);
        const { found: f, user } = compareOne(ctx, name, key, value, where);
        if (f) found.push(f);
        if (user) userGradients.set(key, { name, value: user });
      }
      return;
    }
    if (!(item instanceof NDArray || item instanceof PyFloat)) return;
    const target = targetOf(expr, k, candidates, ctx.handWritten);
    if (!target) return;
    const name = expr?.type === 'Name' ? expr.id : `${ctx.fn.name}()[${k + 1}]`;
    names.add(name);
    const { found: f, user } = compareOne(ctx, name, target, item, lastOf(name, returnSpan));
    if (f) found.push(f);
    if (user) userGradients.set(target, { name, value: user });
  });
  return { found, names, userGradients };
}

interface PairContext {
  module: Module;
  fn: FunctionDef;
  execution: Execution;
  handWritten: HandWrittenGradients;
  grads: readonly (Tensor | null)[];
  threshold: number;
}

/** NAME_forward(...) -> (out, cache) checked through NAME_backward(dout, cache) with the run's dout. */
export function pairedBackwardMismatches(ctx: PairContext): { found: Found[]; errors: ReportError[]; userGradients: UserGradients } {
  const found: Found[] = [];
  const userGradients: UserGradients = new Map();
  const match = /^(.*)_forward$/.exec(ctx.fn.name);
  const backwardDef = match ? findFunction(ctx.module, `${match[1]}_backward`) : null;
  const returned = ctx.execution.returned;
  if (!backwardDef || !(hasKind(returned, 'tuple') && returned.items.length >= 2)) return { found, errors: [], userGradients };
  const { interpreter } = ctx.execution;
  const backwardFn = interpreter.globals.vars.get(backwardDef.name);
  if (!backwardFn) return { found, errors: [], userGradients };
  const dout: PyValue = ctx.execution.dout ?? new PyFloat(1);
  let frame: Frame | null = null;
  const previous = interpreter.hooks;
  const lastSpans = new Map<string, SourceSpan>();
  interpreter.hooks = {
    onEnter: (e) => { if (e.fn === backwardDef && frame === null) frame = e.frame; },
    onAssign: (name, _value, span, _kind, assignedIn) => { if (frame && assignedIn.id === frame.id) lastSpans.set(name, span); },
  };
  let result: PyValue;
  try {
    result = interpreter.callValue(backwardFn, { positional: [dout, returned.items[1]], keywords: noKeywords, span: backwardDef.headerSpan });
  } catch (err) {
    if (!(err instanceof UserCodeError)) throw err;
    return { found, errors: [toReportError(err, backwardDef.headerSpan)], userGradients };
  } finally {
    interpreter.hooks = previous;
  }
  const items = hasKind(result, 'tuple') || hasKind(result, 'list') ? result.items : [result];
  const exprs = returnedExpressions(backwardDef);
  const candidates = floatParameters(ctx.fn, ctx.execution);
  const returnSpan = exprs?.[0]?.span ?? backwardDef.span;
  items.forEach((item, k) => {
    const expr = exprs && exprs.length === items.length ? exprs[k] : undefined;
    const target = targetOf(expr, k, candidates, ctx.handWritten);
    if (!target) return;
    const name = expr?.type === 'Name' ? expr.id : `${backwardDef.name}()[${k}]`;
    const span = (expr?.type === 'Name' ? lastSpans.get(expr.id) : undefined) ?? returnSpan;
    // The backward pass runs after the forward one: its lines come after every forward line.
    const { found: f, user } = compareOne(ctx, name, target, item, { span, order: 1e12 + span.line });
    if (f) found.push(f);
    if (user) userGradients.set(target, { name, value: user });
  });
  return { found, errors: [], userGradients };
}
