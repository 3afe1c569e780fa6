// `x[...]` reads and writes for arrays, lists, tuples, dicts and strings.
import { UserCodeError } from '../core/errors';
import { gatherOp } from '../core/ops/structural';
import type { Span } from './ast';
import { IndexPart, select, sliceBounds } from './indexing';
import { NDArray } from './ndarray';
import type { Runtime } from './runtime';
import { dictKey, hasKind, list, PyFloat, PyValue, tuple, typeError, typeName } from './values';

export type IndexValue =
  | { value: PyValue }
  | { slice: { start: number | null; stop: number | null; step: number | null } }
  | { ellipsis: true };

/** Index values as NumPy index parts; array indices that came from the inputs are guarded. */
function indexParts(rt: Runtime, items: readonly IndexValue[], span: Span): IndexPart[] {
  const parts: IndexPart[] = [];
  for (const item of items) {
    if ('ellipsis' in item) parts.push({ kind: 'ellipsis' });
    else if ('slice' in item) parts.push({ kind: 'slice', ...item.slice });
    else {
      const v = item.value;
      if (v === null) parts.push({ kind: 'newaxis' });
      else if (typeof v === 'number') parts.push({ kind: 'int', value: v });
      else if (typeof v === 'boolean') parts.push({ kind: 'array', value: rt.value(v, span) });
      else if (hasKind(v, 'tuple') && items.length === 1) return indexParts(rt, v.items.map((x) => ({ value: x })), span);
      else if (v instanceof NDArray || hasKind(v, 'list') || hasKind(v, 'tuple')) {
        const node = rt.node(v, span);
        rt.tape.guard(node);
        parts.push({ kind: 'array', value: rt.tape.value(node) });
      } else if (v instanceof PyFloat) {
        throw new UserCodeError('index', 'only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices', span);
      } else throw typeError(`${typeName(v)} is not a valid index`, span);
    }
  }
  return parts;
}

function sequenceIndex(rt: Runtime, items: PyValue[], index: readonly IndexValue[], span: Span, kind: 'list' | 'tuple' | 'str'): PyValue | PyValue[] {
  if (index.length !== 1) throw typeError(`${kind} indices must be integers or slices, not tuple`, span);
  const item = index[0];
  if ('slice' in item) {
    const b = sliceBounds(item.slice.start, item.slice.stop, item.slice.step, items.length);
    return Array.from({ length: b.count }, (_, k) => items[b.start + k * b.step]);
  }
  if ('ellipsis' in item) throw typeError(`${kind} indices must be integers or slices, not ellipsis`, span);
  const i = rt.int(item.value, span, `${kind} indices`);
  const j = i < 0 ? i + items.length : i;
  if (j < 0 || j >= items.length) throw new UserCodeError('index', `${kind} index out of range`, span);
  return items[j];
}

export function readIndex(rt: Runtime, obj: PyValue, index: readonly IndexValue[], span: Span): PyValue {
  if (obj instanceof NDArray) {
    const parts = indexParts(rt, index, span);
    const sel = select(obj.shape, parts);
    const base = obj.read(rt.tape, span);
    const node = rt.record(gatherOp, [base], { sources: sel.positions, shape: sel.shape }, span);
    if (sel.shape.length === 0) return rt.wrap(node);
    return sel.isView ? obj.view(node, sel.positions, sel.shape) : NDArray.own(rt.tape, node);
  }
  if (hasKind(obj, 'list') || hasKind(obj, 'tuple')) {
    const r = sequenceIndex(rt, obj.items, index, span, obj.kind);
    return Array.isArray(r) ? (obj.kind === 'list' ? list(r) : tuple(r)) : r;
  }
  if (typeof obj === 'string') {
    const r = sequenceIndex(rt, [...obj], index, span, 'str');
    return Array.isArray(r) ? r.join('') : r;
  }
  if (hasKind(obj, 'dict')) {
    const key = dictIndexKey(index, span);
    const entry = obj.entries.get(dictKey(key));
    if (!entry) throw new UserCodeError('runtime', `KeyError: ${typeof key === 'string' ? `'${key}'` : String(key)}`, span);
    return entry.value;
  }
  if (hasKind(obj, 'range')) {
    const items = Array.from({ length: Math.max(0, Math.ceil((obj.stop - obj.start) / obj.step)) }, (_, k) => obj.start + k * obj.step);
    const r = sequenceIndex(rt, items, index, span, 'list');
    return Array.isArray(r) ? list(r) : r;
  }
  throw typeError(`'${typeName(obj)}' object is not subscriptable`, span);
}

function dictIndexKey(index: readonly IndexValue[], span: Span): PyValue {
  const values = index.map((i) => {
    if (!('value' in i)) throw typeError('unhashable type: slice', span);
    return i.value;
  });
  return values.length === 1 ? values[0] : tuple(values);
}

export function writeIndex(rt: Runtime, obj: PyValue, index: readonly IndexValue[], value: PyValue, span: Span): void {
  if (obj instanceof NDArray) {
    const sel = select(obj.shape, indexParts(rt, index, span));
    obj.write(rt.tape, sel.positions, sel.shape, rt.node(value, span), span);
    return;
  }
  if (hasKind(obj, 'list')) {
    if (index.length === 1 && 'slice' in index[0]) throw new UserCodeError('unsupported', 'assigning to a list slice is not supported', span);
    const i = rt.int(index.length === 1 && 'value' in index[0] ? index[0].value : null, span, 'list indices');
    const j = i < 0 ? i + obj.items.length : i;
    if (j < 0 || j >= obj.items.length) throw new UserCodeError('index', 'list assignment index out of range', span);
    obj.items[j] = value;
    return;
  }
  if (hasKind(obj, 'dict')) {
    const key = dictIndexKey(index, span);
    obj.entries.set(dictKey(key), { key, value });
    return;
  }
  if (hasKind(obj, 'tuple')) throw typeError("'tuple' object does not support item assignment", span);
  throw typeError(`'${typeName(obj)}' object does not support item assignment`, span);
}
