// NumPy arrays with NumPy's aliasing: basic slices and transposes are views of their base, so a
// write through one is seen through every other. Values on the tape are immutable, so a write makes
// a new version of the base (an index-write node) and each view re-reads from the newest version;
// gradients then flow through writes the way they flow through any other op.
import { formatShape, UserCodeError } from '../core/errors';
import { gatherOp, scatterOp } from '../core/ops/structural';
import { allPositions } from '../core/storage';
import type { AnyOp } from '../core/ops/op';
import type { Span } from './ast';
import type { Tape } from '../core/tape';
import type { DType, Tensor } from '../core/tensor';

/** The memory an array and its views share: the tape node of its newest version. */
export interface Storage {
  node: number;
  version: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export class NDArray {
  readonly kind = 'ndarray';
  private cachedNode: number;
  private cachedVersion: number;

  private constructor(
    readonly storage: Storage,
    readonly shape: readonly number[],
    /** Flat positions in the base of this view's elements (C order), or null for the base itself. */
    readonly positions: Int32Array | null,
    node: number,
  ) {
    this.cachedNode = node;
    this.cachedVersion = storage.version;
  }

  /** A new array owning its memory, holding the value of `node`. */
  static own(tape: Tape, node: number): NDArray {
    const value = tape.value(node);
    return new NDArray({ node, version: 0, shape: value.shape, dtype: value.dtype }, value.shape, null, node);
  }

  get dtype(): DType {
    return this.storage.dtype;
  }

  get size(): number {
    return this.shape.reduce((n, d) => n * d, 1);
  }

  isView(): boolean {
    return this.positions !== null;
  }

  /** Whether the elements sit next to each other in the base, in order. */
  isContiguous(): boolean {
    return this.positions === null || this.spacing() === 1 || this.positions.length <= 1;
  }

  /** Whether the elements are evenly spaced in the base (one stride reaches them all, in order). */
  isEvenlySpaced(): boolean {
    return this.positions === null || this.positions.length <= 1 || this.spacing() !== null;
  }

  /** The constant step between consecutive elements in the base, or null when there is none. */
  private spacing(): number | null {
    const p = this.positions!;
    if (p.length <= 1) return null;
    const step = p[1] - p[0];
    for (let i = 2; i < p.length; i++) if (p[i] - p[i - 1] !== step) return null;
    return step;
  }

  /** The tape node holding this array's current value. */
  read(tape: Tape, span: Span | null): number {
    if (this.positions === null) return this.storage.node;
    if (this.cachedVersion !== this.storage.version) {
      this.cachedNode = tape.record(gatherOp, [this.storage.node], { sources: this.positions, shape: [...this.shape] }, span);
      this.cachedVersion = this.storage.version;
    }
    return this.cachedNode;
  }

  value(tape: Tape, span: Span | null): Tensor {
    return tape.value(this.read(tape, span));
  }

  /**
   * A view of this array: `node` is its value as recorded (an index or transpose node), `positions`
   * the flat positions within this array of the view's elements.
   */
  view(node: number, positions: Int32Array, shape: readonly number[]): NDArray {
    const base = this.positions === null ? positions : positions.map((p) => this.positions![p]);
    return new NDArray(this.storage, shape, base, node);
  }

  /** Writes `valueNode` (broadcast to the selected region) into the elements at `positions`. */
  write(tape: Tape, positions: Int32Array, regionShape: readonly number[], valueNode: number, span: Span | null): void {
    const targets = this.positions === null ? positions : positions.map((p) => this.positions![p]);
    // An integer array truncates the floats written into it, as NumPy's setitem does.
    this.storage.node = tape.record(scatterOp, [this.storage.node, valueNode], { targets, regionShape: [...regionShape] }, span);
    this.storage.version++;
    if (this.positions === null) this.cachedNode = this.storage.node;
  }

  /** `x op= y` for a whole array: the result must keep x's shape and dtype. */
  updateInPlace(tape: Tape, op: AnyOp, other: number, span: Span | null, opName: string): void {
    const self = this.read(tape, span);
    const result = tape.record(op, [self, other], undefined, span);
    const out = tape.value(result);
    if (out.shape.length !== this.shape.length || out.shape.some((d, i) => d !== this.shape[i])) {
      throw new UserCodeError('shape', `non-broadcastable output operand with shape ${formatShape(this.shape)} doesn't match the broadcast shape ${formatShape(out.shape)}`);
    }
    if (this.dtype !== 'float64' && out.dtype === 'float64') {
      throw new UserCodeError('type', `Cannot cast ufunc '${opName}' output from dtype('float64') to dtype('${this.dtype}') with casting rule 'same_kind'`);
    }
    if (this.positions === null) {
      this.storage.node = result;
      this.storage.version++;
      this.cachedNode = result;
      return;
    }
    const all = allPositions(this.size);
    this.write(tape, all, this.shape, result, span);
  }
}
