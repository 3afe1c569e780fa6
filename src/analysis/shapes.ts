// Shapes and kinds of a function's parameters, read from the code the way a reader would:
// cs231n docstrings ("- x: A numpy array of shape (N, D)"), "# x: (N, D)" comments, annotations
// (`x: "N D"`, `Float[np.ndarray, "N D"]`) and `N, D = x.shape`. Symbolic dims are bound once
// for all parameters, so `x: (N, D)` and `w: (D, M)` agree on D.
import { allocate } from '../core/storage';
import type { RandomState } from '../core/random';
import { UserCodeError } from '../core/errors';
import { DType, sizeOf, Tensor } from '../core/tensor';
import type { Expr, FunctionDef, Module, Stmt } from '../python/ast';
import type { InputValue } from './execute';
import type { ResolvedInput } from './inputs';
import type { InputSource } from './report';

export type DimSizes = Record<string, number>;

/** Small, distinct sizes, so a transposed product cannot line up by accident. */
export const defaultDimSizes: DimSizes = { N: 4, D: 5, C: 3, H: 6, M: 7, T: 2, F: 8, K: 9, V: 10, W: 11 };

/** Parameters that read as scalars by name, when nothing else is said about them. */
const scalarNames = new Set(['reg', 'lam', 'lambda_', 'eps', 'epsilon', 'alpha', 'lr', 'learning_rate', 'momentum', 'p', 'margin', 'delta', 'temperature', 'scale', 'weight_decay', 'decay']);

type Declaration =
  | { kind: 'array'; dims: string[]; dtype: DType; source: InputSource; classes: string | null }
  | { kind: 'float'; source: InputSource }
  | { kind: 'int'; source: InputSource };

const shapeText = String.raw`\(\s*([A-Za-z0-9_\s,.+*-]*?)\s*\)`;

/** `(N, d_1, ..., d_k)` → ['N', 'd_1', 'd_2']; `(N,)` → ['N']. */
function parseDims(inner: string): string[] {
  const parts = inner.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (/^\.{3}|…$/.test(parts[i])) {
      // d_1, ..., d_k: stands for some dims; two are enough to exercise a reshape.
      const prev = out[out.length - 1] ?? 'd';
      const stem = prev.replace(/_?\d+$/, '');
      const next = parts[i + 1];
      if (next) i++;
      if (!out.includes(`${stem}_2`)) out.push(`${stem}_2`);
      continue;
    }
    out.push(parts[i]);
  }
  return out;
}

