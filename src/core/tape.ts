// Define-by-run recording: every op applied to traced values becomes a node on the tape, with the
// source span that created it. Reverse mode walks the tape backwards (replay.ts re-runs it forwards).
import { allocate, copyOf, smallElements } from './storage';
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
  /** The inputs' values, in order (none for a leaf or a constant). */
  readonly inputValues: readonly Tensor[];
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
    readonly inputValues: readonly Tensor[],
    readonly attrs: unknown,
    readonly value: Tensor,
    readonly span: SourceSpan | null,
    public name: string | null,
    readonly requiresGrad: boolean,
  ) {}
}

const noValues: readonly Tensor[] = [];

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
    this.checkSize(value.size);
    return this.push('leaf', null, [], noValues, undefined, value, span, name, value.dtype === 'float64');
  }

  constant(value: Tensor, span: SourceSpan | null = null): number {
    this.checkSize(value.size);
    return this.push('constant', null, [], noValues, undefined, value, span, null, false);
  }

  /** Applies `op` to the values of `inputs` and records the result. The node keeps `inputs`: pass an array of the call's own. */
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
    return this.push('op', op, inputs, values, attrs, value, span, null, value.dtype === 'float64' && anyRequiresGrad);
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
    if (!(elements >= 0)) throw new UserCodeError('value', 'negative dimensions are not allowed');
    if (elements > this.limits.maxElementsPerTensor) {
      throw new UserCodeError('budget', `an array of ${elements.toLocaleString('en-US')} elements is over the limit of ${this.limits.maxElementsPerTensor.toLocaleString('en-US')} per array`);
    }
    if (this.totalElements + elements > this.limits.maxTotalElements) {
      throw new UserCodeError('budget', `the program holds more than ${this.limits.maxTotalElements.toLocaleString('en-US')} array elements in total`);
    }
  }

  // Positional, and the node a literal of one fixed shape: the tape pushes one per op of the program.
  // The value was checked against the limits before (an op's before its forward ran).
  private push(kind: NodeKind, op: AnyOp | null, inputs: readonly number[], inputValues: readonly Tensor[], attrs: unknown, value: Tensor, span: SourceSpan | null, name: string | null, requiresGrad: boolean): number {
    const id = this.nodes.length;
    this.totalElements += value.size;
    this.nodes.push(new RecordedNode(id, kind, op, inputs, inputValues, attrs, value, span, name, requiresGrad));
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
  // go to a new buffer once, unless the first term was one the op made for it alone (isOwnBuffer);
  // after that the buffer is ours and later terms add into it.
  const owned = new Uint8Array(tape.nodes.length);
  const out = tape.nodes[output];
  grads[output] = seed ?? Tensor.full(out.value.shape, 1);
  for (let i = output; i >= 0; i--) {
    const node = tape.nodes[i];
    const g = grads[i];
    if (!g || node.kind !== 'op' || !node.requiresGrad) continue;
    const inputValues = node.inputValues;
    let allNeeded = true;
    for (let k = 0; k < node.inputs.length; k++) allNeeded &&= tape.nodes[node.inputs[k]].requiresGrad;
    // A constant operand (the 0 of maximum(0, x), the N of x / N) needs no gradient of its own.
    const needed = allNeeded ? undefined : node.inputs.map((j) => tape.nodes[j].requiresGrad);
    const inputGrads = node.op!.vjp(g, node.value, inputValues, node.attrs, needed);
    for (let k = 0; k < node.inputs.length; k++) {
      const j = node.inputs[k];
      const gj = inputGrads[k];
      if (!gj || !tape.nodes[j].requiresGrad) continue;
      if (!sameShape(gj.shape, inputValues[k].shape)) {
        throw new Error(`internal: ${node.op!.name} sent a gradient of shape [${gj.shape}] to an input of shape [${inputValues[k].shape}]`);
      }
      const sum = grads[j];
      if (sum === null) {
        grads[j] = gj;
        if (gj.size > smallElements && isOwnBuffer(gj, k, g, node, inputGrads)) owned[j] = 1;
      } else if (owned[j]) addInPlace(sum, gj);
      else {
        grads[j] = addInto(sum, gj);
        owned[j] = 1;
      }
    }
  }
  return grads;
}

/**
 * Whether the gradient an op sent to its input `k` is an array it made for that input alone, which
 * reverse mode may then add later terms into: in a buffer of its own (the caller asks only of large
 * arrays; small ones share slabs, storage.ts), and not the upstream gradient passed on, an input's
 * or the output's value, or an array also sent to another node. At CIFAR size this spares a 2.4 MB
 * sum for W1's gradient, whose first term (from `W1 * W1`) mul's VJP makes.
 */
function isOwnBuffer(gj: Tensor, k: number, g: Tensor, node: TapeNode, inputGrads: readonly (Tensor | null)[]): boolean {
  const data = gj.data, buffer = data.buffer;
  if (data.byteOffset !== 0 || buffer.byteLength !== data.byteLength) return false;
  if (buffer === g.data.buffer || buffer === node.value.data.buffer) return false;
  for (let q = 0; q < node.inputs.length; q++) {
    if (node.inputValues[q].data.buffer === buffer) return false;
    if (q !== k && node.inputs[q] !== node.inputs[k] && inputGrads[q]?.data.buffer === buffer) return false;
  }
  return true;
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
