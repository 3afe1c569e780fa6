// The matrix products: the WebAssembly SIMD path against the scalar kernels, bit for bit, for every
// layout reverse mode uses, awkward sizes and non-finite values; and the committed module against
// its source.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import {
  matmul2d, matmulTransA, matmulTransB, scalarMatmul, scalarMatmulTransA, scalarMatmulTransB, stackedMatmul,
} from '../../../src/core/ops/matmul';
import { matmulWasm } from '../../../src/core/ops/matmulWasm';
import { simdProduct } from '../../../src/core/ops/simdMatmul';
import { RandomState } from '../../../src/core/random';
import { asTypeScript, assemble, generatedPath, watPath } from '../../../scripts/wasm';

function randomData(n: number, random: RandomState): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (random.random() - 0.5) * 10 ** Math.floor(random.random() * 6 - 3);
  return out;
}

/** Equal bit for bit up to NaN payloads: -0 differs from 0, NaN equals NaN. */
function assertSameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) assert.fail(`${what}: element ${i} is ${actual[i]}, the scalar kernel gives ${expected[i]}`);
  }
}

/** The three products of one m×k by k×n shape through simdProduct, each against its scalar kernel. */
function assertSimdMatchesScalar(m: number, k: number, n: number, a: Float64Array, b: Float64Array, what: string): void {
  // C = A·B
  const c = new Float64Array(m * n);
  assert.ok(simdProduct({ data: a, rows: m, cols: k, rowStride: k, colStride: 1 }, { data: b, rows: k, cols: n, rowStride: n, colStride: 1 }, c));
  assertSameBits(c, scalarMatmul(a, b, m, k, n, new Float64Array(m * n)), `${what}: A·B`);
  // dA = G·Bᵀ with G (m×n): G is A·B's shape, B read transposed in place
  const g = c.map((x, i) => x + i);
  const ga = new Float64Array(m * k);
  assert.ok(simdProduct({ data: g, rows: m, cols: n, rowStride: n, colStride: 1 }, { data: b, rows: n, cols: k, rowStride: 1, colStride: n }, ga));
  assertSameBits(ga, scalarMatmulTransB(g, b, m, n, k, new Float64Array(m * k)), `${what}: G·Bᵀ`);
  // dB = Aᵀ·G
  const gb = new Float64Array(k * n);
  assert.ok(simdProduct({ data: a, rows: k, cols: m, rowStride: 1, colStride: k }, { data: g, rows: m, cols: n, rowStride: n, colStride: 1 }, gb));
  assertSameBits(gb, scalarMatmulTransA(a, g, m, k, n, new Float64Array(k * n)), `${what}: Aᵀ·G`);
}