/** The docstring's text about one parameter: from "name:" to the next parameter's entry. */
function docItem(doc: string, name: string, names: readonly string[]): string | null {
  const start = new RegExp(String.raw`(^|[\s,;(-])${escape(name)}\s*:`, 'm').exec(doc);
  if (!start) return null;
  const rest = doc.slice(start.index + start[0].length);
  const others = names.filter((n) => n !== name).map(escape);
  const stop = others.length ? new RegExp(String.raw`(^\s*-\s*(${others.join('|')})\s*:|[,;]\s*(${others.join('|')})\s*:|\n\s*\n|^\s*(Returns|Inputs|Outputs|Raises)\b|->)`, 'm').exec(rest) : /\n\s*\n|^\s*(Returns|Outputs)\b/m.exec(rest);
  return stop ? rest.slice(0, stop.index) : rest;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fromText(text: string, source: InputSource): Declaration | null {
  const shape = new RegExp(`shape\\s*${shapeText}`).exec(text) ?? new RegExp(`^\\s*(?:[A-Za-z ]*?)${shapeText}`).exec(text);
  const labels = /0\s*<=\s*\w+(\[\w+\])?\s*<\s*(\w+)/.exec(text) ?? /labels?\b[^.]*?in\s*(range|\[)\s*\(?0\s*,\s*(\w+)/.exec(text);
  const isInt = /\b(int|integer|labels?|indices)\b/i.test(text);
  const isBool = /\b(bool|boolean|mask)\b/i.test(text);
  if (shape && shape[1].trim() !== 'float' && shape[1].trim() !== 'int') {
    const dims = parseDims(shape[1]);
    const dtype: DType = labels || (isInt && !/float/i.test(text)) ? 'int64' : isBool ? 'bool' : 'float64';
    return { kind: 'array', dims, dtype, source, classes: labels ? labels[2] : null };
  }
  if (/\(\s*float\s*\)|\bfloat\b|\bscalar\b/i.test(text)) return { kind: 'float', source };
  if (/\(\s*int\s*\)|\binteger\b/i.test(text)) return { kind: 'int', source };
  return null;
}

/** `x: "N D"`, `Float[np.ndarray, "N D"]`, `Int[...]`, `float`, `int`. */
function fromAnnotation(e: Expr | null): Declaration | null {
  if (!e) return null;
  if (e.type === 'Name' && (e.id === 'float' || e.id === 'int')) return { kind: e.id, source: 'annotation' };
  const spec = e.type === 'Str' ? { text: e.value, kind: 'Float' } : e.type === 'Subscript' && e.obj.type === 'Name' && e.index.length === 2 && e.index[1].type === 'Str' ? { text: e.index[1].value, kind: e.obj.id } : null;
  if (!spec) return null;
  const dims = spec.text.split(/[\s,]+/).filter((d) => d.length > 0 && d !== '...');
  const dtype: DType = /^Int/.test(spec.kind) ? 'int64' : /^Bool/.test(spec.kind) ? 'bool' : 'float64';
  return { kind: 'array', dims, dtype, source: 'annotation', classes: null };
}

/** `N, D = x.shape` anywhere in the body (first one wins). */
function fromUsage(body: readonly Stmt[], name: string): Declaration | null {
  for (const s of walk(body)) {
    if (s.type !== 'Assign' || s.value.type !== 'Attribute' || s.value.name !== 'shape') continue;
    if (s.value.obj.type !== 'Name' || s.value.obj.id !== name) continue;
    const target = s.targets[0];
    if (target.type === 'Tuple' && target.elts.every((t) => t.type === 'Name')) {
      return { kind: 'array', dims: target.elts.map((t) => (t as { id: string }).id), dtype: 'float64', source: 'usage', classes: null };
    }
  }
  return null;
}

function* walk(body: readonly Stmt[]): Generator<Stmt> {
  for (const s of body) {
    yield s;
    if (s.type === 'If') { yield* walk(s.body); yield* walk(s.orelse); }
    if (s.type === 'For' || s.type === 'While') yield* walk(s.body);
  }
}

const elementwiseCalls = new Set(['exp', 'log', 'sqrt', 'tanh', 'abs', 'absolute', 'square', 'sign', 'maximum', 'minimum', 'where', 'clip', 'sin', 'cos', 'log1p', 'expm1', 'sum', 'mean', 'copy', 'zeros_like', 'ones_like']);

/**
 * A parameter that is only combined elementwise (arithmetic, comparisons, np.maximum, np.where...)
 * or passed along as it is works with any shape, so a default (N, D) array is as good as any.
 */
function usedOnlyElementwise(body: readonly Stmt[], name: string): boolean {
  let used = false;
  let constrained = false;
  const visit = (e: Expr | null, allowed: boolean): void => {
    if (!e) return;
    switch (e.type) {
      case 'Name':
        if (e.id === name) { used = true; if (!allowed) constrained = true; }
        return;
      case 'BinOp': { const ok = e.op !== '@'; visit(e.left, ok); visit(e.right, ok); return; }
      case 'UnaryOp': visit(e.operand, true); return;
      case 'Compare': visit(e.left, true); e.comparators.forEach((c) => visit(c, true)); return;
      case 'BoolOp': visit(e.left, false); visit(e.right, false); return;
      case 'IfExp': visit(e.test, false); visit(e.body, true); visit(e.orelse, true); return;
      case 'Tuple': case 'List': e.elts.forEach((x) => visit(x, true)); return;
      case 'Call': {
        const f = e.func;
        const ok = f.type === 'Attribute' && f.obj.type === 'Name' && elementwiseCalls.has(f.name) && e.args.every((a) => a.name === null);
        visit(f, false);
        e.args.forEach((a) => visit(a.value, ok));
        return;
      }
      case 'Attribute': visit(e.obj, false); return;
      case 'Subscript': visit(e.obj, false); e.index.forEach((i) => (i.type === 'Slice' ? [i.lower, i.upper, i.step].forEach((b) => visit(b, false)) : visit(i, false))); return;
      case 'Dict': e.keys.forEach((k) => visit(k, false)); e.values.forEach((v) => visit(v, true)); return;
      default: return;
    }
  };
  for (const s of walk(body)) {
    // `x, alpha = cache`: a parameter unpacked into names is a tuple, not an array.
    if (s.type === 'Assign' && s.value.type === 'Name' && s.value.id === name && s.targets.some((t) => t.type === 'Tuple')) return false;
    if (s.type === 'Assign') { visit(s.value, true); s.targets.forEach((t) => visit(t, t.type !== 'Subscript')); }
    else if (s.type === 'AugAssign') { visit(s.value, true); visit(s.target, true); }
    else if (s.type === 'Return' || s.type === 'Expr') visit(s.value, true);
    else if (s.type === 'If' || s.type === 'While') visit(s.test, false);
    else if (s.type === 'For') visit(s.iter, false);
  }
  return used && !constrained;
}

/** Explicit sizes written in the docstring: "with N=2, D=3". */
function explicitSizes(doc: string): DimSizes {
  const out: DimSizes = {};
  for (const m of doc.matchAll(/\b([A-Z][A-Za-z0-9_]*)\s*=\s*(\d+)\b/g)) out[m[1]] = Number(m[2]);
  return out;
}

const declarationCache = new WeakMap<FunctionDef, Map<string, Declaration>>();

/** What the code says about each parameter (parsed ASTs are cached, so this is read once per text). */
export function declarations(module: Module, fn: FunctionDef): Map<string, Declaration> {
  let out = declarationCache.get(fn);
  if (!out) declarationCache.set(fn, (out = readDeclarations(module, fn)));
  return out;
}

function readDeclarations(module: Module, fn: FunctionDef): Map<string, Declaration> {
  const names = fn.params.map((p) => p.name);
  const doc = fn.docstring ?? '';
  const comments = module.comments.filter((c) => c.span.line >= fn.span.line - 3 && c.span.line <= fn.span.endLine);
  const out = new Map<string, Declaration>();
  for (const p of fn.params) {
    const item = docItem(doc, p.name, names);
    const comment = comments.map((c) => new RegExp(String.raw`#\s*${escape(p.name)}\s*:\s*(.*)$`).exec(c.text)).find((m) => m);
    const declared = fromAnnotation(p.annotation)
      ?? (item ? fromText(item, 'docstring') : null)
      ?? (comment ? fromText(comment[1], 'comment') : null)
      ?? fromUsage(fn.body, p.name)
      ?? (scalarNames.has(p.name) ? { kind: 'float', source: 'usage' } as Declaration : null)
      ?? (usedOnlyElementwise(fn.body, p.name) ? { kind: 'array', dims: ['N', 'D'], dtype: 'float64', source: 'usage', classes: null } as Declaration : null);
    // A float array declared for a parameter the code indexes with is really integer labels.
    if (declared?.kind === 'array' && declared.dtype === 'float64' && usedAsIndex(fn.body, p.name)) {
      out.set(p.name, { ...declared, dtype: 'int64', classes: declared.classes ?? 'C' });
    } else if (declared) out.set(p.name, declared);
  }
  return out;
}

/** Whether `name` appears as (part of) an index: `probs[np.arange(N), y]`, `W[y[i]]`. */
function usedAsIndex(body: readonly Stmt[], name: string): boolean {
  let found = false;
  const inIndex = (e: Expr | null, indexing: boolean): void => {
    if (!e || found) return;
    switch (e.type) {
      case 'Name': if (indexing && e.id === name) found = true; return;
      case 'Subscript':
        inIndex(e.obj, indexing);
        for (const i of e.index) {
          if (i.type === 'Slice') continue;
          // `y[i]` inside an index is an element of y used as an index.
          if (i.type === 'Subscript' && i.obj.type === 'Name' && i.obj.id === name) found = true;
          inIndex(i, true);
        }
        return;
      case 'BinOp': inIndex(e.left, false); inIndex(e.right, false); return;
      case 'Call': inIndex(e.func, false); e.args.forEach((a) => inIndex(a.value, false)); return;
      case 'Attribute': inIndex(e.obj, false); return;
      case 'Tuple': case 'List': e.elts.forEach((x) => inIndex(x, indexing)); return;
      case 'UnaryOp': inIndex(e.operand, false); return;
      case 'Compare': inIndex(e.left, false); e.comparators.forEach((c) => inIndex(c, false)); return;
      default: return;
    }
  };
  for (const s of walk(body)) {
    if (s.type === 'Assign') { inIndex(s.value, false); s.targets.forEach((t) => inIndex(t, false)); }
    else if (s.type === 'AugAssign') { inIndex(s.value, false); inIndex(s.target, false); }
    else if (s.type === 'Return' || s.type === 'Expr') inIndex(s.value, false);
    else if (s.type === 'If' || s.type === 'While') inIndex(s.test, false);
    else if (s.type === 'For') inIndex(s.iter, false);
  }
  return found;
}

/** Concrete inputs for the parameters whose shape the code declares. */
export function inferFromCode(module: Module, fn: FunctionDef, given: ReadonlyMap<string, InputValue>, defaults: DimSizes, random: Pick<RandomState, 'normal' | 'random' | 'randint'>, needed: ReadonlySet<string>): Map<string, ResolvedInput> {
  // Every input given (INPUTS.json, or values already read): nothing to size or draw.
  if (needed.size === 0) return new Map();
  const decls = declarations(module, fn);
  const sizes: DimSizes = { ...explicitSizes(fn.docstring ?? '') };
  // Given inputs fix the dims they are declared with.
  for (const [name, decl] of decls) {
    const g = given.get(name);
    if (decl.kind === 'array' && g && g.tensor.ndim === decl.dims.length) decl.dims.forEach((d, i) => { if (!/^\d+$/.test(d)) sizes[d] ??= g.tensor.shape[i]; });
  }
  const used = new Set(Object.values(sizes));
  // cs231n's "(N, d_1, ..., d_k)" input meets a "(D, M)" weight with D = d_1 * ... * d_k.
  const spread = [...decls.values()].find((d) => d.kind === 'array' && d.dims.some((x) => /^d_\d+$/.test(x)));
  const usesD = [...decls.values()].some((d) => d.kind === 'array' && d.dims.includes('D'));
  if (spread && spread.kind === 'array' && usesD && sizes.D === undefined) {
    const parts = spread.dims.filter((x) => /^d_\d+$/.test(x));
    parts.forEach((x, i) => { sizes[x] ??= [2, 3, 2][i] ?? 2; });
    sizes.D = parts.reduce((n, x) => n * sizes[x], 1);
    used.add(sizes.D);
  }
  const sizeOfDim = (d: string): number => {
    const size = sizeOfDimUnchecked(d);
    if (!Number.isSafeInteger(size) || size > 1_000_000) {
      throw new UserCodeError('input', `the size ${d} = ${size} declared in the code is too large to run (at most 1,000,000)`, fn.headerSpan);
    }
    return size;
  };
  const sizeOfDimUnchecked = (d: string): number => {
    if (/^\d+$/.test(d)) return Number(d);
    if (sizes[d] === undefined) {
      let candidate = defaults[d] ?? defaults[d.toUpperCase()];
      if (candidate === undefined || used.has(candidate)) {
        candidate = 2;
        while (used.has(candidate) || Object.values(defaults).includes(candidate)) candidate++;
      }
      sizes[d] = candidate;
      used.add(candidate);
    }
    return sizes[d];
  };
  const out = new Map<string, ResolvedInput>();
  for (const p of fn.params) {
    const decl = decls.get(p.name);
    if (!decl || !needed.has(p.name)) continue;
    if (decl.kind === 'float') {
      out.set(p.name, { name: p.name, tensor: Tensor.scalar(0.1), python: true, source: decl.source, symbolicShape: null });
    } else if (decl.kind === 'int') {
      out.set(p.name, { name: p.name, tensor: Tensor.scalar(1, 'int64'), python: true, source: decl.source, symbolicShape: null });
    } else {
      const shape = decl.dims.map(sizeOfDim);
      const data = allocate(sizeOf(shape));
      const classes = decl.classes ? sizeOfDim(decl.classes) : 0;
      for (let i = 0; i < data.length; i++) {
        data[i] = decl.dtype === 'float64' ? random.normal() : decl.dtype === 'bool' ? (random.random() < 0.5 ? 1 : 0) : random.randint(0, Math.max(classes, 2));
      }
      out.set(p.name, { name: p.name, tensor: new Tensor(data, shape, decl.dtype), python: false, source: decl.source, symbolicShape: decl.dims });
    }
  }
  return out;
}

/** The declared symbolic shape of a given input, when it matches the input's rank. */
export function symbolicShapeOf(module: Module, fn: FunctionDef, name: string, given: InputValue): string[] | null {
  const decl = declarations(module, fn).get(name);
  return decl?.kind === 'array' && decl.dims.length === given.tensor.ndim ? decl.dims : null;
}
