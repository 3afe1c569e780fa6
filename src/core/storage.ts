// Storage for tensor data. V8 gives a typed array of more than 8 doubles its own off-heap buffer,
// which costs 1-4 µs per array on the benchmark machine (docs/performance.md): more than the
// arithmetic on the small arrays most programs and every gradient-check replay make by the thousand.
// Small arrays are therefore views into shared slabs (a view costs ~15 ns); large ones get their own
// buffer, so a slab never holds more than small arrays alive.
//
// A view shares its slab's ArrayBuffer, and posting it to another thread would copy the whole slab:
// a worker copies the Report's small arrays into a buffer of the Report's own before posting it
// (compactArrays in src/analysis/report.ts; large ones own theirs already).

const slabElements = 1 << 15;
/** Arrays up to this many elements are views into shared slabs; larger ones own their buffer. */
export const smallElements = 1024;

let slab = new Float64Array(slabElements);
let used = 0;

/** A size the slabs can serve: a bad one would move their cursor and overlap later arrays. */
function checkLength(n: number): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`internal: cannot allocate ${n} elements`);
}

/** A zeroed Float64Array of `n` elements. */
export function allocate(n: number): Float64Array {
  checkLength(n);
  if (n > smallElements) return new Float64Array(n);
  if (used + n > slabElements) {
    slab = new Float64Array(slabElements);
    used = 0;
  }
  // A view made by its constructor: subarray() looks up the species constructor first (about 2× the time).
  const out = new Float64Array(slab.buffer, used * 8, n);
  used += n;
  return out;
}

let indexSlab = new Int32Array(slabElements);
let indicesUsed = 0;

/**
 * A zeroed Int32Array of `n` element positions (a view's positions in its base), from slabs the same
 * way. Written out again rather than shared with `allocate` through a generic helper: each is called
 * for nearly every op, and one helper for both array types would make their calls polymorphic.
 */
export function allocateIndices(n: number): Int32Array {
  checkLength(n);
  if (n > smallElements) return new Int32Array(n);
  if (indicesUsed + n > slabElements) {
    indexSlab = new Int32Array(slabElements);
    indicesUsed = 0;
  }
  const out = new Int32Array(indexSlab.buffer, indicesUsed * 4, n);
  indicesUsed += n;
  return out;
}

/** 0, 1, ..., n - 1: the positions of every element. */
export function allPositions(n: number): Int32Array {
  const out = allocateIndices(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** A copy of `source` in new storage. */
export function copyOf(source: ArrayLike<number>): Float64Array {
  // A large array copies straight into its own buffer (one pass, no zeroing first).
  if (source.length > smallElements && source instanceof Float64Array) return new Float64Array(source);
  const out = allocate(source.length);
  if (source instanceof Float64Array) out.set(source);
  else for (let i = 0; i < source.length; i++) out[i] = source[i];
  return out;
}

/** One element. */
export function scalarStorage(value: number): Float64Array {
  const out = allocate(1);
  out[0] = value;
  return out;
}
