// Define-by-run recording: every op applied to traced values becomes a node on the tape, with the
// source span that created it. Reverse mode walks the tape backwards; replay re-runs it forwards.
import { allocate, copyOf } from './storage';
import { UserCodeError } from './errors';
import type { AnyOp } from './ops/op';
import type { SourceSpan } from './span';
import { sameShape, sizeOf, Tensor } from './tensor';

export type NodeKind = 'leaf' | 'constant' | 'op';

export interface TapeNode {
  readonly id: number;
  readonly kind: NodeKind;
  readonly op: AnyOp | null;
  readonly inputs: readonly number[];
  readonly attrs: unknown;
  readonly value: Tensor;
  readonly span: SourceSpan | null;
  /** Leaf name, or the variable the value was last assigned to. */
  name: string | null;
  readonly requiresGrad: boolean;
}

// A class, not an object literal: V8 tracks literals by allocation site and, seeing tape nodes
// survive, allocates them in old space through the runtime, several times slower.
class RecordedNode implements TapeNode {
  constructor(
    readonly id: number,
    readonly kind: NodeKind,
    readonly op: AnyOp | null,
    readonly inputs: readonly number[],
    readonly attrs: unknown,
    readonly value: Tensor,
    readonly span: SourceSpan | null,
    public name: string | null,
    readonly requiresGrad: boolean,
  ) {}
}

/** A value the program's control flow depended on (an `if` on a traced comparison, a mask). */
export interface Guard {
  node: number;
  value: Float64Array;
}

export interface TapeLimits {
  maxElementsPerTensor: number;
  maxTotalElements: number;
}

export const defaultTapeLimits: TapeLimits = { maxElementsPerTensor: 5_000_000, maxTotalElements: 50_000_000 };

export class Tape {
  readonly nodes: TapeNode[] = [];
  readonly guards: Guard[] = [];
  private totalElements = 0;

  constructor(private readonly limits: TapeLimits = defaultTapeLimits) {}

  leaf(value: Tensor, name: string | null, span: SourceSpan | null): number {
    return this.push('leaf', null, [], undefined, value, span, name, value.dtype === 'float64');
  }

  constant(value: Tensor, span: SourceSpan | null = null): number {
    return this.push('constant', null, [], undefined, value, span, null, false);
  }

  /** Applies `op` to the values of `inputs` and records the result. */
  record<A>(op: AnyOp, inputs: readonly number[], attrs: A, span: SourceSpan | null): number {
    const values = new Array<Tensor>(inputs.length);
    const shapes = new Array<readonly number[]>(inputs.length);
    let anyRequiresGrad = false;
    for (let k = 0; k < inputs.length; k++) {
      const node = this.nodes[inputs[k]];
      values[k] = node.value;
      shapes[k] = node.value.shape;
      anyRequiresGrad ||= node.requiresGrad;
    }
    const shape = op.shape(shapes, attrs);
    this.checkSize(sizeOf(shape));
    const value = op.forward(values, attrs);
    if (!sameShape(value.shape, shape)) throw new Error(`internal: ${op.name} computed shape [${value.shape}] but its rule says [${shape}]`);
    return this.push('op', op, inputs.slice(), attrs, value, span, null, value.dtype === 'float64' && anyRequiresGrad);
  }

  /** Notes that control flow depended on this node's value. Constants need no guard. */
  guard(node: number): void {
    if (this.dependsOnLeaves(node)) this.guards.push({ node, value: copyOf(this.nodes[node].value.data) });
  }

  value(id: number): Tensor {
    return this.nodes[id].value;
  }

  private readonly leafDependent: boolean[] = [];

  dependsOnLeaves(id: number): boolean {
    return this.leafDependent[id];
  }

  checkSize(elements: number): void {
    if (elements > this.limits.maxElementsPerTensor) {
      throw new UserCodeError('budget', `an array of ${elements.toLocaleString('en-US')} elements is over the limit of ${this.limits.maxElementsPerTensor.toLocaleString('en-US')} per array`);
    }
    if (this.totalElements + elements > this.limits.maxTotalElements) {
      throw new UserCodeError('budget', `the program holds more than ${this.limits.maxTotalElements.toLocaleString('en-US')} array elements in total`);
    }
  }

  // Positional, and the node a literal of one fixed shape: the tape pushes one per op of the program.
  private push(kind: NodeKind, op: AnyOp | null, inputs: readonly number[], attrs: unknown, value: Tensor, span: SourceSpan | null, name: string | null, requiresGrad: boolean): number {
    const id = this.nodes.length;
    this.checkSize(value.size);
    this.totalElements += value.size;
    this.nodes.push(new RecordedNode(id, kind, op, inputs, attrs, value, span, name, requiresGrad));
    let dependent = kind === 'leaf';
    for (let k = 0; !dependent && k < inputs.length; k++) dependent = this.leafDependent[inputs[k]];
    this.leafDependent.push(dependent);
    return id;
  }
}

/** Node ids the output depends on, in tape order. */
export function ancestors(tape: Tape, output: number): number[] {
  const needed = new Uint8Array(tape.nodes.length);
  needed[output] = 1;
  for (let i = output; i >= 0; i--) {
    if (needed[i]) for (const j of tape.nodes[i].inputs) needed[j] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i <= output; i++) if (needed[i]) out.push(i);
  return out;
}

/**
 * Reverse mode: dL/d(node) for every node, seeded with `seed` at `output` (ones for a scalar).
 * Gradients of a node used several times add up (the lecture's "copy gate: gradient adder").
 */
