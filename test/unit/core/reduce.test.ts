// Reductions: sum, mean, max, min over every kind of axis argument, with and without keepdims.
import { strict as assert } from 'assert';
import { UserCodeError } from '../../../src/core/errors';
import type { AnyOp } from '../../../src/core/ops/op';
import { argmaxOp, argminOp, maxOp, meanOp, minOp, normalizeAxes, ReduceAttrs, sumOp } from '../../../src/core/ops/reduce';
import { Nested, Tensor } from '../../../src/core/tensor';
import { apply, assertCloseTo, assertVjpMatchesCentralDifferences, t } from './helpers';

/** x = (((np.arange(24) * 7) % 24 - 11.5) / 4).reshape(2, 3, 4): 24 distinct values, 0.25 apart. */
const x = new Tensor(Float64Array.from({ length: 24 }, (_, i) => (((i * 7) % 24) - 11.5) / 4), [2, 3, 4]);

const ops: Record<'sum' | 'mean' | 'max' | 'min', AnyOp> = { sum: sumOp, mean: meanOp, max: maxOp, min: minOp };
const behaviour = {
  sum: 'copies the gradient to every summed element',
  mean: 'spreads the gradient divided by the count',
  max: 'routes the gradient to the largest element',
  min: 'routes the gradient to the smallest element',
};

