// Matrix products. 1-d operands are treated as rows or columns, as NumPy's dot does.
import { allocate } from '../storage';
import { formatShape, shapeError, UserCodeError } from '../errors';
import { promote, Tensor } from '../tensor';
import { Kernel, runKernel, tooManyToFollow, type Op } from './op';

// Kernels: row-major; a tile of C in locals (4 rows × 2 columns: eight accumulators and six loads
// stay in registers) so each loaded value feeds several multiply-adds and C is written once. Each
// element is summed over p in ascending order, as the plain loop sums, so every kernel gives the
// same bits. The transposed products read their operands in place instead of copying them.
/** C = A (m×k) · B (k×n), into `into` when given. */
export function matmul2d(a: Float64Array, b: Float64Array, m: number, k: number, n: number, into?: Float64Array): Float64Array {
  const c = into ?? allocate(m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0r = i * k, a1r = a0r + k, a2r = a1r + k, a3r = a2r + k;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
      for (let p = 0, bp = j; p < k; p++, bp += n) {
        const b0 = b[bp], b1 = b[bp + 1];
        const a0 = a[a0r + p], a1 = a[a1r + p], a2 = a[a2r + p], a3 = a[a3r + p];
        c00 += a0 * b0; c01 += a0 * b1; c10 += a1 * b0; c11 += a1 * b1;
        c20 += a2 * b0; c21 += a2 * b1; c30 += a3 * b0; c31 += a3 * b1;
      }
      const r = i * n + j;
      c[r] = c00; c[r + 1] = c01; c[r + n] = c10; c[r + n + 1] = c11;
      c[r + 2 * n] = c20; c[r + 2 * n + 1] = c21; c[r + 3 * n] = c30; c[r + 3 * n + 1] = c31;
    }
    for (; j < n; j++) for (let q = i; q < i + 4; q++) c[q * n + j] = dotColumn(a, b, q * k, j, k, n);
  }
  for (; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] = dotColumn(a, b, i * k, j, k, n);
  return c;
}
/** Row `ar` of A (length k) · column j of B (k×n), summed in ascending order. */
function dotColumn(a: Float64Array, b: Float64Array, ar: number, j: number, k: number, n: number): number {
  let sum = 0;
  for (let p = 0; p < k; p++) sum += a[ar + p] * b[p * n + j];
  return sum;
}
/** C (m×k) = G (m×n) · Bᵀ with B (k×n). */
export function matmulTransB(g: Float64Array, b: Float64Array, m: number, n: number, k: number): Float64Array {
  const c = allocate(m * k);
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const g0 = i * n, g1 = g0 + n;
    let p = 0;
    for (; p + 2 <= k; p += 2) {
      const b0 = p * n, b1 = b0 + n;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let j = 0; j < n; j++) {
        const x0 = g[g0 + j], x1 = g[g1 + j], y0 = b[b0 + j], y1 = b[b1 + j];
        s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
      }
      c[i * k + p] = s00; c[i * k + p + 1] = s01; c[(i + 1) * k + p] = s10; c[(i + 1) * k + p + 1] = s11;
    }
    for (; p < k; p++) {
      const b0 = p * n; let s0 = 0, s1 = 0;
      for (let j = 0; j < n; j++) { s0 += g[g0 + j] * b[b0 + j]; s1 += g[g1 + j] * b[b0 + j]; }
      c[i * k + p] = s0; c[(i + 1) * k + p] = s1;
    }
  }
  for (; i < m; i++) for (let p = 0; p < k; p++) { let s = 0; for (let j = 0; j < n; j++) s += g[i * n + j] * b[p * n + j]; c[i * k + p] = s; }
  return c;
}
/** C (k×n) = Aᵀ · G with A (m×k), G (m×n). */
export function matmulTransA(a: Float64Array, g: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = allocate(k * n);
  // A 4×2 tile of C in locals, summed over A's rows in ascending order (as the plain loop sums):
  // six loads feed eight multiply-adds, and C is written once instead of once per row of A.
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
      for (let i = 0; i < m; i++) {
        const ar = i * k + p, gr = i * n + j;
        const a0 = a[ar], a1 = a[ar + 1], a2 = a[ar + 2], a3 = a[ar + 3];
        const g0 = g[gr], g1 = g[gr + 1];
        c00 += a0 * g0; c01 += a0 * g1; c10 += a1 * g0; c11 += a1 * g1;
        c20 += a2 * g0; c21 += a2 * g1; c30 += a3 * g0; c31 += a3 * g1;
      }
      const r0 = p * n + j;
      c[r0] = c00; c[r0 + 1] = c01; c[r0 + n] = c10; c[r0 + n + 1] = c11;
      c[r0 + 2 * n] = c20; c[r0 + 2 * n + 1] = c21; c[r0 + 3 * n] = c30; c[r0 + 3 * n + 1] = c31;
    }
    for (; j < n; j++) {
      for (let q = p; q < p + 4; q++) {
        let sum = 0;
        for (let i = 0; i < m; i++) sum += a[i * k + q] * g[i * n + j];
        c[q * n + j] = sum;
      }
    }
  }
  for (; p < k; p++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += a[i * k + p] * g[i * n + j];
      c[p * n + j] = sum;
    }
  }
  return c;
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

