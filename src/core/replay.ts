// Replays of the recorded forward pass for the gradient check: new leaf values in, the output and
// the branch each op took out, without the interpreter. A nudge moves one element of one input;
// the replay follows the elements it moves through each op (`Op.propagate`), writing them into a
// working copy of each node's value, and does not run the nodes it does not reach.
import { Kernel, tooManyToFollow } from './ops/op';
import { copyOf } from './storage';
import { ancestors, Tape } from './tape';
import { Tensor } from './tensor';

export interface ReplayResult {
  /** The output; valid until the next run of the same Replay. */
  output: Tensor;
  /** Branch signature of every branching op this run ran (a guard's under -1 - node), by node id. */
  branches: Map<number, Float64Array>;
  /** The recorded signature under a key this run did not report: its node's inputs came out as recorded. */
  recorded: (key: number) => Float64Array;
  /** False when a guarded value changed: the recorded control flow no longer applies. */
  guardsHeld: boolean;
}

/** A node most of whose elements may have moved (a directional nudge): the ops that read it run forward. */
const everything: readonly number[] = Object.freeze([]);
/** No position moved. */
const none: readonly number[] = Object.freeze([]);

export class Replay {
  readonly order: number[];
  /** The recorded value of each guarded node, by node id. */
  private readonly guarded: (Float64Array | undefined)[];
  private readonly downstream = new Map<number | string, number[]>();
  // Per node id, each array made at its full length up front: an array grown by assigning past its
  // end goes sparse, and these are read for every op of every run.
  private readonly recordedSignatures: (Float64Array | null)[];
  /** Each op's value as the current run has it: a working copy of the recorded value, made on first use. */
  private readonly working: (Tensor | null)[];
  /** What a node reads for node id in this run: a given leaf or a working copy; null means the recorded value. */
  private readonly current: (Tensor | null)[];
  /** Positions where node id differs from its recorded value in this run (bit for bit), `everything`, or null. */
  private readonly moved: (readonly number[] | null)[];
  /** Each op's kernel for its recorded shapes (null: the op has none), set up on first use. */
  private readonly kernels: (Kernel | null | undefined)[];
  /** The inputs each op reads in a run, in an array reused run after run. */
  private readonly inputTensors: (Tensor[] | null)[];
  /** The input data array each kernel reads, reused run after run. */
  private readonly inputData: (Float64Array[] | null)[];
  /** Working copies a kernel wrote whole: they no longer hold the recorded value. */
  private readonly overwritten: boolean[];
  /** The nodes the last run changed, to reset before the next one. */
  private readonly changed: number[] = [];
  /** The ops whose working copy the last run wrote, with the positions, to put back. */
  private readonly written: [number, readonly number[]][] = [];

  constructor(private readonly tape: Tape, private readonly output: number) {
    // Only control flow taken before the output existed can have shaped it.
    this.guarded = new Array<Float64Array | undefined>(tape.nodes.length).fill(undefined);
    const needed = new Set(ancestors(tape, output));
    for (const g of tape.guards) {
      if (g.node > output) continue;
      this.guarded[g.node] = g.value;
      for (const id of ancestors(tape, g.node)) needed.add(id);
    }
    this.order = [...needed].sort((a, b) => a - b);
    const n = tape.nodes.length;
    this.recordedSignatures = new Array<Float64Array | null>(n).fill(null);
    this.working = new Array<Tensor | null>(n).fill(null);
    this.current = new Array<Tensor | null>(n).fill(null);
    this.moved = new Array<readonly number[] | null>(n).fill(null);
    this.kernels = new Array<Kernel | null | undefined>(n).fill(undefined);
    this.inputData = new Array<Float64Array[] | null>(n).fill(null);
    this.inputTensors = new Array<Tensor[] | null>(n).fill(null);
    this.overwritten = new Array<boolean>(n).fill(false);
  }

