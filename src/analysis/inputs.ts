// Values for the free inputs of the analyzed code: given (INPUTS.json), signature defaults,
// constants above a selection, shapes declared in the code, else seeded random values.
import { UserCodeError } from '../core/errors';
import { RandomState } from '../core/random';
import { DType, Nested, Tensor } from '../core/tensor';
import type { Expr, FunctionDef, Module, Stmt } from '../python/ast';
import { isConstantAssignment, selectedStatements, type InputValue, type Target } from './execute';
import type { InputSource, SourceSpan } from './report';
import { inferFromCode, symbolicShapeOf, type DimSizes } from './shapes';

/** An input's value with where it came from: a map of them is also a map of `InputValue`s to run. */
export interface ResolvedInput extends InputValue {
  name: string;
  source: InputSource;
  symbolicShape: string[] | null;
  /** Where the input is declared (a parameter, a constant) or first read (a selection's free name). */
  span?: SourceSpan | null;
}

/** Reads INPUTS.json: a number is a Python float, a nested list a float64 array, {dtype, value} typed. */
export function parseGivenInputs(json: unknown): Map<string, InputValue> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UserCodeError('usage', 'INPUTS.json must hold one object mapping input names to values');
  }
  const out = new Map<string, InputValue>();
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    out.set(name, parseValue(name, raw));
  }
  return out;
}

/** JSON true/false (at any depth) as 1/0, for bool arrays. */
function booleansAsNumbers(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Array.isArray(v) ? v.map(booleansAsNumbers) : v;
}

function isNested(v: unknown): v is Nested {
  return typeof v === 'number' || (Array.isArray(v) && v.every(isNested));
}

function parseValue(name: string, raw: unknown): InputValue {
  if (typeof raw === 'number') return { tensor: Tensor.scalar(raw), python: true };
  if (typeof raw === 'boolean') return { tensor: Tensor.scalar(raw ? 1 : 0, 'bool'), python: true };
  if (Array.isArray(raw)) {
    if (!isNested(raw)) throw new UserCodeError('usage', `input '${name}': arrays must hold numbers only`);
    return { tensor: Tensor.fromNested(raw), python: false };
  }
  if (typeof raw === 'object' && raw !== null && 'value' in raw) {
    const { dtype = 'float64', value } = raw as { dtype?: string; value: unknown };
    const dt = ({ float64: 'float64', float: 'float64', int64: 'int64', int: 'int64', bool: 'bool' } as Record<string, DType | undefined>)[dtype];
    if (!dt) throw new UserCodeError('usage', `input '${name}': unknown dtype '${dtype}' (use float64, int64 or bool)`);
    const v = booleansAsNumbers(value);
    if (!isNested(v)) throw new UserCodeError('usage', `input '${name}': value must be a number or a nested list of numbers`);
    const tensor = Tensor.fromNested(v, dt);
    return { tensor, python: tensor.ndim === 0 };
  }
  throw new UserCodeError('usage', `input '${name}': expected a number, a nested list, or {"dtype": ..., "value": ...}`);
}

/** The value of a literal (`2.0`, `-3`, `True`) as a Python scalar input, or null. */
function literalInput(e: Expr): InputValue | null {
  if (e.type === 'Num') return { tensor: Tensor.scalar(e.value, e.isInt ? 'int64' : 'float64'), python: true };
  if (e.type === 'Bool') return { tensor: Tensor.scalar(e.value ? 1 : 0, 'bool'), python: true };
  if (e.type === 'UnaryOp' && e.op === '-') {
    const inner = literalInput(e.operand);
    return inner && inner.tensor.dtype !== 'bool' ? { tensor: Tensor.scalar(-inner.tensor.data[0], inner.tensor.dtype), python: true } : null;
  }
  return null;
}

/** Scalar constants assigned at the top level above `line`, by name (the last assignment wins). */
function constantsAbove(module: Module, line: number): Map<string, InputValue & { span: SourceSpan }> {
  const out = new Map<string, InputValue & { span: SourceSpan }>();
  for (const s of module.body) {
    if (s.span.line >= line || !isConstantAssignment(s) || s.type !== 'Assign') continue;
    for (const t of s.targets) {
      if (t.type === 'Name') {
        const v = literalInput(s.value);
        if (v) out.set(t.id, { ...v, span: s.span });
        else out.delete(t.id);
      } else if (t.type === 'Tuple' && s.value.type === 'Tuple' && t.elts.length === s.value.elts.length) {
        t.elts.forEach((x, i) => {
          if (x.type !== 'Name') return;
          const v = literalInput((s.value as Extract<Expr, { type: 'Tuple' }>).elts[i]);
          if (v) out.set(x.id, { ...v, span: s.span });
          else out.delete(x.id);
        });
      }
    }
  }
  return out;
}

