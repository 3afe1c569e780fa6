// A full gradient check of a small input runs all of its nudges at once. Each node downstream of
// the input holds a stack of values, one per nudge (nudge j's value at j·size), and each op runs
// once over the stack: elementwise ops and reductions as the same op over arrays with a leading
// stack axis, a product of a stacked left operand as one taller product, a gather as the same
// positions of every item, anything else item by item through its kernel. A replay (replay.ts) pays its bookkeeping per evaluation and per op,
// which for arrays this small costs more than their arithmetic. Every value comes out as the
// replay computes it, bit for bit: the same kernels, summing in the same order.
import type { StackedEvaluation, StackedSignatures } from './gradcheck';
import { binaryOps, discreteOps, modOp, unaryOps } from './ops/elementwise';
import { matmul2d, stackedMatmul } from './ops/matmul';
import { dotOp } from './ops/linalg';
import { AnyOp, Kernel, tooManyToFollow } from './ops/op';
import { maxOp, meanOp, minOp, normalizeAxes, ReduceAttrs, sumOp } from './ops/reduce';
import { gatherOp, GatherAttrs } from './ops/structural';
import { allocate } from './storage';
import { ancestors, Tape } from './tape';
import { Tensor } from './tensor';

const elementwise: ReadonlySet<AnyOp> = new Set<AnyOp>([...Object.values(unaryOps), ...Object.values(binaryOps), ...Object.values(discreteOps), modOp]);
const reductions: ReadonlySet<AnyOp> = new Set<AnyOp>([sumOp, meanOp, maxOp, minOp]);

/** Elements a stack of one node may hold, and all stacks of a run together: bound the nudges run at once. */
const maxStackElements = 1 << 16;
const maxArenaElements = 1 << 22;

// The stacks of every run are carved from one buffer (at most maxArenaElements, 32 MB), kept for
// the next run: a run computes each of its stacks before it reads it, so what another left there
// does not matter, and a check runs a batch per input and per analysis (a buffer of their own each
// cost more than the nudges' arithmetic).
let arena = new Float64Array(0);

export class NudgeBatch {
  /** How many nudges one run takes at most. */
  readonly itemsPerRun: number;

  private constructor(
    private readonly tape: Tape,
    private readonly leaf: number,
    private readonly output: number,
    /** The ops downstream of the leaf, in tape order. */
    private readonly ids: readonly number[],
    private readonly branching: readonly number[],
  ) {
    let largest = tape.nodes[leaf].value.size, total = 0;
    for (const id of ids) {
      largest = Math.max(largest, tape.nodes[id].value.size);
      total += tape.nodes[id].value.size;
    }
    this.itemsPerRun = Math.max(1, Math.floor(Math.min(maxStackElements / Math.max(1, largest), maxArenaElements / Math.max(1, total))));
  }

  /**
   * The batch for nudges of `leaf`, or null where a replay is the better way: an array downstream
   * of it large enough that the replay follows the nudged element instead of recomputing the array
   * (or the input itself), recorded control flow downstream of it, or an output it does not reach.
   */
  static plan(tape: Tape, output: number, leaf: number): NudgeBatch | null {
    const needed = new Uint8Array(tape.nodes.length);
    for (const id of ancestors(tape, output)) needed[id] = 1;
    const guarded = new Set(tape.guards.map((g) => g.node));
    const moved = new Uint8Array(tape.nodes.length);
    moved[leaf] = 1;
    if (!tooManyToFollow(1, tape.nodes[leaf].value.size)) return null;
    const ids: number[] = [];
    const branching: number[] = [];
    for (let id = leaf + 1; id <= output; id++) {
      const node = tape.nodes[id];
      if (node.kind !== 'op' || !node.inputs.some((j) => moved[j])) continue;
      moved[id] = 1;
      // Control flow that read this value (an `if`, a loop bound) may not hold for every nudge.
      if (guarded.has(id)) return null;
      if (!needed[id]) continue;
      if (!tooManyToFollow(1, node.value.size)) return null;
      ids.push(id);
      if (node.op!.branches) branching.push(id);
    }
    if (!moved[output]) return null;
    return new NudgeBatch(tape, leaf, output, ids, branching);
  }

