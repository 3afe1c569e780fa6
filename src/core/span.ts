/** A range in the user's source: 1-based lines and columns, 0-based character offsets. */
export interface SourceSpan {
  from: number;
  to: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
