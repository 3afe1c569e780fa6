// The "Gradient check" code lens title: the first problem of a checked Report, or its verdict.
import type { GradCheckEntry, Report } from '../analysis/report';
import { shapeText, relErrorText, shorten } from './wording';

export const idleLensTitle = 'Gradient check';
export const runningLensTitle = '$(sync~spin) Checking gradients…';

/** The worst relative error a check saw: autograd's, the user's gradient's, and the directional one. */
function worstError(entry: GradCheckEntry): number {
  return Math.max(entry.maxRelError, entry.userGradient?.maxRelError ?? 0, entry.directional?.maxRelError ?? 0);
}

/** Every problem of a Report in the words of a lens, most important first. */
export function problemTitles(report: Report): string[] {
  const titles: string[] = [];
  // An error stops the run, so what follows it was never computed: it leads.
  for (const e of report.errors) titles.push(`✗ line ${e.line}: ${shorten(e.message, 60)}`);
  for (const m of report.mismatches) {
    titles.push(m.kind === 'shape'
      ? `✗ ${m.name}: shape ${shapeText(m.actualShape)} but ${m.target} is ${shapeText(m.expectedShape)}`
      : `✗ ${m.name}: value mismatch (rel err ${relErrorText(m.maxRelError)})`);
  }
  const checks = Object.entries(report.gradcheck);
  for (const [name, c] of checks) if (c.status === 'fail') titles.push(`✗ ${name}: gradient check failed (rel err ${relErrorText(c.maxRelError)})`);
  for (const [name, c] of checks) if (c.status === 'warn') titles.push(`⚠ ${name}: rel err ${relErrorText(worstError(c))} (borderline)`);
  return titles;
}

export function checkLensTitle(report: Report | null, running: boolean): string {
  if (running) return runningLensTitle;
  if (!report) return idleLensTitle;
  const problems = problemTitles(report);
  if (problems.length > 0) return problems.length === 1 ? problems[0] : `${problems[0]} (+${problems.length - 1} more)`;
  const checks = Object.values(report.gradcheck);
  if (checks.length === 0) return '✓ no problems found';
  const worst = Math.max(...checks.map(worstError));
  const kinks = checks.reduce((n, c) => n + c.kinks.length, 0);
  return `✓ gradients OK · max rel err ${relErrorText(worst)}${kinks > 0 ? ` · ${kinks} kink${kinks === 1 ? '' : 's'}` : ''}`;
}
