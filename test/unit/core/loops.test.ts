// The elementwise ops that run as loops of their own (src/core/ops/elementwise.ts) must compute
// exactly what their per-element definitions say: checked bit for bit against the plain
// JavaScript expression, on the same shape and broadcast, including NaN, infinities and -0.
import { strict as assert } from 'node:assert';
import { binaryOps, unaryOps } from '../../../src/core/ops/elementwise';
import { maxOp, minOp, sumOp } from '../../../src/core/ops/reduce';
import { RandomState } from '../../../src/core/random';
import { Tensor } from '../../../src/core/tensor';

const special = [0, -0, 1, -1, 0.5, -2.5, Infinity, -Infinity, Number.NaN, 1e-300, 1e300];

function values(n: number, seed: number): Float64Array {
  const random = new RandomState(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i < special.length ? special[i] : (random.random() - 0.5) * 20;
  return out;
}

function assertSameBits(actual: Float64Array, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  expected.forEach((e, i) => assert.ok(Object.is(actual[i], e), `${what}[${i}]: ${actual[i]} but the definition gives ${e}`));
}

describe('elementwise loops agree with their definitions', () => {
  const unary: Record<string, [(x: number) => number, (g: number, x: number, y: number) => number]> = {
    negative: [(x) => -x, (g) => g * -1],
    exp: [Math.exp, (g, _x, y) => g * y],
    log: [Math.log, (g, x) => g * (1 / x)],
    sqrt: [Math.sqrt, (g, _x, y) => g * (0.5 / y)],
    tanh: [Math.tanh, (g, _x, y) => g * (1 - y * y)],
  };
  for (const [name, [f, grad]] of Object.entries(unary)) {
    it(`${name}: forward and gradient`, () => {
      const x = new Tensor(values(40, 1), [4, 10]);
      const g = new Tensor(values(40, 2), [4, 10]);
      const op = unaryOps[name as keyof typeof unaryOps];
      const y = op.forward([x], undefined);
      assertSameBits(y.data, [...x.data].map(f), `${name}(x)`);
      const [gx] = op.vjp(g, y, [x], undefined);
      assertSameBits(gx!.data, [...g.data].map((gi, i) => grad(gi, x.data[i], y.data[i])), `d${name}`);
    });
  }

  const binary: Record<string, (a: number, b: number) => number> = {
    add: (a, b) => a + b,
    subtract: (a, b) => a - b,
    multiply: (a, b) => a * b,
    divide: (a, b) => a / b,
    maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
    minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  };
  for (const [name, f] of Object.entries(binary)) {
    // 11 × 11 and 3 × 3: broadcasts above and below the size where an expanded operand used to pay.
    for (const d of [11, 3]) {
      it(`${name}: same shapes, a row, a column and a scalar broadcast (${d} × ${d})`, () => {
        const op = binaryOps[name as keyof typeof binaryOps];
        const a = new Tensor(values(d * d, 3), [d, d]);
        const full = new Tensor(values(d * d, 4).reverse(), [d, d]);
        const row = new Tensor(values(d, 5), [d]);
        const column = new Tensor(values(d, 6), [d, 1]);
        const scalar = new Tensor(Float64Array.of(Number.NaN), []);
        const at = (t: Tensor, i: number): number => (t.size === 1 ? t.data[0] : t.shape.length === 1 ? t.data[i % d] : t.shape[1] === 1 ? t.data[Math.floor(i / d)] : t.data[i]);
        for (const b of [full, row, column, scalar]) {
          assertSameBits(op.forward([a, b], undefined).data, [...a.data].map((x, i) => f(x, at(b, i))), `${name}(a, b of shape [${b.shape}])`);
          assertSameBits(op.forward([b, a], undefined).data, [...a.data].map((x, i) => f(at(b, i), x)), `${name}(b of shape [${b.shape}], a)`);
          if (op.branches) {
            // The kink check's signature: which side each element took.
            const sign = (x: number, y: number): number => Math.sign(x - y);
            assertSameBits(op.branches([a, b], op.forward([a, b], undefined), undefined), [...a.data].map((x, i) => sign(x, at(b, i))), `${name} branches (a, b of shape [${b.shape}])`);
            assertSameBits(op.branches([b, a], op.forward([b, a], undefined), undefined), [...a.data].map((x, i) => sign(at(b, i), x)), `${name} branches (b of shape [${b.shape}], a)`);
          }
        }
      });
    }
  }

  it('runs every binary loop over broadcasts of other kinds, by forward and by kernel', () => {
    // A stack of bias rows against one matrix, an outer sum, axes that merge, and single values.
    const cases: [number[], number[], number[]][] = [
      [[2, 1, 3], [4, 3], [2, 4, 3]], [[3, 1], [1, 4], [3, 4]], [[2, 3, 1, 4], [3, 5, 1], [2, 3, 5, 4]],
      [[1, 2, 1, 3], [2, 2, 3], [1, 2, 2, 3]], [[1, 1], [1], [1, 1]], [[2, 0, 3], [1, 3], [2, 0, 3]],
    ];
    /** The flat index into an operand of `small` for output position `flat` of `shape`. */
    const sourceIndex = (small: number[], shape: number[], flat: number): number => {
      let index = 0, stride = 1;
      for (let d = shape.length - 1, r = flat; d >= 0; d--) {
        const coordinate = r % shape[d];
        r = Math.floor(r / shape[d]);
        const k = d - (shape.length - small.length);
        if (k >= 0) {
          if (small[k] !== 1) index += coordinate * stride;
          stride *= small[k];
        }
      }
      return index;
    };
    for (const [name, f] of Object.entries(binary)) {
      const op = binaryOps[name as keyof typeof binaryOps];
      for (const [aShape, bShape, shape] of cases) {
        const a = new Tensor(values(aShape.reduce((n, d) => n * d, 1), 16), aShape);
        const b = new Tensor(values(bShape.reduce((n, d) => n * d, 1), 17).reverse(), bShape);
        const size = shape.reduce((n, d) => n * d, 1);
        const expected = [...Array(size).keys()].map((i) => f(a.data[sourceIndex(aShape, shape, i)], b.data[sourceIndex(bShape, shape, i)]));
        const what = `${name}(a of shape [${aShape}], b of shape [${bShape}])`;
        const y = op.forward([a, b], undefined);
        assert.deepEqual(y.shape, shape, what);
        assertSameBits(y.data, expected, what);
        const out = new Float64Array(size);
        op.kernel!([a, b], undefined)([a.data, b.data], out);
        assertSameBits(out, expected, `${what} by kernel`);
      }
    }
  });

  it('multiply and divide send broadcast operands the gradients their definitions give', () => {
    const g = new Tensor(values(12, 11), [3, 4]), a = new Tensor(values(12, 12), [3, 4]);
    for (const b of [new Tensor(values(4, 13), [4]), new Tensor(values(3, 14), [3, 1])]) {
      const at = (i: number): number => (b.shape.length === 1 ? b.data[i % 4] : b.data[Math.floor(i / 4)]);
      const [ga] = binaryOps.multiply.vjp(g, binaryOps.multiply.forward([a, b], undefined), [a, b], undefined);
      assertSameBits(ga!.data, [...g.data].map((x, i) => x * at(i)), `d(a*b)/da, b of shape [${b.shape}]`);
      const [qa] = binaryOps.divide.vjp(g, binaryOps.divide.forward([a, b], undefined), [a, b], undefined);
      assertSameBits(qa!.data, [...g.data].map((x, i) => x / at(i)), `d(a/b)/da, b of shape [${b.shape}]`);
    }
  });

  it('maximum and minimum route the gradient to the winner, half to each on a tie, through a broadcast', () => {
    const g = new Tensor(values(12, 15), [3, 4]);
    const a = new Tensor(Float64Array.of(1, 2, 3, 4, 0, 0, 7, -1, Number.NaN, 5, 2, 2), [3, 4]);
    const b = new Tensor(Float64Array.of(2, 2, Number.NaN, -1), [4]);
    const share = (x: number, y: number): number => (x > y ? 1 : x === y ? 0.5 : 0);
    for (const [name, wins] of [['maximum', share], ['minimum', (x: number, y: number) => share(y, x)]] as const) {
      const op = binaryOps[name];
      const [ga, gb] = op.vjp(g, op.forward([a, b], undefined), [a, b], undefined);
      assertSameBits(ga!.data, [...g.data].map((x, i) => wins(a.data[i], b.data[i % 4]) * x), `d${name}/da`);
      const expected = [0, 0, 0, 0];
      for (let i = 0; i < 12; i++) expected[i % 4] += wins(b.data[i % 4], a.data[i]) * g.data[i];
      assertSameBits(gb!.data, expected, `d${name}/db`);
    }
  });

  it('multiply and divide send the gradients their definitions give', () => {
    const a = new Tensor(values(12, 7), [3, 4]), b = new Tensor(values(12, 8), [3, 4]), g = new Tensor(values(12, 9), [3, 4]);
    const [ga, gb] = binaryOps.multiply.vjp(g, binaryOps.multiply.forward([a, b], undefined), [a, b], undefined);
    assertSameBits(ga!.data, [...g.data].map((x, i) => x * b.data[i]), 'd(a*b)/da');
    assertSameBits(gb!.data, [...g.data].map((x, i) => x * a.data[i]), 'd(a*b)/db');
    const q = binaryOps.divide.forward([a, b], undefined);
    const [qa, qb] = binaryOps.divide.vjp(g, q, [a, b], undefined);
    assertSameBits(qa!.data, [...g.data].map((x, i) => x / b.data[i]), 'd(a/b)/da');
    assertSameBits(qb!.data, [...g.data].map((x, i) => (-x * q.data[i]) / b.data[i]), 'd(a/b)/db');
  });

  it('sum, max and min over every axis, the last and the first fold in C order as their steps say', () => {
    const x = new Tensor(values(60, 10), [5, 12]);
    const steps = { sum: [sumOp, 0, (acc: number, v: number) => acc + v], max: [maxOp, -Infinity, (acc: number, v: number) => (v > acc || Number.isNaN(v) ? v : acc)], min: [minOp, Infinity, (acc: number, v: number) => (v < acc || Number.isNaN(v) ? v : acc)] } as const;
    for (const [name, [op, init, step]] of Object.entries(steps)) {
      const rows = [0, 1, 2, 3, 4].map((r) => [...x.data.slice(r * 12, r * 12 + 12)]);
      assertSameBits(op.forward([x], { axis: null, keepdims: false }).data, [[...x.data].reduce(step, init)], `${name} over all`);
      assertSameBits(op.forward([x], { axis: 1, keepdims: false }).data, rows.map((r) => r.reduce(step, init)), `${name} over the last axis`);
      const columns = [...Array(12).keys()].map((c) => rows.map((r) => r[c]).reduce(step, init));
      assertSameBits(op.forward([x], { axis: 0, keepdims: true }).data, columns, `${name} over the first axis`);
    }
  });
});
