// The user's own gradients, found by name (grad_X, dX, X_grad, dL_dX), by return value
// ((loss, dW), (loss, grads)) and by NAME_backward, compared with autograd's.
import { maxRelativeError } from '../core/gradcheck';
import type { Tape } from '../core/tape';
import { sameShape, Tensor } from '../core/tensor';
import type { Expr, FunctionDef, Stmt } from '../python/ast';
import type { AssignKind, Frame } from '../python/interpret';
import { NDArray } from '../python/ndarray';
import { PyFloat, PyValue } from '../python/values';
import type { Mismatch, SourceSpan } from './report';

/** One assignment of a hand-written gradient: its value then, where and when it ran. */
interface Snapshot {
  value: Tensor;
  span: SourceSpan;
  order: number;
}

/** Where and when a name was last assigned. */
export interface Assignment {
  span: SourceSpan;
  order: number;
}

interface TrackedGradient {
  name: string;
  target: string;
  /** Tape node of the target's value when the gradient was first assigned. */
  targetNode: number;
  targetShape: number[];
  snapshots: Snapshot[];
}

// A name's candidates, worked out once per name: every assignment of an analysis asks, and most
// names are assigned again in the next analysis of the same code.
const targetsByName = new Map<string, readonly string[]>();

/** Candidate forward names for a gradient's name, most specific first. */
export function gradientTargets(name: string): readonly string[] {
  let out = targetsByName.get(name);
  if (out === undefined) {
    if (targetsByName.size >= 10_000) targetsByName.clear();
    targetsByName.set(name, (out = candidateTargets(name)));
  }
  return out;
}

function candidateTargets(name: string): string[] {
  const out: string[] = [];
  let m: RegExpExecArray | null;
  if ((m = /^grad_(.+)$/.exec(name))) out.push(m[1]);
  if ((m = /^(.+)_grad$/.exec(name))) out.push(m[1]);
  if ((m = /^dL_?d(.+)$/.exec(name))) out.push(m[1]);
  if ((m = /^d_?(.+)$/.exec(name))) out.push(m[1]);
  return out;
}

/** The tape node and value of a float value, or null for anything else. */
export function floatValue(tape: Tape, v: PyValue | undefined): { node: number; value: Tensor } | null {
  if (v instanceof PyFloat) return { node: v.node, value: v.node >= 0 ? tape.value(v.node) : Tensor.scalar(v.value) };
  if (v instanceof NDArray && v.dtype === 'float64') {
    const node = v.read(tape, null);
    return { node, value: tape.value(node) };
  }
  if (v instanceof NDArray || typeof v === 'number') {
    // An integer result (np.zeros(..., dtype=int)) is still the user's gradient, just of the wrong dtype.
    const t = v instanceof NDArray ? tape.value(v.read(tape, null)) : Tensor.scalar(v);
    return { node: -1, value: t.astype('float64') };
  }
  return null;
}

export class HandWrittenGradients {
  private readonly tracked = new Map<string, TrackedGradient>();
  /** Last assignment of each name (also dict entries `grads['W1']`), per frame: where and when. */
  private readonly lastAssignments = new Map<number, Map<string, Assignment>>();
  // The frame assigned in last and its map: assignments come in runs from one frame.
  private lastFrame = -1;
  private lastFrameAssignments = new Map<string, Assignment>();
  private order = 0;

  constructor(
    /** Whether assignments in this frame belong to the analyzed code. */
    private readonly isAnalyzedFrame: (frame: Frame) => boolean,
    /** Inputs are never hand-written gradients, even when named `dout`. */
    private readonly inputNames: { has(name: string): boolean },
  ) {}

  isGradientName(name: string): boolean {
    return this.tracked.has(name);
  }

  lastAssignment(frame: number, name: string): Assignment | undefined {
    return this.lastAssignments.get(frame)?.get(name);
  }

