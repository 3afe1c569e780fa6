// Errors as the Report shows them: the user's (with their span) or GradLens's own.
import { UserCodeError } from '../core/errors';
import type { ReportError, SourceSpan } from './report';

export function toReportError(err: unknown, fallback: SourceSpan | null): ReportError {
  const span = (err instanceof UserCodeError ? err.span : null) ?? fallback ?? { from: 0, to: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  if (err instanceof UserCodeError) {
    return { message: err.message, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, kind: err.kind };
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return { message: 'the code nests too deeply to analyze (maximum recursion depth exceeded)', line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, kind: 'budget' };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: `GradLens internal error (not a problem in your code): ${message}`, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, kind: 'internal' };
}