  /**
   * One run with `leafValues` in place of the recorded leaves. `movedElement`: the one flat position
   * in which a single given leaf differs from its recorded value, when the caller knows it.
   */
  run(leafValues: ReadonlyMap<number, Tensor>, movedElement?: number): ReplayResult {
    this.restore();
    const nodes = this.tape.nodes;
    for (const [id, value] of leafValues) {
      const recorded = nodes[id].value.data;
      const positions = movedElement === undefined || leafValues.size !== 1 ? differingPositions(value.data, recorded)
        : !differs(value.data[movedElement], recorded[movedElement]) ? none
          : tooManyToFollow(1, recorded.length) ? everything : [movedElement];
      this.markChanged(id, value, positions);
    }
    const branches = new Map<number, Float64Array>();
    let guardsHeld = true;
    for (const id of this.affectedBy(leafValues)) {
      const node = nodes[id];
      const op = node.op!;
      const n = node.inputs.length;
      let anyMoved = false, many = false;
      for (let k = 0; k < n; k++) {
        const moved = this.moved[node.inputs[k]];
        if (moved) {
          anyMoved = true;
          many ||= moved === everything;
        }
      }
      // Downstream of the moved leaf, but every input came out as recorded (a row of X that was not
      // nudged, a branch not taken): so does this node, and its branch is the recorded one.
      if (!anyMoved) continue;
      const expected = this.guarded[id];
      const inputs = this.inputTensors[id] ??= new Array<Tensor>(n);
      for (let k = 0; k < n; k++) inputs[k] = this.current[node.inputs[k]] ?? nodes[node.inputs[k]].value;
      // The leaves keep their shapes, so every shape is the recorded one: no shape rule runs here.
      const work = many || !op.propagate ? null : this.workingCopy(id);
      const written = work ? op.propagate!(inputs, node.inputs.map((j) => this.moved[j] ?? null), work.data, node.attrs, node.inputValues) : null;
      let value: Tensor;
      if (work && written) {
        this.written.push([id, written]);
        const positions: number[] = [];
        for (const p of written) if (differs(work.data[p], node.value.data[p])) positions.push(p);
        value = work;
        this.markChanged(id, work, positions);
      } else {
        value = this.recompute(id, inputs);
        this.markChanged(id, value, differingPositions(value.data, node.value.data));
      }
      if (op.branches) branches.set(id, ownSignature(op.branches(inputs, value, node.attrs), value, inputs));
      if (expected) {
        // A guarded value is a branch too: an `if` that flips between x-h and x+h is a kink.
        branches.set(-1 - id, copyOf(value.data));
        if (!sameData(expected, value.data)) guardsHeld = false;
      }
    }
    return { output: this.current[this.output] ?? nodes[this.output].value, branches, guardsHeld, recorded: this.recorded };
  }

  readonly recorded = (key: number): Float64Array => (key < 0 ? this.guarded[-1 - key]! : this.recordedBranches(key));

  private markChanged(id: number, value: Tensor, positions: readonly number[]): void {
    this.changed.push(id);
    const moved = positions === everything || positions.length > 0;
    this.moved[id] = moved ? positions : null;
    this.current[id] = moved ? value : null;
  }

  /** Puts the working copies the last run wrote back to the recorded values. */
  private restore(): void {
    const nodes = this.tape.nodes;
    for (const [id, positions] of this.written) {
      const work = this.working[id]!.data, recorded = nodes[id].value.data;
      for (const p of positions) work[p] = recorded[p];
    }
    for (const id of this.changed) {
      this.moved[id] = null;
      this.current[id] = null;
    }
    this.written.length = 0;
    this.changed.length = 0;
  }

  /** The working copy of node id, holding the recorded value (for `Op.propagate`, which writes a few elements). */
  private workingCopy(id: number): Tensor {
    const work = this.workingBuffer(id);
    if (this.overwritten[id]) {
      work.data.set(this.tape.nodes[id].value.data);
      this.overwritten[id] = false;
    }
    return work;
  }

