import type { SourceSpan } from './span';

export type ErrorKind =
  | 'syntax' | 'name' | 'unsupported' | 'shape' | 'index' | 'type' | 'value'
  | 'zero-division' | 'budget' | 'input' | 'runtime' | 'internal' | 'usage';

/**
 * The user's code is wrong (a shape error, an unknown name, an unsupported call).
 * Shown in the editor at its span; anything else thrown is GradLens's own bug.
 */
export class UserCodeError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    public span: SourceSpan | null = null,
  ) {
    super(message);
    this.name = 'UserCodeError';
  }
}

export function shapeError(message: string): UserCodeError {
  return new UserCodeError('shape', message);
}

/** NumPy's spelling of a shape: (), (4,), (4, 3); symbolic dims too: (N, C). */
export function formatShape(shape: readonly (number | string)[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
