// The finite-difference checker itself: pass on a right gradient, fail on a wrong one, kink (not fail)
// at relu's 0, the sampled mode for large inputs, and the relative error's edge cases.
import { strict as assert } from 'assert';
import { checkInput, defaultGradCheckOptions, Evaluate, relativeError, statusOf } from '../../../src/core/gradcheck';
import { binaryOps, discreteOps, unaryOps, whereOp } from '../../../src/core/ops/elementwise';
import { sumOp } from '../../../src/core/ops/reduce';
import { RandomState } from '../../../src/core/random';
import { Replay } from '../../../src/core/replay';
import { backward, Tape } from '../../../src/core/tape';
import { Tensor, unravel } from '../../../src/core/tensor';
import { t, uniform } from './helpers';

/** A recorded scalar function of one input `x`, with an evaluator that counts its forward passes. */
function recorded(x: Tensor, body: (tape: Tape, x: number) => number): { analytic: Tensor; evaluate: Evaluate; calls: () => number } {
  const tape = new Tape();
  const leaf = tape.leaf(x, 'x', null);
  const out = tape.record(sumOp, [body(tape, leaf)], { axis: null, keepdims: false }, null);
  const replay = new Replay(tape, out);
  let calls = 0;
  const evaluate: Evaluate = (overrides) => {
    calls++;
    const run = replay.run(new Map([[leaf, overrides.get('x') ?? x]]));
    return { value: run.output.item(), branches: run.branches, recorded: run.recorded };
  };
  return { analytic: backward(tape, out)[leaf]!, evaluate, calls: () => calls };
}

const sumOfSquares = (tape: Tape, x: number): number => tape.record(unaryOps.square, [x], undefined, null);
const relu = (tape: Tape, x: number): number => tape.record(binaryOps.maximum, [tape.constant(Tensor.scalar(0)), x], undefined, null);