  /**
   * Runs `items` nudges (at most itemsPerRun): `fillLeaf` writes the input's value for each, one
   * after another, into a stack it is given. The stacks live until the next run.
   */
  run(fillLeaf: (stack: Float64Array) => void, items: number): StackedEvaluation {
    if (items > this.itemsPerRun) throw new Error(`internal: ${items} nudges in one run, at most ${this.itemsPerRun}`);
    const stacks = this.carve(items);
    fillLeaf(stacks[this.leaf]!);
    for (const id of this.ids) this.compute(id, stacks, items);
    const outputStack = stacks[this.output]!;
    const size = this.tape.nodes[this.output].value.size;
    const outputs = allocate(items);
    for (let j = 0; j < items; j++) outputs[j] = outputStack[j * size];
    const signatures = this.branching.map((id) => this.signatures(id, stacks, items));
    return { outputs, signatures };
  }

  /** The leaf's and each stacked node's buffer for `items` items, carved from the arena (null: not stacked), by node id. */
  private carve(items: number): (Float64Array | null)[] {
    const nodes = this.tape.nodes;
    const stacks = new Array<Float64Array | null>(nodes.length).fill(null);
    let total = items * nodes[this.leaf].value.size;
    for (const id of this.ids) total += items * nodes[id].value.size;
    if (arena.length < total) arena = new Float64Array(Math.max(total, 2 * arena.length));
    let used = 0;
    const take = (id: number): void => {
      const n = items * nodes[id].value.size;
      stacks[id] = arena.subarray(used, used + n);
      used += n;
    };
    take(this.leaf);
    for (const id of this.ids) take(id);
    return stacks;
  }

  /** Writes op node `id`'s stack from its inputs' stacks (or recorded values). */
  private compute(id: number, stacks: readonly (Float64Array | null)[], items: number): void {
    const node = this.tape.nodes[id];
    const op = node.op!;
    const inputs = node.inputValues;
    const data = node.inputs.map((j, k) => stacks[j] ?? inputs[k].data);
    const stacked = node.inputs.map((j) => stacks[j] !== null);
    const result = stacks[id]!;
    if (elementwise.has(op) && op.kernel) {
      // The same op over operands with a leading stack axis; a stacked operand is padded to the
      // output's rank first, so that it broadcasts against one that is not as it did unstacked.
      const operands = inputs.map((x, k) => (stacked[k] ? new Tensor(data[k], stackedShape(x, node.value.ndim, items), x.dtype) : x));
      op.kernel(operands, node.attrs)(data, result);
      return;
    }
    if (reductions.has(op) && op.kernel) {
      const x = inputs[0];
      const [shape, stackedAttrs] = stackedReduction(x, node.attrs as ReduceAttrs, items);
      op.kernel([new Tensor(data[0], shape, x.dtype)], stackedAttrs)(data, result);
      return;
    }
    if (op === dotOp && inputs[0].ndim <= 2 && inputs[1].ndim <= 2) {
      const [a, b] = inputs;
      const m = a.ndim === 2 ? a.shape[0] : 1, k = a.shape[a.ndim - 1], n = b.ndim === 2 ? b.shape[1] : 1;
      // A stacked left operand's items are one after another: one product with items·m rows.
      if (!stacked[1]) {
        matmul2d(data[0], b.data, items * m, k, n, result);
        return;
      }
      stackedMatmul(data[0], stacked[0] ? m * k : 0, data[1], m, k, n, items, result);
      return;
    }
    if (op === gatherOp) {
      // The same positions picked from every item.
      const sources = (node.attrs as GatherAttrs).sources;
      const stack = data[0], size = inputs[0].size, picked = sources.length;
      for (let j = 0, o = 0; j < items; j++) for (let i = 0; i < picked; i++, o++) result[o] = stack[j * size + sources[i]];
      return;
    }
    // Item by item, through the op's kernel for the recorded shapes or its forward pass.
    const kernel: Kernel | null = op.kernel?.(inputs, node.attrs) ?? null;
    const size = node.value.size;
    for (let j = 0; j < items; j++) {
      const item = inputs.map((x, k) => itemOf(stacks[node.inputs[k]], x, j));
      if (kernel) kernel(item.map((t) => t.data), result.subarray(j * size, (j + 1) * size));
      else result.set(op.forward(item, node.attrs).data, j * size);
    }
  }

