// Reverse mode through the tape: gradients add up at branches, and the lecture's worked examples
// (CS231n, "Backpropagation, Intuitions") come out with the lecture's numbers.
import { strict as assert } from 'assert';
import { binaryOps, copyOp, unaryOps } from '../../../src/core/ops/elementwise';
import { dotOp } from '../../../src/core/ops/linalg';
import { sumOp } from '../../../src/core/ops/reduce';
import { RandomState } from '../../../src/core/random';
import { Replay } from '../../../src/core/replay';
import { ancestors, backward, Tape } from '../../../src/core/tape';
import { Tensor } from '../../../src/core/tensor';
import { GRAD_TOLERANCE, relErr, t, uniform, values } from './helpers';

const scalar = (v: number): Tensor => Tensor.scalar(v);
const { add, multiply, maximum } = binaryOps;

/** Central difference of a scalar function of several scalars, in coordinate `k`. */
function centralDifference(f: (xs: number[]) => number, xs: number[], k: number): number {
  const h = 1e-6 * Math.max(1, Math.abs(xs[k]));
  const plus = [...xs], minus = [...xs];
  plus[k] += h;
  minus[k] -= h;
  return (f(plus) - f(minus)) / (plus[k] - minus[k]);
}

describe('core tape: reverse mode', () => {
  describe('gradients add up where a value is used twice', () => {
    it('x * x gives 2x (both operands are the same node)', () => {
      const tape = new Tape();
      const x = tape.leaf(t([1.5, -2, 0.25]), 'x', null);
      const y = tape.record(multiply, [x, x], undefined, null);
      const grads = backward(tape, y);
      assert.deepEqual([...grads[x]!.data], [3, -4, 0.5]);
    });

    it('large gradients add in place only into an array made for that input alone', () => {
      // 1,500 elements: arrays that own their buffer, which reverse mode may add into.
      const random = new RandomState(4);
      const xv = uniform([1500], random), wv = uniform([1500], random);
      const ones = (): number[] => new Array<number>(1500).fill(1);
      // sum(x * x + x * w): mul's gradient for x * x is made for x and may take x * w's term in place.
      let tape = new Tape();
      let x = tape.leaf(xv, 'x', null), w = tape.leaf(wv, 'w', null);
      const square = tape.record(multiply, [x, x], undefined, null);
      const product = tape.record(multiply, [x, w], undefined, null);
      let total = tape.record(add, [square, product], undefined, null);
      let grads = backward(tape, tape.record(sumOp, [total], { axis: null, keepdims: false }, null));
      assert.deepEqual([...grads[x]!.data], [...xv.data].map((v, i) => 2 * v + wv.data[i]));
      assert.deepEqual([...grads[w]!.data], [...xv.data]);
      // add passed its gradient on to both operands: neither may have been added into.
      for (const node of [total, square, product]) assert.deepEqual([...grads[node]!.data], ones());
      // sum(x + x * w) and sum(copy(x) + x * w): x's first term is the gradient add or copy passed
      // on (reverse mode reaches the later node first), which x * w's term must not change.
      for (const passOn of ['add', 'copy']) {
        tape = new Tape();
        x = tape.leaf(xv, 'x', null);
        w = tape.leaf(wv, 'w', null);
        const xw = tape.record(multiply, [x, w], undefined, null);
        const first = passOn === 'add' ? x : tape.record(copyOp, [x], undefined, null);
        total = tape.record(add, [first, xw], undefined, null);
        grads = backward(tape, tape.record(sumOp, [total], { axis: null, keepdims: false }, null));
        assert.deepEqual([...grads[x]!.data], [...wv.data].map((v) => 1 + v), passOn);
        assert.deepEqual([...grads[total]!.data], ones(), passOn);
        assert.deepEqual([...grads[first]!.data], passOn === 'add' ? [...wv.data].map((v) => 1 + v) : ones(), passOn);
      }
      // Two leaves of one array multiplied: mul sends one array to both, so x1 * w's term must go
      // to a sum of x1's own, not into the array x2 holds too.
      tape = new Tape();
      const x1 = tape.leaf(xv, 'x1', null), x2 = tape.leaf(xv, 'x2', null);
      w = tape.leaf(wv, 'w', null);
      const x1w = tape.record(multiply, [x1, w], undefined, null);
      total = tape.record(add, [x1w, tape.record(multiply, [x1, x2], undefined, null)], undefined, null);
      grads = backward(tape, tape.record(sumOp, [total], { axis: null, keepdims: false }, null));
      assert.deepEqual([...grads[x1]!.data], [...xv.data].map((v, i) => v + wv.data[i]));
      assert.deepEqual([...grads[x2]!.data], [...xv.data]);
    });

    it("the lecture's copy gate: a copied value's gradients add (f = copy(x) * z + x * w)", () => {
      const tape = new Tape();
      const x = tape.leaf(scalar(3), 'x', null);
      const z = tape.leaf(scalar(-2), 'z', null);
      const w = tape.leaf(scalar(5), 'w', null);
      const x2 = tape.record(copyOp, [x], undefined, null);
      const f = tape.record(add, [tape.record(multiply, [x2, z], undefined, null), tape.record(multiply, [x, w], undefined, null)], undefined, null);
      const grads = backward(tape, f);
      // df/dx = z + w = 3, through the copy and directly.
      assert.equal(grads[x]!.item(), 3);
      assert.equal(grads[x2]!.item(), -2);
    });

    it('a value feeding three ops collects all three gradients (sum(x + tanh(x) + x^2))', () => {
      const tape = new Tape();
      const xv = uniform([4], new RandomState(12));
      const x = tape.leaf(xv, 'x', null);
      const s = tape.record(add, [tape.record(add, [x, tape.record(unaryOps.tanh, [x], undefined, null)], undefined, null), tape.record(unaryOps.square, [x], undefined, null)], undefined, null);
      const out = tape.record(sumOp, [s], { axis: null, keepdims: false }, null);
      const g = backward(tape, out)[x]!;
      const f = (v: number): number => v + Math.tanh(v) + v * v;
      xv.data.forEach((v, i) => {
        const n = centralDifference(([u]) => f(u), [v], 0);
        assert.ok(relErr(g.data[i], n, Math.abs(n)) <= GRAD_TOLERANCE, `element ${i}: ${g.data[i]} vs ${n}`);
      });
    });
  });

  describe("the lecture's examples", () => {
    it('f = (x + y) z at x=-2, y=5, z=-4 gives -12, dz=3, dx=dy=-4', () => {
      const tape = new Tape();
      const x = tape.leaf(scalar(-2), 'x', null);
      const y = tape.leaf(scalar(5), 'y', null);
      const z = tape.leaf(scalar(-4), 'z', null);
      const q = tape.record(add, [x, y], undefined, null);
      const f = tape.record(multiply, [q, z], undefined, null);
      assert.equal(tape.value(f).item(), -12);
      const grads = backward(tape, f);
      assert.equal(grads[z]!.item(), 3);
      assert.equal(grads[x]!.item(), -4);
      assert.equal(grads[y]!.item(), -4);
      assert.equal(grads[q]!.item(), -4);
    });

    // f(w, x) = 1 / (1 + exp(-(w0 x0 + w1 x1 + w2))), built gate by gate as in the lecture's circuit.
    const neuron = (v: number[]): number => 1 / (1 + Math.exp(-(v[0] * v[1] + v[2] * v[3] + v[4])));
    const inputs = [2, -1, -3, -2, -3]; // w0, x0, w1, x1, w2

    it('the sigmoid neuron built from gates gives 0.73 and grads (-0.20, 0.39, -0.39, -0.59, 0.20)', () => {
      const tape = new Tape();
      const [w0, x0, w1, x1, w2] = inputs.map((v, i) => tape.leaf(scalar(v), ['w0', 'x0', 'w1', 'x1', 'w2'][i], null));
      const dotProduct = tape.record(add, [tape.record(add, [tape.record(multiply, [w0, x0], undefined, null), tape.record(multiply, [w1, x1], undefined, null)], undefined, null), w2], undefined, null);
      const e = tape.record(unaryOps.exp, [tape.record(unaryOps.negative, [dotProduct], undefined, null)], undefined, null);
      const one = tape.constant(scalar(1));
      const f = tape.record(unaryOps.reciprocal, [tape.record(add, [e, one], undefined, null)], undefined, null);

      assert.equal(tape.value(f).item().toFixed(2), '0.73');
      const grads = backward(tape, f);
      const analytic = [w0, x0, w1, x1, w2].map((id) => grads[id]!.item());
      assert.deepEqual(analytic.map((g) => g.toFixed(2)), ['-0.20', '0.39', '-0.39', '-0.59', '0.20']);
      analytic.forEach((a, k) => {
        const n = centralDifference(neuron, inputs, k);
        assert.ok(relErr(a, n, Math.abs(n)) <= GRAD_TOLERANCE, `input ${k}: tape ${a}, central difference ${n}`);
      });
      assert.equal(grads[one], null, 'a constant gets no gradient');
    });

    it('the sigmoid neuron with the sigmoid gate gives the same gradients: (1 - s) s', () => {
      const tape = new Tape();
      const [w0, x0, w1, x1, w2] = inputs.map((v) => tape.leaf(scalar(v), null, null));
      const dotProduct = tape.record(add, [tape.record(add, [tape.record(multiply, [w0, x0], undefined, null), tape.record(multiply, [w1, x1], undefined, null)], undefined, null), w2], undefined, null);
      const f = tape.record(unaryOps.sigmoid, [dotProduct], undefined, null);
      const grads = backward(tape, f);
      [w0, x0, w1, x1, w2].forEach((id, k) => {
        const n = centralDifference(neuron, inputs, k);
        assert.ok(relErr(grads[id]!.item(), n, Math.abs(n)) <= GRAD_TOLERANCE, `input ${k}: ${grads[id]!.item()} vs ${n}`);
      });
    });

    it('ReLU max(0, x) with x=[1, -2, 3, -1] and upstream [4, -1, 5, 9] gives dx=[4, 0, 5, 0]', () => {
      const tape = new Tape();
      const x = tape.leaf(t([1, -2, 3, -1]), 'x', null);
      const zero = tape.constant(scalar(0));
      const relu = tape.record(maximum, [zero, x], undefined, null);
      assert.deepEqual([...tape.value(relu).data], [1, 0, 3, 0]);
      const grads = backward(tape, relu, t([4, -1, 5, 9]));
      assert.deepEqual(values(grads[x]!), [4, 0, 5, 0]);
    });
  });

  describe('what backward skips', () => {
    it('int64 leaves and constants get no gradient', () => {
      const tape = new Tape();
      const i = tape.leaf(t([1, 2], 'int64'), 'i', null);
      const x = tape.leaf(t([0.5, 0.25]), 'x', null);
      const y = tape.record(multiply, [i, x], undefined, null);
      const grads = backward(tape, y);
      assert.equal(grads[i], null);
      assert.deepEqual([...grads[x]!.data], [1, 2]);
    });

    it('nodes after the output are not on its path', () => {
      const tape = new Tape();
      const x = tape.leaf(scalar(2), 'x', null);
      const y = tape.record(unaryOps.square, [x], undefined, null);
      tape.record(unaryOps.exp, [x], undefined, null);
      assert.deepEqual(ancestors(tape, y), [x, y]);
      assert.equal(backward(tape, y)[x]!.item(), 4);
    });
  });

  describe('Replay', () => {
    it('re-runs the recorded ops from new leaf values without re-recording', () => {
      const tape = new Tape();
      const x = tape.leaf(t([0.5, -1]), 'x', null);
      const y = tape.record(unaryOps.exp, [tape.record(multiply, [x, x], undefined, null)], undefined, null);
      const replay = new Replay(tape, y);
      const nodesBefore = tape.nodes.length;
      const { output, guardsHeld } = replay.run(new Map([[x, t([1, 2])]]));
      // exp(x^2) at x = [1, 2]
      assert.deepEqual([...output.data], [Math.exp(1), Math.exp(4)]);
      assert.ok(guardsHeld);
      assert.equal(tape.nodes.length, nodesBefore);
    });

    it('reports the branch each max took, which flips across a kink', () => {
      const tape = new Tape();
      const x = tape.leaf(t([0.5, -1]), 'x', null);
      const zero = tape.constant(scalar(0));
      const relu = tape.record(maximum, [zero, x], undefined, null);
      const replay = new Replay(tape, relu);
      // With x as recorded, the max does not run: its branch is the recorded one.
      const unmoved = replay.run(new Map([[x, t([0.5, -1])]]));
      const before = unmoved.branches.get(relu) ?? unmoved.recorded(relu);
      const after = replay.run(new Map([[x, t([0.5, 1])]])).branches.get(relu)!;
      assert.deepEqual([...before], [-1, 1]);
      assert.deepEqual([...after], [-1, -1]);
    });

    it('re-runs only the ops downstream of the leaves it is given; the rest keep their recorded values', () => {
      const tape = new Tape();
      const x = tape.leaf(t([0.5, -1]), 'x', null);
      const y = tape.leaf(t([2, 3]), 'y', null);
      const zero = tape.constant(scalar(0));
      const reluX = tape.record(maximum, [zero, x], undefined, null);
      const reluY = tape.record(maximum, [zero, y], undefined, null);
      const out = tape.record(sumOp, [tape.record(multiply, [reluX, reluY], undefined, null)], { axis: null, keepdims: false }, null);
      const { output, branches } = new Replay(tape, out).run(new Map([[y, t([4, 5])]]));
      // relu(x) = [0.5, 0] is the recorded value: 0.5 * 4 + 0 * 5
      assert.equal(output.item(), 2);
      assert.ok(branches.has(reluY));
      assert.ok(!branches.has(reluX));
    });

    it('a guarded value that changes marks the recorded control flow as stale', () => {
      const tape = new Tape();
      const x = tape.leaf(scalar(1), 'x', null);
      const positive = tape.record(binaryOps.maximum, [x, tape.constant(scalar(0))], undefined, null);
      tape.guard(positive);
      const out = tape.record(unaryOps.square, [x], undefined, null);
      const replay = new Replay(tape, out);
      assert.ok(replay.run(new Map([[x, scalar(1)]])).guardsHeld);
      assert.ok(!replay.run(new Map([[x, scalar(2)]])).guardsHeld);
    });
  });
});

