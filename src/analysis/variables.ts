// Every variable the analyzed code assigned, with its shape, symbolic shape and gradient's shape:
// what the hover shows.
import type { Tape } from '../core/tape';
import { sameShape, type Tensor } from '../core/tensor';
import type { Frame } from '../python/interpret';
import { NDArray } from '../python/ndarray';
import { PyFloat, type PyValue } from '../python/values';
import type { ResolvedInput } from './inputs';
import type { DType, SourceSpan, VariableInfo } from './report';

interface Assignment {
  name: string;
  span: SourceSpan;
  /** The tape node of a float value, else -1. */
  node: number;
  /** An array's value as recorded, or a Python number's. */
  value: Tensor | number;
  dtype: DType;
  /** When it ran, among all recorded assignments. */
  order: number;
}

export class VariableRecorder {
  /** The last execution of each assignment (a loop body keeps its final iteration), by place. */
  private readonly byPlace: Assignment[] = [];
  private recorded = 0;
  // Code that runs straight through assigns each place (a name at a statement) once, in source
  // order: each assignment is a new place, appended. Once one may be a place seen before (a loop),
  // the places get numbers, found by the span object and then the name among the few a statement
  // assigns (`N, D = X.shape`): a string key made per assignment, or a map per statement, cost
  // more than the rest of recording it, and the map lookup alone about as much again.
  private numbered = false;
  /** The last place numbered at each statement's span. */
  private readonly places = new Map<SourceSpan, number>();
  /** By place: its name, and the place numbered before it at the same span (-1: none). */
  private readonly placeNames: string[] = [];
  private readonly previousAtSpan: number[] = [];

  constructor(private readonly isAnalyzedFrame: (frame: Frame) => boolean) {}

  /** Runs on every assignment, so it keeps what the value is and leaves describing it to the end. */
  record(name: string, v: PyValue, span: SourceSpan, frame: Frame, tape: Tape): void {
    if (!this.isAnalyzedFrame(frame)) return;
    let node = -1;
    let value: Tensor | number;
    let dtype: DType;
    if (v instanceof NDArray) {
      const read = v.read(tape, null);
      value = tape.value(read);
      dtype = value.dtype;
      if (dtype === 'float64') node = read;
    } else if (v instanceof PyFloat) {
      node = v.node;
      value = node >= 0 ? tape.value(node) : v.value;
      dtype = 'float64';
    } else if (typeof v === 'number') {
      value = v;
      dtype = 'int64';
    } else return;
    const assignment = { name, span, node, value, dtype, order: this.recorded++ };
    if (!this.numbered) {
      if (this.byPlace.length === 0 || !mayBeAgain(this.byPlace, name, span)) {
        this.byPlace.push(assignment);
        return;
      }
      this.numberPlaces();
    }
    this.byPlace[this.placeOf(name, span)] = assignment;
  }

  /** The last execution at each place, in the order they ran. */
  lastAssignments(): readonly Assignment[] {
    const byPlace = this.byPlace;
    // In place order already unless a place ran again after a later one (a loop).
    for (let i = 1; i < byPlace.length; i++) if (byPlace[i].order < byPlace[i - 1].order) return byPlace.slice().sort((a, b) => a.order - b.order);
    return byPlace;
  }

  /** Numbers the places appended so far, each a place of its own. */
  private numberPlaces(): void {
    this.numbered = true;
    for (let id = 0; id < this.byPlace.length; id++) {
      const { name, span } = this.byPlace[id];
      this.placeNames.push(name);
      this.previousAtSpan.push(this.places.get(span) ?? -1);
      this.places.set(span, id);
    }
  }

  private placeOf(name: string, span: SourceSpan): number {
    const last = this.places.get(span) ?? -1;
    for (let id = last; id !== -1; id = this.previousAtSpan[id]) if (this.placeNames[id] === name) return id;
    const id = this.placeNames.length;
    this.placeNames.push(name);
    this.previousAtSpan.push(last);
    this.places.set(span, id);
    return id;
  }
}

/** Whether `name` at `span` may be a place assigned before: its statement is not after the last one's. */
function mayBeAgain(byPlace: readonly Assignment[], name: string, span: SourceSpan): boolean {
  const last = byPlace[byPlace.length - 1];
  if (span.from > last.span.from) return false;
  if (span !== last.span) return true;
  // The same statement: another of its names (`N, D = X.shape`), unless this one came already.
  for (let i = byPlace.length - 1; i >= 0 && byPlace[i].span === span; i--) if (byPlace[i].name === name) return true;
  return false;
}

/** Names each concrete size by the symbolic dim it was bound to, when only one dim has that size (null: several did). */
function symbolsBySize(resolved: ReadonlyMap<string, ResolvedInput>): Map<number, string | null> {
  const out = new Map<number, string | null>();
  for (const r of resolved.values()) {
    const symbols = r.symbolicShape;
    if (!symbols) continue;
    const shape = r.tensor.shape;
    for (let i = 0; i < symbols.length; i++) {
      const symbol = symbols[i];
      if (isDigits(symbol)) continue;
      const bound = out.get(shape[i]);
      if (bound === undefined) out.set(shape[i], symbol);
      else if (bound !== symbol) out.set(shape[i], null);
    }
  }
  return out;
}

const isDigits = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 48 || text.charCodeAt(i) > 57) return false;
  return text.length > 0;
};

/** The sizes of a shape of one or more dims by their symbols, when each has one. */
function symbolicShapeFrom(shape: readonly number[], symbols: ReadonlyMap<number, string | null>): string[] | null {
  const out: string[] = [];
  for (const size of shape) {
    const symbol = symbols.get(size);
    if (!symbol) return null;
    out.push(symbol);
  }
  return out;
}

/**
 * An input's declared dims, for a value of the input's shape: an update in place (`X *= 2`) keeps
 * them, and a name assigned another shape (`X = X.T`) is named by its sizes instead.
 */
function declaredShape(a: Assignment, resolved: ReadonlyMap<string, ResolvedInput>): string[] | null {
  if (typeof a.value === 'number') return null;
  const input = resolved.get(a.name);
  return input !== undefined && sameShape(input.tensor.shape, a.value.shape) ? input.symbolicShape : null;
}

// The shapes are the tensors' own (a tensor's shape never changes), not copies: the hover reads a
// few of them, and every analysis describes every variable.
const scalarShape: readonly number[] = [];

export function describeVariables(recorder: VariableRecorder, grads: readonly (Tensor | null)[], resolved: ReadonlyMap<string, ResolvedInput>): VariableInfo[] {
  let symbols: Map<number, string | null> | null = null;
  const assignments = recorder.lastAssignments();
  const out = new Array<VariableInfo>(assignments.length);
  for (let i = 0; i < assignments.length; i++) {
    const a = assignments[i];
    const grad = a.node >= 0 ? grads[a.node] : null;
    const value = a.value;
    const shape = typeof value === 'number' ? scalarShape : value.shape;
    out[i] = {
      name: a.name,
      span: a.span,
      shape,
      dtype: a.dtype,
      symbolicShape: shape.length === 0 ? null : declaredShape(a, resolved) ?? symbolicShapeFrom(shape, symbols ??= symbolsBySize(resolved)),
      gradShape: grad ? grad.shape : null,
      scalarValue: typeof value === 'number' ? value : value.size === 1 ? value.data[0] : null,
      scalarGrad: grad && grad.size === 1 ? grad.data[0] : null,
    };
  }
  return out;
}