  /**
   * Op node `id`'s branch signature for every item, as a replay of each nudge reports it: an
   * elementwise op's or a reduction's from the stacks at once (the same op over a leading stack
   * axis, its signature split into equal parts), another op's item by item.
   */
  private signatures(id: number, stacks: readonly (Float64Array | null)[], items: number): StackedSignatures {
    const node = this.tape.nodes[id];
    const op = node.op!;
    const inputs = node.inputValues;
    if (elementwise.has(op)) {
      const rank = node.value.ndim;
      const operands = inputs.map((x, k) => { const stack = stacks[node.inputs[k]]; return stack ? new Tensor(stack, stackedShape(x, rank, items), x.dtype) : x; });
      return perItem(op.branches!(operands, new Tensor(stacks[id]!, stackedShape(node.value, rank, items), node.value.dtype), node.attrs), items);
    }
    if (reductions.has(op)) {
      const x = inputs[0];
      const [shape, attrs] = stackedReduction(x, node.attrs as ReduceAttrs, items);
      return perItem(op.branches!([new Tensor(stacks[node.inputs[0]]!, shape, x.dtype)], new Tensor(stacks[id]!, [items * node.value.size], node.value.dtype), attrs), items);
    }
    let data: Float64Array | null = null;
    let size = 0;
    for (let j = 0; j < items; j++) {
      const signature = op.branches!(inputs.map((x, k) => itemOf(stacks[node.inputs[k]], x, j)), itemOf(stacks[id], node.value, j), node.attrs);
      if (data === null) data = new Float64Array(items * (size = signature.length));
      if (signature.length !== size) throw new Error(`internal: ${op.name}'s branch signatures of ${size} and ${signature.length} elements in one run`);
      data.set(signature, j * size);
    }
    return { data: data ?? new Float64Array(0), size };
  }
}

/** The shape of a stack of `items` values of x's shape, padded to `rank` dimensions first so that it broadcasts as x did. */
function stackedShape(x: Tensor, rank: number, items: number): number[] {
  const shape = [items];
  for (let d = x.ndim; d < rank; d++) shape.push(1);
  for (const n of x.shape) shape.push(n);
  return shape;
}

/** The shape and axes of a reduction of `x` run over stacks of `items`: over every axis, each item's elements in a row of their own, reduced along it. */
function stackedReduction(x: Tensor, attrs: ReduceAttrs, items: number): [number[], ReduceAttrs] {
  const axes = normalizeAxes(attrs.axis, x.ndim);
  return axes.length === x.ndim
    ? [[items, x.size], { axis: 1, keepdims: false }]
    : [[items, ...x.shape], { axis: axes.map((a) => a + 1), keepdims: attrs.keepdims }];
}

/** A signature of the whole stack as each item's, in equal parts one after another. */
function perItem(stackSignature: Float64Array, items: number): StackedSignatures {
  // Shared with the arena (an op whose signature is its data), it would be rewritten by the next batch.
  const data = stackSignature.buffer === arena.buffer ? stackSignature.slice() : stackSignature;
  const size = data.length / items;
  if (!Number.isInteger(size)) throw new Error(`internal: a branch signature of ${data.length} elements for ${items} nudges`);
  return { data, size };
}

/** Item j of a stack (a view), or the recorded value of an operand that is not stacked. */
function itemOf(stack: Float64Array | null, recorded: Tensor, j: number): Tensor {
  if (!stack) return recorded;
  const size = recorded.size;
  return new Tensor(stack.subarray(j * size, (j + 1) * size), recorded.shape, recorded.dtype);
}
