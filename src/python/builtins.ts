// Python's builtins that the subset uses.
import { UserCodeError } from '../core/errors';
import { unaryOps } from '../core/ops/elementwise';
import { toPythonScalar } from './attributes';
import { builtin, variadic } from './args';
import { binary, compare } from './arith';
import { itemsOf, iterate } from './iteration';
import { NDArray } from './ndarray';
import { rangeLength, Runtime } from './runtime';
import { CallArgs, dictKey, hasKind, lazyAttributes, list, ModuleAttributes, noKeywords, PyFloat, PyValue, tuple, typeError, typeName } from './values';

/** What a builtin reads of the run it is made for. */
interface BuiltinContext {
  rt: Runtime;
  call: (fn: PyValue, args: CallArgs) => PyValue;
}

const items = ({ rt }: BuiltinContext, v: PyValue, args: CallArgs): PyValue[] => itemsOf(rt, v, args.span);

function extremum(context: BuiltinContext, name: 'min' | 'max'): PyValue {
  const { rt, call } = context;
  return variadic(name, (values, args) => {
    const candidates = values.length === 1 ? items(context, values[0], args) : values;
    if (candidates.length === 0) throw new UserCodeError('value', `${name}() arg is an empty sequence`, args.span);
    const key = args.keywords.get('key');
    const score = (v: PyValue): PyValue => (key ? call(key, { positional: [v], keywords: noKeywords, span: args.span }) : v);
    let best = candidates[0];
    let bestScore = score(best);
    for (const c of candidates.slice(1)) {
      const s = score(c);
      if (rt.truth(compare(rt, name === 'max' ? '>' : '<', s, bestScore, args.span), args.span)) {
        best = c;
        bestScore = s;
      }
    }
    return best;
  });
}

