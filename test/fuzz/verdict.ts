// What a fuzzed analyze() call must satisfy, shared by the generated programs and the mutated files:
// a Report, JSON-serializable, whose errors point at a real line and column and are the user's (never
// 'internal'), and, for programs known to be smooth, no gradient check that fails.
import type { Report } from '../../src/analysis/report';

export type ProblemKind =
  /** analyze() threw, or reported an 'internal' error: GradLens itself failed. */
  | 'crash'
  /** An error with a line or column outside the file. */
  | 'bad-position'
  /** A gradient check 'fail' on a smooth program: autograd disagrees with central differences. */
  | 'wrong-gradient'
  /**
   * A gradient check 'fail' where autograd and central differences differ by no more than the
   * differences' own rounding noise: the true gradient is 0 or tiny (a false alarm of the checker).
   */
  | 'gradcheck-noise'
  /** analyze() took longer than the hang limit despite its budget. */
  | 'hang'
  /** A Report that breaks its own contract (no output and no error, not serializable, missing checks). */
  | 'malformed-report'
  /** Real NumPy computes another value, or accepts code GradLens rejects, or rejects code GradLens accepts. */
  | 'numpy-divergence'
  /** GradLens and NumPy both reject the code, at different lines. */
  | 'error-line'
  /** A function and its body analyzed as a line range disagree (value, gradients or errors). */
  | 'lines-divergence'
  /** CPython's compile() and GradLens disagree on whether the file has a syntax error. */
  | 'syntax-divergence';

export interface Problem {
  kind: ProblemKind;
  detail: string;
}

/** Wall time past which one analyze() call counts as a hang, whatever its budget says. */
export const HANG_MILLIS = 5_000;

/** Lines as an editor counts them (any of \r\n, \r, \n ends a line), or as GradLens does (\n only). */
export function lineCount(source: string): number {
  return Math.max(source.split(/\r\n|\r|\n/).length, source.split('\n').length);
}

export interface VerdictOptions {
  /** The program is smooth at its inputs: a 'fail' status is an engine bug. */
  gradcheck: boolean;
}

export function reportProblems(report: Report, source: string, options: VerdictOptions): Problem[] {
  const problems: Problem[] = [];
  const lines = lineCount(source);
  for (const e of report.errors) {
    const where = `line ${e.line}, column ${e.column}`;
    if (e.kind === 'internal') problems.push({ kind: 'crash', detail: `internal error at ${where}: ${e.message}` });
    if (!(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines + 1) || !(Number.isInteger(e.column) && e.column >= 1)) {
      problems.push({ kind: 'bad-position', detail: `${e.kind} error at ${where} in a file of ${lines} lines: ${e.message}` });
    }
  }
  try {
    JSON.stringify(report);
  } catch (err) {
    problems.push({ kind: 'malformed-report', detail: `the Report is not JSON-serializable: ${String(err)}` });
  }
  if (report.errors.length === 0 && report.output === null) {
    problems.push({ kind: 'malformed-report', detail: 'no output and no error' });
  }
  if (options.gradcheck && report.errors.length === 0) {
    for (const [name, input] of Object.entries(report.inputs)) {
      if (input.dtype !== 'float64') continue;
      const check = report.gradcheck[name];
      if (!check) {
        problems.push({ kind: 'malformed-report', detail: `float input ${name} has no gradient check` });
        continue;
      }
      if (check.status === 'fail') {
        const w = check.worst;
        const worst = w ? ` worst element ${JSON.stringify(w.index)}: autograd ${w.analytic}, central differences ${w.numeric}` : '';
        const noise = w !== null && check.directional === null && Math.abs(w.analytic - w.numeric) <= roundingNoise(report);
        problems.push({ kind: noise ? 'gradcheck-noise' : 'wrong-gradient', detail: `gradcheck of ${name} fails: max relative error ${check.maxRelError.toExponential(3)}${worst}${check.directional ? `, directional ${check.directional.maxRelError.toExponential(3)}` : ''}` });
      }
    }
  }
  return problems;
}

/**
 * How far central differences with h = 1e-6 can be off from rounding alone: each evaluation of f
 * carries errors of a few ulps of the largest value computed on the way, divided by 2h. Generous by
 * a factor of ~100, so that only differences far above it count as autograd's.
 */
function roundingNoise(report: Report): number {
  let scale = 1;
  for (const node of report.graph.nodes) scale = Math.max(scale, Math.abs(node.value.min), Math.abs(node.value.max));
  return 1e-7 * scale;
}

/** One line per problem, for assertion messages and the campaign's summary. */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.kind}: ${p.detail}`).join('\n');
}
