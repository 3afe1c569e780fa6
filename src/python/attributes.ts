// `obj.name`: module members, array attributes and methods, and the few dict/list methods the subset uses.
import { UserCodeError } from '../core/errors';
import { dotOp } from '../core/ops/linalg';
import { reshapeOp } from '../core/ops/structural';
import { allPositions } from '../core/storage';
import { Bound, builtin, variadic } from './args';
import type { Expr, Span } from './ast';
import { NDArray } from './ndarray';
import { NumpyOps } from './numpy';
import type { Runtime } from './runtime';
import { hasKind, list, PyFloat, PyValue, tuple, typeError, typeName } from './values';


/** The dotted source of an expression, for messages: `np.linalg`. */
function dotted(e: Expr | undefined): string {
  if (!e) return '';
  if (e.type === 'Name') return e.id;
  if (e.type === 'Attribute') return `${dotted(e.obj)}.${e.name}`;
  return '';
}

export function getAttribute(rt: Runtime, obj: PyValue, name: string, span: Span, objExpr?: Expr): PyValue {
  if (hasKind(obj, 'module')) {
    const v = obj.attrs.get(name);
    if (v === undefined) throw new UserCodeError('unsupported', `${dotted(objExpr) || obj.name}.${name} is not supported`, span);
    return v;
  }
  if (obj instanceof NDArray || (obj instanceof PyFloat && obj.numpy)) return arrayAttribute(rt, obj, name, span);
  if (hasKind(obj, 'dict')) {
    const entries = [...obj.entries.values()];
    switch (name) {
      case 'keys': return variadic('keys', () => list(entries.map((e) => e.key)));
      case 'values': return variadic('values', () => list(entries.map((e) => e.value)));
      case 'items': return variadic('items', () => list(entries.map((e) => tuple([e.key, e.value]))));
    }
  }
  if (hasKind(obj, 'list')) {
    switch (name) {
      case 'append': return builtin('append', ['x'], (a) => { obj.items.push(a.get('x')!); return null; });
      case 'extend': return builtin('extend', ['xs'], (a) => {
        const xs = a.get('xs')!;
        if (!(hasKind(xs, 'list') || hasKind(xs, 'tuple'))) throw typeError('extend expects a list', span);
        obj.items.push(...xs.items);
        return null;
      });
    }
  }
  throw new UserCodeError('unsupported', `'${typeName(obj)}' attribute '${name}' is not supported`, span);
}

const reduction = ['axis=', 'keepdims='];
const reductionWithDdof = [...reduction, 'ddof='];

function arrayAttribute(rt: Runtime, self: NDArray | PyFloat, name: string, span: Span): PyValue {
  // A fresh wrapper costs less than a lookup: a WeakMap keyed by the runtime kept every run's tape
  // alive until a full collection (V8's young-generation GC keeps ephemeron values).
  const np = new NumpyOps(rt);
  const shape = (): readonly number[] => (self instanceof NDArray ? self.shape : []);
  switch (name) {
    case 'shape': return tuple([...shape()]);
    case 'ndim': return shape().length;
    case 'size': return shape().reduce((n, d) => n * d, 1);
    case 'dtype': return { kind: 'dtype', dtype: self instanceof NDArray ? self.dtype : 'float64' };
    case 'T': return np.transpose(self, [], span);
  }
  const withSelf = (bound: Bound): Bound => bound.after('a', self);
  switch (name) {
    case 'dot': return builtin('dot', ['b'], (a, s) => {
      const [na, nb] = [rt.node(self, s), rt.node(a.get('b')!, s)];
      if (rt.tape.value(na).ndim === 0 || rt.tape.value(nb).ndim === 0) return np.binary('multiply', self, a.get('b'), s);
      return rt.wrap(rt.record(dotOp, [na, nb], undefined, s));
    });
    case 'sum': case 'mean': case 'max': case 'min':
      return builtin(name, reduction, (a, s) => np.reduce(name, withSelf(a), s));
    case 'argmax': case 'argmin':
      return builtin(name, ['axis='], (a, s) => np.arg(name, withSelf(a), s));
    case 'var': case 'std':
      return builtin(name, reductionWithDdof, (a, s) => np.variance(withSelf(a), s, name === 'std'));
    case 'any': case 'all':
      return builtin(name, reduction, (a, s) => np.truthReduce(name, withSelf(a), s));
    case 'reshape': return variadic('reshape', (values, args) => np.reshape(self, values, args.span));
    case 'transpose': return variadic('transpose', (values, args) => np.transpose(self, values, args.span));
    case 'ravel': return variadic('ravel', (_v, args) => np.reshape(self, [-1], args.span, true));
    case 'flatten': return variadic('flatten', (_v, args) => np.copy(np.reshape(self, [-1], args.span), args.span));
    case 'squeeze': return builtin('squeeze', ['axis='], (a, s) => np.squeeze(self, a.get('axis'), s));
    case 'copy': return variadic('copy', (_v, args) => np.copy(self, args.span));
    case 'astype': return builtin('astype', ['dtype'], (a, s) => np.astype(self, a.get('dtype'), s));
    case 'clip': return builtin('clip', ['min=', 'max='], (a, s) => np.clip(self, a.get('min'), a.get('max'), s));
    case 'item': return variadic('item', (_v, args) => {
      const t = rt.value(self, args.span);
      if (t.size !== 1) throw new UserCodeError('value', 'can only convert an array of size 1 to a Python scalar', args.span);
      return toPythonScalar(rt, self, args.span);
    });
    case 'fill': return builtin('fill', ['value'], (a, s) => {
      if (!(self instanceof NDArray)) throw typeError('fill needs an array', s);
      const all = allPositions(self.size);
      self.write(rt.tape, all, self.shape, rt.node(a.get('value')!, s), s);
      return null;
    });
    case 'tolist': return variadic('tolist', (_v, args) => {
      const t = rt.value(self, args.span);
      const toPy = (v: ReturnType<typeof t.toNested>): PyValue => (Array.isArray(v) ? list(v.map(toPy)) : t.dtype === 'float64' ? new PyFloat(v) : v);
      return toPy(t.toNested());
    });
  }
  throw new UserCodeError('unsupported', `the array attribute .${name} is not supported`, span);
}

/** `x.item()`, `float(x)`: the one element as a Python scalar, keeping its node when traced. */
export function toPythonScalar(rt: Runtime, v: NDArray | PyFloat, span: Span): PyValue {
  if (v instanceof PyFloat) return new PyFloat(v.value, v.node);
  const node = rt.record(reshapeOp, [v.read(rt.tape, span)], { shape: [] }, span);
  const out = rt.wrap(node);
  return out instanceof PyFloat ? new PyFloat(out.value, out.node) : out;
}