describe('matrix products', () => {
  it('the committed module is matmul.wat assembled', async () => {
    const bytes = await assemble(watPath);
    assert.deepEqual([...matmulWasm], [...bytes], `${generatedPath} is stale: run npm run wasm`);
    assert.equal(readFileSync(generatedPath, 'utf8'), asTypeScript(bytes));
  });

  describe('SIMD products give the scalar kernels\' bits', () => {
    // Sizes a multiple of the 4×4 tile and not, single rows and columns, an empty inner dimension;
    // operands copied as they lie and packed, steps padded (64 lines), and inner dimensions run in
    // several blocks (700 by 100 columns: blocks of 327 rows, the last one short).
    const shapes: [number, number, number][] = [
      [4, 8, 4], [1, 1, 1], [1, 7, 1], [3, 5, 2], [5, 9, 7], [6, 0, 3], [17, 33, 10], [64, 300, 13], [2, 64, 100],
      [5, 40, 64], [33, 64, 21], [9, 700, 100], [6, 600, 513],
    ];
    for (const [m, k, n] of shapes) {
      it(`${m}×${k} by ${k}×${n}`, () => {
        const random = new RandomState(m * 1000 + k * 10 + n);
        assertSimdMatchesScalar(m, k, n, randomData(m * k, random), randomData(k * n, random), `${m}×${k}·${k}×${n}`);
      });
    }

    it('carries infinities, NaN and signed zeros as the scalar kernels do', () => {
      const random = new RandomState(7);
      const a = randomData(9 * 6, random), b = randomData(6 * 11, random);
      a[3] = Infinity; a[20] = -Infinity; a[31] = NaN; a[40] = -0;
      b[5] = NaN; b[17] = Infinity; b[60] = -0;
      assertSimdMatchesScalar(9, 6, 11, a, b, 'non-finite operands');
      const zeros = new Float64Array(5 * 6).fill(-0);
      assertSimdMatchesScalar(5, 6, 5, zeros, new Float64Array(6 * 5).fill(-0), 'negative zeros');
    });

    it('a smaller product after a larger one reads none of its leftovers', () => {
      const random = new RandomState(11);
      assertSimdMatchesScalar(40, 50, 30, randomData(40 * 50, random).fill(1e300), randomData(50 * 30, random), 'large');
      assertSimdMatchesScalar(5, 3, 6, randomData(5 * 3, random), randomData(3 * 6, random), 'small after large');
    });
  });

  it('a product that would take more than 64 MB of the module\'s memory is left to the scalar kernels', () => {
    // 1×k by k×1 packs into 8k doubles (each operand padded to four lines): past the cap at k = 2^20.
    const k = 1 << 20;
    const a = new Float64Array(k).fill(0.5), b = new Float64Array(k).fill(2);
    assert.equal(simdProduct({ data: a, rows: 1, cols: k, rowStride: k, colStride: 1 }, { data: b, rows: k, cols: 1, rowStride: 1, colStride: 1 }, new Float64Array(1)), false);
    assert.deepEqual([...matmul2d(a, b, 1, k, 1)], [k]);
  });

  it('products above the SIMD threshold give the scalar kernels\' bits through each entry point', () => {
    const random = new RandomState(3);
    const m = 64, k = 120, n = 30;
    const a = randomData(m * k, random), b = randomData(k * n, random), g = randomData(m * n, random);
    assertSameBits(matmul2d(a, b, m, k, n), scalarMatmul(a, b, m, k, n, new Float64Array(m * n)), 'matmul2d');
    const into = new Float64Array(m * n).fill(NaN);
    assertSameBits(matmul2d(a, b, m, k, n, into), scalarMatmul(a, b, m, k, n, new Float64Array(m * n)), 'matmul2d into');
    assertSameBits(matmulTransB(g, b, m, n, k), scalarMatmulTransB(g, b, m, n, k, new Float64Array(m * k)), 'matmulTransB');
    assertSameBits(matmulTransA(a, g, m, k, n), scalarMatmulTransA(a, g, m, k, n, new Float64Array(k * n)), 'matmulTransA');
  });

  it('a stack of products gives each item the bits of its own product, with one left matrix or one per item', () => {
    const random = new RandomState(5);
    // Sizes off the kernel's 4×2 tiles, and one large enough for the SIMD path.
    for (const [m, k, n, items] of [[5, 4, 10, 7], [5, 10, 3, 4], [1, 3, 1, 3], [7, 1, 5, 2], [16, 16, 16, 3]]) {
      for (const leftStacked of [false, true]) {
        const a = randomData((leftStacked ? items : 1) * m * k, random), b = randomData(items * k * n, random);
        const c = new Float64Array(items * m * n).fill(NaN);
        stackedMatmul(a, leftStacked ? m * k : 0, b, m, k, n, items, c);
        for (let j = 0; j < items; j++) {
          const aj = leftStacked ? a.slice(j * m * k, (j + 1) * m * k) : a;
          const expected = scalarMatmul(aj, b.slice(j * k * n, (j + 1) * k * n), m, k, n, new Float64Array(m * n));
          assertSameBits(c.slice(j * m * n, (j + 1) * m * n), expected, `${m}×${k}·${k}×${n}, item ${j} of ${items}${leftStacked ? ', A stacked' : ''}`);
        }
      }
    }
  });
});
