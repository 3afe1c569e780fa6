// The one Report every view reads: plain data. Arrays of values travel flat (Float64Array, C order,
// beside their shape): a CIFAR-size input is one buffer for the worker and the panel, not a million
// boxed numbers in nested lists. The CLI nests them for its JSON (`nestedValues`).
import type { SourceSpan } from '../core/span';

export type { SourceSpan } from '../core/span';

export type DType = 'float64' | 'int64' | 'bool';
export type NestedNumbers = number | NestedNumbers[];

/** Where the value of an input came from. */
export type InputSource = 'given' | 'default' | 'constant' | 'docstring' | 'comment' | 'annotation' | 'usage' | 'random';

export interface ReportInput {
  name: string;
  shape: number[];
  dtype: DType;
  /** The elements in C order. */
  value: Float64Array;
  /** dL/d(input), same shape as the input, in C order; null for integer and boolean inputs. */
  grad: Float64Array | null;
  source: InputSource;
  /** Symbolic dims when the shape came from the code ("N", "D"), else null. */
  symbolicShape: string[] | null;
}

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'kink';

export interface WorstElement {
  index: number[];
  analytic: number;
  numeric: number;
  relError: number;
}

export interface GradCheckEntry {
  maxRelError: number;
  /** Elements compared one at a time by central differences. */
  checked: number;
  status: CheckStatus;
  mode: 'full' | 'sampled';
  worst: WorstElement | null;
  /** Indices whose max/relu/abs/where/comparison branch flips between x-h and x+h. */
  kinks: number[][];
  /** Directional checks <grad, v> vs (f(x+hv) - f(x-hv)) / 2h, for sampled mode. */
  directional: { count: number; maxRelError: number } | null;
  /** The user's own gradient of this input against the same central differences. */
  userGradient: { name: string; maxRelError: number } | null;
}

export interface Mismatch {
  kind: 'shape' | 'value';
  /** The user's gradient: `dx`, `grad_w1`, `grads['W1']`. */
  name: string;
  /** The forward variable it is the gradient of. */
  target: string;
  /** 1-based line where the user's gradient was last assigned. */
  line: number;
  /** The whole statement that last assigned it. */
  span: SourceSpan | null;
  expectedShape: number[];
  actualShape: number[];
  /** Max relative error against autograd (value mismatches; 0 for shape mismatches). */
  maxRelError: number;
}

export type { ErrorKind } from '../core/errors';
import type { ErrorKind } from '../core/errors';

export interface ReportError {
  message: string;
  /** 1-based line and column of the code at fault. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  kind: ErrorKind;
}

/** A value shown in the graph: scalars in full, tensors as a shape and a small preview. */
export interface ValuePreview {
  shape: number[];
  dtype: DType;
  /** The elements themselves, flat in C order, for up to 64 of them; else null. */
  value: number[] | null;
  min: number;
  max: number;
  mean: number;
}

export type GraphNodeKind = 'leaf' | 'constant' | 'gate' | 'output';

export interface GraphNode {
  id: number;
  kind: GraphNodeKind;
  /** Op name (`mul`, `dot`, `maximum`), or the input's name for leaves. */
  op: string;
  /** The variable the node's value was assigned to, when it was. */
  name: string | null;
  /** The gate pattern in the lecture's words: "mul: swaps the inputs' values into the gradients". */
  pattern: string;
  value: ValuePreview;
  grad: ValuePreview | null;
  span: SourceSpan | null;
  /** Ids of the nodes this gate reads. */
  inputs: number[];
  /** How many times this gate ran, when a loop body is folded into one node. */
  count: number;
  /** Ids of the executions folded into this node (loop bodies), for expanding it. */
  folded: number[];
  /** Value and gradient of each folded execution (the first 100), in order. */
  runs: { id: number; value: ValuePreview; grad: ValuePreview | null }[];
  /** Jacobian of output w.r.t. each input, row-major [out][in], for small nodes only. */
  jacobians: { input: number; rows: number; cols: number; values: number[] }[] | null;
  /** Status of a node tied to a mismatch or a failing check. */
  problem: 'mismatch' | 'fail' | null;
}

export interface GraphEdge {
  from: number;
  to: number;
  shape: number[];
}

export interface VariableInfo {
  name: string;
  /** Span of the assignment (or parameter) that bound this version. */
  span: SourceSpan;
  shape: readonly number[];
  dtype: DType;
  symbolicShape: string[] | null;
  /** Shape of dL/d(variable), or null if L does not depend on it. */
  gradShape: readonly number[] | null;
  /** One-line summaries for scalars. */
  scalarValue: number | null;
  scalarGrad: number | null;
}

export interface Report {
  ok: boolean;
  function: string | null;
  target: { kind: 'function'; name: string } | { kind: 'lines'; from: number; to: number };
  /** The output's elements in C order (one for a scalar). */
  output: { name: string | null; shape: number[]; value: Float64Array } | null;
  inputs: Record<string, ReportInput>;
  gradcheck: Record<string, GradCheckEntry>;
  mismatches: Mismatch[];
  errors: ReportError[];
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
  variables: VariableInfo[];
  /** Seed-style flat backward pass in NumPy, or null when it could not be generated. */
  backwardCode: string | null;
  /** Forward evaluations the gradient check used. */
  forwardPasses: number;
  /** Span of the analyzed function or selection. */
  span: SourceSpan | null;
}

/**
 * The Report with its arrays in buffers of its own, for posting to another thread. Its small arrays
 * are views into shared slabs of storage (src/core/storage.ts), and posting a view copies its
 * whole buffer: they are copied into one buffer together. Arrays that own their buffer stay.
 */
export function compactArrays(report: Report): Report {
  const owns = (a: Float64Array): boolean => a.byteOffset === 0 && a.buffer.byteLength === a.byteLength;
  const inputs = Object.values(report.inputs);
  const arrays = [report.output?.value, ...inputs.flatMap((i) => [i.value, i.grad])];
  let small = 0;
  for (const a of arrays) if (a && !owns(a)) small += a.length;
  const buffer = new Float64Array(small);
  let used = 0;
  const own = (a: Float64Array): Float64Array => {
    if (owns(a)) return a;
    const out = buffer.subarray(used, used + a.length);
    out.set(a);
    used += a.length;
    return out;
  };
  return {
    ...report,
    output: report.output && { ...report.output, value: own(report.output.value) },
    inputs: Object.fromEntries(inputs.map((i) => [i.name, { ...i, value: own(i.value), grad: i.grad && own(i.grad) }])),
  };
}

/** Flat C-order elements as nested lists of `shape` (a number for shape []), as JSON and NumPy write them. */
export function nestedValues(data: ArrayLike<number>, shape: readonly number[]): NestedNumbers {
  if (shape.length === 0) return data[0];
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d];
  }
  const build = (depth: number, offset: number): NestedNumbers[] => {
    const n = shape[depth];
    const out = new Array<NestedNumbers>(n);
    if (depth === shape.length - 1) for (let i = 0; i < n; i++) out[i] = data[offset + i];
    else for (let i = 0; i < n; i++) out[i] = build(depth + 1, offset + i * strides[depth]);
    return out;
  };
  return build(0, 0);
}
