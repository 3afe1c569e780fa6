// Every variable the analyzed code assigned, with its shape, symbolic shape and gradient's shape:
// what the hover shows.
import type { Tape } from '../core/tape';
import type { Tensor } from '../core/tensor';
import type { AssignEvent, Frame } from '../python/interpret';
import { floatValue } from './handwritten';
import type { ResolvedInput } from './inputs';
import type { DType, SourceSpan, VariableInfo } from './report';

interface Assignment {
  name: string;
  span: SourceSpan;
  node: number;
  value: Tensor;
  dtype: DType;
}

export class VariableRecorder {
  /** The last execution of each assignment (a loop body keeps its final iteration), by name and place. */
  readonly assignments = new Map<number, Assignment>();
  // A number for each name at each place, found by the span object and the name: a key made as a
  // string for every assignment cost more than the rest of recording it.
  private readonly places = new Map<SourceSpan, Map<string, number>>();
  private placeCount = 0;

  constructor(private readonly isAnalyzedFrame: (frame: Frame) => boolean) {}

  record(e: AssignEvent, tape: Tape): void {
    if (!this.isAnalyzedFrame(e.frame)) return;
    const v = floatValue(tape, e.value);
    if (!v) return;
    const before = this.placeCount;
    const key = this.placeOf(e.name, e.span);
    // Again at a place already recorded (a loop): moved to the end, in the order of last executions.
    if (key < before) this.assignments.delete(key);
    this.assignments.set(key, { name: e.name, span: e.span, node: v.node, value: v.value, dtype: v.node >= 0 ? tape.value(v.node).dtype : v.value.dtype });
  }

  private placeOf(name: string, span: SourceSpan): number {
    let names = this.places.get(span);
    if (names === undefined) this.places.set(span, (names = new Map()));
    let id = names.get(name);
    if (id === undefined) names.set(name, (id = this.placeCount++));
    return id;
  }
}

/** Names each concrete size by the symbolic dim it was bound to, when only one dim has that size. */
function symbolsBySize(resolved: ReadonlyMap<string, ResolvedInput>): Map<number, string> {
  const bySize = new Map<number, Set<string>>();
  for (const r of resolved.values()) {
    r.symbolicShape?.forEach((sym, i) => {
      const size = r.value.tensor.shape[i];
      if (/^\d+$/.test(sym)) return;
      if (!bySize.has(size)) bySize.set(size, new Set());
      bySize.get(size)!.add(sym);
    });
  }
  const out = new Map<number, string>();
  for (const [size, syms] of bySize) if (syms.size === 1) out.set(size, [...syms][0]);
  return out;
}

export function describeVariables(recorder: VariableRecorder, grads: readonly (Tensor | null)[], resolved: ReadonlyMap<string, ResolvedInput>): VariableInfo[] {
  const symbols = symbolsBySize(resolved);
  return [...recorder.assignments.values()].map((a) => {
    const grad = a.node >= 0 ? grads[a.node] : null;
    const declared = resolved.get(a.name)?.symbolicShape ?? null;
    const inferred = a.value.shape.length > 0 && a.value.shape.every((d) => symbols.has(d)) ? a.value.shape.map((d) => symbols.get(d)!) : null;
    return {
      name: a.name,
      span: a.span,
      shape: [...a.value.shape],
      dtype: a.dtype,
      symbolicShape: declared ?? inferred,
      gradShape: grad ? [...grad.shape] : null,
      scalarValue: a.value.size === 1 ? a.value.data[0] : null,
      scalarGrad: grad && grad.size === 1 ? grad.data[0] : null,
    };
  });
}
