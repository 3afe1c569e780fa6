// The Problems-panel entries of a Report, at the user's line: forward errors and mismatches as
// errors, borderline checks as warnings, kinks as information. Only what is the user's to fix.
import type { ErrorKind, Report, SourceSpan } from '../analysis/report';
import { shapeText, relErrorText } from './wording';

export type ProblemSeverity = 'error' | 'warning' | 'information';

/** 1-based lines and columns; the end column is exclusive (as in ReportError). */
export interface Problem {
  severity: ProblemSeverity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The error kind, `mismatch`, or the check status. */
  code: string;
}

export interface ProblemContext {
  /** Inputs GradLens guessed from usage: an error they lead to may be GradLens's guess, not the code. */
  guessedInputs: readonly string[];
  /** The text of a 1-based line, to place a mismatch on its code rather than its indentation. */
  lineText(line: number): string | undefined;
}

/**
 * Errors that are not the user's bug: inputs GradLens cannot infer, its own failures, and budgets
 * (a big model that needs more time is not wrong).
 */
const notTheUsersBug: ReadonlySet<ErrorKind> = new Set(['input', 'usage', 'internal', 'budget']);

function lineRange(line: number, text: string | undefined): Pick<Problem, 'line' | 'column' | 'endLine' | 'endColumn'> {
  if (text === undefined) return { line, column: 1, endLine: line, endColumn: 1 };
  const start = text.length - text.trimStart().length;
  return { line, column: start + 1, endLine: line, endColumn: Math.max(text.trimEnd().length, start) + 1 };
}

function spanRange(span: SourceSpan): Pick<Problem, 'line' | 'column' | 'endLine' | 'endColumn'> {
  return { line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

export function problemsOf(report: Report, context: ProblemContext): Problem[] {
  const problems: Problem[] = [];
  const guessed = context.guessedInputs.length > 0;
  for (const e of report.errors) {
    if (notTheUsersBug.has(e.kind)) continue;
    // With guessed inputs only a syntax error is surely the code's; the rest waits for an explicit run.
    if (guessed && e.kind !== 'syntax') continue;
    problems.push({ severity: 'error', message: e.message, line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, code: e.kind });
  }
  for (const m of report.mismatches) {
    const message = m.kind === 'shape'
      ? `${m.name} has shape ${shapeText(m.actualShape)} but ${m.target} is ${shapeText(m.expectedShape)}: a gradient has the shape of its variable`
      : `${m.name} disagrees with autograd's ∂L/∂${m.target} (max rel err ${relErrorText(m.maxRelError)})`;
    // The statement that last assigned the gradient; older Reports name only its line.
    const range = m.span ? spanRange(m.span) : lineRange(m.line, context.lineText(m.line));
    problems.push({ severity: 'error', message, ...range, code: 'mismatch' });
  }
  for (const [name, check] of Object.entries(report.gradcheck)) {
    const at = report.variables.find((v) => v.name === name)?.span ?? report.span;
    if (!at) continue;
    const range = spanRange(at.line === at.endLine ? at : { ...at, endLine: at.line, endColumn: (context.lineText(at.line)?.length ?? 0) + 1 });
    const error = relErrorText(check.maxRelError);
    if (check.status === 'fail') {
      problems.push({ severity: 'error', message: `gradient check of ${name} failed: autograd and finite differences disagree (max rel err ${error})`, ...range, code: 'fail' });
    } else if (check.status === 'warn') {
      problems.push({ severity: 'warning', message: `gradient check of ${name} is borderline (max rel err ${error})`, ...range, code: 'warn' });
    } else if (check.status === 'kink') {
      const where = check.kinks.slice(0, 3).map((k) => `${name}[${k.join(', ')}]`).join(', ');
      problems.push({ severity: 'information', message: `the gradient check of ${name} crossed a kink (a max/relu/abs/where branch flips) at ${where}${check.kinks.length > 3 ? ', …' : ''}; max rel err ${error} there is expected`, ...range, code: 'kink' });
    }
  }
  return problems;
}

/** Each problem once: a mismatch found through a forward/backward pair may come from several Reports. */
export function uniqueProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.line}:${p.column}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The problems of several Reports of one document. */
export function documentProblems(entries: readonly { report: Report; guessedInputs: readonly string[] }[], lineText: (line: number) => string | undefined): Problem[] {
  return uniqueProblems(entries.flatMap(({ report, guessedInputs }) => problemsOf(report, { guessedInputs, lineText })));
}
