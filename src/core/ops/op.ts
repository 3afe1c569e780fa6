import type { Tensor } from '../tensor';

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
  /** Gradient for each input given the output's gradient `g`; null where an input gets none. */
  vjp(g: Tensor, ans: Tensor, inputs: readonly Tensor[], attrs: A): (Tensor | null)[];
  /**
   * Which branch each element took (which side of a max won, the sign under an abs, a comparison's
   * outcome). A change between x-h and x+h marks a kink in the gradient check.
   */
  branches?(inputs: readonly Tensor[], ans: Tensor, attrs: A): Float64Array;
  /**
   * The output for new inputs, from the recorded inputs and output, when only a few elements changed
   * (the gradient check moves one element at a time); null when recomputing is as cheap.
   */
  update?(inputs: readonly Tensor[], recorded: readonly Tensor[], ans: Tensor, attrs: A): Tensor | null;
}

// Ops are stored in heterogeneous tables; attrs are checked by each op's own signature.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOp = Op<any>;