export function backward(tape: Tape, output: number, seed?: Tensor): (Tensor | null)[] {
  const grads: (Tensor | null)[] = new Array(tape.nodes.length).fill(null);
  // A gradient an op sent may be shared (add passes its upstream gradient on as it is), so sums
  // go to a new buffer once; after that the buffer is ours and later terms add into it.
  const owned = new Uint8Array(tape.nodes.length);
  const out = tape.nodes[output];
  grads[output] = seed ?? Tensor.full(out.value.shape, 1);
  for (let i = output; i >= 0; i--) {
    const node = tape.nodes[i];
    const g = grads[i];
    if (!g || node.kind !== 'op' || !node.requiresGrad) continue;
    const inputValues = new Array<Tensor>(node.inputs.length);
    for (let k = 0; k < node.inputs.length; k++) inputValues[k] = tape.nodes[node.inputs[k]].value;
    const inputGrads = node.op!.vjp(g, node.value, inputValues, node.attrs);
    for (let k = 0; k < node.inputs.length; k++) {
      const j = node.inputs[k];
      const gj = inputGrads[k];
      if (!gj || !tape.nodes[j].requiresGrad) continue;
      if (!sameShape(gj.shape, inputValues[k].shape)) {
        throw new Error(`internal: ${node.op!.name} sent a gradient of shape [${gj.shape}] to an input of shape [${inputValues[k].shape}]`);
      }
      const sum = grads[j];
      if (sum === null) grads[j] = gj;
      else if (owned[j]) addInPlace(sum, gj);
      else {
        grads[j] = addInto(sum, gj);
        owned[j] = 1;
      }
    }
  }
  return grads;
}

function addInPlace(sum: Tensor, b: Tensor): void {
  const out = sum.data, bd = b.data;
  for (let i = 0; i < out.length; i++) out[i] += bd[i];
}

function addInto(a: Tensor, b: Tensor): Tensor {
  const out = allocate(a.size);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] + b.data[i];
  return new Tensor(out, a.shape);
}

export interface ReplayResult {
  output: Tensor;
  /** Branch signature of every branching op on the way, by node id. */
  branches: Map<number, Float64Array>;
  /** False when a guarded value changed: the recorded control flow no longer applies. */
  guardsHeld: boolean;
}

const updateMinElements = 64;

/**
 * A compiled forward pass: re-runs the recorded ops from new leaf values, without the interpreter.
 * Only the ops downstream of the changed leaves run; every other value is the recorded one.
 */
export class Replay {
  readonly order: number[];
  /** The recorded value of each guarded node, by node id. */
  private readonly guarded: (Float64Array | undefined)[];
  private readonly downstream = new Map<string, number[]>();
  private readonly values: (Tensor | undefined)[];
  private readonly recordedSignatures: (Float64Array | undefined)[] = [];

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
    this.values = new Array<Tensor | undefined>(tape.nodes.length).fill(undefined);
  }

  /** The ops (in tape order) that read, directly or not, one of `leaves`. */
  private affectedBy(leaves: readonly number[]): number[] {
    const key = leaves.join(',');
    let ids = this.downstream.get(key);
    if (!ids) {
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

  run(leafValues: ReadonlyMap<number, Tensor>): ReplayResult {
    const nodes = this.tape.nodes;
    // Values of this run that differ from the recorded ones, by node id; unset means the recorded
    // value. Cleared again before returning.
    const values = this.values;
    for (const [id, value] of leafValues) values[id] = value;
    const affected = this.affectedBy([...leafValues.keys()].sort((a, b) => a - b));
    const branches = new Map<number, Float64Array>();
    let guardsHeld = true;
    for (const id of affected) {
      const node = nodes[id];
      const op = node.op!;
      const n = node.inputs.length;
      let moved = false;
      for (let k = 0; k < n && !moved; k++) moved = values[node.inputs[k]] !== undefined;
      const expected = this.guarded[id];
      if (!moved) {
        // Downstream of the moved leaf, but every input came out as recorded (a row of X that was
        // not nudged, a branch not taken): so does this node, without running it. Its branch
        // signature is still reported, so every run of the check reports the same nodes.
        if (op.branches) branches.set(id, this.recordedBranches(id));
        if (expected) branches.set(-1 - id, expected);
        continue;
      }
      const inputs = new Array<Tensor>(n);
      const recorded = new Array<Tensor>(n);
      for (let k = 0; k < n; k++) {
        const before = nodes[node.inputs[k]].value;
        recorded[k] = before;
        inputs[k] = values[node.inputs[k]] ?? before;
      }
      // The leaves keep their shapes, so every shape is the recorded one: no shape rule runs here.
      // An update finds the moved elements by comparing whole operands: worth it only where a
      // forward pass would cost more than that scan.
      const value = (node.value.size >= updateMinElements ? op.update?.(inputs, recorded, node.value, node.attrs) : null) ?? op.forward(inputs, node.attrs);
      if (op.branches) branches.set(id, op.branches(inputs, value, node.attrs));
      if (expected) {
        // A guarded value is a branch too: an `if` that flips between x-h and x+h is a kink.
        branches.set(-1 - id, copyOf(value.data));
        if (!sameData(expected, value.data)) guardsHeld = false;
      }
      if (!sameData(value.data, node.value.data)) values[id] = value;
    }
    const output = values[this.output] ?? nodes[this.output].value;
    for (const id of leafValues.keys()) values[id] = undefined;
    for (const id of affected) values[id] = undefined;
    return { output, branches, guardsHeld };
  }

  /** The branch signature of a node as recorded (for runs in which its inputs did not move). */
  private recordedBranches(id: number): Float64Array {
    let signature = this.recordedSignatures[id];
    if (!signature) {
      const node = this.tape.nodes[id];
      signature = node.op!.branches!(node.inputs.map((j) => this.tape.nodes[j].value), node.value, node.attrs);
      this.recordedSignatures[id] = signature;
    }
    return signature;
  }
}

function sameData(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}
