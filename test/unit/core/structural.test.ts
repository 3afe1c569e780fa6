// Ops that move elements: reshape, transpose, gather (indexing), scatter (index writes), concatenate.
import { strict as assert } from 'assert';
import { UserCodeError } from '../../../src/core/errors';
import { concatenateOp, gatherOp, reshapeOp, scatterOp, transposeOp } from '../../../src/core/ops/structural';
import { RandomState } from '../../../src/core/random';
import { Tensor } from '../../../src/core/tensor';
import { apply, assertCloseTo, assertVjpMatchesCentralDifferences, t, uniform } from './helpers';

/** np.arange(24).reshape(2, 3, 4) as float64. */
const arange24 = new Tensor(Float64Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);

describe('core structural ops', () => {
  describe('reshape', () => {
    const cases: [number[], number[]][] = [[[2, 3, 4], [6, 4]], [[4, 6], [24]], [[], [1, 1]], [[6], [3, 1, 2]]];
    for (const [from, to] of cases) {
      it(`reshape passes the gradient back in the input's shape: (${from.join(', ')}) to (${to.join(', ')})`, () => {
        assertVjpMatchesCentralDifferences(reshapeOp, [uniform(from, new RandomState(from.length))], { shape: to });
      });
    }
    it("reshape to a different size is NumPy's error", () => {
      assert.throws(() => reshapeOp.shape([[6]], { shape: [4] }), (e: unknown) => e instanceof UserCodeError && e.message === 'cannot reshape array of size 6 into shape (4,)');
    });
  });

  describe('transpose', () => {
    const cases: [number[], number[]][] = [[[3, 4], [1, 0]], [[2, 3, 4], [2, 0, 1]], [[2, 3, 4], [1, 0, 2]], [[2, 3, 4], [0, 2, 1]], [[2, 3, 4], [0, 1, 2]]];
    for (const [shape, axes] of cases) {
      it(`transpose passes the gradient back through the inverse permutation: (${shape.join(', ')}) axes (${axes.join(', ')})`, () => {
        assertVjpMatchesCentralDifferences(transposeOp, [uniform(shape, new RandomState(axes[0] + 1))], { axes });
      });
    }
    it('transpose(2, 0, 1) of a 3-d array equals NumPy', () => {
      // np.arange(24).reshape(2, 3, 4).transpose(2, 0, 1).tolist()
      assertCloseTo(apply(transposeOp, [arange24], { axes: [2, 0, 1] }), [
        [[0, 4, 8], [12, 16, 20]], [[1, 5, 9], [13, 17, 21]], [[2, 6, 10], [14, 18, 22]], [[3, 7, 11], [15, 19, 23]],
      ]);
    });
    it('transpose(1, 0, 2) of a 3-d array equals NumPy', () => {
      // np.arange(24).reshape(2, 3, 4).transpose(1, 0, 2).reshape(-1).tolist()
      const out = apply(transposeOp, [arange24], { axes: [1, 0, 2] });
      assert.deepEqual(out.shape, [3, 2, 4]);
      assert.deepEqual([...out.data], [0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23]);
    });
    it('transpose with a repeated or missing axis is an error', () => {
      assert.throws(() => transposeOp.shape([[2, 3]], { axes: [0, 0] }), UserCodeError);
      assert.throws(() => transposeOp.shape([[2, 3, 4]], { axes: [1, 0] }), UserCodeError);
    });
  });

  describe('gather (indexing)', () => {
    // x = np.array([[1., 2., 3., 4.], [5., 6., 7., 8.], [9., 10., 11., 12.]])
    const x = t([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    const repeated = { sources: Int32Array.from([0, 5, 5, 11, 0]), shape: [5] };

    it('gather picks the elements NumPy picks, repeats included', () => {
      // x.reshape(-1)[[0, 5, 5, 11, 0]] -> [1.0, 6.0, 6.0, 12.0, 1.0]
      assertCloseTo(apply(gatherOp, [x], repeated), [1.0, 6.0, 6.0, 12.0, 1.0]);
      // x[[2, 0, 2]]: rows 2, 0 and 2 again
      const rows = { sources: Int32Array.from([8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11]), shape: [3, 4] };
      assertCloseTo(apply(gatherOp, [x], rows), [[9, 10, 11, 12], [1, 2, 3, 4], [9, 10, 11, 12]]);
    });

    it('gather adds the gradients of repeated positions', () => {
      assertVjpMatchesCentralDifferences(gatherOp, [uniform([3, 4], new RandomState(2))], repeated);
      const [g] = gatherOp.vjp(t([1, 10, 100, 1000, 10000]), Tensor.zeros([5]), [x], repeated);
      assert.deepEqual([...g!.data], [10001, 0, 0, 0, 0, 110, 0, 0, 0, 0, 0, 1000]);
    });

    it('gather into a 2-d result with repeated rows matches central differences', () => {
      const rows = { sources: Int32Array.from([4, 5, 0, 1, 4, 5]), shape: [3, 2] };
      assertVjpMatchesCentralDifferences(gatherOp, [uniform([3, 2], new RandomState(3))], rows);
    });
  });

  describe('scatter (index writes)', () => {
    // base[[1, 4, 1, 5]] = value (flat positions of a (2, 3) base): position 1 is written twice.
    const repeated = { targets: Int32Array.from([1, 4, 1, 5]), regionShape: [4] };

    it('the last of repeated writes wins, as in NumPy', () => {
      // z = np.zeros(5); z[[1, 3, 1]] = [10., 20., 30.] -> [0.0, 30.0, 0.0, 20.0, 0.0]
      const out = apply(scatterOp, [Tensor.zeros([5]), t([10, 20, 30])], { targets: Int32Array.from([1, 3, 1]), regionShape: [3] });
      assert.deepEqual([...out.data], [0, 30, 0, 20, 0]);
    });

    it('only the last write to a repeated target receives the gradient', () => {
      const random = new RandomState(6);
      assertVjpMatchesCentralDifferences(scatterOp, [uniform([2, 3], random), uniform([4], random)], repeated);
      const g = t([[1, 2, 3], [4, 5, 6]]);
      const [gBase, gValue] = scatterOp.vjp(g, Tensor.zeros([2, 3]), [Tensor.zeros([2, 3]), Tensor.zeros([4])], repeated);
      // The overwritten elements of base get nothing; value[0] was overwritten by value[2].
      assert.deepEqual([...gBase!.data], [1, 0, 3, 4, 0, 0]);
      assert.deepEqual([...gValue!.data], [0, 5, 2, 6]);
    });

    it('a broadcast value collects the gradient of every last write', () => {
      const random = new RandomState(8);
      const attrs = { targets: Int32Array.from([0, 2, 0]), regionShape: [3] };
      assertVjpMatchesCentralDifferences(scatterOp, [uniform([4], random), uniform([], random)], attrs);
      assertVjpMatchesCentralDifferences(scatterOp, [uniform([2, 3], random), uniform([3], random)], { targets: Int32Array.from([0, 1, 2, 3, 4, 5]), regionShape: [2, 3] });
    });

    it('a value with extra leading length-1 axes fits a smaller region, as NumPy allows', () => {
      // b = np.zeros((2, 3)); b[0] = np.array([[1., 2., 3.]]) -> [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]
      const row = { targets: Int32Array.from([0, 1, 2]), regionShape: [3] };
      assertCloseTo(apply(scatterOp, [Tensor.zeros([2, 3]), t([[1, 2, 3]])], row), [[1, 2, 3], [0, 0, 0]]);
      const random = new RandomState(10);
      assertVjpMatchesCentralDifferences(scatterOp, [uniform([2, 3], random), uniform([1, 1, 3], random)], row);
      assertVjpMatchesCentralDifferences(scatterOp, [uniform([2, 3], random), uniform([1, 1], random)], row);
    });

    it('writing a value that does not broadcast to the region names both shapes', () => {
      assert.throws(() => scatterOp.shape([[3], [2]], { targets: Int32Array.from([0, 1, 2]), regionShape: [3] }), /from shape \(2,\) into shape \(3,\)/);
      // np.zeros(3)[:] = np.ones((2, 3)): "could not broadcast input array from shape (2,3) into shape (3,)"
      assert.throws(() => scatterOp.shape([[3], [2, 3]], { targets: Int32Array.from([0, 1, 2]), regionShape: [3] }), /from shape \(2, 3\) into shape \(3,\)/);
    });

    it('writing floats into an int64 array truncates them, as NumPy does', () => {
      // z = np.zeros(3, dtype=np.int64); z[[0, 2]] = [1.7, -2.7] -> [1, 0, -2]
      const out = apply(scatterOp, [Tensor.zeros([3], 'int64'), t([1.7, -2.7])], { targets: Int32Array.from([0, 2]), regionShape: [2] });
      assert.deepEqual([...out.data], [1, 0, -2]);
      assert.equal(out.dtype, 'int64');
    });
  });

  describe('concatenate', () => {
    const cases: [number, number[][]][] = [
      [0, [[2, 3, 4], [1, 3, 4]]],
      [1, [[2, 3, 4], [2, 2, 4]]],
      [2, [[2, 3, 4], [2, 3, 1], [2, 3, 2]]],
      [0, [[3], [2], [1]]],
    ];
    for (const [axis, shapes] of cases) {
      it(`concatenate splits the gradient back into the pieces: axis ${axis} of ${shapes.map((s) => `(${s.join(', ')})`).join(', ')}`, () => {
        const random = new RandomState(axis + 20);
        assertVjpMatchesCentralDifferences(concatenateOp, shapes.map((s) => uniform(s, random)), { axis });
      });
    }
    it('concatenate along each axis of 2-d arrays equals NumPy', () => {
      // np.concatenate([[[1., 2.], [3., 4.]], [[5., 6.]]], axis=0) and np.concatenate([[[1., 2.], [3., 4.]], [[7.], [8.]]], axis=1)
      assertCloseTo(apply(concatenateOp, [t([[1, 2], [3, 4]]), t([[5, 6]])], { axis: 0 }), [[1, 2], [3, 4], [5, 6]]);
      assertCloseTo(apply(concatenateOp, [t([[1, 2], [3, 4]]), t([[7], [8]])], { axis: 1 }), [[1, 2, 7], [3, 4, 8]]);
    });
    it('concatenate of int64 and float64 is float64', () => {
      // np.concatenate([np.array([1, 2]), np.array([0.5])]).dtype -> float64
      assert.equal(apply(concatenateOp, [t([1, 2], 'int64'), t([0.5])], { axis: 0 }).dtype, 'float64');
    });
    it('pieces that differ off the concatenation axis are an error naming the sizes', () => {
      assert.throws(() => concatenateOp.shape([[2, 3], [2, 4]], { axis: 0 }), /along dimension 1, the array at index 0 has size 3 and another has size 4/);
    });
  });
});
