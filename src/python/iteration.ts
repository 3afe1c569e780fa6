// Python's iteration protocol over the subset's containers.
import type { Span } from './ast';
import { NDArray } from './ndarray';
import type { Runtime } from './runtime';
import { readIndex } from './subscript';
import { hasKind, PyValue, typeError, typeName } from './values';

export function* iterate(rt: Runtime, v: PyValue, span: Span): Generator<PyValue> {
  if (hasKind(v, 'list') || hasKind(v, 'tuple')) {
    // A list may grow while it is iterated; Python sees the new items.
    for (let i = 0; i < v.items.length; i++) yield v.items[i];
  } else if (hasKind(v, 'range')) {
    for (let i = v.start; v.step > 0 ? i < v.stop : i > v.stop; i += v.step) yield i;
  } else if (v instanceof NDArray) {
    if (v.shape.length === 0) throw typeError('iteration over a 0-d array', span);
    for (let i = 0; i < v.shape[0]; i++) yield readIndex(rt, v, [{ value: i }], span);
  } else if (hasKind(v, 'dict')) {
    for (const { key } of [...v.entries.values()]) yield key;
  } else if (typeof v === 'string') {
    yield* v;
  } else {
    throw typeError(`'${typeName(v)}' object is not iterable`, span);
  }
}

/** Every item, in a new array: a list's or tuple's as they are, without resuming the generator per item. */
export function itemsOf(rt: Runtime, v: PyValue, span: Span): PyValue[] {
  if (hasKind(v, 'list') || hasKind(v, 'tuple')) return v.items.slice();
  return [...iterate(rt, v, span)];
}
