// One run of the user's code on concrete inputs: the prelude (imports, defs, constants), the
// target (a function call or a line range), and the scalar L that reverse mode starts from.
import { allocate } from '../core/storage';
import { UserCodeError } from '../core/errors';
import { binaryOps } from '../core/ops/elementwise';
import { sumOp } from '../core/ops/reduce';
import { fillNormals } from '../core/random';
import type { TapeLimits } from '../core/tape';
import { Tensor } from '../core/tensor';
import type { Expr, FunctionDef, Module, Span, Stmt } from '../python/ast';
import { Interpreter, InterpreterHooks } from '../python/interpret';
import { NDArray } from '../python/ndarray';
import { Budget, Runtime } from '../python/runtime';
import { hasKind, PyFloat, PyValue } from '../python/values';

export type Target = { kind: 'function'; name: string } | { kind: 'lines'; from: number; to: number };

/** An input's concrete value; `python` marks a Python float/int/bool rather than a NumPy array. */
export interface InputValue {
  tensor: Tensor;
  python: boolean;
}

export interface ExecuteOptions {
  seed: number;
  budget: Budget;
  limits?: TapeLimits;
  hooks?: (interpreter: Interpreter) => InterpreterHooks;
  /** Where each input of a selection is declared, for its leaf in the graph. */
  inputSpan?: (name: string) => Span | null;
  /** Names that are hand-written gradients, never the output of a line selection. */
  isGradientName?: (name: string) => boolean;
}

export interface Execution {
  rt: Runtime;
  interpreter: Interpreter;
  fn: FunctionDef | null;
  /** Leaf node of each float input. */
  leaves: Map<string, number>;
  /** Python value of each input as the code saw it. */
  inputValues: Map<string, PyValue>;
  /** What the function returned, or the output variable's value for a selection. */
  returned: PyValue;
  output: { name: string | null; node: number };
  /** The scalar L = output (or sum(output * dout)) that reverse mode starts from. */
  lossNode: number;
  dout: NDArray | null;
}

export function findFunction(module: Module, name: string): FunctionDef | null {
  for (const s of module.body) if (s.type === 'FunctionDef' && s.def.name === name) return s.def;
  return null;
}

/** Literals, and tuples/lists/negations of literals: safe to evaluate outside a selection. */
export function isConstantExpr(e: Expr): boolean {
  switch (e.type) {
    case 'Num': case 'Str': case 'Bool': case 'None': return true;
    case 'UnaryOp': return e.op === '-' && isConstantExpr(e.operand);
    case 'Tuple': case 'List': return e.elts.every(isConstantExpr);
    default: return false;
  }
}

export function isConstantAssignment(s: Stmt): boolean {
  return s.type === 'Assign' && isConstantExpr(s.value) && s.targets.every((t) => t.type === 'Name' || (t.type === 'Tuple' && t.elts.every((x) => x.type === 'Name')));
}

/** Statements of a selection: top-level statements that start on lines from..to. */
export function selectedStatements(module: Module, from: number, to: number): Stmt[] {
  return module.body.filter((s) => s.span.line >= from && s.span.line <= to && s.type !== 'FunctionDef' && s.type !== 'Import' && s.type !== 'ImportFrom');
}

export function inputToPython(rt: Runtime, name: string, input: InputValue, span: Span | null, leaves: Map<string, number>): PyValue {
  const t = input.tensor;
  if (t.dtype === 'float64') {
    const leaf = rt.tape.leaf(t, name, span);
    leaves.set(name, leaf);
    return input.python ? new PyFloat(t.data[0], leaf, false) : NDArray.own(rt.tape, leaf);
  }
  if (input.python) return t.dtype === 'bool' ? t.data[0] !== 0 : t.data[0];
  return NDArray.own(rt.tape, rt.tape.constant(t, span));
}