describe('core gradcheck', () => {
  describe('checkInput on small inputs (every element)', () => {
    const x = uniform([3, 4], new RandomState(31));

    it('passes a correct gradient: d sum(x^2) / dx = 2x', () => {
      const { analytic, evaluate, calls } = recorded(x, sumOfSquares);
      const { check, forwardPasses } = checkInput('x', x, analytic, evaluate);
      assert.equal(check.status, 'pass');
      assert.equal(check.mode, 'full');
      assert.equal(check.checked, 12);
      assert.equal(forwardPasses, 24);
      assert.equal(calls(), 24);
      assert.ok(check.maxRelError <= defaultGradCheckOptions.passThreshold, `max rel error ${check.maxRelError}`);
      assert.deepEqual(check.kinks, []);
      assert.equal(check.directional, null);
    });

    it('fails a wrong gradient: x instead of 2x, off by |x - 2x| / (|x| + |2x|) = 1/3', () => {
      const { evaluate } = recorded(x, sumOfSquares);
      const { check } = checkInput('x', x, x, evaluate);
      assert.equal(check.status, 'fail');
      assert.ok(Math.abs(check.maxRelError - 1 / 3) < 1e-6, `max rel error ${check.maxRelError}`);
      assert.ok(check.worst);
      assert.ok(Math.abs(check.worst.numeric - 2 * check.worst.analytic) < 1e-6 * Math.max(1, Math.abs(check.worst.numeric)));
    });

    it('fails a gradient wrong in one element and names that element', () => {
      const { analytic, evaluate } = recorded(x, sumOfSquares);
      const wrong = Float64Array.from(analytic.data);
      wrong[6] *= -1;
      const { check } = checkInput('x', x, new Tensor(wrong, x.shape), evaluate);
      assert.equal(check.status, 'fail');
      assert.deepEqual(check.worst!.index, [1, 2]);
      assert.equal(check.maxRelError, 1);
    });

    it('hands back every element\'s numeric estimate', () => {
      const { analytic, evaluate } = recorded(x, sumOfSquares);
      const numeric = new Map<number, number>();
      checkInput('x', x, analytic, evaluate, defaultGradCheckOptions, numeric);
      assert.equal(numeric.size, 12);
      for (const [i, n] of numeric) assert.ok(Math.abs(n - 2 * x.data[i]) < 1e-8, `element ${i}: ${n} vs ${2 * x.data[i]}`);
    });
  });

  describe('kinks', () => {
    const x = t([1.5, 0.0, -2.0, 0.7]);

    it('relu at exactly 0 is a kink, reported with its index, not a failure', () => {
      const { analytic, evaluate } = recorded(x, relu);
      const { check } = checkInput('x', x, analytic, evaluate);
      assert.equal(check.status, 'kink');
      assert.deepEqual(check.kinks, [[1]]);
    });

    it("a hand-written relu gradient (x > 0) is a kink too, though it disagrees with the difference's 0.5 at 0", () => {
      const { evaluate } = recorded(x, relu);
      const { check } = checkInput('x', x, t([1, 0, 0, 1]), evaluate);
      assert.equal(check.status, 'kink');
      assert.deepEqual(check.kinks, [[1]]);
      assert.ok(check.maxRelError <= defaultGradCheckOptions.passThreshold, `max rel error ${check.maxRelError} off the kink`);
    });

    it('a NaN an op was fed (and that a where masks out) is no kink anywhere', () => {
      // where(x > 0, maximum(log(x), 0.5), 0): log(-1) is NaN, so maximum's branch there is NaN in
      // both runs of every nudge. NaN never equals NaN, and every element of x was a kink.
      const y = t([-1, 2, 3]);
      const { analytic, evaluate } = recorded(y, (tape, leaf) => {
        const positive = tape.record(discreteOps.greater, [leaf, tape.constant(Tensor.scalar(0))], undefined, null);
        const clipped = tape.record(binaryOps.maximum, [tape.record(unaryOps.log, [leaf], undefined, null), tape.constant(Tensor.scalar(0.5))], undefined, null);
        const masked = tape.record(whereOp, [positive, clipped, tape.constant(Tensor.scalar(0))], undefined, null);
        return tape.record(binaryOps.add, [masked, tape.record(unaryOps.square, [leaf], undefined, null)], undefined, null);
      });
      const { check } = checkInput('x', y, analytic, evaluate);
      assert.deepEqual(check.kinks, []);
      assert.equal(check.status, 'pass');
    });

    it('a kink does not hide a wrong gradient elsewhere', () => {
      const { evaluate } = recorded(x, relu);
      const { check } = checkInput('x', x, t([1, 0, 0, 0]), evaluate);
      assert.equal(check.status, 'fail');
      assert.deepEqual(check.worst!.index, [3]);
    });
  });

  describe('sampled mode (inputs over 1000 elements)', () => {
    const x = uniform([30, 40], new RandomState(32));
    const tanhSum = (tape: Tape, v: number): number => tape.record(unaryOps.tanh, [v], undefined, null);

    it('checks 25 elements and 3 directions, 56 forward passes in all', () => {
      const { analytic, evaluate, calls } = recorded(x, tanhSum);
      const { check, forwardPasses } = checkInput('x', x, analytic, evaluate);
      assert.equal(check.mode, 'sampled');
      assert.equal(check.checked, 25);
      assert.equal(check.directional!.count, 3);
      assert.equal(forwardPasses, 2 * 25 + 2 * 3);
      assert.equal(calls(), forwardPasses);
      assert.equal(check.status, 'pass');
      assert.ok(check.directional!.maxRelError <= defaultGradCheckOptions.passThreshold, `directional error ${check.directional!.maxRelError}`);
    });

    it('always samples the element with the largest analytic gradient', () => {
      const { analytic, evaluate } = recorded(x, tanhSum);
      const wrong = Float64Array.from(analytic.data);
      wrong[777] = 50;
      const { check } = checkInput('x', x, new Tensor(wrong, x.shape), evaluate);
      assert.equal(check.status, 'fail');
      assert.deepEqual(check.worst!.index, unravel(777, x.shape));
    });

    it('the directional checks see an error spread over every element (x for 2x gives 1/3)', () => {
      const { evaluate } = recorded(x, sumOfSquares);
      const { check } = checkInput('x', x, x, evaluate);
      assert.equal(check.status, 'fail');
      assert.ok(Math.abs(check.directional!.maxRelError - 1 / 3) < 1e-6, `directional error ${check.directional!.maxRelError}`);
    });

    it('the sample is the same on every run (seeded)', () => {
      const { analytic, evaluate } = recorded(x, tanhSum);
      const first = new Map<number, number>(), second = new Map<number, number>();
      checkInput('x', x, analytic, evaluate, defaultGradCheckOptions, first);
      checkInput('x', x, analytic, evaluate, defaultGradCheckOptions, second);
      assert.deepEqual([...first.keys()], [...second.keys()]);
      assert.equal(first.size, 25);
    });
  });

  describe('relativeError', () => {
    const cases: [string, number, number, number, number][] = [
      ['both zero is no error', 0, 0, 0, 0],
      ['equal values are no error', 3.5, 3.5, 3.5, 0],
      ['opposite signs are the largest error, 1', 2, -2, 2, 1],
      ['x for 2x is 1/3', 1, 2, 2, 1 / 3],
      ['a tiny analytic against 0 is measured against the 1e-12 floor', 1e-20, 0, 0, 1e-8],
      ['a small error where the gradient is ~0 is measured against 1e-8 max|n|', 1e-10, 0, 1, 1e-2],
    ];
    for (const [what, a, n, maxAbs, expected] of cases) {
      it(what, () => {
        const e = relativeError(a, n, maxAbs);
        assert.ok(Math.abs(e - expected) <= 1e-12 * Math.max(1, expected), `${e} vs ${expected}`);
      });
    }
    it('a NaN gradient is not a pass', () => {
      assert.ok(Number.isNaN(relativeError(Number.NaN, 1, 1)));
      assert.equal(statusOf(Number.NaN, 0, defaultGradCheckOptions), 'fail');
    });
  });

  describe('statusOf', () => {
    const cases: [number, number, string][] = [[1e-9, 0, 'pass'], [1e-5, 0, 'warn'], [1e-3, 0, 'fail'], [1e-9, 2, 'kink'], [1e-3, 2, 'fail']];
    for (const [err, kinks, status] of cases) {
      it(`max rel error ${err} with ${kinks} kinks is ${status}`, () => {
        assert.equal(statusOf(err, kinks, defaultGradCheckOptions), status);
      });
    }
  });
});
