// Matrix products. 1-d operands are treated as rows or columns, as NumPy's dot does.
import { formatShape, shapeError, UserCodeError } from '../errors';
import { promote, Tensor } from '../tensor';
import type { Op } from './op';

/** C = A (m×k) · B (k×n), row-major; i-k-j order keeps the inner loop contiguous. */
export function matmul2d(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
  return c;
}

function transpose2d(a: Float64Array, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
  return t;
}

/** NumPy's message for misaligned dot operands, naming the dims that disagree. */
function checkAligned(a: readonly number[], b: readonly number[]): void {
  const ka = a.length - 1;
  const kb = b.length === 1 ? 0 : b.length - 2;
  if (a[ka] !== b[kb]) {
    throw shapeError(`shapes ${formatShape(a)} and ${formatShape(b)} not aligned: ${a[ka]} (dim ${ka}) != ${b[kb]} (dim ${kb})`);
  }
}

/** Shapes of dot's operands as matrices, and of its result. */
function asMatrices(a: readonly number[], b: readonly number[]): { m: number; k: number; n: number; out: number[] } {
  if (a.length > 2 || b.length > 2) {
    throw new UserCodeError('unsupported', `dot of arrays with more than 2 dimensions (${formatShape(a)} and ${formatShape(b)}) is not supported`);
  }
  checkAligned(a, b);
  const m = a.length === 2 ? a[0] : 1;
  const k = a[a.length - 1];
  const n = b.length === 2 ? b[1] : 1;
  const out = [...(a.length === 2 ? [m] : []), ...(b.length === 2 ? [n] : [])];
  return { m, k, n, out };
}

/** `dot(a, b)` for 1-d and 2-d operands (scalars are handled as multiply by the caller). */
export const dotOp: Op = {
  name: 'dot',
  pattern: "dot: each input's gradient is the upstream gradient times the other input, transposed",
  shape: ([a, b]) => {
    if (a.length === 0 || b.length === 0) throw new Error('internal: scalar dot must be lowered to multiply');
    return asMatrices(a, b).out;
  },
  forward: ([a, b]) => {
    const { m, k, n, out } = asMatrices(a.shape, b.shape);
    return new Tensor(matmul2d(a.data, b.data, m, k, n), out, promote(a.dtype, b.dtype) === 'bool' ? 'int64' : promote(a.dtype, b.dtype));
  },
  vjp: (g, _ans, [a, b]) => {
    const { m, k, n } = asMatrices(a.shape, b.shape);
    // dA = G Bᵀ (m×n · n×k), dB = Aᵀ G (k×m · m×n)
    const ga = matmul2d(g.data, transpose2d(b.data, k, n), m, n, k);
    const gb = matmul2d(transpose2d(a.data, m, k), g.data, k, m, n);
    return [new Tensor(ga, a.shape), new Tensor(gb, b.shape)];
  },
};

/** `outer(a, b)[i, j] = a[i] b[j]` over the flattened inputs. */
export const outerOp: Op = {
  name: 'outer',
  pattern: "outer: each input's gradient is the upstream gradient contracted with the other input",
  shape: ([a, b]) => [a.reduce((x, y) => x * y, 1), b.reduce((x, y) => x * y, 1)],
  // NumPy's outer is multiply.outer, so the dtype follows multiply's: int64 stays int64.
  forward: ([a, b]) => new Tensor(matmul2d(a.data, b.data, a.size, 1, b.size), [a.size, b.size], promote(a.dtype, b.dtype)),
  vjp: (g, _ans, [a, b]) => [
    new Tensor(matmul2d(g.data, b.data, a.size, b.size, 1), a.shape),
    new Tensor(matmul2d(transpose2d(g.data, a.size, b.size), a.data, b.size, a.size, 1), b.shape),
  ],
};
