import { allocate } from '../storage';
import { DType, sizeOf, Tensor } from '../tensor';

/**
 * One differentiable operation, said once: how it computes its output, how it sends the output's
 * gradient back to each input (its vector-Jacobian product), the shape rule, and the lecture's
 * words for the pattern its gate follows.
 */
export interface Op<A = void> {
  readonly name: string;
  /** The gate pattern: "add: distributes the gradient to every input". */
  readonly pattern: string;
  /** Output shape from input shapes; throws a UserCodeError naming both shapes when they do not fit. */
  shape(inputs: readonly (readonly number[])[], attrs: A): number[];
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  /**
   * `forward`'s arithmetic set up once for inputs of these shapes and dtypes, without the shape
   * rule or the allocation: a replay runs it again and again into a buffer of its own. Ops that
   * have one compute `forward` through it.
   */
  kernel?(inputs: readonly Tensor[], attrs: A): Kernel;
  /**
   * Gradient for each input given the output's gradient `g`; null where an input gets none. With
   * `needed`, an op may also give null for an input whose entry is false (a constant operand).
   */
  vjp(g: Tensor, ans: Tensor, inputs: readonly Tensor[], attrs: A, needed?: readonly boolean[]): (Tensor | null)[];
  /**
   * Which branch each element took (which side of a max won, the sign under an abs, a comparison's
   * outcome). A change between x-h and x+h marks a kink in the gradient check.
   */
  branches?(inputs: readonly Tensor[], ans: Tensor, attrs: A): Float64Array;
  /**
   * For a replay that moved a few input elements (the gradient check moves one at a time): writes
   * the output elements that the moved positions of each input reach (`moved[k]`, distinct
   * positions, null where input k did not move) into `out`, which holds the recorded output, from `inputs` as they are now
   * (`recorded`: as they were). Returns the positions written (each once), or null when this op cannot tell
   * (the replay then runs `forward`). Each element comes out as `forward` computes it, bit for
   * bit, except where an op says otherwise.
   */
  propagate?(inputs: readonly Tensor[], moved: readonly (readonly number[] | null)[], out: Float64Array, attrs: A, recorded: readonly Tensor[]): readonly number[] | null;
}

/** The inputs' data in, every element of the output (`out`, of the output's size) written. */
export type Kernel = (inputs: readonly Float64Array[], out: Float64Array) => void;

/** `forward` through the op's kernel: the output of `shape` and `dtype`, computed into new storage. */
export function runKernel(kernel: Kernel, inputs: readonly Tensor[], shape: readonly number[], dtype: DType): Tensor {
  const out = allocate(sizeOf(shape));
  const data = new Array<Float64Array>(inputs.length);
  for (let k = 0; k < inputs.length; k++) data[k] = inputs[k].data;
  kernel(data, out);
  return new Tensor(out, shape, dtype);
}

/**
 * Past an eighth of an array's elements, or in an array too small to bother, a replay recomputes
 * the whole array: following positions one by one then costs more than a pass of its own loop.
 */
export function tooManyToFollow(count: number, size: number): boolean {
  return size < 64 || count > size / 8;
}

// Ops are stored in heterogeneous tables; attrs are checked by each op's own signature.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOp = Op<any>;