describe('core reductions', () => {
  describe('VJPs match central differences', () => {
    const axes: ReduceAttrs['axis'][] = [null, 0, 1, 2, -1, -2, [0, 2], [-1, 0], [0, 1, 2]];
    for (const name of ['sum', 'mean', 'max', 'min'] as const) {
      for (const axis of axes) {
        for (const keepdims of [false, true]) {
          it(`${name} ${behaviour[name]} (axis=${JSON.stringify(axis)}, keepdims=${keepdims})`, () => {
            assertVjpMatchesCentralDifferences(ops[name], [x], { axis, keepdims });
          });
        }
      }
      it(`${name} of a 0-d array passes the gradient through`, () => {
        assertVjpMatchesCentralDifferences(ops[name], [Tensor.scalar(0.7)], { axis: null, keepdims: false });
      });
    }
  });

  describe('forward values match NumPy', () => {
    // np.<name>(x, axis=axis, keepdims=keepdims).tolist() for the x above
    const table: ['sum' | 'mean' | 'max' | 'min', ReduceAttrs['axis'], boolean, Nested][] = [
      ['sum', 1, false, [[-5.625, -0.375, 4.875, -1.875], [3.375, 2.625, -4.125, 1.125]]],
      ['sum', -1, true, [[[-1.0], [-3.0], [1.0]], [[-1.0], [3.0], [1.0]]]],
      ['sum', [0, 2], false, [-2.0, 0.0, 2.0]],
      ['sum', null, true, [[[0.0]]]],
      ['mean', 1, true, [[[-1.875, -0.125, 1.625, -0.625]], [[1.125, 0.875, -1.375, 0.375]]]],
      ['mean', -1, false, [[-0.25, -0.75, 0.25], [-0.25, 0.75, 0.25]]],
      ['mean', [0, 2], true, [[[-0.25], [0.0], [0.25]]]],
      ['max', null, false, 2.875],
      ['max', 1, false, [[-0.875, 0.875, 2.625, 2.375], [2.125, 2.875, -0.375, 1.375]]],
      ['max', [0, 2], true, [[[2.375], [2.875], [2.625]]]],
      ['min', null, true, [[[-2.875]]]],
      ['min', -1, false, [[-2.875, -2.625, -1.625], [-2.375, -1.375, -2.125]]],
      ['min', [0, 2], false, [-2.875, -2.625, -2.125]],
    ];
    for (const [name, axis, keepdims, expected] of table) {
      it(`${name}(x, axis=${JSON.stringify(axis)}, keepdims=${keepdims}) equals NumPy's`, () => {
        assertCloseTo(apply(ops[name], [x], { axis, keepdims }), expected);
      });
    }

    it('argmax and argmin give NumPy\'s flat and per-axis indices', () => {
      // np.argmax(x) -> 17; np.argmin(x) -> 0; np.argmax(x, axis=1); np.argmin(x, axis=-1)
      assert.deepEqual(apply(argmaxOp, [x], { axis: null }).toNested(), 17);
      assert.deepEqual(apply(argminOp, [x], { axis: null }).toNested(), 0);
      assert.deepEqual(apply(argmaxOp, [x], { axis: 1 }).toNested(), [[2, 2, 2, 0], [2, 1, 2, 2]]);
      assert.deepEqual(apply(argminOp, [x], { axis: -1 }).toNested(), [[0, 3, 3], [2, 2, 1]]);
    });

    it('argmax and argmin pick the first of ties and the first NaN, along the last axis and the first', () => {
      // a = np.array([[1, 3, 3, 0], [nan, 2, nan, 5], [4, nan, 9, 9], [-1, -1, -2, -2]])
      const a = t([[1, 3, 3, 0], [NaN, 2, NaN, 5], [4, NaN, 9, 9], [-1, -1, -2, -2]]);
      // np.argmax(a, axis=1), np.argmin(a, axis=-1), np.argmax(a, axis=0), np.argmin(a, axis=0), np.argmax(a)
      assert.deepEqual(apply(argmaxOp, [a], { axis: 1 }).toNested(), [1, 0, 1, 0]);
      assert.deepEqual(apply(argminOp, [a], { axis: -1 }).toNested(), [3, 0, 1, 2]);
      assert.deepEqual(apply(argmaxOp, [a], { axis: 0 }).toNested(), [1, 2, 1, 2]);
      assert.deepEqual(apply(argminOp, [a], { axis: 0 }).toNested(), [1, 2, 1, 3]);
      assert.deepEqual(apply(argmaxOp, [a], { axis: null }).toNested(), 4);
    });
  });

  describe("NumPy's dtype rules", () => {
    // i = np.array([[3, -1, 2], [0, 5, -4]])
    const i = t([[3, -1, 2], [0, 5, -4]], 'int64');
    it('sum of int64 stays int64', () => {
      // np.sum(i, axis=0) -> int64 [3, 4, -2]
      const out = apply(sumOp, [i], { axis: 0, keepdims: false });
      assert.equal(out.dtype, 'int64');
      assert.deepEqual(out.toNested(), [3, 4, -2]);
    });
    it('sum of bool counts as int64', () => {
      // np.sum(np.array([True, False, True])) -> int64 2
      const out = apply(sumOp, [t([1, 0, 1], 'bool')], { axis: null, keepdims: false });
      assert.equal(out.dtype, 'int64');
      assert.equal(out.item(), 2);
    });
    it('mean of int64 is float64', () => {
      // np.mean(i, axis=1) -> [1.3333333333333333, 0.3333333333333333]
      const out = apply(meanOp, [i], { axis: 1, keepdims: false });
      assert.equal(out.dtype, 'float64');
      assertCloseTo(out, [1.3333333333333333, 0.3333333333333333]);
    });
    it('max of int64 stays int64', () => {
      // np.max(i, axis=1) -> int64 [3, 5]
      const out = apply(maxOp, [i], { axis: 1, keepdims: false });
      assert.equal(out.dtype, 'int64');
      assert.deepEqual(out.toNested(), [3, 5]);
    });
  });

  describe('axis errors', () => {
    const axisError = (message: string) => (e: unknown): boolean => e instanceof UserCodeError && e.message === message;
    it('an axis past the last dimension is out of bounds', () => {
      assert.throws(() => sumOp.shape([[2, 3, 4]], { axis: 3, keepdims: false }), axisError('axis 3 is out of bounds for array of dimension 3'));
    });
    it('a negative axis before the first dimension is out of bounds', () => {
      // np.sum(x, axis=-4): "axis -4 is out of bounds for array of dimension 3"
      assert.throws(() => maxOp.forward([x], { axis: -4, keepdims: true }), axisError('axis -4 is out of bounds for array of dimension 3'));
    });
    it('an axis out of bounds inside a tuple is reported', () => {
      assert.throws(() => meanOp.shape([[2, 3]], { axis: [0, 2], keepdims: false }), axisError('axis 2 is out of bounds for array of dimension 2'));
    });
    it('the same axis twice (0 and -3 of a 3-d array) is a duplicate', () => {
      assert.throws(() => sumOp.shape([[2, 3, 4]], { axis: [0, -3], keepdims: false }), /duplicate value in/);
    });
    it('a 0-d array accepts axis 0 and -1, and rejects 1 and -2, as NumPy does', () => {
      // np.sum(np.array(3.), axis=0) and axis=-1 -> 3.0; axis=1 and -2 raise AxisError
      for (const axis of [0, -1]) assert.equal(apply(sumOp, [Tensor.scalar(3)], { axis, keepdims: false }).item(), 3);
      assert.throws(() => sumOp.shape([[]], { axis: 1, keepdims: false }), axisError('axis 1 is out of bounds for array of dimension 0'));
      assert.throws(() => sumOp.shape([[]], { axis: -2, keepdims: false }), axisError('axis -2 is out of bounds for array of dimension 0'));
    });
    it('normalizeAxes sorts negative axes into place', () => {
      assert.deepEqual(normalizeAxes([-1, 0], 3), [0, 2]);
      assert.deepEqual(normalizeAxes(null, 2), [0, 1]);
    });
    it('max of an empty axis has no identity', () => {
      assert.throws(() => maxOp.forward([Tensor.zeros([2, 0])], { axis: 1, keepdims: false }), /zero-size array to reduction operation maximum/);
    });
  });

  it('max shares the gradient equally between tied maxima (as HIPS autograd does)', () => {
    const v = t([1, 3, 3]);
    const ans = apply(maxOp, [v], { axis: null, keepdims: false });
    const [g] = maxOp.vjp(Tensor.scalar(1), ans, [v], { axis: null, keepdims: false });
    assert.deepEqual([...g!.data], [0, 0.5, 0.5]);
  });

  it('max and min share ties alike along the last axis and the first (two ways of computing it)', () => {
    // Rows with a two-way tie, a three-way tie, no tie and a NaN; the same matrix transposed.
    const rows = [[1, 3, 3, 0], [2, 2, 2, -1], [0, 1, 2, 3], [1, Number.NaN, 0, 0]];
    const columns = rows[0].map((_, j) => rows.map((r) => r[j]));
    const g = [0.5, -3, 2, 7];
    for (const op of [maxOp, minOp]) {
      const byRow = t(rows), byColumn = t(columns);
      const [alongLast] = op.vjp(t(g), apply(op, [byRow], { axis: 1, keepdims: false }), [byRow], { axis: 1, keepdims: false });
      const [alongFirst] = op.vjp(t(g), apply(op, [byColumn], { axis: 0, keepdims: false }), [byColumn], { axis: 0, keepdims: false });
      const transposed = alongFirst!.toNested() as number[][];
      assert.deepEqual(alongLast!.toNested(), rows.map((_, i) => transposed.map((c) => c[i])), op.name);
    }
    const [tied] = maxOp.vjp(t(g), apply(maxOp, [t(rows)], { axis: 1, keepdims: false }), [t(rows)], { axis: 1, keepdims: false });
    assert.deepEqual(tied!.toNested(), [[0, 0.25, 0.25, 0], [-1, -1, -1, 0], [0, 0, 0, 2], [0, 0, 0, 0]]);
  });
});
