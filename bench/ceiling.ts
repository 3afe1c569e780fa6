// How close to NumPy any kernel in baseline WebAssembly SIMD could bring the CIFAR-size pass. Its
// three matrix products (X·W1, and in reverse mode dW1 = Xᵀ·dH and dX = dH·W1ᵀ: 64×3072 by
// 3072×100, 19.7 million multiply-adds each) are most of its arithmetic. Measured in the bench's
// run, on its pinned CPU:
// - the ceiling: the most multiply-adds per nanosecond any kernel can do, from loops of two-lane
//   float64 multiplies and of additions, independent ones in registers;
// - GradLens's three products as reverse mode runs them (src/core/ops/matmul.ts: laying the
//   operands out, the kernel, copying out);
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
  /** Multiply-adds per ns at most with a multiply and an add rounded separately (what the engine's kernel runs). */
  multiplyAddPerNs: number;
  /** Two-lane multiplies and additions per ns, each in a loop of its own. */
  multipliesPerNs: number;
  addsPerNs: number;
  /** Multiply-adds per ns at most with f64x2.relaxed_madd, or null when this engine does not have relaxed SIMD. */
  relaxedMaddPerNs: number | null;
  /** Multiply-adds in one product. */
  multiplyAdds: number;
  products: ProductTiming[];
}

/** Independent chains in each throughput loop: more than the operations in flight, so that the loop measures throughput, not latency. */
const chains = 10;

/** The instruction a throughput loop repeats. */
type Instruction = 'multiply' | 'add' | 'fused multiply-add';

/**
 * A throughput loop: `iterations` steps, each two of `instruction` on each of `chains` two-lane
 * values in registers, the first by a constant and the second by its inverse, so that the values
 * stay near 1. Each instruction takes the one before it in its chain: an engine can neither compute
 * it once outside the loop nor share it between chains (a loop of `s += a * b` with constant a and b
 * times additions alone).
 */
function throughputWat(instruction: Instruction): string {
  const locals = Array.from({ length: chains }, (_, i) => `(local $s${i} v128)`).join(' ');
  const apply = (value: string, by: string): string => instruction === 'multiply' ? `(f64x2.mul ${value} (local.get ${by}))`
    : instruction === 'add' ? `(f64x2.add ${value} (local.get ${by}))`
      : `(f64x2.relaxed_madd ${value} (local.get ${by}) (local.get $zero))`;
  const step = Array.from({ length: chains }, (_, i) => `(local.set $s${i} ${apply(apply(`(local.get $s${i})`, '$c'), '$inverse')})`).join('\n');
  const [c, inverse] = instruction === 'add' ? [1e-3, -1e-3] : [1.0000001, 1 / 1.0000001];
  // The result depends on every chain, so that no engine may drop one.
  let total = '(local.get $s0)';
  for (let i = 1; i < chains; i++) total = `(f64x2.add ${total} (local.get $s${i}))`;
  const init = Array.from({ length: chains }, (_, i) => `(local.set $s${i} (f64x2.splat (f64.const ${1 + i / 64})))`).join(' ');
  return `(module (func (export "run") (param $iterations i32) (result f64) (local $c v128) (local $inverse v128) (local $zero v128) ${locals}
    (local.set $c (f64x2.splat (f64.const ${c}))) (local.set $inverse (f64x2.splat (f64.const ${inverse}))) ${init}
    (block $done (loop $steps
      (br_if $done (i32.eqz (local.get $iterations)))
      ${step}
      (local.set $iterations (i32.sub (local.get $iterations) (i32.const 1)))
      (br $steps)))
    (f64x2.extract_lane 0 ${total})))`;
}

/** Two-lane `instruction`s per nanosecond: the best of several timings (a ceiling, not a typical run); null if the engine cannot run it. */
async function throughputPerNs(instruction: Instruction): Promise<number | null> {
  const fused = instruction === 'fused multiply-add';
  const toolkit = await wabt();
  const module = toolkit.parseWat('throughput.wat', throughputWat(instruction), { simd: true, relaxed_simd: fused });
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    module.validate();
    bytes = new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
  if (!WebAssembly.validate(bytes)) return null;
  const run = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.run as (iterations: number) => number;
  const iterations = 2_000_000;
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const start = process.hrtime.bigint();
    run(iterations);
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return (iterations * chains * 2) / best;
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

/**
 * The ceiling: a multiply-add is a multiply and an addition, two lanes each, so no kernel does more
 * multiply-adds per ns than twice the fewer of the two instructions per ns (with relaxed SIMD, twice
 * the fused ones).
 */
export async function simdCeiling(): Promise<Omit<Ceiling, 'products'>> {
  const multipliesPerNs = await throughputPerNs('multiply');
  const addsPerNs = await throughputPerNs('add');
  if (multipliesPerNs === null || addsPerNs === null) throw new Error('bench: this engine has no WebAssembly SIMD');
  const fusedPerNs = await throughputPerNs('fused multiply-add');
  const { m, k, n } = productShape;
  return {
    multiplyAddPerNs: 2 * Math.min(multipliesPerNs, addsPerNs),
    multipliesPerNs,
    addsPerNs,
    relaxedMaddPerNs: fusedPerNs === null ? null : 2 * fusedPerNs,
    multiplyAdds: m * k * n,
  };
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