/** Names a selection reads before it assigns them (its inputs), with where each is first read. */
export function freeNames(statements: readonly Stmt[], known: ReadonlySet<string>): Map<string, SourceSpan> {
  const assigned = new Set<string>();
  const free = new Map<string, SourceSpan>();
  const load = (e: Expr | null): void => {
    if (!e) return;
    switch (e.type) {
      case 'Name':
        if (!assigned.has(e.id) && !known.has(e.id) && !free.has(e.id)) free.set(e.id, e.span);
        return;
      case 'Tuple': case 'List': e.elts.forEach(load); return;
      case 'Dict': e.keys.forEach(load); e.values.forEach(load); return;
      case 'Attribute': load(e.obj); return;
      case 'Subscript': load(e.obj); e.index.forEach((i) => (i.type === 'Slice' ? [i.lower, i.upper, i.step].forEach(load) : load(i))); return;
      case 'Call': load(e.func); e.args.forEach((a) => load(a.value)); return;
      case 'BinOp': case 'BoolOp': load(e.left); load(e.right); return;
      case 'UnaryOp': load(e.operand); return;
      case 'Compare': load(e.left); e.comparators.forEach(load); return;
      case 'IfExp': load(e.test); load(e.body); load(e.orelse); return;
      case 'Starred': load(e.value); return;
      default: return;
    }
  };
  const store = (e: Expr): void => {
    if (e.type === 'Name') assigned.add(e.id);
    else if (e.type === 'Tuple' || e.type === 'List') e.elts.forEach(store);
    else if (e.type === 'Subscript') load(e);
  };
  const visit = (s: Stmt): void => {
    switch (s.type) {
      case 'Assign': load(s.value); s.targets.forEach(store); return;
      case 'AugAssign': load(s.value); load(s.target); store(s.target); return;
      case 'Expr': load(s.value); return;
      case 'Return': load(s.value); return;
      case 'If': load(s.test); s.body.forEach(visit); s.orelse.forEach(visit); return;
      case 'For': load(s.iter); store(s.target); s.body.forEach(visit); return;
      case 'While': load(s.test); s.body.forEach(visit); return;
      case 'Assert': load(s.test); return;
      default: return;
    }
  };
  statements.forEach(visit);
  return free;
}

/** Names the prelude defines (imports, functions, non-scalar constants) and Python's builtins. */
function knownNames(module: Module, builtins: ReadonlySet<string>): Set<string> {
  const known = new Set(builtins);
  for (const s of module.body) {
    if (s.type === 'FunctionDef') known.add(s.def.name);
    if (s.type === 'Import') known.add(s.alias);
    if (s.type === 'ImportFrom') s.names.forEach((n) => known.add(n.alias));
  }
  return known;
}

/** A RandomState made on first draw: seeding one costs more than most analyses' inputs. */
function lazyRandom(seed: number): Pick<RandomState, 'normal' | 'random' | 'randint'> {
  let state: RandomState | null = null;
  const get = (): RandomState => (state ??= new RandomState(seed));
  return { normal: () => get().normal(), random: () => get().random(), randint: (lo, hi) => get().randint(lo, hi) };
}

export interface ResolveOptions {
  seed: number;
  dims: DimSizes;
  builtins: ReadonlySet<string>;
}

export function resolveInputs(module: Module, target: Target, given: ReadonlyMap<string, InputValue>, fn: FunctionDef | null, options: ResolveOptions): Map<string, ResolvedInput> {
  const out = new Map<string, ResolvedInput>();
  const random = lazyRandom(options.seed);
  if (target.kind === 'lines') {
    const constants = constantsAbove(module, target.from);
    const names = freeNames(selectedStatements(module, target.from, target.to), knownNames(module, options.builtins));
    for (const [name, firstRead] of names) {
      const g = given.get(name);
      const c = constants.get(name);
      if (g) out.set(name, { name, tensor: g.tensor, python: g.python, source: 'given', symbolicShape: null, span: firstRead });
      else if (c) out.set(name, { name, tensor: c.tensor, python: c.python, source: 'constant', symbolicShape: null, span: c.span });
      else out.set(name, { name, tensor: Tensor.scalar(random.normal()), python: true, source: 'random', symbolicShape: null, span: firstRead });
    }
    return out;
  }
  if (!fn) return out;
  // Only parameters with neither a given value nor a literal default need values from the code.
  const needed = new Set(fn.params.filter((p) => p.star === '' && !given.has(p.name) && !p.defaultValue).map((p) => p.name));
  const inferred = inferFromCode(module, fn, given, options.dims, random, needed);
  for (const p of fn.params) {
    if (p.star !== '') continue;
    const g = given.get(p.name);
    const literal = p.defaultValue ? literalInput(p.defaultValue) : null;
    const fromCode = inferred.get(p.name);
    if (g) out.set(p.name, { name: p.name, tensor: g.tensor, python: g.python, source: 'given', symbolicShape: symbolicShapeOf(module, fn, p.name, g), span: p.span });
    else if (literal) out.set(p.name, { name: p.name, tensor: literal.tensor, python: literal.python, source: 'default', symbolicShape: null, span: p.span });
    else if (p.defaultValue) continue; // a non-literal default (None, a constant's name) is left to the call
    else if (fromCode) out.set(p.name, { ...fromCode, span: p.span });
    else {
      throw new UserCodeError('input',
        `GradLens cannot tell what '${p.name}' is: declare its shape in the docstring ("- ${p.name}: A numpy array of shape (N, D)"), ` +
        `a comment ("# ${p.name}: (N, D)"), an annotation (${p.name}: "N D"), a default value, or give it in INPUTS.json`, p.span);
    }
  }
  return out;
}
