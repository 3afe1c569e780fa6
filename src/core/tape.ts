// Define-by-run recording: every op applied to traced values becomes a node on the tape, with the
// source span that created it. Reverse mode walks the tape backwards; replay re-runs it forwards.
import { UserCodeError } from './errors';
import type { AnyOp } from './ops/op';
import type { SourceSpan } from './span';
import { sameShape, Tensor } from './tensor';

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
    return this.push({ kind: 'leaf', op: null, inputs: [], attrs: undefined, value, span, name, requiresGrad: value.dtype === 'float64' });
  }

  constant(value: Tensor, span: SourceSpan | null = null): number {
    return this.push({ kind: 'constant', op: null, inputs: [], attrs: undefined, value, span, name: null, requiresGrad: false });
  }

  /** Applies `op` to the values of `inputs` and records the result. */
  record<A>(op: AnyOp, inputs: readonly number[], attrs: A, span: SourceSpan | null): number {
    const values = inputs.map((i) => this.nodes[i].value);
    const shape = op.shape(values.map((v) => v.shape), attrs);
    this.checkSize(shape.reduce((n: number, d: number) => n * d, 1));
    const value = op.forward(values, attrs);
    if (!sameShape(value.shape, shape)) throw new Error(`internal: ${op.name} computed shape [${value.shape}] but its rule says [${shape}]`);
    const requiresGrad = value.dtype === 'float64' && inputs.some((i) => this.nodes[i].requiresGrad);
    return this.push({ kind: 'op', op, inputs: [...inputs], attrs, value, span, name: null, requiresGrad });
  }

  /** Notes that control flow depended on this node's value. Constants need no guard. */
  guard(node: number): void {
    if (this.dependsOnLeaves(node)) this.guards.push({ node, value: Float64Array.from(this.nodes[node].value.data) });
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

  private push(fields: Omit<TapeNode, 'id'>): number {
    const id = this.nodes.length;
    this.checkSize(fields.value.size);
    this.totalElements += fields.value.size;
    this.nodes.push({ id, ...fields });
    this.leafDependent.push(fields.kind === 'leaf' || fields.inputs.some((i) => this.leafDependent[i]));
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
  const out = tape.nodes[output];
  grads[output] = seed ?? Tensor.full(out.value.shape, 1);
  for (let i = output; i >= 0; i--) {
    const node = tape.nodes[i];
    const g = grads[i];
    if (!g || node.kind !== 'op' || !node.requiresGrad) continue;
    const inputValues = node.inputs.map((j) => tape.nodes[j].value);
    const inputGrads = node.op!.vjp(g, node.value, inputValues, node.attrs);
    node.inputs.forEach((j, k) => {
      const gj = inputGrads[k];
      if (!gj || !tape.nodes[j].requiresGrad) return;
      if (!sameShape(gj.shape, tape.nodes[j].value.shape)) {
        throw new Error(`internal: ${node.op!.name} sent a gradient of shape [${gj.shape}] to an input of shape [${tape.nodes[j].value.shape}]`);
      }
      grads[j] = grads[j] ? addInto(grads[j]!, gj) : gj;
    });
  }
  return grads;
}

function addInto(a: Tensor, b: Tensor): Tensor {
  const out = new Float64Array(a.size);
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

/**
 * A compiled forward pass: re-runs the recorded ops from new leaf values, without the interpreter.
 * Only the ops downstream of the changed leaves run; every other value is the recorded one.
 */
export class Replay {
  readonly order: number[];
  private readonly guarded: Map<number, Float64Array>;
  private readonly downstream = new Map<string, number[]>();

  constructor(private readonly tape: Tape, private readonly output: number) {
    // Only control flow taken before the output existed can have shaped it.
    this.guarded = new Map(tape.guards.filter((g) => g.node <= output).map((g) => [g.node, g.value]));
    const needed = new Set(ancestors(tape, output));
    for (const node of this.guarded.keys()) for (const id of ancestors(tape, node)) needed.add(id);
    this.order = [...needed].sort((a, b) => a - b);
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
    const values = new Map<number, Tensor>(leafValues);
    const valueOf = (j: number): Tensor => values.get(j) ?? this.tape.nodes[j].value;
    const branches = new Map<number, Float64Array>();
    let guardsHeld = true;
    for (const id of this.affectedBy([...leafValues.keys()].sort((a, b) => a - b))) {
      const node = this.tape.nodes[id];
      const inputs = node.inputs.map(valueOf);
      node.op!.shape(inputs.map((v) => v.shape), node.attrs);
      const recorded = node.inputs.map((j) => this.tape.nodes[j].value);
      const value = node.op!.update?.(inputs, recorded, node.value, node.attrs) ?? node.op!.forward(inputs, node.attrs);
      if (node.op!.branches) branches.set(id, node.op!.branches(inputs, value, node.attrs));
      values.set(id, value);
      const expected = this.guarded.get(id);
      if (expected) {
        // A guarded value is a branch too: an `if` that flips between x-h and x+h is a kink.
        branches.set(-1 - id, Float64Array.from(value.data));
        if (!sameData(expected, value.data)) guardsHeld = false;
      }
    }
    return { output: valueOf(this.output), branches, guardsHeld };
  }
}

function sameData(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}
