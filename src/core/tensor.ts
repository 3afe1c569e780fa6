// Immutable, contiguous (C-order) n-d arrays. float64 for values; int64 and bool, stored as
// whole numbers in the same Float64Array, for indices and masks.
import { allocate, scalarStorage } from './storage';
import { formatShape, UserCodeError } from './errors';

export type DType = 'float64' | 'int64' | 'bool';
export type Nested = number | Nested[];

export class Tensor {
  readonly size: number;

  constructor(
    readonly data: Float64Array,
    readonly shape: readonly number[],
    readonly dtype: DType = 'float64',
  ) {
    this.size = sizeOf(shape);
    if (data.length !== this.size) {
      throw new Error(`internal: tensor data has ${data.length} elements, shape ${formatShape(shape)} needs ${this.size}`);
    }
  }

  get ndim(): number {
    return this.shape.length;
  }

  static scalar(value: number, dtype: DType = 'float64'): Tensor {
    return new Tensor(scalarStorage(value), [], dtype);
  }

  static zeros(shape: readonly number[], dtype: DType = 'float64'): Tensor {
    return new Tensor(allocate(sizeOf(shape)), shape, dtype);
  }

  static full(shape: readonly number[], value: number, dtype: DType = 'float64'): Tensor {
    return new Tensor(allocate(sizeOf(shape)).fill(value), shape, dtype);
  }

  /** From nested JavaScript arrays; ragged input is an error, as in NumPy. */
  static fromNested(value: Nested, dtype: DType = 'float64'): Tensor {
    const shape: number[] = [];
    let probe: Nested = value;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      probe = probe.length > 0 ? probe[0] : 0;
      if (shape[shape.length - 1] === 0) break;
    }
    const data = allocate(sizeOf(shape));
    let next = 0;
    const walk = (v: Nested, depth: number): void => {
      if (depth === shape.length) {
        if (Array.isArray(v)) throw new UserCodeError('value', 'setting an array element with a sequence: the nested lists are ragged');
        data[next++] = cast(v, dtype);
        return;
      }
      if (!Array.isArray(v) || v.length !== shape[depth]) {
        throw new UserCodeError('value', 'the nested lists are ragged: every row must have the same length');
      }
      for (const item of v) walk(item, depth + 1);
    };
    walk(value, 0);
    return new Tensor(data, shape, dtype);
  }

  toNested(): Nested {
    if (this.shape.length === 0) return this.data[0];
    const strides = stridesOf(this.shape);
    const build = (depth: number, offset: number): Nested[] => {
      const n = this.shape[depth];
      const stride = strides[depth];
      const out: Nested[] = [];
      for (let i = 0; i < n; i++) {
        out.push(depth === this.shape.length - 1 ? this.data[offset + i] : build(depth + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new UserCodeError('value', `only one-element arrays can be converted to a Python scalar; this one has shape ${formatShape(this.shape)}`);
    return this.data[0];
  }

  withShape(shape: readonly number[]): Tensor {
    return new Tensor(this.data, shape, this.dtype);
  }

  astype(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    const data = allocate(this.size);
    for (let i = 0; i < this.size; i++) data[i] = cast(this.data[i], dtype);
    return new Tensor(data, this.shape, dtype);
  }
}

export function cast(value: number, dtype: DType): number {
  if (dtype === 'float64') return value;
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  return Math.trunc(value);
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy's result type for two operands: bool < int64 < float64. */
export function promote(a: DType, b: DType): DType {
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'int64' || b === 'int64') return 'int64';
  return 'bool';
}

/** Unravels a flat C-order index into a multi-index. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    index[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return index;
}
