// Property tests over random shapes (rank 0-3, dims 1-4), with a fixed fast-check seed so every run
// checks the same cases: binary VJPs under any broadcast, unbroadcast as a sum, reductions over any
// axes, reshape/transpose round trips, and Replay reproducing a recording.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { broadcastShapes, unbroadcast } from '../../../src/core/broadcast';
import { binaryOps, unaryOps } from '../../../src/core/ops/elementwise';
import type { AnyOp } from '../../../src/core/ops/op';
import { maxOp, meanOp, minOp, ReduceAttrs, sumOp } from '../../../src/core/ops/reduce';
import { reshapeOp, transposeOp } from '../../../src/core/ops/structural';
import { RandomState } from '../../../src/core/random';
import { Replay } from '../../../src/core/replay';
import { Tape } from '../../../src/core/tape';
import { sizeOf, stridesOf, Tensor, unravel } from '../../../src/core/tensor';
import { apply, assertVjpMatchesCentralDifferences, binaryCases, drawPair, uniform } from './helpers';

const settings = { seed: 42, numRuns: 100 };

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });

/** An operand that broadcasts to `out`: some leading axes dropped, some axes set to 1. */
const operandOf = (out: number[]): fc.Arbitrary<number[]> =>
  fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));

/** Two shapes NumPy broadcasts together, and the shape they broadcast to. */
const broadcastPairArb = shapeArb.chain((out) => fc.tuple(operandOf(out), operandOf(out)));

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** Distinct values (a shuffled grid 0.25 apart), so max and min have no ties. */
function distinct(shape: readonly number[], random: RandomState): Tensor {
  const n = sizeOf(shape);
  const data = Float64Array.from({ length: n }, (_, i) => (i - n / 2) * 0.25 + 0.01);
  for (let i = n - 1; i > 0; i--) {
    const j = random.randint(0, i + 1);
    [data[i], data[j]] = [data[j], data[i]];
  }
  return new Tensor(data, shape);
}

/** Same values, bit for bit (NaN equal to NaN, -0 distinct from 0). */
function assertIdentical(actual: Tensor, expected: Tensor): void {
  assert.deepEqual([...actual.shape], [...expected.shape]);
  for (let i = 0; i < expected.size; i++) assert.ok(Object.is(actual.data[i], expected.data[i]), `element ${i}: ${actual.data[i]} vs ${expected.data[i]}`);
}