  /** Runs on every assignment: notes where each name was assigned last, and a gradient's values. */
  record(name: string, value: PyValue, span: SourceSpan, kind: AssignKind, frame: Frame, lookup: (name: string, frame: Frame) => PyValue | undefined, tape: Tape): void {
    if (frame.id !== this.lastFrame) {
      let assignments = this.lastAssignments.get(frame.id);
      if (!assignments) this.lastAssignments.set(frame.id, (assignments = new Map()));
      this.lastFrame = frame.id;
      this.lastFrameAssignments = assignments;
    }
    this.lastFrameAssignments.set(name, { span, order: this.order++ });
    if (kind === 'parameter' || !this.isAnalyzedFrame(frame) || this.inputNames.has(name)) return;
    let tracked = this.tracked.get(name);
    if (!tracked) {
      for (const target of gradientTargets(name)) {
        if (this.tracked.has(target)) continue;
        const bound = floatValue(tape, lookup(target, frame));
        if (!bound || bound.node < 0) continue;
        tracked = { name, target, targetNode: bound.node, targetShape: [...bound.value.shape], snapshots: [] };
        this.tracked.set(name, tracked);
        break;
      }
      if (!tracked) return;
    }
    const v = floatValue(tape, value);
    if (v) tracked.snapshots.push({ value: v.value, span, order: this.order++ });
  }

  /**
   * Mismatches of the named gradients, given autograd's gradients. Returned gradients are checked by
   * `checkReturned`; the rest are consistent if any of their values agrees.
   */
  namedMismatches(grads: readonly (Tensor | null)[], returnedNames: ReadonlySet<string>, threshold: number): { mismatch: Mismatch; order: number }[] {
    const out: { mismatch: Mismatch; order: number }[] = [];
    for (const t of this.tracked.values()) {
      if (returnedNames.has(t.name) || t.snapshots.length === 0) continue;
      const expected = grads[t.targetNode] ?? Tensor.zeros(t.targetShape);
      const verdicts = t.snapshots.map((s) => compareGradient(s.value, expected, threshold, true));
      if (verdicts.some((v) => v === null)) continue;
      const last = t.snapshots[t.snapshots.length - 1];
      const firstWrong = t.snapshots[0];
      out.push({ mismatch: toMismatch(t.name, t.target, last.span, expected, last.value, verdicts[verdicts.length - 1]!), order: firstWrong.order });
    }
    return out;
  }

  tracking(name: string): TrackedGradient | undefined {
    return this.tracked.get(name);
  }
}

export interface Verdict {
  kind: 'shape' | 'value';
  maxRelError: number;
}

/**
 * null when `actual` agrees with `expected`. An intermediate array may be off by one constant factor
 * (the gradient of a summed rather than averaged loss, scaled at the end, as cs231n code does).
 */
export function compareGradient(actual: Tensor, expected: Tensor, threshold: number, allowScale: boolean): Verdict | null {
  if (!sameShape(actual.shape, expected.shape)) return { kind: 'shape', maxRelError: 0 };
  const error = maxRelativeError(actual, expected);
  if (error <= threshold) return null;
  if (allowScale && expected.size > 1) {
    let dot = 0, norm = 0;
    for (let i = 0; i < expected.size; i++) {
      dot += actual.data[i] * expected.data[i];
      norm += expected.data[i] * expected.data[i];
    }
    const scale = norm > 0 ? dot / norm : 0;
    if (scale !== 0 && maxRelativeError(actual, new Tensor(expected.data.map((v) => v * scale), expected.shape)) <= threshold) return null;
  }
  return { kind: 'value', maxRelError: error };
}

export function toMismatch(name: string, target: string, span: SourceSpan, expected: Tensor, actual: Tensor, verdict: Verdict): Mismatch {
  return { kind: verdict.kind, name, target, line: span.line, span, expectedShape: [...expected.shape], actualShape: [...actual.shape], maxRelError: verdict.maxRelError };
}

/** The expressions a function returns in its last `return a, b, c` statement, if it is a tuple. */
export function returnedExpressions(fn: FunctionDef): Expr[] | null {
  let last: Expr | null = null;
  const visit = (body: readonly Stmt[]): void => {
    for (const s of body) {
      if (s.type === 'Return' && s.value) last = s.value;
      if (s.type === 'If') { visit(s.body); visit(s.orelse); }
      if (s.type === 'For' || s.type === 'While') visit(s.body);
    }
  };
  visit(fn.body);
  const value = last as Expr | null;
  if (!value) return null;
  return value.type === 'Tuple' ? value.elts : [value];
}