describe('core tape: replay after one element moves', () => {
  // A two-layer net's shape of ops: dot, broadcast bias, relu, dot, x*x, sums. Replay updates only
  // what one moved element touches; the result must equal recording the whole thing afresh.
  function record(x: Tensor, w: Tensor, b: Tensor, v: Tensor): { tape: Tape; out: number; leaves: number[] } {
    const tape = new Tape();
    const [lx, lw, lb, lv] = [x, w, b, v].map((value, i) => tape.leaf(value, `p${i}`, null));
    const zero = tape.constant(Tensor.scalar(0));
    const h = tape.record(binaryOps.maximum, [zero, tape.record(binaryOps.add, [tape.record(dotOp, [lx, lw], undefined, null), lb], undefined, null)], undefined, null);
    const scores = tape.record(dotOp, [h, lv], undefined, null);
    const reg = tape.record(sumOp, [tape.record(binaryOps.multiply, [lw, lw], undefined, null)], { axis: null, keepdims: false }, null);
    const data = tape.record(sumOp, [tape.record(unaryOps.tanh, [scores], undefined, null)], { axis: null, keepdims: false }, null);
    return { tape, out: tape.record(binaryOps.add, [data, reg], undefined, null), leaves: [lx, lw, lb, lv] };
  }

  it('equals a fresh recording for every single moved element of every input', () => {
    const random = new RandomState(7);
    const rand = (shape: number[]): Tensor => new Tensor(Float64Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => random.normal()), shape);
    const inputs = [rand([6, 5]), rand([5, 8]), rand([8]), rand([8, 3])];
    const { tape, out, leaves } = record(inputs[0], inputs[1], inputs[2], inputs[3]);
    const replay = new Replay(tape, out);
    inputs.forEach((input, k) => {
      for (let i = 0; i < input.size; i++) {
        const moved = Float64Array.from(input.data);
        moved[i] += 0.37;
        const movedTensor = new Tensor(moved, input.shape);
        const replayed = replay.run(new Map([[leaves[k], movedTensor]])).output.data[0];
        const fresh = inputs.map((x, j) => (j === k ? movedTensor : x));
        const again = record(fresh[0], fresh[1], fresh[2], fresh[3]);
        const expected = again.tape.value(again.out).data[0];
        assert.ok(Math.abs(replayed - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `input ${k} element ${i}: replay ${replayed}, fresh ${expected}`);
      }
    });
  });
});
