// Matrix products on row-major data: C = A·B and the two transposed products reverse mode needs.
// Products large enough run in WebAssembly SIMD (simdMatmul.ts); the rest, and engines without it,
// in the scalar kernels below. Both sum each element of C over the inner dimension in ascending
// order, a multiply and an add rounded separately, so they give the same bits.
import { allocate } from '../storage';
import { simdProduct } from './simdMatmul';

/**
 * Whether an m×k by k×n product is worth copying into WebAssembly memory and back: copying costs
 * about as much per element of A, B and C as four multiply-adds there. Measured on the benchmark
 * machine, bundled: 8×8×8 and 5×100×10 are faster in the scalar kernels, 16×16×16 1.8× and
 * 64×100×10 1.4× faster in SIMD, 64×3072×100 4–5×.
 */
function simdPays(m: number, k: number, n: number): boolean {
  return m * k * n >= 4 * (m * k + k * n + m * n);
}

/** C = A (m×k) · B (k×n), into `into` when given. */
export function matmul2d(a: Float64Array, b: Float64Array, m: number, k: number, n: number, into?: Float64Array): Float64Array {
  const c = into ?? allocate(m * n);
  const simd = simdPays(m, k, n) && simdProduct({ data: a, rows: m, cols: k, rowStride: k, colStride: 1 }, { data: b, rows: k, cols: n, rowStride: n, colStride: 1 }, c);
  return simd ? c : scalarMatmul(a, b, m, k, n, c);
}
/** C (m×k) = G (m×n) · Bᵀ with B (k×n). */
export function matmulTransB(g: Float64Array, b: Float64Array, m: number, n: number, k: number): Float64Array {
  const c = allocate(m * k);
  const simd = simdPays(m, n, k) && simdProduct({ data: g, rows: m, cols: n, rowStride: n, colStride: 1 }, { data: b, rows: n, cols: k, rowStride: 1, colStride: n }, c);
  return simd ? c : scalarMatmulTransB(g, b, m, n, k, c);
}
/** C (k×n) = Aᵀ · G with A (m×k), G (m×n). */
export function matmulTransA(a: Float64Array, g: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = allocate(k * n);
  const simd = simdPays(k, m, n) && simdProduct({ data: a, rows: k, cols: m, rowStride: 1, colStride: k }, { data: g, rows: m, cols: n, rowStride: n, colStride: 1 }, c);
  return simd ? c : scalarMatmulTransA(a, g, m, k, n, c);
}

// The scalar kernels write every element of c (exported for the tests that hold the SIMD path to
// their bits). A tile of C in locals (4 rows × 2 columns: eight accumulators and six loads stay in
// registers) so each loaded value feeds several multiply-adds and C is written once. The transposed
// products read their operands in place instead of copying them.
/** C = A (m×k) · B (k×n). */
export function scalarMatmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, c: Float64Array): Float64Array {
  scalarMatmulAt(a, 0, b, 0, m, k, n, c, 0);
  return c;
}
/** `scalarMatmul` on matrices that start `ao`, `bo` and `co` elements into their arrays. */
function scalarMatmulAt(a: Float64Array, ao: number, b: Float64Array, bo: number, m: number, k: number, n: number, c: Float64Array, co: number): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0r = ao + i * k, a1r = a0r + k, a2r = a1r + k, a3r = a2r + k;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
      for (let p = 0, bp = bo + j; p < k; p++, bp += n) {
        const b0 = b[bp], b1 = b[bp + 1];
        const a0 = a[a0r + p], a1 = a[a1r + p], a2 = a[a2r + p], a3 = a[a3r + p];
        c00 += a0 * b0; c01 += a0 * b1; c10 += a1 * b0; c11 += a1 * b1;
        c20 += a2 * b0; c21 += a2 * b1; c30 += a3 * b0; c31 += a3 * b1;
      }
      const r = co + i * n + j;
      c[r] = c00; c[r + 1] = c01; c[r + n] = c10; c[r + n + 1] = c11;
      c[r + 2 * n] = c20; c[r + 2 * n + 1] = c21; c[r + 3 * n] = c30; c[r + 3 * n + 1] = c31;
    }
    // An odd last column: a tile of 4 rows × 1.
    if (j < n) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, bp = bo + j; p < k; p++, bp += n) {
        const bv = b[bp];
        c0 += a[a0r + p] * bv; c1 += a[a1r + p] * bv; c2 += a[a2r + p] * bv; c3 += a[a3r + p] * bv;
      }
      const r = co + i * n + j;
      c[r] = c0; c[r + n] = c1; c[r + 2 * n] = c2; c[r + 3 * n] = c3;
    }
  }
  // The last rows, one at a time: tiles of 1 row × 2, and 1 × 1 for an odd last column.
  for (; i < m; i++) {
    const ar = ao + i * k, r = co + i * n;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let c0 = 0, c1 = 0;
      for (let p = 0, bp = bo + j; p < k; p++, bp += n) {
        const av = a[ar + p];
        c0 += av * b[bp]; c1 += av * b[bp + 1];
      }
      c[r + j] = c0; c[r + j + 1] = c1;
    }
    if (j < n) {
      let c0 = 0;
      for (let p = 0, bp = bo + j; p < k; p++, bp += n) c0 += a[ar + p] * b[bp];
      c[r + j] = c0;
    }
  }
}
/**
 * C_j = A_j (m×k) · B_j (k×n) for each of `items` products, the items' matrices one after another
 * in `a`, `b` and `c`; `aStep` 0 uses one A for every item. Small products run in place (a view per
 * item and product cost more than their arithmetic: a gradient check stacks hundreds).
 */
export function stackedMatmul(a: Float64Array, aStep: number, b: Float64Array, m: number, k: number, n: number, items: number, c: Float64Array): void {
  if (!simdPays(m, k, n)) {
    for (let j = 0; j < items; j++) scalarMatmulAt(a, j * aStep, b, j * k * n, m, k, n, c, j * m * n);
    return;
  }
  for (let j = 0; j < items; j++) {
    matmul2d(a.subarray(j * aStep, j * aStep + m * k), b.subarray(j * k * n, (j + 1) * k * n), m, k, n, c.subarray(j * m * n, (j + 1) * m * n));
  }
}
/** C (m×k) = G (m×n) · Bᵀ with B (k×n). */
export function scalarMatmulTransB(g: Float64Array, b: Float64Array, m: number, n: number, k: number, c: Float64Array): Float64Array {
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
export function scalarMatmulTransA(a: Float64Array, g: Float64Array, m: number, k: number, n: number, c: Float64Array): Float64Array {
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
