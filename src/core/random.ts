// NumPy's legacy RandomState (MT19937 with its double, gauss and bounded-int draws), so a program
// seeded with np.random.seed(s) sees the same numbers here as under NumPy.
export class RandomState {
  private readonly mt = new Uint32Array(624);
  private index = 624;
  private gauss: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  seed(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic
      mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
    this.index = 624;
    this.gauss = null;
  }

  nextUint32(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
        mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Standard normal by the polar method, keeping the second value for the next call. */
  normal(): number {
    if (this.gauss !== null) {
      const g = this.gauss;
      this.gauss = null;
      return g;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    return f * x2;
  }

  /** Integer in [low, high) by masked rejection, as RandomState.randint. */
  randint(low: number, high: number): number {
    const range = high - low - 1;
    if (range <= 0) return low;
    if (range > 0xffffffff) throw new Error('internal: randint ranges above 2^32 are not supported');
    let mask = range;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > range);
    return low + value;
  }
}

// Each analysis of a program with an array output draws the same seeded normals (its dout); at
// batchnorm size drawing them took longer than the forward pass itself, so the longest run drawn
// for the last seed is kept (up to 8 MB) and copied out.
const keptNormalsAtMost = 1 << 20;
let keptNormals: { seed: number; values: Float64Array } | null = null;

/** Fills `out` with the first out.length standard normals that RandomState(seed).normal() draws. */
export function fillNormals(out: Float64Array, seed: number): void {
  const kept = keptNormals !== null && keptNormals.seed === seed ? keptNormals.values : null;
  if (kept !== null && kept.length >= out.length) {
    out.set(kept.subarray(0, out.length));
    return;
  }
  const random = new RandomState(seed);
  for (let i = 0; i < out.length; i++) out[i] = random.normal();
  if (out.length <= keptNormalsAtMost) keptNormals = { seed, values: out.slice() };
}