  private workingBuffer(id: number): Tensor {
    let work = this.working[id];
    if (!work) {
      const recorded = this.tape.nodes[id].value;
      work = new Tensor(copyOf(recorded.data), recorded.shape, recorded.dtype);
      this.working[id] = work;
    }
    return work;
  }

  /**
   * Node id's value computed whole from `inputs`: through its op's kernel, set up on first use, into
   * its working copy (no shape rule, no allocation: the shapes are the recorded ones), or by
   * `forward` for an op without one.
   */
  private recompute(id: number, inputs: readonly Tensor[]): Tensor {
    const node = this.tape.nodes[id];
    let kernel = this.kernels[id];
    if (kernel === undefined) {
      kernel = node.op!.kernel?.(node.inputValues, node.attrs) ?? null;
      this.kernels[id] = kernel;
    }
    if (!kernel) return node.op!.forward(inputs, node.attrs);
    const work = this.workingBuffer(id);
    const data = this.inputData[id] ??= new Array<Float64Array>(inputs.length);
    for (let k = 0; k < inputs.length; k++) data[k] = inputs[k].data;
    kernel(data, work.data);
    // Restored only when a later run follows a few elements through it (`workingCopy`).
    this.overwritten[id] = true;
    return work;
  }

  /** The ops (in tape order) that read, directly or not, one of `leaves`. */
  private affectedBy(leafValues: ReadonlyMap<number, Tensor>): number[] {
    // A gradient check moves one leaf at a time: its id is the key, without sorting and joining.
    const key = leafValues.size === 1 ? leafValues.keys().next().value! : [...leafValues.keys()].sort((a, b) => a - b).join(',');
    let ids = this.downstream.get(key);
    if (!ids) {
      const leaves = [...leafValues.keys()];
      const dirty = new Uint8Array(this.tape.nodes.length);
      for (const leaf of leaves) dirty[leaf] = 1;
      ids = [];
      for (const id of this.order) {
        const node = this.tape.nodes[id];
        if (node.kind === 'op' && node.inputs.some((j) => dirty[j])) {
          dirty[id] = 1;
          ids.push(id);
        }
      }
      this.downstream.set(key, ids);
    }
    return ids;
  }

  /** The branch signature of a node as recorded (for runs in which its inputs did not move). */
  private recordedBranches(id: number): Float64Array {
    let signature = this.recordedSignatures[id];
    if (!signature) {
      const node = this.tape.nodes[id];
      signature = node.op!.branches!(node.inputValues, node.value, node.attrs);
      this.recordedSignatures[id] = signature;
    }
    return signature;
  }
}

/**
 * A branch signature must outlive the run: one that is an input's or the value's own data (a
 * working copy, the check's nudged buffer) would be rewritten by the next run, so it is copied.
 */
function ownSignature(signature: Float64Array, value: Tensor, inputs: readonly Tensor[]): Float64Array {
  const shared = signature === value.data || inputs.some((t) => t.data === signature);
  return shared ? copyOf(signature) : signature;
}

/** !Object.is(a, b), written out: Object.is is not inlined, and this runs for every replayed element. */
function differs(a: number, b: number): boolean {
  return a === b ? a === 0 && 1 / a !== 1 / b : a === a || b === b;
}

/**
 * Positions where two equal-length arrays differ bit for bit (NaN equals NaN; 0 and -0 differ), or
 * `everything` once there are too many to follow.
 */
function differingPositions(now: Float64Array, before: Float64Array): readonly number[] {
  if (now === before) return none;
  // Counted first, and listed only when few: a directional nudge moves nearly every element, and
  // listing an eighth of a large array before giving up cost more than the op that made it.
  let count = 0, first = -1;
  for (let i = 0; i < now.length; i++) {
    if (!differs(now[i], before[i])) continue;
    if (tooManyToFollow(++count, now.length)) return everything;
    if (first < 0) first = i;
  }
  if (count === 0) return none;
  const out: number[] = [];
  for (let i = first; out.length < count; i++) if (differs(now[i], before[i])) out.push(i);
  return out;
}

function sameData(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}