function dotKernel(a: Tensor, b: Tensor): Kernel {
  const { m, k, n } = asMatrices(a.shape, b.shape);
  return (ins, out) => { matmul2d(ins[0], ins[1], m, k, n, out); };
}

/** `dot(a, b)` for 1-d and 2-d operands (scalars are handled as multiply by the caller). */
export const dotOp: Op = {
  name: 'dot',
  pattern: "dot: each input's gradient is the upstream gradient times the other input, transposed",
  shape: ([a, b]) => {
    if (a.length === 0 || b.length === 0) throw new Error('internal: scalar dot must be lowered to multiply');
    return asMatrices(a, b).out;
  },
  forward: ([a, b]) => runKernel(dotKernel(a, b), [a, b], asMatrices(a.shape, b.shape).out, promote(a.dtype, b.dtype) === 'bool' ? 'int64' : promote(a.dtype, b.dtype)),
  kernel: ([a, b]) => dotKernel(a, b),
  vjp: (g, _ans, [a, b]) => {
    const { m, k, n } = asMatrices(a.shape, b.shape);
    // dA = G Bᵀ (m×n · n×k), dB = Aᵀ G (k×m · m×n)
    const ga = matmulTransB(g.data, b.data, m, n, k);
    const gb = matmulTransA(a.data, g.data, m, k, n);
    return [new Tensor(ga, a.shape), new Tensor(gb, b.shape)];
  },
  // The product is linear in each factor: a moved A[i, p] moves row i of the output by ΔA[i, p]·B[p, :],
  // a moved B[p, j] column j by A[:, p]·ΔB[p, j]; O(n) per moved element instead of O(k n). Not bit
  // for bit: the sum is rounded in another order (about one unit in the last place of the output,
  // far below what central differences resolve). A change from or to a non-finite value, or a row
  // that was not finite, cannot be undone by a difference: those run forward.
  propagate: ([a, b], [movedA, movedB], out, _attrs, [a0, b0]) => {
    if (movedA && movedB) return null;
    const { m, k, n } = asMatrices(a.shape, b.shape);
    const moved = (movedA ?? movedB)!;
    const [now, before] = movedA ? [a.data, a0.data] : [b.data, b0.data];
    const lines = new Set<number>();
    for (const flat of moved) {
      if (!Number.isFinite(now[flat]) || !Number.isFinite(before[flat])) return null;
      lines.add(movedA ? Math.floor(flat / k) : flat % n);
    }
    const positions: number[] = [];
    for (const line of lines) {
      if (movedA) for (let j = 0; j < n; j++) positions.push(line * n + j);
      else for (let i = 0; i < m; i++) positions.push(i * n + line);
    }
    if (tooManyToFollow(positions.length, out.length)) return null;
    for (const q of positions) if (!Number.isFinite(out[q])) return null;
    for (const flat of moved) {
      const delta = now[flat] - before[flat];
      if (movedA) {
        const i = Math.floor(flat / k), p = flat % k;
        for (let j = 0; j < n; j++) out[i * n + j] += delta * b.data[p * n + j];
      } else {
        const p = Math.floor(flat / n), j = flat % n;
        for (let i = 0; i < m; i++) out[i * n + j] += a.data[i * k + p] * delta;
      }
    }
    return positions;
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
    new Tensor(matmulTransA(g.data, a.data, a.size, b.size, 1), b.shape),
  ],
};
