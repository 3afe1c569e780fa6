// Binding call arguments to a builtin's parameters, with Python's messages when they do not fit.
import type { Span } from './ast';
import { CallArgs, PyBuiltin, PyValue, typeError } from './values';

/** A parameter list such as ['a', 'axis=', 'keepdims=']: a trailing '=' marks an optional one. */
export type Signature = readonly string[];

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

/**
 * A builtin's arguments by parameter name (undefined: an optional one not given). A builtin reads a
 * few of its short list of parameters once each: a scan costs less than a map made for every call.
 */
export class Bound {
  constructor(private readonly params: readonly Parameter[], private readonly values: readonly (PyValue | undefined)[]) {}

  get(name: string): PyValue | undefined {
    for (let i = 0; i < this.params.length; i++) if (this.params[i].name === name) return this.values[i];
    return undefined;
  }

  /** Arguments given by name, as one builtin passes them to another. */
  static named(values: Readonly<Record<string, PyValue | undefined>>): Bound {
    const names = Object.keys(values);
    return new Bound(names.map((name) => ({ name, optional: true })), names.map((name) => values[name]));
  }

  /** These arguments after a first one: a method's self, where the function form takes it. */
  after(name: string, value: PyValue): Bound {
    return new Bound([{ name, optional: false }, ...this.params], [value, ...this.values]);
  }
}

function bind(name: string, params: readonly Parameter[], args: CallArgs): Bound {
  const positional = args.positional;
  if (positional.length > params.length) {
    throw typeError(`${name}() takes at most ${params.length} arguments (${positional.length} given)`, args.span);
  }
  const values = new Array<PyValue | undefined>(params.length);
  for (let i = 0; i < positional.length; i++) values[i] = positional[i];
  if (args.keywords.size > 0) {
    for (const [k, v] of args.keywords) {
      const i = params.findIndex((p) => p.name === k);
      if (i < 0) throw typeError(`${name}() got an unexpected keyword argument '${k}'`, args.span);
      if (i < positional.length) throw typeError(`${name}() got multiple values for argument '${k}'`, args.span);
      values[i] = v;
    }
  }
  for (let i = 0; i < params.length; i++) {
    if (!params[i].optional && values[i] === undefined) throw typeError(`${name}() missing required argument '${params[i].name}'`, args.span);
  }
  return new Bound(params, values);
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
