// Matrix products of large operands in WebAssembly SIMD (matmul.wat): two float64 lanes per
// instruction, about six times the scalar kernels' multiply-adds per second on the benchmark
// machine (docs/performance.md). The operands are copied into the module's memory in panels of
// four lines, padded with zeros, and the product copied out: O(m·k + k·n + m·n) around an O(m·k·n)
// product, so only products large enough come here (matmul.ts decides). The sums are rounded as
// the scalar kernels round them, so which path ran never shows in a result.
import { matmulWasm } from './matmulWasm';

/** A matrix read in place: element (i, j) is data[i * rowStride + j * colStride]. */
export interface MatrixView {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly rowStride: number;
  readonly colStride: number;
}

interface Module {
  readonly product: (l: number, r: number, c: number, m4: number, k: number, n4: number) => void;
  readonly memory: WebAssembly.Memory;
}

// undefined: not loaded yet; null: this engine has no WebAssembly SIMD (or forbids compiling it).
let loaded: Module | null | undefined;

function load(): Module | null {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(matmulWasm)) return null;
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(matmulWasm));
    return { product: exports.product as Module['product'], memory: exports.memory as WebAssembly.Memory };
  } catch {
    return null;
  }
}

/**
 * The most the module's memory grows to (64 MB): it is never given back, and the worker that runs
 * analyses lives as long as the editor. A larger product runs in the scalar kernels.
 */
const maxMemoryBytes = 64 * 1024 * 1024;

/** The module's memory as doubles, grown to hold `doubles` of them; null past the cap or if it cannot grow. */
function memoryFor(module: Module, doubles: number): Float64Array | null {
  const bytes = doubles * 8;
  if (bytes > maxMemoryBytes) return null;
  const have = module.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      module.memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return null;
    }
  }
  return new Float64Array(module.memory.buffer);
}

const roundUp4 = (n: number): number => (n + 3) & ~3;

/**
 * Writes `lines` (a lines × k view) as panels of [k][4]: line i's value p at at + (i - i % 4)·k + 4p + i % 4,
 * zeros where the last panel runs past the last line. Walks the source in its own order, so a
 * transposed operand is read along its rows.
 */
function packPanels(lines: MatrixView, into: Float64Array, at: number): void {
  const { data, rows: count, cols: k, rowStride: ls, colStride: ps } = lines;
  const full = count - (count % 4);
  if (ps <= ls) {
    for (let i = 0, o = at; i < full; i += 4) {
      for (let p = 0, s = i * ls; p < k; p++, o += 4, s += ps) {
        into[o] = data[s]; into[o + 1] = data[s + ls]; into[o + 2] = data[s + 2 * ls]; into[o + 3] = data[s + 3 * ls];
      }
    }
  } else {
    const panel = 4 * k;
    for (let p = 0; p < k; p++) {
      for (let i = 0, s = p * ps, o = at + 4 * p; i < full; i += 4, s += 4 * ls, o += panel) {
        into[o] = data[s]; into[o + 1] = data[s + ls]; into[o + 2] = data[s + 2 * ls]; into[o + 3] = data[s + 3 * ls];
      }
    }
  }
  if (full === count) return;
  for (let p = 0, o = at + full * k; p < k; p++, o += 4) {
    for (let q = 0; q < 4; q++) into[o + q] = full + q < count ? data[(full + q) * ls + p * ps] : 0;
  }
}

/**
 * C = L · R (L rows × k, R k × cols) written row-major into `into`. False when this engine cannot
 * run the module or give it the memory; the caller then runs its scalar kernel.
 */
export function simdProduct(left: MatrixView, right: MatrixView, into: Float64Array): boolean {
  if (loaded === undefined) loaded = load();
  if (loaded === null) return false;
  const m = left.rows, k = left.cols, n = right.cols;
  const m4 = roundUp4(m), n4 = roundUp4(n);
  const l = 0, r = m4 * k, c = r + k * n4;
  const memory = memoryFor(loaded, c + m4 * n4);
  if (memory === null) return false;
  packPanels(left, memory, l);
  // R's columns are the lines of its panels.
  packPanels({ data: right.data, rows: n, cols: k, rowStride: right.colStride, colStride: right.rowStride }, memory, r);
  loaded.product(l * 8, r * 8, c * 8, m4, k, n4);
  if (n4 === n) into.set(memory.subarray(c, c + m * n));
  else for (let i = 0; i < m; i++) into.set(memory.subarray(c + i * n4, c + i * n4 + n), i * n);
  return true;
}
