// A full check's nudges run at once (NudgeBatch) must give what a replay of each nudge gives, bit
// for bit: the output, and the same branch signature of every branching op.
import { strict as assert } from 'node:assert';
import { NudgeBatch } from '../../../src/core/batch';
import { binaryOps, castOp, discreteOps, unaryOps } from '../../../src/core/ops/elementwise';
import { dotOp } from '../../../src/core/ops/linalg';
import { meanOp, sumOp } from '../../../src/core/ops/reduce';
import { reshapeOp } from '../../../src/core/ops/structural';
import { RandomState } from '../../../src/core/random';
import { Replay } from '../../../src/core/replay';
import { Tape } from '../../../src/core/tape';
import { Tensor } from '../../../src/core/tensor';
import { recordSoftmaxNet, uniform } from './helpers';

const N = 5, D = 4, H = 6, C = 3;
const labels = [0, 2, 1, 1, 0];

/**
 * A two-layer net's softmax loss with the ops of most programs: a column mean (a reduction over the
 * first axis), a bias row, ReLU (a branch), products with either operand nudged, a row max (a
 * branch) and sum, a gather, abs (a branch), an L2 term, reductions over every axis and a product
 * of two nudged operands.
 */
function record(inputs: readonly Tensor[]): { tape: Tape; leaves: number[]; out: number } {
  const tape = new Tape();
  const leaves = inputs.map((x, k) => tape.leaf(x, `in${k}`, null));
  const [, , b1, W2, scale] = leaves;
  const r = <A>(op: Parameters<Tape['record']>[0], ins: number[], attrs?: A): number => tape.record(op, ins, attrs, null);
  const { loss, reg } = recordSoftmaxNet(tape, leaves, labels, C, scale);
  const l1 = r(meanOp, [r(unaryOps.abs, [W2])], { axis: [0, 1], keepdims: true });
  // A product of two stacked operands (b1 · b1 when b1 is nudged), masked by a comparison cast to
  // float (a branch signature of another size than its value: none).
  const mask = r(castOp, [r(discreteOps.less, [b1, tape.constant(Tensor.scalar(0.5))])], { dtype: 'float64' });
  const gram = r(dotOp, [r(binaryOps.multiply, [b1, mask]), b1]);
  return { tape, leaves, out: r(binaryOps.add, [r(binaryOps.add, [r(binaryOps.add, [loss, reg]), r(reshapeOp, [l1], { shape: [] })]), gram]) };
}

describe('nudges run at once', () => {
  const random = new RandomState(11);
  const inputs = [uniform([N, D], random), uniform([D, H], random), uniform([H], random), uniform([H, C], random), uniform([], random)];
  // A weight exactly 0 puts abs at its kink, and a nudge of it on either side.
  inputs[3].data[4] = 0;
  const recorded = record(inputs);
  const replay = new Replay(recorded.tape, recorded.out);
  const branching = recorded.tape.nodes.filter((n) => n.kind === 'op' && n.op!.branches).map((n) => n.id);

  inputs.forEach((x, k) => {
    it(`every nudge of input ${k} (shape [${x.shape}]) gives a replay's output and branch signatures`, () => {
      const batch = NudgeBatch.plan(recorded.tape, recorded.out, recorded.leaves[k]);
      assert.ok(batch, 'every array here is small enough to run at once');
      const steps = [1e-3, -1e-3, 0.25, -0.25];
      const items = x.size * steps.length;
      const stack = new Float64Array(items * x.size);
      for (let j = 0; j < items; j++) {
        stack.set(x.data, j * x.size);
        stack[j * x.size + Math.floor(j / steps.length)] += steps[j % steps.length];
      }
      const results = batch.run((into) => into.set(stack), items);
      for (let j = 0; j < items; j++) {
        const nudged = new Tensor(stack.slice(j * x.size, (j + 1) * x.size), x.shape);
        const expected = replay.run(new Map([[recorded.leaves[k], nudged]]));
        assert.ok(Object.is(results.outputs[j], expected.output.data[0]), `nudge ${j}: ${results.outputs[j]}, replay ${expected.output.data[0]}`);
        // The batch reports every branching op downstream of the input, in tape order.
        const downstream = branching.filter((id) => isDownstream(recorded.tape, recorded.leaves[k], id));
        assert.equal(results.signatures.length, downstream.length);
        downstream.forEach((id, b) => {
          const want = expected.branches.get(id) ?? expected.recorded(id);
          const { data, size } = results.signatures[b];
          assert.deepEqual([...data.subarray(j * size, (j + 1) * size)], [...want], `nudge ${j}, node ${id}'s signature`);
        });
      }
    });
  });

  it('leaves to the replay an input or a downstream array of 64 elements or more, and recorded control flow', () => {
    const big = new Tape();
    const x = big.leaf(uniform([8, 8], random), 'x', null);
    assert.equal(NudgeBatch.plan(big, big.record(sumOp, [x], { axis: null, keepdims: false }, null), x), null);
    const wide = new Tape();
    const v = wide.leaf(uniform([8], random), 'v', null);
    const outer = wide.record(dotOp, [wide.record(reshapeOp, [v], { shape: [8, 1] }, null), wide.leaf(uniform([1, 8], random), 'w', null)], undefined, null);
    assert.equal(NudgeBatch.plan(wide, wide.record(sumOp, [outer], { axis: null, keepdims: false }, null), v), null);
    const guarded = new Tape();
    const g = guarded.leaf(uniform([3], random), 'g', null);
    const total = guarded.record(sumOp, [g], { axis: null, keepdims: false }, null);
    guarded.guard(total);
    assert.equal(NudgeBatch.plan(guarded, guarded.record(unaryOps.exp, [total], undefined, null), g), null);
  });
});

function isDownstream(tape: Tape, leaf: number, id: number): boolean {
  const reached = new Set([leaf]);
  for (const node of tape.nodes) if (node.kind === 'op' && node.inputs.some((j) => reached.has(j))) reached.add(node.id);
  return reached.has(id);
}
