// Matrix products of large operands in WebAssembly SIMD (matmul.wat): two float64 lanes per
// instruction, about six times the scalar kernels' multiply-adds per second on the benchmark
// machine (docs/performance.md). The operands are copied into the module's memory, as they lie or
// in panels of four lines, padded with zeros, and the product copied out: O(m·k + k·n + m·n) around
// an O(m·k·n) product, so only products large enough come here (matmul.ts decides). The sums are
// rounded as the scalar kernels round them, so which path ran never shows in a result.
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
  readonly product: (l: number, r: number, c: number, m4: number, k: number, n4: number, lLine: number, lStep: number, rLine: number, rStep: number, kc: number) => void;
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

/** How an operand lies in the module's memory: in panels of four, or as it lies (`step` doubles from one step over k to the next). */
interface Layout {
  readonly asItLies: boolean;
  readonly step: number;
  readonly doubles: number;
}

/**
 * A view whose lines are consecutive at each step (R stored by rows, L by columns) and at most 512
 * of them is copied as it lies: at CIFAR size, W1 in X·W1 (100 columns) so, with the blocks below,
 * took the product from 1.91 to 1.62 ms (in one process with the packing kernel, alternating). Any
 * other goes into panels of four: with longer steps each of the kernel's reads lands on a page of
 * its own (Xᵀ·dH, with Xᵀ's 3072 rows laid out as they lie, took 2.2–2.7 ms against 1.8–2.0
 * packed). A step of a multiple of 32 doubles gets 8 more, or every step's line would fall in one
 * set of the level-1 cache.
 */
function layoutOf(lines: MatrixView): Layout {
  const count4 = roundUp4(lines.rows);
  if (lines.rowStride !== 1 || count4 > 512) return { asItLies: false, step: 4, doubles: count4 * lines.cols };
  const step = count4 % 32 === 0 ? count4 + 8 : count4;
  return { asItLies: true, step, doubles: step * lines.cols };
}

/** Writes `lines` (a lines × k view) at `at` as `layout` says; returns the kernel's byte distances from one line of four to the next and from one step to the next. */
function layOut(lines: MatrixView, layout: Layout, into: Float64Array, at: number): { line: number; step: number } {
  if (!layout.asItLies) {
    packPanels(lines, into, at);
    return { line: 8 * lines.cols, step: 32 };
  }
  const { data, rows: count, cols: k, colStride: ps } = lines;
  const step = layout.step;
  if (ps === count && step === count) into.set(data.length === count * k ? data : data.subarray(0, count * k), at);
  else {
    // A loop, not a subarray and a set per step: a subarray costs more than copying a short step.
    for (let p = 0, o = at; p < k; p++, o += step) {
      for (let q = 0, s = p * ps; q < count; q++) into[o + q] = data[s + q];
      // Zeros, not whatever the last product left: the padding's products are discarded, but a
      // denormal or a NaN there could slow the kernel.
      for (let q = count; q < step; q++) into[o + q] = 0;
    }
  }
  return { line: 8, step: 8 * step };
}

/**
 * Rows of R the kernel takes over every tile before the next (kc): a block of about 256 KB, which
 * stays in the level-2 cache while every row panel of L passes over it. A block of fewer than 128
 * rows would re-read C more than it saves; such a product runs in one block.
 */
function blockRows(k: number, n4: number): number {
  const rows = Math.floor((256 * 1024) / (8 * Math.max(n4, 4)));
  return rows < 128 || rows >= k ? Math.max(k, 1) : rows;
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
  // R's columns are the lines it is laid out by.
  const rightLines: MatrixView = { data: right.data, rows: n, cols: k, rowStride: right.colStride, colStride: right.rowStride };
  const lLayout = layoutOf(left), rLayout = layoutOf(rightLines);
  const l = 0, r = lLayout.doubles, c = r + rLayout.doubles;
  const memory = memoryFor(loaded, c + m4 * n4);
  if (memory === null) return false;
  const lPlace = layOut(left, lLayout, memory, l);
  const rPlace = layOut(rightLines, rLayout, memory, r);
  loaded.product(l * 8, r * 8, c * 8, m4, k, n4, lPlace.line, lPlace.step, rPlace.line, rPlace.step, blockRows(k, n4));
  if (n4 === n) into.set(memory.subarray(c, c + m * n));
  else for (let i = 0; i < m; i++) into.set(memory.subarray(c + i * n4, c + i * n4 + n), i * n);
  return true;
}
