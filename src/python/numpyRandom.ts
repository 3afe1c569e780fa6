// `np.random`: NumPy's legacy global RandomState, seeded per analysis, so seeded programs draw the
// same numbers as under NumPy. Random arrays are constants of the run, not inputs.
import { allocate } from '../core/storage';
import { UserCodeError } from '../core/errors';
import { sizeOf, Tensor } from '../core/tensor';
import { builtin, variadic } from './args';
import type { Span } from './ast';
import { NDArray } from './ndarray';
import type { Runtime } from './runtime';
import { hasKind, PyFloat, PyModule, PyValue } from './values';

export function randomModule(rt: Runtime, name: string): PyModule {
  const sizeOf_ = (v: PyValue | undefined, span: Span): number[] | null => {
    if (v === undefined || v === null) return null;
    return hasKind(v, 'tuple') || hasKind(v, 'list') ? v.items.map((d) => rt.int(d, span, 'size')) : [rt.int(v, span, 'size')];
  };
  /** `draw` once for a scalar (a Python float or int), or per element in C order. */
  const sample = (shape: number[] | null, draw: () => number, dtype: 'float64' | 'int64' = 'float64'): PyValue => {
    if (shape === null) return dtype === 'int64' ? draw() : new PyFloat(draw());
    if (shape.some((d) => d < 0)) throw new UserCodeError('value', 'negative dimensions are not allowed');
    rt.tape.checkSize(sizeOf(shape));
    const data = allocate(sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = draw();
    return NDArray.own(rt.tape, rt.tape.constant(new Tensor(data, shape, dtype)));
  };
  const dims = (values: PyValue[], span: Span): number[] | null => (values.length === 0 ? null : values.map((d) => rt.int(d, span, 'a dimension')));
  const attrs = new Map<string, PyValue>([
    ['seed', builtin('seed', ['seed='], (a, span) => {
      rt.random.seed(a.get('seed') == null ? 0 : rt.int(a.get('seed')!, span, 'seed'));
      return null;
    })],
    ['randn', variadic('randn', (values, args) => sample(dims(values, args.span), () => rt.random.normal()))],
    ['rand', variadic('rand', (values, args) => sample(dims(values, args.span), () => rt.random.random()))],
    ['random', builtin('random', ['size='], (a, span) => sample(sizeOf_(a.get('size'), span), () => rt.random.random()))],
    ['random_sample', builtin('random_sample', ['size='], (a, span) => sample(sizeOf_(a.get('size'), span), () => rt.random.random()))],
    ['normal', builtin('normal', ['loc=', 'scale=', 'size='], (a, span) => {
      const loc = a.get('loc') == null ? 0 : rt.number(a.get('loc')!, span);
      const scale = a.get('scale') == null ? 1 : rt.number(a.get('scale')!, span);
      return sample(sizeOf_(a.get('size'), span), () => loc + scale * rt.random.normal());
    })],
    ['uniform', builtin('uniform', ['low=', 'high=', 'size='], (a, span) => {
      const low = a.get('low') == null ? 0 : rt.number(a.get('low')!, span);
      const high = a.get('high') == null ? 1 : rt.number(a.get('high')!, span);
      return sample(sizeOf_(a.get('size'), span), () => low + (high - low) * rt.random.random());
    })],
    ['randint', builtin('randint', ['low', 'high=', 'size='], (a, span) => {
      let low = rt.int(a.get('low')!, span, 'low');
      let high = a.get('high') == null ? null : rt.int(a.get('high')!, span, 'high');
      if (high === null) [low, high] = [0, low];
      if (high <= low) throw new UserCodeError('value', 'low >= high', span);
      return sample(sizeOf_(a.get('size'), span), () => rt.random.randint(low, high!), 'int64');
    })],
    ['choice', builtin('choice', ['a', 'size=', 'replace='], (a, span) => {
      if (a.get('replace') === false) throw new UserCodeError('unsupported', `${name}.choice with replace=False is not supported`, span);
      const n = rt.int(a.get('a')!, span, 'a');
      return sample(sizeOf_(a.get('size'), span), () => rt.random.randint(0, n), 'int64');
    })],
  ]);
  return { kind: 'module', name, attrs };
}
