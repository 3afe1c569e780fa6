// Elementwise ops: each VJP against central differences (with every broadcasting case for the binary
// ops), forward values against NumPy, and NumPy's dtype and broadcasting-error rules.
import { strict as assert } from 'assert';
import { UserCodeError } from '../../../src/core/errors';
import { binaryOps, clipOp, copyOp, discreteOps, modOp, unaryOps, whereOp, type UnaryName } from '../../../src/core/ops/elementwise';
import type { AnyOp } from '../../../src/core/ops/op';
import { RandomState } from '../../../src/core/random';
import { Nested, Tensor } from '../../../src/core/tensor';
import { apply, assertCloseTo, assertVjpMatchesCentralDifferences, awayFromZero, binaryCases, Draw, drawPair, t, uniform, within } from './helpers';

const shapes: number[][] = [[], [4], [2, 3]];

describe('core elementwise ops', () => {
  describe('unary VJPs match central differences', () => {
    const table: { name: UnaryName; behaviour: string; draw: Draw }[] = [
      { name: 'exp', behaviour: 'scales the gradient by e^x', draw: within(-2, 2) },
      { name: 'log', behaviour: 'scales the gradient by 1/x on positive inputs', draw: within(0.2, 3) },
      { name: 'sqrt', behaviour: 'scales the gradient by 1/(2 sqrt x) on positive inputs', draw: within(0.2, 3) },
      { name: 'tanh', behaviour: 'scales the gradient by 1 - tanh^2', draw: within(-2, 2) },
      { name: 'sin', behaviour: 'scales the gradient by cos x', draw: within(-3, 3) },
      { name: 'cos', behaviour: 'scales the gradient by -sin x', draw: within(-3, 3) },
      { name: 'square', behaviour: 'scales the gradient by 2x', draw: within(-2, 2) },
      { name: 'reciprocal', behaviour: 'scales the gradient by -1/x^2 away from 0', draw: awayFromZero(0.3, 2) },
      { name: 'abs', behaviour: 'routes the gradient with the sign of x away from 0', draw: awayFromZero(0.1, 2) },
      { name: 'log1p', behaviour: 'scales the gradient by 1/(1+x)', draw: within(-0.5, 2) },
      { name: 'expm1', behaviour: 'scales the gradient by e^x', draw: within(-2, 2) },
      { name: 'sigmoid', behaviour: 'scales the gradient by s(1-s)', draw: within(-4, 4) },
      { name: 'negative', behaviour: 'flips the sign of the gradient', draw: within(-2, 2) },
    ];
    for (const { name, behaviour, draw } of table) {
      for (const shape of shapes) {
        it(`${name} ${behaviour} (shape (${shape.join(', ')}))`, () => {
          assertVjpMatchesCentralDifferences(unaryOps[name], [draw(shape, new RandomState(shape.length + 11))]);
        });
      }
    }
  });

  describe('unary forward values match NumPy', () => {
    // x = np.array([-1.5, 0.25, 2.0]); p = np.array([0.5, 1.0, 2.5]); expected = np.<name>(x or p).tolist()
    const x = [-1.5, 0.25, 2.0];
    const p = [0.5, 1.0, 2.5];
    const table: [UnaryName, number[], number[]][] = [
      ['exp', x, [0.22313016014842982, 1.2840254166877414, 7.38905609893065]],
      ['log', p, [-0.6931471805599453, 0.0, 0.9162907318741551]],
      ['sqrt', p, [0.7071067811865476, 1.0, 1.5811388300841898]],
      ['tanh', x, [-0.9051482536448665, 0.24491866240370913, 0.9640275800758169]],
      ['sin', x, [-0.9974949866040544, 0.24740395925452294, 0.9092974268256817]],
      ['cos', x, [0.0707372016677029, 0.9689124217106447, -0.4161468365471424]],
      ['square', x, [2.25, 0.0625, 4.0]],
      ['reciprocal', x, [-0.6666666666666666, 4.0, 0.5]],
      ['abs', x, [1.5, 0.25, 2.0]],
      ['log1p', p, [0.4054651081081644, 0.6931471805599453, 1.252762968495368]],
      ['expm1', x, [-0.7768698398515702, 0.2840254166877415, 6.38905609893065]],
      ['negative', x, [1.5, -0.25, -2.0]],
      // 1 / (1 + np.exp(-x))
      ['sigmoid', x, [0.18242552380635635, 0.5621765008857981, 0.8807970779778823]],
    ];
    for (const [name, input, expected] of table) {
      it(`${name}(${JSON.stringify(input)}) equals NumPy's`, () => {
        assertCloseTo(apply(unaryOps[name], [t(input)]), expected);
      });
    }
  });

  describe('binary VJPs match central differences, undoing every broadcast', () => {
    const pairs: [number[], number[]][] = [
      [[2, 3], [2, 3]],
      [[3, 1], [4]],
      [[4], [3, 1]],
      [[2, 3, 4], [3, 1]],
      [[], [2, 3]],
      [[2, 3], []],
      [[1], [5]],
    ];
    for (const { name, op, behaviour, draw, ok } of binaryCases) {
      for (const [sa, sb] of pairs) {
        it(`${name} ${behaviour}: (${sa.join(', ')}) with (${sb.join(', ')})`, () => {
          const [a, b] = drawPair([sa, sb], new RandomState(sa.length * 10 + sb.length), draw, ok);
          assertVjpMatchesCentralDifferences(op, [a, b]);
        });
      }
    }
  });

  describe('a binary VJP told one operand needs no gradient gives the other the same gradient', () => {
    for (const { name, op, draw, ok } of binaryCases) {
      it(`${name}, one operand broadcast`, () => {
        const [a, b] = drawPair([[2, 3], [3]], new RandomState(5), draw, ok);
        const ans = apply(op, [a, b]);
        const g = uniform(ans.shape, new RandomState(6), -1.5, 1.5);
        const [ga, gb] = op.vjp(g, ans, [a, b], undefined);
        const [onlyA] = op.vjp(g, ans, [a, b], undefined, [true, false]);
        const [, onlyB] = op.vjp(g, ans, [a, b], undefined, [false, true]);
        assert.deepEqual([...onlyA!.data], [...ga!.data]);
        assert.deepEqual([...onlyB!.data], [...gb!.data]);
      });
    }
    it('x * x keeps both gradients when both are needed, and one when one is', () => {
      const x = t([0.5, -2, 3]);
      const ans = apply(binaryOps.multiply, [x, x]);
      const g = t([1, 1, 1]);
      assert.deepEqual(binaryOps.multiply.vjp(g, ans, [x, x], undefined).map((v) => [...v!.data]), [[0.5, -2, 3], [0.5, -2, 3]]);
      assert.deepEqual(binaryOps.multiply.vjp(g, ans, [x, x], undefined, [false, true]).map((v) => v && [...v.data]), [null, [0.5, -2, 3]]);
    });
  });

  describe('binary forward values match NumPy with broadcasting', () => {
    // a = np.array([[1.0], [2.0], [3.0]]); b = np.array([0.5, -1.0, 2.0, 4.0]); expected = np.<name>(a, b).tolist()
    const a = [[1.0], [2.0], [3.0]];
    const b = [0.5, -1.0, 2.0, 4.0];
    const table: [string, AnyOp, Nested][] = [
      ['add', binaryOps.add, [[1.5, 0.0, 3.0, 5.0], [2.5, 1.0, 4.0, 6.0], [3.5, 2.0, 5.0, 7.0]]],
      ['subtract', binaryOps.subtract, [[0.5, 2.0, -1.0, -3.0], [1.5, 3.0, 0.0, -2.0], [2.5, 4.0, 1.0, -1.0]]],
      ['multiply', binaryOps.multiply, [[0.5, -1.0, 2.0, 4.0], [1.0, -2.0, 4.0, 8.0], [1.5, -3.0, 6.0, 12.0]]],
      ['divide', binaryOps.divide, [[2.0, -1.0, 0.5, 0.25], [4.0, -2.0, 1.0, 0.5], [6.0, -3.0, 1.5, 0.75]]],
      ['maximum', binaryOps.maximum, [[1.0, 1.0, 2.0, 4.0], [2.0, 2.0, 2.0, 4.0], [3.0, 3.0, 3.0, 4.0]]],
      ['minimum', binaryOps.minimum, [[0.5, -1.0, 1.0, 1.0], [0.5, -1.0, 2.0, 2.0], [0.5, -1.0, 2.0, 3.0]]],
      ['mod', modOp, [[0.0, -0.0, 1.0, 1.0], [0.0, -0.0, 0.0, 2.0], [0.0, -0.0, 1.0, 3.0]]],
    ];
    for (const [name, op, expected] of table) {
      it(`${name} of a (3, 1) and a (4,) array is NumPy's (3, 4) result`, () => {
        assertCloseTo(apply(op, [t(a), t(b)]), expected);
      });
    }

    it('power of a (3, 1) base and a (4,) exponent equals NumPy', () => {
      // np.power(np.array([[1.0], [2.0], [3.0]]), np.array([0.5, -1.0, 2.0, 3.0])).tolist()
      assertCloseTo(apply(binaryOps.power, [t(a), t([0.5, -1.0, 2.0, 3.0])]), [
        [1.0, 1.0, 1.0, 1.0],
        [1.4142135623730951, 0.5, 4.0, 8.0],
        [1.7320508075688772, 0.3333333333333333, 9.0, 27.0],
      ]);
    });

    it('mod takes the sign of the divisor, as Python and NumPy do', () => {
      // np.mod(np.array([5.5, -5.5, 5.5, -5.5]), np.array([2.0, 2.0, -2.0, -2.0])).tolist()
      assertCloseTo(apply(modOp, [t([5.5, -5.5, 5.5, -5.5]), t([2.0, 2.0, -2.0, -2.0])]), [1.5, 0.5, -0.5, -1.5]);
    });
  });

  describe("NumPy's dtype rules", () => {
    const ints = (v: Nested): Tensor => t(v, 'int64');
    const cases: { what: string; op: AnyOp; inputs: Tensor[]; dtype: string; values: Nested }[] = [
      // np.array([1, 2]) + np.array([3, 4]) -> int64 [4, 6]
      { what: 'int64 + int64 stays int64', op: binaryOps.add, inputs: [ints([1, 2]), ints([3, 4])], dtype: 'int64', values: [4, 6] },
      // np.array([1, 2]) / np.array([4, 4]) -> float64 [0.25, 0.5]
      { what: 'int64 / int64 is float64', op: binaryOps.divide, inputs: [ints([1, 2]), ints([4, 4])], dtype: 'float64', values: [0.25, 0.5] },
      // np.array([1, 2]) * np.array([0.5, 0.25]) -> float64 [0.5, 0.5]
      { what: 'int64 * float64 is float64', op: binaryOps.multiply, inputs: [ints([1, 2]), t([0.5, 0.25])], dtype: 'float64', values: [0.5, 0.5] },
      // np.array([2, 3]) ** np.array([3, 2]) -> int64 [8, 9]
      { what: 'int64 ** int64 stays int64', op: binaryOps.power, inputs: [ints([2, 3]), ints([3, 2])], dtype: 'int64', values: [8, 9] },
      // np.array([7, -7]) // np.array([2, 2]) -> int64 [3, -4]
      { what: 'int64 // int64 floors to int64', op: discreteOps.floor_divide, inputs: [ints([7, -7]), ints([2, 2])], dtype: 'int64', values: [3, -4] },
      // np.mod(np.array([7, -7]), np.array([3, 3])) -> int64 [1, 2]
      { what: 'int64 % int64 stays int64 with the divisor\'s sign', op: modOp, inputs: [ints([7, -7]), ints([3, 3])], dtype: 'int64', values: [1, 2] },
      // np.array([1., 2., 3.]) < np.array([2., 2., 2.]) -> bool [True, False, False]
      { what: 'a comparison gives bool', op: discreteOps.less, inputs: [t([1, 2, 3]), t([2, 2, 2])], dtype: 'bool', values: [1, 0, 0] },
      // np.equal(np.array([[1], [2]]), np.array([1, 2, 3])) -> bool, broadcast to (2, 3)
      { what: 'a broadcast comparison gives a bool array of the broadcast shape', op: discreteOps.equal, inputs: [ints([[1], [2]]), ints([1, 2, 3])], dtype: 'bool', values: [[1, 0, 0], [0, 1, 0]] },
      // -np.array([1, -2]) -> int64 [-1, 2]
      { what: 'negative of int64 stays int64', op: unaryOps.negative, inputs: [ints([1, -2])], dtype: 'int64', values: [-1, 2] },
      // np.abs(np.array([1, -2])) -> int64 [1, 2]
      { what: 'abs of int64 stays int64', op: unaryOps.abs, inputs: [ints([1, -2])], dtype: 'int64', values: [1, 2] },
      // np.square(np.array([3, -2])) -> int64 [9, 4]
      { what: 'square of int64 stays int64', op: unaryOps.square, inputs: [ints([3, -2])], dtype: 'int64', values: [9, 4] },
      // np.sign(np.array([3, 0, -2])) -> int64 [1, 0, -1]
      { what: 'sign of int64 stays int64', op: unaryOps.sign, inputs: [ints([3, 0, -2])], dtype: 'int64', values: [1, 0, -1] },
      // np.array([True, True, False]) * np.array([True, False, False]) -> bool [True, False, False]
      { what: 'bool * bool is a bool mask (logical and), not int64', op: binaryOps.multiply, inputs: [t([1, 1, 0], 'bool'), t([1, 0, 0], 'bool')], dtype: 'bool', values: [1, 0, 0] },
      // np.array([True, True, False]) + np.array([True, False, False]) -> bool [True, True, False]
      { what: 'bool + bool is a bool mask (logical or), not int64', op: binaryOps.add, inputs: [t([1, 1, 0], 'bool'), t([1, 0, 0], 'bool')], dtype: 'bool', values: [1, 1, 0] },
      // np.array([True, False]) + np.array([2, 3]) -> int64 [3, 3]
      { what: 'bool + int64 is int64', op: binaryOps.add, inputs: [t([1, 0], 'bool'), ints([2, 3])], dtype: 'int64', values: [3, 3] },
      // np.exp(np.array([0, 1])) -> float64 [1.0, 2.718281828459045]
      { what: 'exp of int64 is float64', op: unaryOps.exp, inputs: [ints([0, 1])], dtype: 'float64', values: [1.0, 2.718281828459045] },
      // np.clip(np.array([-3, 0, 4]), -1, 2) -> int64 [-1, 0, 2]
      { what: 'clip of int64 with int bounds stays int64', op: clipOp, inputs: [ints([-3, 0, 4])], dtype: 'int64', values: [-1, 0, 2] },
    ];
    for (const { what, op, inputs, dtype, values } of cases) {
      it(what, () => {
        const out = apply(op, inputs, op === clipOp ? { lo: -1, hi: 2 } : undefined);
        assert.equal(out.dtype, dtype);
        assertCloseTo(out, values);
      });
    }
  });

  it('bool - bool is a type error pointing to xor, as in NumPy', () => {
    assert.throws(
      () => apply(binaryOps.subtract, [t([1, 0], 'bool'), t([1, 1], 'bool')]),
      (e: unknown) => e instanceof UserCodeError && e.kind === 'type' && /boolean subtract.*logical_xor/.test(e.message),
    );
  });

  describe('broadcasting errors', () => {
    it('names both shapes when two operands cannot be broadcast', () => {
      assert.throws(
        () => binaryOps.add.shape([[3, 1], [4, 2]], undefined),
        (e: unknown) => e instanceof UserCodeError && e.kind === 'shape' && e.message === 'operands could not be broadcast together with shapes (3, 1) (4, 2)',
      );
    });

    for (const [sa, sb] of [[[3], [4]], [[2, 3], [3, 2]], [[2, 1, 3], [4, 2]]]) {
      it(`every binary op rejects (${sa.join(', ')}) with (${sb.join(', ')}), as NumPy does`, () => {
        for (const op of [...Object.values(binaryOps), modOp, discreteOps.less]) {
          assert.throws(() => op.forward([Tensor.zeros(sa), Tensor.zeros(sb)], undefined), (e: unknown) => e instanceof UserCodeError && e.kind === 'shape', op.name);
        }
      });
    }

    it('where names the shapes that do not broadcast', () => {
      assert.throws(() => whereOp.shape([[2, 3], [2, 3], [4]], undefined), /\(2, 3\) \(4,\)/);
    });
  });

  describe('where, clip and copy', () => {
    it('where routes the gradient to the branch that was chosen, undoing broadcasts', () => {
      const random = new RandomState(5);
      const cond = t([[1, 0, 1], [0, 1, 0]], 'bool');
      assertVjpMatchesCentralDifferences(whereOp, [cond, uniform([2, 3], random), uniform([3], random)]);
      assertVjpMatchesCentralDifferences(whereOp, [t([[1], [0], [1]], 'bool'), uniform([], random), uniform([4], random)]);
    });

    it('where sends no gradient to its condition', () => {
      const grads = whereOp.vjp(Tensor.full([2], 1), Tensor.zeros([2]), [t([1, 0], 'bool'), t([1, 2]), t([3, 4])], undefined);
      assert.equal(grads[0], null);
      assert.deepEqual([...grads[1]!.data, ...grads[2]!.data], [1, 0, 0, 1]);
    });

    it('where picks elementwise like NumPy', () => {
      // np.where(np.array([[True, False, True], [False, True, False]]), np.array([[1., 2., 3.], [4., 5., 6.]]), np.array([-1., -2., -3.])).tolist()
      const out = apply(whereOp, [t([[1, 0, 1], [0, 1, 0]], 'bool'), t([[1, 2, 3], [4, 5, 6]]), t([-1, -2, -3])]);
      assertCloseTo(out, [[1.0, -2.0, 3.0], [-1.0, 5.0, -3.0]]);
    });

    it('clip passes the gradient only where the value was not clipped', () => {
      // Values on both sides of each bound, none within 0.05 of it.
      const x = t([[-2.0, -0.7, -0.3], [0.1, 0.45, 1.6]]);
      assertVjpMatchesCentralDifferences(clipOp, [x], { lo: -0.5, hi: 0.5 });
      const [g] = clipOp.vjp(Tensor.full([2, 3], 1), apply(clipOp, [x], { lo: -0.5, hi: 0.5 }), [x], { lo: -0.5, hi: 0.5 });
      assert.deepEqual([...g!.data], [0, 0, 1, 1, 1, 0]);
    });

    it('clip saturates at the bounds like NumPy', () => {
      // np.clip(np.array([-2.0, -0.25, 0.3, 1.5]), -0.5, 0.5).tolist()
      assertCloseTo(apply(clipOp, [t([-2.0, -0.25, 0.3, 1.5])], { lo: -0.5, hi: 0.5 }), [-0.5, -0.25, 0.3, 0.5]);
    });

    it('copy passes the gradient through unchanged', () => {
      assertVjpMatchesCentralDifferences(copyOp, [uniform([3, 2], new RandomState(1))]);
    });

    it('copy makes a new array with the same values and dtype', () => {
      const x = t([1, 2], 'int64');
      const y = apply(copyOp, [x]);
      assert.notEqual(y.data, x.data);
      assert.deepEqual([...y.data], [1, 2]);
      assert.equal(y.dtype, 'int64');
    });

    it('comparisons pass no gradient', () => {
      for (const op of Object.values(discreteOps)) {
        assert.deepEqual(op.vjp(Tensor.full([2], 1), Tensor.zeros([2]), [t([1, 2]), t([2, 1])], undefined), [null, null], op.name);
      }
    });
  });
});