describe('core properties (fast-check, seed 42)', () => {
  describe('every binary VJP matches central differences for random broadcast-compatible shapes', () => {
    for (const { name, op, behaviour, draw, ok } of binaryCases) {
      it(`${name} ${behaviour}`, () => {
        fc.assert(
          fc.property(broadcastPairArb, seedArb, ([sa, sb], seed) => {
            const [a, b] = drawPair([sa, sb], new RandomState(seed), draw, ok);
            assertVjpMatchesCentralDifferences(op, [a, b], undefined, seed);
          }),
          settings,
        );
      });
    }
  });

  it('unbroadcast(g, shape) sums g over the broadcast axes', () => {
    fc.assert(
      fc.property(shapeArb.chain((out) => fc.tuple(fc.constant(out), operandOf(out))), seedArb, ([out, shape], seed) => {
        const random = new RandomState(seed);
        // Whole numbers, so any summation order gives the same float.
        const g = new Tensor(Float64Array.from({ length: sizeOf(out) }, () => random.randint(-50, 50)), out);
        const leading = out.length - shape.length;
        const summedLeading = apply(sumOp, [g], { axis: [...Array(leading).keys()], keepdims: false });
        const ones = shape.flatMap((d, i) => (d === 1 && out[i + leading] !== 1 ? [i] : []));
        const expected = apply(sumOp, [summedLeading], { axis: ones, keepdims: true });
        assertIdentical(unbroadcast(g, shape), expected.withShape(shape));
      }),
      settings,
    );
  });

  it('broadcastShapes is symmetric and keeps the longer rank', () => {
    fc.assert(
      fc.property(broadcastPairArb, ([sa, sb]) => {
        const ab = broadcastShapes(sa, sb);
        assert.deepEqual(ab, broadcastShapes(sb, sa));
        assert.equal(ab.length, Math.max(sa.length, sb.length));
      }),
      settings,
    );
  });

  describe('sum, mean, max and min over random axes, with and without keepdims', () => {
    /** An axis argument: null, one axis, or a tuple, each axis possibly written negative. */
    const axisArb = (rank: number): fc.Arbitrary<ReduceAttrs['axis']> => {
      const axes = [...Array(rank).keys()];
      const spelled = (a: number): fc.Arbitrary<number> => fc.constantFrom(a, a - rank);
      const none: fc.Arbitrary<ReduceAttrs['axis']> = fc.constant(null);
      const one: fc.Arbitrary<ReduceAttrs['axis']>[] = rank > 0 ? [fc.constantFrom(...axes).chain(spelled)] : [];
      const several: fc.Arbitrary<ReduceAttrs['axis']> = fc.subarray(axes).chain((sub) => fc.tuple(...sub.map(spelled)).map((spelledAxes): number[] => [...spelledAxes]));
      return fc.oneof(none, ...one, several);
    };
    const caseArb = shapeArb.chain((shape) => fc.tuple(fc.constant(shape), axisArb(shape.length), fc.boolean()));

    /** The reduction done by hand: group every element by its index on the kept axes. */
    function reference(x: Tensor, axes: number[], keepdims: boolean, combine: (values: number[]) => number): Tensor {
      const outShape = x.shape.flatMap((d, i) => (axes.includes(i) ? (keepdims ? [1] : []) : [d]));
      const groups = new Map<string, number[]>();
      for (let flat = 0; flat < x.size; flat++) {
        const key = unravel(flat, x.shape).filter((_, i) => !axes.includes(i)).join(',');
        groups.set(key, [...(groups.get(key) ?? []), x.data[flat]]);
      }
      return new Tensor(Float64Array.from(groups.values(), combine), outShape);
    }

    const table: [string, AnyOp, (values: number[]) => number][] = [
      ['sum', sumOp, (v) => v.reduce((s, y) => s + y, 0)],
      ['mean', meanOp, (v) => v.reduce((s, y) => s + y, 0) / v.length],
      ['max', maxOp, (v) => Math.max(...v)],
      ['min', minOp, (v) => Math.min(...v)],
    ];
    for (const [name, op, combine] of table) {
      it(`${name} agrees with a by-hand reduction and its VJP with central differences`, () => {
        fc.assert(
          fc.property(caseArb, seedArb, ([shape, axis, keepdims], seed) => {
            const x = distinct(shape, new RandomState(seed));
            const axes = axis === null ? [...shape.keys()] : (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + shape.length : a));
            const out = apply(op, [x], { axis, keepdims });
            const expected = reference(x, axes, keepdims, combine);
            assert.deepEqual([...out.shape], [...expected.shape]);
            for (let i = 0; i < out.size; i++) assert.ok(Math.abs(out.data[i] - expected.data[i]) <= 1e-12 * Math.max(1, Math.abs(expected.data[i])));
            assertVjpMatchesCentralDifferences(op, [x], { axis, keepdims }, seed);
          }),
          settings,
        );
      });
    }
  });

  describe('reshape and transpose', () => {
    it('reshape to a regrouped shape and back restores the array, in C order throughout', () => {
      const caseArb = shapeArb.chain((shape) =>
        fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape, { minLength: shape.length, maxLength: shape.length }), fc.array(fc.integer({ min: 0, max: shape.length }), { maxLength: 2 })));
      fc.assert(
        fc.property(caseArb, seedArb, ([shape, shuffled, ones], seed) => {
          const target = [...shuffled];
          for (const at of ones) target.splice(at, 0, 1);
          const x = uniform(shape, new RandomState(seed));
          const y = apply(reshapeOp, [x], { shape: target });
          assert.deepEqual([...y.data], [...x.data]);
          assertIdentical(apply(reshapeOp, [y], { shape: [...shape] }), x);
          assertVjpMatchesCentralDifferences(reshapeOp, [x], { shape: target }, seed);
        }),
        settings,
      );
    });

    it('transpose puts input axis axes[d] at output axis d, and the inverse permutation restores the array', () => {
      const caseArb = shapeArb.chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray([...shape.keys()], { minLength: shape.length, maxLength: shape.length })));
      fc.assert(
        fc.property(caseArb, seedArb, ([shape, axes], seed) => {
          const x = uniform(shape, new RandomState(seed));
          const y = apply(transposeOp, [x], { axes });
          const inStrides = stridesOf(shape);
          for (let flat = 0; flat < y.size; flat++) {
            const index = unravel(flat, y.shape);
            const source = index.reduce((s, i, d) => s + i * inStrides[axes[d]], 0);
            assert.equal(y.data[flat], x.data[source]);
          }
          const inverse = axes.map((_, i) => axes.indexOf(i));
          assertIdentical(apply(transposeOp, [y], { axes: inverse }), x);
          assertVjpMatchesCentralDifferences(transposeOp, [x], { axes }, seed);
        }),
        settings,
      );
    });
  });

  describe('Replay', () => {
    type Step = { unary: 'tanh' | 'sin' | 'exp' | 'square' | 'negative' | 'sigmoid' | 'abs' } | { binary: 'add' | 'subtract' | 'multiply' | 'maximum'; with: 'x' | 'y' };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ unary: fc.constantFrom('tanh', 'sin', 'exp', 'square', 'negative', 'sigmoid', 'abs') }),
      fc.record({ binary: fc.constantFrom('add', 'subtract', 'multiply', 'maximum'), with: fc.constantFrom('x', 'y') }),
    );
    const programArb = fc.tuple(broadcastPairArb, fc.array(stepArb, { minLength: 1, maxLength: 6 }), seedArb);

    /** Records sum(steps applied to x, with x and y as second operands) on a fresh tape. */
    function record(x: Tensor, y: Tensor, steps: Step[]): { tape: Tape; leaves: [number, number]; out: number } {
      const tape = new Tape();
      const leaves: [number, number] = [tape.leaf(x, 'x', null), tape.leaf(y, 'y', null)];
      let current = leaves[0];
      for (const step of steps) {
        current = 'unary' in step
          ? tape.record(unaryOps[step.unary], [current], undefined, null)
          : tape.record(binaryOps[step.binary], [current, leaves[step.with === 'x' ? 0 : 1]], undefined, null);
      }
      return { tape, leaves, out: tape.record(sumOp, [current], { axis: null, keepdims: false }, null) };
    }

    it('replaying with leaves equal to the recorded ones reproduces the recorded output exactly', () => {
      fc.assert(
        fc.property(programArb, ([[sx, sy], steps, seed]) => {
          const random = new RandomState(seed);
          const x = uniform(sx, random), y = uniform(sy, random);
          const { tape, leaves, out } = record(x, y, steps);
          // Fresh copies of both leaves: the ops that read them run again, come out exactly as
          // recorded, and so nothing after them needs to run; the output is the recorded one.
          const copies = new Map(leaves.map((id, k) => [id, new Tensor(new Float64Array([x, y][k].data), [x, y][k].shape)]));
          const replayed = new Replay(tape, out).run(copies).output;
          assertIdentical(replayed, tape.value(out));
        }),
        settings,
      );
    });

    it('replaying with a perturbed leaf equals a fresh recording with that leaf', () => {
      fc.assert(
        fc.property(programArb, ([[sx, sy], steps, seed]) => {
          const random = new RandomState(seed);
          const x = uniform(sx, random), y = uniform(sy, random);
          const { tape, leaves, out } = record(x, y, steps);
          const perturbed = new Tensor(x.data.map((v) => v + 0.5 * random.normal()), x.shape);
          const fresh = record(perturbed, y, steps);
          assertIdentical(new Replay(tape, out).run(new Map([[leaves[0], perturbed]])).output, fresh.tape.value(fresh.out));
        }),
        settings,
      );
    });
  });
});
