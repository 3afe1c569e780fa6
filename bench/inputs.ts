// Seeded inputs for the benchmark programs, in the INPUTS.json format of design.md. The same object
// is handed to analyze() and written to a file that bench/numpy_side.py reads, so both sides compute
// on identical float64 values.

/** INPUTS.json: a number is a Python float, a nested list a float64 array, {dtype, value} typed. */
export type NestedList = number[] | NestedList[];
export type InputsJson = Record<string, number | NestedList | { dtype: 'int64'; value: number[] }>;

/** mulberry32: a small, fast, well-mixed 32-bit generator; seeded, so every run sees the same inputs. */
class SeededRandom {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal by Box-Muller, keeping the second value for the next call. */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  integer(below: number): number {
    return Math.floor(this.uniform() * below);
  }
}

/**
 * Five significant digits keep the CIFAR-size JSON near 1.5 MB; the rounded number is the value
 * both sides use, so nothing is lost between them.
 */
function rounded(value: number): number {
  return Number(value.toPrecision(5));
}

function normalMatrix(random: SeededRandom, rows: number, cols: number, scale: number, offset = 0): number[][] {
  return Array.from({ length: rows }, () => normalVector(random, cols, scale, offset));
}

function normalVector(random: SeededRandom, length: number, scale: number, offset = 0): number[] {
  return Array.from({ length }, () => rounded(offset + scale * random.normal()));
}

function labels(random: SeededRandom, count: number, classes: number): { dtype: 'int64'; value: number[] } {
  return { dtype: 'int64', value: Array.from({ length: count }, () => random.integer(classes)) };
}

export interface TwoLayerNetSize {
  N: number;
  D: number;
  H: number;
  C: number;
}

/** The lecture's example values: f = 0.73 at w = (2, -3, -3), x = (-1, -2). */
export function sigmoidNeuronInputs(): InputsJson {
  return { w0: 2.0, x0: -1.0, w1: -3.0, x1: -2.0, w2: -3.0 };
}

/** cs231n's toy model scales: X ~ 10 N(0, 1) at the tiny size; unit-variance data at CIFAR size. */
export function twoLayerNetInputs(size: TwoLayerNetSize, seed: number): InputsJson {
  const random = new SeededRandom(seed);
  const { N, D, H, C } = size;
  const dataScale = D <= 10 ? 10 : 1;
  // Weights scaled by 1/sqrt(fan-in) keep the scores O(1), so exp() neither overflows nor underflows.
  return {
    X: normalMatrix(random, N, D, dataScale),
    y: labels(random, N, C),
    W1: normalMatrix(random, D, H, 1 / Math.sqrt(D * dataScale * dataScale)),
    b1: normalVector(random, H, 0.1),
    W2: normalMatrix(random, H, C, 1 / Math.sqrt(H)),
    b2: normalVector(random, C, 0.1),
    reg: 0.05,
  };
}

export function svmInputs(N: number, D: number, C: number, seed: number): InputsJson {
  const random = new SeededRandom(seed);
  return { W: normalMatrix(random, D, C, 0.01), X: normalMatrix(random, N, D, 1), y: labels(random, N, C), reg: 0.1 };
}

export function softmaxInputs(N: number, D: number, C: number, seed: number): InputsJson {
  const random = new SeededRandom(seed);
  return { W: normalMatrix(random, D, C, 0.01), X: normalMatrix(random, N, D, 1), y: labels(random, N, C), reg: 0.1 };
}

/** Non-zero mean and a spread above 1, so the normalization has something to do. */
export function batchnormInputs(N: number, D: number, seed: number): InputsJson {
  const random = new SeededRandom(seed);
  return { x: normalMatrix(random, N, D, 3, 2), gamma: normalVector(random, D, 0.1, 1), beta: normalVector(random, D, 0.1) };
}
