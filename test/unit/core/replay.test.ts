// The gradient check's replay follows a nudged element through each op (Op.propagate) instead of
// recomputing whole arrays. Nudge every element of every input of a two-layer net, one at a time,
// and the replay must give what a fresh recording with that input gives, and the same branches.
import { strict as assert } from 'node:assert';
import { binaryOps, castOp, discreteOps, unaryOps } from '../../../src/core/ops/elementwise';
import { dotOp } from '../../../src/core/ops/linalg';
import { meanOp, sumOp } from '../../../src/core/ops/reduce';
import { RandomState } from '../../../src/core/random';
import { Replay } from '../../../src/core/replay';
import { Tape } from '../../../src/core/tape';
import { Tensor } from '../../../src/core/tensor';
import { recordSoftmaxNet, uniform } from './helpers';

// Large enough that the column mean and the row max and sum have 64 slots or more: the replay
// follows positions only in arrays of that size.
const N = 66, D = 64, H = 12, C = 5;
const labels = Array.from({ length: N }, (_, i) => (i * 7) % C);

/** Softmax loss of a two-layer net with a column mean subtracted, the ops of most programs. */
function record(inputs: readonly Tensor[]): { tape: Tape; leaves: number[]; out: number } {
  const tape = new Tape();
  const leaves = inputs.map((x, k) => tape.leaf(x, `in${k}`, null));
  const { loss, reg } = recordSoftmaxNet(tape, leaves, labels, C);
  return { tape, leaves, out: tape.record(binaryOps.add, [loss, reg], undefined, null) };
}

