// How close to NumPy any kernel in baseline WebAssembly SIMD could bring the CIFAR-size pass. Its
// three matrix products (X·W1, and in reverse mode dW1 = Xᵀ·dH and dX = dH·W1ᵀ: 64×3072 by
// 3072×100, 19.7 million multiply-adds each) are most of its arithmetic. Measured in the bench's
// run, on its pinned CPU:
// - the ceiling: multiply-adds per nanosecond of a loop of two-lane float64 multiplies and adds
//   with ten independent sums in registers and no memory traffic, the most any kernel can do;
// - GradLens's three products as reverse mode runs them (src/core/ops/matmul.ts: packing, the
//   kernel, copying out);
// - NumPy's same three products, written as the hand-written backward writes them.
//
// `npm run bench:ceiling` (bench/show-ceiling.ts) prints the ceiling alone, with relaxed SIMD's
// fused multiply-add enabled (Node 20 has it behind a flag; the bench's own run reports whether its
// engine has it).
import wabt from 'wabt';
import { matmul2d, matmulTransA, matmulTransB } from '../src/core/ops/matmul';
import { median, timeCalls } from './timing';

export const productShape = { m: 64, k: 3072, n: 100 };
export const productNames = ['X·W1', 'Xᵀ·dH', 'dH·W1ᵀ'] as const;
export type ProductName = (typeof productNames)[number];

export interface ProductTiming {
  product: ProductName;
  gradlensMs: number;
  numpyMs: number;
}

export interface Ceiling {
  /** Two-lane multiply and add, rounded separately (what the engine's kernel runs). */
  multiplyAddPerNs: number;
  /** f64x2.relaxed_madd, or null when this engine does not have relaxed SIMD. */
  relaxedMaddPerNs: number | null;
  /** Multiply-adds in one product. */
  multiplyAdds: number;
  products: ProductTiming[];
}

const sums = 10;

/** The ceiling loop: `iterations` steps of `sums` independent two-lane multiply-adds, in registers. */
function ceilingWat(fused: boolean): string {
  const locals = Array.from({ length: sums }, (_, i) => `(local $s${i} v128)`).join(' ');
  const step = Array.from({ length: sums }, (_, i) => fused
    ? `(local.set $s${i} (f64x2.relaxed_madd (local.get $a) (local.get $b) (local.get $s${i})))`
    : `(local.set $s${i} (f64x2.add (local.get $s${i}) (f64x2.mul (local.get $a) (local.get $b))))`).join('\n');
  // The result depends on every sum, so that no engine may drop one.
  let total = '(local.get $s0)';
  for (let i = 1; i < sums; i++) total = `(f64x2.add ${total} (local.get $s${i}))`;
  return `(module (func (export "run") (param $iterations i32) (result f64) (local $a v128) (local $b v128) ${locals}
    (local.set $a (f64x2.splat (f64.const 1.0000001))) (local.set $b (f64x2.splat (f64.const 0.9999999)))
    (block $done (loop $steps
      (br_if $done (i32.eqz (local.get $iterations)))
      ${step}
      (local.set $iterations (i32.sub (local.get $iterations) (i32.const 1)))
      (br $steps)))
    (f64x2.extract_lane 0 ${total})))`;
}

/** Multiply-adds per nanosecond of the ceiling loop: the best of several timings (a ceiling, not a typical run); null if the engine cannot run it. */
async function ceilingPerNs(fused: boolean): Promise<number | null> {
  const toolkit = await wabt();
  const module = toolkit.parseWat('ceiling.wat', ceilingWat(fused), { simd: true, relaxed_simd: fused });
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    module.validate();
    bytes = new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
  if (!WebAssembly.validate(bytes)) return null;
  const run = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.run as (iterations: number) => number;
  const iterations = 5_000_000;
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const start = process.hrtime.bigint();
    run(iterations);
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return (iterations * sums * 2) / best;
}

/** The same deterministic values on both sides (numpy_side.py fills its matrices with this rule). */
export function fillMatrix(rows: number, cols: number, salt: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = ((i * 7919 + salt * 104729) % 2003) / 1001.5 - 1;
  return out;
}

/** GradLens's three products on fillMatrix's values, as reverse mode calls them. */
function gradlensProducts(): Record<ProductName, () => Float64Array> {
  const { m, k, n } = productShape;
  const x = fillMatrix(m, k, 1), w1 = fillMatrix(k, n, 2), dH = fillMatrix(m, n, 3);
  return {
    'X·W1': () => matmul2d(x, w1, m, k, n),
    'Xᵀ·dH': () => matmulTransA(x, dH, m, k, n),
    'dH·W1ᵀ': () => matmulTransB(dH, w1, m, n, k),
  };
}

export async function simdCeiling(): Promise<Omit<Ceiling, 'products'>> {
  const multiplyAddPerNs = await ceilingPerNs(false);
  if (multiplyAddPerNs === null) throw new Error('bench: this engine has no WebAssembly SIMD');
  const { m, k, n } = productShape;
  return { multiplyAddPerNs, relaxedMaddPerNs: await ceilingPerNs(true), multiplyAdds: m * k * n };
}

export type NumpyProduct = (product: ProductName, calls: number) => Promise<{ ms: number; sum: number }>;

const warmUpMs = 500;
const repetitionMs = 100;
const repetitions = 9;

/** Each product on both sides: warmed up, then repetitions of about 100 ms alternating GradLens and NumPy; medians. */
export async function measureProducts(numpyProduct: NumpyProduct): Promise<ProductTiming[]> {
  const runs = gradlensProducts();
  const timings: ProductTiming[] = [];
  for (const product of productNames) {
    const run = runs[product];
    // The two sides must compute the same product, or the comparison means nothing.
    const gradlensSum = run().reduce((total, v) => total + v, 0);
    const numpySum = (await numpyProduct(product, 1)).sum;
    if (!(Math.abs(gradlensSum - numpySum) <= 1e-9 * Math.max(1, Math.abs(numpySum)))) {
      throw new Error(`bench: ${product}: GradLens sums to ${gradlensSum}, NumPy to ${numpySum}`);
    }
    let gradlensCallMs = timeCalls(run, 1);
    for (const start = performance.now(); performance.now() - start < warmUpMs;) gradlensCallMs = timeCalls(run, 1);
    let numpyCallMs = (await numpyProduct(product, 1)).ms;
    for (const start = performance.now(); performance.now() - start < warmUpMs;) numpyCallMs = (await numpyProduct(product, 1)).ms;
    const gradlensCalls = Math.max(1, Math.round(repetitionMs / gradlensCallMs));
    const numpyCalls = Math.max(1, Math.round(repetitionMs / numpyCallMs));
    const gradlensSamples: number[] = [];
    const numpySamples: number[] = [];
    for (let r = 0; r < repetitions; r++) {
      gradlensSamples.push(timeCalls(run, gradlensCalls));
      numpySamples.push((await numpyProduct(product, numpyCalls)).ms);
    }
    timings.push({ product, gradlensMs: median(gradlensSamples), numpyMs: median(numpySamples) });
  }
  return timings;
}