export function execute(module: Module, target: Target, inputs: ReadonlyMap<string, InputValue>, options: ExecuteOptions): Execution {
  const rt = new Runtime(options.seed, options.budget, options.limits);
  const interp = new Interpreter(module, rt);
  if (options.hooks) interp.hooks = options.hooks(interp);

  // The prelude: imports and defs anywhere; constants at the top level (above a selection only).
  const limitLine = target.kind === 'lines' ? target.from : Infinity;
  const prelude = module.body.filter((s) =>
    s.type === 'Import' || s.type === 'ImportFrom' || s.type === 'FunctionDef' || (isConstantAssignment(s) && s.span.line < limitLine));
  // The function as its def made it, even if a later top-level line rebinds its name.
  let fnValue: PyValue | undefined;
  for (const s of prelude) {
    interp.runStatements([s]);
    if (target.kind === 'function' && s.type === 'FunctionDef' && s.def.name === target.name) fnValue = interp.globals.vars.get(target.name);
  }

  const leaves = new Map<string, number>();
  const inputValues = new Map<string, PyValue>();
  let returned: PyValue;
  let outputName: string | null = null;
  let fn: FunctionDef | null = null;

  if (target.kind === 'function') {
    fn = findFunction(module, target.name);
    if (!fn) throw new UserCodeError('name', `no function named '${target.name}' at the top level of this file`);
    for (const p of fn.params) {
      const input = inputs.get(p.name);
      if (input) inputValues.set(p.name, inputToPython(rt, p.name, input, p.span, leaves));
    }
    if (!fnValue || !hasKind(fnValue, 'function')) throw new Error(`internal: ${fn.name} was not defined by the prelude`);
    // Parameters not given take their defaults, as a call would (the inputs alone when all are given).
    let bound = inputValues;
    fn.params.forEach((p, i) => {
      if (inputValues.has(p.name) || fnValue.defaults[i] === undefined) return;
      if (bound === inputValues) bound = new Map(inputValues);
      bound.set(p.name, fnValue.defaults[i]!);
    });
    returned = interp.runFunction(fn, fnValue.closure, bound, fn.headerSpan);
  } else {
    for (const [name, input] of inputs) {
      const v = inputToPython(rt, name, input, options.inputSpan?.(name) ?? null, leaves);
      interp.setGlobal(name, v, module.body[0]?.span ?? { from: 0, to: 0, line: 1, column: 1, endLine: 1, endColumn: 1 }, 'parameter');
      inputValues.set(name, v);
    }
    const statements = selectedStatements(module, target.from, target.to);
    if (statements.length === 0) throw new UserCodeError('usage', `lines ${target.from}-${target.to} hold no top-level statements to analyze`);
    const assigned: string[] = [];
    const collect = (s: Stmt): void => {
      if (s.type === 'Assign') for (const t of s.targets) namesIn(t, assigned);
      if (s.type === 'AugAssign' && s.target.type === 'Name') assigned.push(s.target.id);
    };
    statements.forEach(collect);
    interp.runStatements(statements);
    const isGradient = options.isGradientName ?? (() => false);
    outputName = [...assigned].reverse().find((n) => !isGradient(n)) ?? null;
    if (outputName === null) throw new UserCodeError('usage', `lines ${target.from}-${target.to} assign no variable to take as the output`);
    returned = interp.lookup(outputName) ?? null;
  }

  const outputValue = target.kind === 'function' && (hasKind(returned, 'tuple') || hasKind(returned, 'list')) && returned.items.length > 0 ? returned.items[0] : returned;
  const span = fn?.headerSpan ?? null;
  const outputNode = outputNodeOf(rt, outputValue, span);
  if (outputNode === null) {
    throw new UserCodeError('type', `${target.kind === 'function' ? `${target.name}() returns` : `the output ${outputName} is`} ${describe(outputValue)}; GradLens needs a float or a float array to differentiate`, span);
  }
  const { lossNode, dout } = reduceToScalar(rt, outputNode, options.seed, span);
  return { rt, interpreter: interp, fn, leaves, inputValues, returned, output: { name: outputName, node: outputNode }, lossNode, dout };
}

function namesIn(e: Expr, out: string[]): void {
  if (e.type === 'Name') out.push(e.id);
  else if (e.type === 'Tuple' || e.type === 'List') e.elts.forEach((x) => namesIn(x, out));
}

function describe(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'number') return 'an int';
  if (typeof v === 'boolean') return 'a bool';
  if (v instanceof NDArray) return `an array of dtype ${v.dtype}`;
  return `a ${hasKind(v, 'tuple') ? 'tuple' : typeof v === 'string' ? 'str' : 'value'}`;
}

function outputNodeOf(rt: Runtime, v: PyValue, span: Span | null): number | null {
  if (v instanceof PyFloat) return rt.node(v, span);
  if (v instanceof NDArray && v.dtype === 'float64') return v.read(rt.tape, span);
  return null;
}

/** A non-scalar output is reduced as L = sum(out * dout) with a seeded random dout. */
function reduceToScalar(rt: Runtime, node: number, seed: number, span: Span | null): { lossNode: number; dout: NDArray | null } {
  const value = rt.tape.value(node);
  if (value.ndim === 0) return { lossNode: node, dout: null };
  const data = allocate(value.size);
  fillNormals(data, seed + 7919);
  const doutNode = rt.tape.constant(new Tensor(data, value.shape), span);
  const product = rt.record(binaryOps.multiply, [node, doutNode], undefined, span);
  const lossNode = rt.record(sumOp, [product], { axis: null, keepdims: false }, span);
  return { lossNode, dout: NDArray.own(rt.tape, doutNode) };
}