// Made once per process; a run makes the builtins it uses on first use (about twenty closures per
// run otherwise, for a program that calls one or two of them).
const builtinMakers = new Map<string, (context: BuiltinContext) => PyValue>([
  ['len', () => builtin('len', ['obj'], (a, span) => {
    const v = a.get('obj')!;
    if (v instanceof NDArray) {
      if (v.shape.length === 0) throw typeError('len() of unsized object', span);
      return v.shape[0];
    }
    if (hasKind(v, 'list') || hasKind(v, 'tuple')) return v.items.length;
    if (hasKind(v, 'dict')) return v.entries.size;
    if (hasKind(v, 'range')) return rangeLength(v);
    if (typeof v === 'string') return v.length;
    throw typeError(`object of type '${typeName(v)}' has no len()`, span);
  })],
  ['range', ({ rt }) => variadic('range', (values, args) => {
    const n = values.map((v) => rt.int(v, args.span, "'range' arguments"));
    if (n.length === 0 || n.length > 3) throw typeError(`range expected 1 to 3 arguments, got ${n.length}`, args.span);
    const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
    if (step === 0) throw new UserCodeError('value', 'range() arg 3 must not be zero', args.span);
    return { kind: 'range', start, stop, step };
  })],
  ['abs', ({ rt }) => builtin('abs', ['x'], (a, span) => {
    const x = a.get('x')!;
    if (typeof x === 'number' || typeof x === 'boolean') return Math.abs(+x);
    const node = rt.record(unaryOps.abs, [rt.node(x, span)], undefined, span);
    const out = rt.wrap(node);
    return x instanceof PyFloat && out instanceof PyFloat ? new PyFloat(out.value, out.node, x.numpy) : out;
  })],
  ['min', (context) => extremum(context, 'min')],
  ['max', (context) => extremum(context, 'max')],
  ['sum', ({ rt }) => builtin('sum', ['iterable', 'start='], (a, span) => {
    let total: PyValue = a.get('start') ?? 0;
    for (const v of iterate(rt, a.get('iterable')!, span)) total = binary(rt, '+', total, v, span);
    return total;
  })],
  ['float', ({ rt }) => builtin('float', ['x='], (a, span) => {
    const x = a.get('x');
    if (x === undefined) return new PyFloat(0);
    if (typeof x === 'string') {
      const v = Number(x.trim().replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
      if (Number.isNaN(v) && x.trim().toLowerCase() !== 'nan') throw new UserCodeError('value', `could not convert string to float: '${x}'`, span);
      return new PyFloat(v);
    }
    if (x instanceof PyFloat) return new PyFloat(x.value, x.node);
    if (x instanceof NDArray) {
      if (x.size !== 1) throw typeError('only length-1 arrays can be converted to Python scalars', span);
      const scalar = toPythonScalar(rt, x, span);
      return scalar instanceof PyFloat ? scalar : new PyFloat(rt.number(scalar, span));
    }
    return new PyFloat(rt.number(x, span));
  })],
  ['int', ({ rt }) => builtin('int', ['x='], (a, span) => {
    const x = a.get('x');
    if (x === undefined) return 0;
    if (typeof x === 'string') {
      if (!/^\s*[+-]?\d+\s*$/.test(x)) throw new UserCodeError('value', `invalid literal for int() with base 10: '${x}'`, span);
      return parseInt(x, 10);
    }
    const v = rt.number(x, span);
    if (!Number.isFinite(v)) throw new UserCodeError('value', 'cannot convert float infinity or NaN to integer', span);
    return Math.trunc(v);
  })],
  ['bool', ({ rt }) => builtin('bool', ['x='], (a, span) => (a.get('x') === undefined ? false : rt.truth(a.get('x')!, span)))],
  ['round', ({ rt }) => builtin('round', ['number', 'ndigits='], (a, span) => {
    const v = rt.number(a.get('number')!, span);
    const digits = a.get('ndigits');
    if (digits === undefined || digits === null) return roundHalfEven(v);
    const f = Math.pow(10, rt.int(digits, span));
    return new PyFloat(roundHalfEven(v * f) / f);
  })],
  ['pow', ({ rt }) => builtin('pow', ['base', 'exp'], (a, span) => binary(rt, '**', a.get('base')!, a.get('exp')!, span))],
  ['enumerate', ({ rt }) => builtin('enumerate', ['iterable', 'start='], (a, span) => {
    const start = a.get('start') === undefined ? 0 : rt.int(a.get('start')!, span);
    return list(itemsOf(rt, a.get('iterable')!, span).map((v, i) => tuple([start + i, v])));
  })],
  ['zip', (context) => variadic('zip', (values, args) => {
    const lists = values.map((v) => items(context, v, args));
    const n = lists.length === 0 ? 0 : Math.min(...lists.map((l) => l.length));
    return list(Array.from({ length: n }, (_, i) => tuple(lists.map((l) => l[i]))));
  })],
  ['list', ({ rt }) => builtin('list', ['iterable='], (a, span) => list(a.get('iterable') === undefined ? [] : itemsOf(rt, a.get('iterable')!, span)))],
  ['tuple', ({ rt }) => builtin('tuple', ['iterable='], (a, span) => tuple(a.get('iterable') === undefined ? [] : itemsOf(rt, a.get('iterable')!, span)))],
  ['reversed', ({ rt }) => builtin('reversed', ['seq'], (a, span) => list(itemsOf(rt, a.get('seq')!, span).reverse()))],
  ['sorted', ({ rt }) => builtin('sorted', ['iterable'], (a, span) => list(itemsOf(rt, a.get('iterable')!, span).sort((x, y) => {
    return rt.truth(compare(rt, '<', x, y, span), span) ? -1 : rt.truth(compare(rt, '>', x, y, span), span) ? 1 : 0;
  })))],
  ['dict', () => ({ kind: 'builtin', name: 'dict', call: (args) => {
    const entries = new Map<string, { key: PyValue; value: PyValue }>();
    for (const [k, v] of args.keywords) entries.set(dictKey(k), { key: k, value: v });
    return { kind: 'dict', entries };
  } })],
  ['print', () => variadic('print', () => null)],
  ['isinstance', () => builtin('isinstance', ['obj', 'classinfo'], () => {
    throw new UserCodeError('unsupported', 'isinstance is not supported');
  })],
  ['str', () => builtin('str', ['x='], (a) => (a.get('x') === undefined ? '' : String(a.get('x') instanceof PyFloat ? (a.get('x') as PyFloat).value : a.get('x'))))],
]);

/** The names of Python's builtins the interpreter knows. */
export const builtinNames: ReadonlySet<string> = new Set(builtinMakers.keys());

/** Python's builtins for one run of the interpreter. */
export function makeBuiltins(rt: Runtime, call: (fn: PyValue, args: CallArgs) => PyValue): ModuleAttributes {
  return lazyAttributes(builtinMakers, { rt, call });
}

/** Python 3's round(): halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
