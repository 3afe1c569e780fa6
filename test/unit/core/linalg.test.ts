// dot and outer: VJPs against central differences for every pairing of 1-d and 2-d operands,
// forward values and the misalignment message against NumPy.
import { strict as assert } from 'assert';
import { UserCodeError } from '../../../src/core/errors';
import { dotOp, outerOp } from '../../../src/core/ops/linalg';
import { RandomState } from '../../../src/core/random';
import { apply, assertCloseTo, assertVjpMatchesCentralDifferences, t, uniform } from './helpers';

describe('core linalg ops', () => {
  describe('dot VJPs match central differences', () => {
    const cases: [string, number[], number[]][] = [
      ['1-d · 1-d (inner product)', [5], [5]],
      ['2-d · 1-d (matrix times vector)', [3, 4], [4]],
      ['1-d · 2-d (vector times matrix)', [3], [3, 4]],
      ['2-d · 2-d (matrix product)', [2, 3], [3, 4]],
      ['2-d · 2-d with a unit inner dimension', [3, 1], [1, 2]],
    ];
    for (const [what, sa, sb] of cases) {
      it(`dot sends G Bᵀ to A and Aᵀ G to B: ${what}`, () => {
        const random = new RandomState(sa.length * 3 + sb.length);
        assertVjpMatchesCentralDifferences(dotOp, [uniform(sa, random), uniform(sb, random)]);
      });
    }
  });

  describe('dot forward values match NumPy', () => {
    it('1-d · 1-d is the inner product', () => {
      // np.dot([1., 2., 3.], [4., -5., 6.]) -> 12.0
      assertCloseTo(apply(dotOp, [t([1, 2, 3]), t([4, -5, 6])]), 12.0);
    });
    it('2-d · 1-d treats the vector as a column', () => {
      // np.dot([[1., 2., 3.], [4., 5., 6.]], [1., 0., -1.]) -> [-2.0, -2.0]
      assertCloseTo(apply(dotOp, [t([[1, 2, 3], [4, 5, 6]]), t([1, 0, -1])]), [-2.0, -2.0]);
    });
    it('1-d · 2-d treats the vector as a row', () => {
      // np.dot([1., -1.], [[1., 2., 3.], [4., 5., 6.]]) -> [-3.0, -3.0, -3.0]
      assertCloseTo(apply(dotOp, [t([1, -1]), t([[1, 2, 3], [4, 5, 6]])]), [-3.0, -3.0, -3.0]);
    });
    it('2-d · 2-d is the matrix product', () => {
      // np.dot([[1., 2.], [3., 4.]], [[5., 6.], [7., 8.]]) -> [[19.0, 22.0], [43.0, 50.0]]
      assertCloseTo(apply(dotOp, [t([[1, 2], [3, 4]]), t([[5, 6], [7, 8]])]), [[19.0, 22.0], [43.0, 50.0]]);
    });
    it('int64 · int64 stays int64', () => {
      // np.dot(np.array([[1, 2], [3, 4]]), np.array([1, -1])) -> int64 [-1, -1]
      const out = apply(dotOp, [t([[1, 2], [3, 4]], 'int64'), t([1, -1], 'int64')]);
      assert.equal(out.dtype, 'int64');
      assert.deepEqual(out.toNested(), [-1, -1]);
    });
  });

  describe('dot misalignment', () => {
    const cases: [number[], number[], string][] = [
      [[2, 3], [4, 3], 'shapes (2, 3) and (4, 3) not aligned: 3 (dim 1) != 4 (dim 0)'],
      [[2, 3], [4], 'shapes (2, 3) and (4,) not aligned: 3 (dim 1) != 4 (dim 0)'],
      [[3], [4], 'shapes (3,) and (4,) not aligned: 3 (dim 0) != 4 (dim 0)'],
      [[3], [4, 2], 'shapes (3,) and (4, 2) not aligned: 3 (dim 0) != 4 (dim 0)'],
    ];
    for (const [sa, sb, message] of cases) {
      it(`names the disagreeing dims: ${message}`, () => {
        assert.throws(() => dotOp.shape([sa, sb], undefined), (e: unknown) => e instanceof UserCodeError && e.kind === 'shape' && e.message === message);
      });
    }
    it('dot of a 3-d array is reported as unsupported, not computed wrongly', () => {
      assert.throws(() => dotOp.shape([[2, 2, 2], [2, 2]], undefined), (e: unknown) => e instanceof UserCodeError && e.kind === 'unsupported');
    });
  });

  describe('outer', () => {
    it('outer sends G b to a and Gᵀ a to b', () => {
      const random = new RandomState(4);
      assertVjpMatchesCentralDifferences(outerOp, [uniform([3], random), uniform([4], random)]);
    });
    it('outer flattens 2-d inputs before multiplying, and its VJP restores their shapes', () => {
      const random = new RandomState(9);
      assertVjpMatchesCentralDifferences(outerOp, [uniform([2, 2], random), uniform([3], random)]);
    });
    it('outer equals NumPy on a flattened 2-d input', () => {
      // np.outer(np.array([[1., 2.], [3., 4.]]), np.array([0.5, -1.])).tolist()
      assertCloseTo(apply(outerOp, [t([[1, 2], [3, 4]]), t([0.5, -1])]), [[0.5, -1.0], [1.0, -2.0], [1.5, -3.0], [2.0, -4.0]]);
    });
    it('outer of int64 arrays stays int64', () => {
      // np.outer(np.array([1, 2, 3]), np.array([4, 5])) -> int64 [[4, 5], [8, 10], [12, 15]]
      const out = apply(outerOp, [t([1, 2, 3], 'int64'), t([4, 5], 'int64')]);
      assert.equal(out.dtype, 'int64');
      assert.deepEqual(out.toNested(), [[4, 5], [8, 10], [12, 15]]);
    });
  });
});
