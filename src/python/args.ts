// Binding call arguments to a builtin's parameters, with Python's messages when they do not fit.
import type { Span } from './ast';
import { CallArgs, PyBuiltin, PyValue, typeError } from './values';

/** A parameter list such as ['a', 'axis=', 'keepdims=']: a trailing '=' marks an optional one. */
export type Signature = readonly string[];

export type Bound = Map<string, PyValue | undefined>;

interface Parameter {
  name: string;
  optional: boolean;
}

// Builtins are made anew for each run; their parameter lists are parsed once per name and signature.
const parsedSignatures = new Map<string, { signature: Signature; params: readonly Parameter[] }[]>();

function parameters(name: string, signature: Signature): readonly Parameter[] {
  let parsed = parsedSignatures.get(name);
  if (parsed === undefined) parsedSignatures.set(name, (parsed = []));
  for (const p of parsed) if (p.signature === signature || sameSignature(p.signature, signature)) return p.params;
  const params = signature.map((p) => (p.endsWith('=') ? { name: p.slice(0, -1), optional: true } : { name: p, optional: false }));
  parsed.push({ signature, params });
  return params;
}

/** A loop rather than `every` with a closure: a builtin's first call in each run compares. */
function sameSignature(a: Signature, b: Signature): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bind(name: string, params: readonly Parameter[], args: CallArgs): Bound {
  const bound: Bound = new Map();
  if (args.positional.length > params.length) {
    throw typeError(`${name}() takes at most ${params.length} arguments (${args.positional.length} given)`, args.span);
  }
  args.positional.forEach((v, i) => bound.set(params[i].name, v));
  for (const [k, v] of args.keywords) {
    if (!params.some((p) => p.name === k)) throw typeError(`${name}() got an unexpected keyword argument '${k}'`, args.span);
    if (bound.has(k)) throw typeError(`${name}() got multiple values for argument '${k}'`, args.span);
    bound.set(k, v);
  }
  for (const p of params) {
    if (!p.optional && !bound.has(p.name)) throw typeError(`${name}() missing required argument '${p.name}'`, args.span);
  }
  return bound;
}

export type Impl = (a: Bound, span: Span) => PyValue;

export function builtin(name: string, signature: Signature, impl: Impl): PyBuiltin {
  // Parsed on the first call, not per call; most builtins of a run are never called.
  let params: readonly Parameter[] | null = null;
  return { kind: 'builtin', name, call: (args) => impl(bind(name, (params ??= parameters(name, signature)), args), args.span) };
}

/** A builtin that takes any number of positional arguments. */
export function variadic(name: string, impl: (values: PyValue[], args: CallArgs) => PyValue): PyBuiltin {
  return { kind: 'builtin', name, call: (args) => impl(args.positional, args) };
}