describe('replays that follow nudged elements', () => {
  const random = new RandomState(7);
  const inputs = [uniform([N, D], random), uniform([D, H], random), uniform([H], random), uniform([H, C], random)];
  const recorded = record(inputs);
  const replay = new Replay(recorded.tape, recorded.out);

  inputs.forEach((x, k) => {
    // Every element of the small inputs; of X, every 13th (about 300).
    const stride = x.size > 1000 ? 13 : 1;
    it(`${stride === 1 ? 'every element' : `every ${stride}th element`} of input ${k} (shape [${x.shape}]), nudged up and down, gives a fresh recording's output and branches`, () => {
      for (let i = 0; i < x.size; i += stride) {
        for (const h of [1e-3, -1e-3]) {
          const moved = new Float64Array(x.data);
          moved[i] += h;
          const nudged = new Tensor(moved, x.shape);
          const fresh = record(inputs.map((y, j) => (j === k ? nudged : y)));
          const result = replay.run(new Map([[recorded.leaves[k], nudged]]));
          const expected = fresh.tape.value(fresh.out).data[0];
          // Products move by their linear change: the same up to rounding in the last bits.
          assert.ok(Math.abs(result.output.data[0] - expected) <= 1e-13 * Math.abs(expected), `input ${k}[${i}] ${h}: replay ${result.output.data[0]}, fresh ${expected}`);
          // Every branching op: the ones the replay ran report their signature, the others took the recorded branch.
          for (const node of fresh.tape.nodes) {
            if (!node.op?.branches) continue;
            const id = node.id;
            const signature = result.branches.get(id) ?? result.recorded(id);
            const freshSignature = node.op.branches(node.inputs.map((j) => fresh.tape.value(j)), node.value, node.attrs);
            assert.deepEqual([...signature], [...freshSignature], `input ${k}[${i}] ${h}: branches of node ${id} (${node.op.name})`);
          }
        }
      }
    });
  });

  it('an op recomputed whole in one run (its kernel) is followed element by element in the next', () => {
    // X moved everywhere (a directional nudge): every op after it runs whole, into its working copy.
    // One element of W1 then moves one column of the first product, which the ops up to the second
    // product follow from the recorded values.
    const x = new Float64Array(inputs[0].data);
    for (let i = 0; i < x.length; i++) x[i] += 1e-3 * Math.sin(i);
    replay.run(new Map([[recorded.leaves[0], new Tensor(x, inputs[0].shape)]]));
    for (const i of [0, 5 * H + 3, D * H - 1]) {
      const moved = new Float64Array(inputs[1].data);
      moved[i] += 1e-3;
      const nudged = new Tensor(moved, inputs[1].shape);
      const fresh = record([inputs[0], nudged, ...inputs.slice(2)]);
      const result = replay.run(new Map([[recorded.leaves[1], nudged]]));
      const expected = fresh.tape.value(fresh.out).data[0];
      assert.ok(Math.abs(result.output.data[0] - expected) <= 1e-13 * Math.abs(expected), `W1[${i}]: replay ${result.output.data[0]}, fresh ${expected}`);
    }
  });

  it('told which element moved, a run gives what it gives when it compares the input to find it', () => {
    inputs.forEach((x, k) => {
      for (const i of [0, Math.floor(x.size / 2), x.size - 1]) {
        const moved = new Float64Array(x.data);
        moved[i] += 1e-3;
        const nudged = new Map([[recorded.leaves[k], new Tensor(moved, x.shape)]]);
        const found = replay.run(nudged);
        const foundOutput = found.output.data[0];
        const foundBranches = new Map([...found.branches].map(([key, b]) => [key, [...b]]));
        const told = replay.run(nudged, i);
        assert.equal(told.output.data[0], foundOutput, `input ${k}[${i}]`);
        assert.deepEqual(new Map([...told.branches].map(([key, b]) => [key, [...b]])), foundBranches, `input ${k}[${i}]`);
      }
    });
  });

  it('a run after a nudge starts again from the recorded values', () => {
    const back = replay.run(new Map([[recorded.leaves[0], new Tensor(new Float64Array(inputs[0].data), inputs[0].shape)]]));
    assert.equal(back.output.data[0], recorded.tape.value(recorded.out).data[0]);
  });

  it('a branch signature stays as its run left it (a cast to the same dtype hands back its input)', () => {
    const x = new Tensor(Float64Array.from({ length: 100 }, (_, i) => (i % 2 ? 0.5 : -0.5)), [100]);
    const tape = new Tape();
    const leaf = tape.leaf(x, 'x', null);
    const mask = tape.record(discreteOps.greater, [leaf, tape.constant(Tensor.scalar(0))], undefined, null);
    const cast = tape.record(castOp, [mask], { dtype: 'bool' }, null);
    const out = tape.record(sumOp, [cast], { axis: null, keepdims: false }, null);
    const replay = new Replay(tape, out);
    const crossed = new Float64Array(x.data);
    crossed[0] = 1;
    const plus = replay.run(new Map([[leaf, new Tensor(crossed, x.shape)]]));
    const before = plus.branches.get(cast)![0];
    const minus = replay.run(new Map([[leaf, new Tensor(new Float64Array(x.data), x.shape)]]));
    assert.equal(before, 1);
    assert.equal(plus.branches.get(cast)![0], 1, 'the next run rewrote the first run\'s signature');
    assert.equal((minus.branches.get(cast) ?? minus.recorded(cast))[0], 0);
  });

  it('a product whose row was infinite is recomputed, not moved by a difference', () => {
    // exp(709.9) overflows to Infinity; after the nudge to 709.0 the row is finite again, which
    // Infinity plus a difference cannot give.
    const x = new Tensor(Float64Array.from({ length: 80 }, (_, i) => (i === 0 ? 709.9 : Math.sin(i))), [8, 10]);
    const w = new Tensor(Float64Array.from({ length: 90 }, (_, i) => Math.cos(i) / 10), [10, 9]);
    const build = (xv: Tensor): { tape: Tape; out: number; leaf: number } => {
      const tape = new Tape();
      const leaf = tape.leaf(xv, 'x', null);
      const product = tape.record(dotOp, [tape.record(unaryOps.exp, [leaf], undefined, null), tape.leaf(w, 'w', null)], undefined, null);
      const clipped = tape.record(binaryOps.minimum, [product, tape.constant(Tensor.scalar(1e300))], undefined, null);
      return { tape, leaf, out: tape.record(sumOp, [clipped], { axis: null, keepdims: false }, null) };
    };
    const recorded = build(x);
    const moved = new Float64Array(x.data);
    moved[0] = 709.0;
    const fresh = build(new Tensor(moved, x.shape));
    const result = new Replay(recorded.tape, recorded.out).run(new Map([[recorded.leaf, new Tensor(moved, x.shape)]]));
    const expected = fresh.tape.value(fresh.out).data[0];
    assert.ok(Number.isFinite(expected));
    assert.ok(Math.abs(result.output.data[0] - expected) <= 1e-12 * Math.abs(expected), `replay ${result.output.data[0]}, fresh ${expected}`);
  });
  describe('a sum over every axis of a large array moves by the change of its moved elements', () => {
    // 80 × 60 = 4,800 elements: past the size where the sum stops adding every element again.
    const x = new Tensor(Float64Array.from({ length: 4800 }, (_, i) => Math.sin(i) * 3), [80, 60]);
    const build = (xv: Tensor, reduce: typeof sumOp | typeof meanOp): { tape: Tape; out: number; leaf: number } => {
      const tape = new Tape();
      const leaf = tape.leaf(xv, 'x', null);
      const squares = tape.record(binaryOps.multiply, [leaf, leaf], undefined, null);
      return { tape, leaf, out: tape.record(reduce, [squares], { axis: null, keepdims: false }, null) };
    };
    for (const [name, reduce] of [['sum', sumOp], ['mean', meanOp]] as const) {
      it(`${name}: each nudge gives a fresh recording's value, up to rounding in the last bits, and the next run starts again from the recorded sum`, () => {
        const recorded = build(x, reduce);
        const replay = new Replay(recorded.tape, recorded.out);
        for (const [i, value] of [[0, 3.001], [4799, -2.5], [1234, Infinity], [17, 0.5], [17, NaN], [2000, 1e-3]] as const) {
          const moved = new Float64Array(x.data);
          moved[i] = value;
          const nudged = new Tensor(moved, x.shape);
          const expected = build(nudged, reduce).tape.value(build(nudged, reduce).out).data[0];
          const got = replay.run(new Map([[recorded.leaf, nudged]]), i).output.data[0];
          if (Number.isFinite(expected)) assert.ok(Math.abs(got - expected) <= 1e-14 * Math.abs(expected), `x[${i}] = ${value}: replay ${got}, fresh ${expected}`);
          else assert.ok(Object.is(got, expected), `x[${i}] = ${value}: replay ${got}, fresh ${expected}`);
        }
      });
    }
  });
});
