// The importable modules: numpy and math.
import { UserCodeError } from '../core/errors';
import { unaryOps } from '../core/ops/elementwise';
import { builtin } from './args';
import type { Span } from './ast';
import { numpyModule } from './numpy';
import type { Runtime } from './runtime';
import { PyFloat, PyModule, PyValue } from './values';

/**
 * math functions return Python floats and raise where NumPy would give nan or inf, as CPython does.
 */
function mathModule(rt: Runtime): PyModule {
  const attrs = new Map<string, PyValue>();
  const unary = (name: keyof typeof unaryOps, domain: (x: number) => boolean = () => true): void => {
    attrs.set(name, builtin(name, ['x'], (a, span) => {
      const x = a.get('x')!;
      const v = rt.peek(x, span);
      if (!domain(v)) throw new UserCodeError('value', 'math domain error', span);
      const node = rt.record(unaryOps[name], [rt.node(x instanceof PyFloat || typeof x === 'number' ? x : new PyFloat(v), span, 'float64')], undefined, span);
      const out = rt.tape.value(node).data[0];
      if (!Number.isFinite(out) && Number.isFinite(v)) throw new UserCodeError('value', 'math range error (overflow)', span);
      return new PyFloat(out, rt.tape.dependsOnLeaves(node) ? node : -1);
    }));
  };
  unary('exp');
  unary('log', (x) => x > 0);
  unary('sqrt', (x) => x >= 0);
  unary('tanh');
  unary('sin');
  unary('cos');
  unary('log1p', (x) => x > -1);
  unary('expm1');
  attrs.set('fabs', builtin('fabs', ['x'], (a, span) => {
    const node = rt.record(unaryOps.abs, [rt.node(a.get('x')!, span, 'float64')], undefined, span);
    return new PyFloat(rt.tape.value(node).data[0], rt.tape.dependsOnLeaves(node) ? node : -1);
  }));
  const plain = (name: string, f: (x: number) => number): void => {
    attrs.set(name, builtin(name, ['x'], (a, span) => f(rt.number(a.get('x')!, span))));
  };
  plain('floor', Math.floor);
  plain('ceil', Math.ceil);
  attrs.set('isnan', builtin('isnan', ['x'], (a, span) => Number.isNaN(rt.number(a.get('x')!, span))));
  attrs.set('isinf', builtin('isinf', ['x'], (a, span) => !Number.isFinite(rt.number(a.get('x')!, span)) && !Number.isNaN(rt.number(a.get('x')!, span))));
  attrs.set('pi', new PyFloat(Math.PI));
  attrs.set('e', new PyFloat(Math.E));
  attrs.set('inf', new PyFloat(Infinity));
  attrs.set('nan', new PyFloat(Number.NaN));
  return { kind: 'module', name: 'math', attrs };
}

/** The importable modules, each built on its first import. */
export function makeModules(rt: Runtime): (name: string) => PyValue | undefined {
  const builders: Record<string, () => PyValue> = { numpy: () => numpyModule(rt), math: () => mathModule(rt) };
  const built = new Map<string, PyValue>();
  return (name) => {
    if (!built.has(name) && builders[name]) built.set(name, builders[name]());
    return built.get(name);
  };
}

export type { Span };
