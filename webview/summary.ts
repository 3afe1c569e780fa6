// What the status line and the tables say about a Report, as plain strings: the DOM layer only
// places them. Pure, so the wording and numbers are unit-tested.
import type { CheckStatus, GradCheckEntry, GraphNode, Mismatch, Report, ReportError, ReportInput, SourceSpan } from '../src/analysis/report';
import type { PanelToHost } from '../src/vscode/protocol';
import { formatIndex, formatNumber, formatRelError, formatShape, formatSymbolicShape, plural, previewValues } from './format';

export type Tone = 'ok' | 'warn' | 'problem';

/** "L = 0.7311"; a non-scalar output shows its shape and the first values. */
export function outputSummary(report: Report): string | null {
  if (!report.output) return null;
  const name = report.output.name ?? 'output';
  const { shape, value } = report.output;
  if (shape.length === 0) return `${name} = ${formatNumber(value[0])}`;
  return `${name} ${formatShape(shape)} = ${previewValues(value, shape, 4)}`;
}

function worstCheck(report: Report): { name: string; entry: GradCheckEntry } | null {
  let worst: { name: string; entry: GradCheckEntry } | null = null;
  for (const [name, entry] of Object.entries(report.gradcheck)) {
    if (!worst || entry.maxRelError > worst.entry.maxRelError) worst = { name, entry };
  }
  return worst;
}

/** The one-line verdict beside the output value. */
export function verdict(report: Report): { tone: Tone; text: string } {
  const checks = Object.entries(report.gradcheck);
  const failed = checks.filter(([, c]) => c.status === 'fail').map(([name]) => name);
  const problems: string[] = [];
  if (report.errors.length > 0) {
    const first = report.errors[0];
    problems.push(`${plural(report.errors.length, 'error')}, first ${errorKindLabel(first)} at line ${first.line}`);
  }
  if (report.mismatches.length > 0) {
    const first = report.mismatches[0];
    problems.push(`${plural(report.mismatches.length, 'gradient mismatch', 'gradient mismatches')}, first ${first.name} at line ${first.line}`);
  }
  if (failed.length > 0) problems.push(`gradient check failed for ${failed.join(', ')}`);
  if (problems.length > 0) return { tone: 'problem', text: `✗ ${problems.join(' · ')}` };
  const worst = worstCheck(report);
  if (!worst) return { tone: report.ok ? 'ok' : 'problem', text: report.ok ? '✓ no float inputs to check' : '✗ analysis did not finish' };
  const relErr = `max rel err ${formatRelError(worst.entry.maxRelError)}`;
  const kinks = checks.filter(([, c]) => c.status === 'kink').map(([name]) => name);
  const warned = checks.filter(([, c]) => c.status === 'warn').map(([name]) => name);
  if (warned.length > 0) return { tone: 'warn', text: `⚠ gradient check is borderline for ${warned.join(', ')} (${relErr})` };
  const kinkNote = kinks.length > 0 ? ` · kinks in ${kinks.join(', ')} (not failures)` : '';
  return { tone: 'ok', text: `✓ gradients check out: ${plural(checks.length, 'input')}, ${relErr}${kinkNote}` };
}

export const statusWords: Record<CheckStatus, string> = { pass: '✓ pass', warn: '⚠ warn', fail: '✗ fail', kink: '◇ kink' };

export interface InputRow {
  name: string;
  shape: string;
  dtype: string;
  source: string;
  value: string;
  grad: string;
  status: CheckStatus | null;
  maxRelError: string;
}

export function inputRows(report: Report): InputRow[] {
  return Object.values(report.inputs).map((input: ReportInput): InputRow => {
    const check = report.gradcheck[input.name] ?? null;
    return {
      name: input.name,
      shape: formatSymbolicShape(input.shape, input.symbolicShape),
      dtype: input.dtype,
      source: input.source,
      value: previewValues(input.value, input.shape),
      grad: input.grad === null ? '—' : previewValues(input.grad, input.shape),
      status: check ? check.status : null,
      maxRelError: check ? formatRelError(check.maxRelError) : '—',
    };
  });
}

/** What a click on an input row unfolds: how it was checked, the worst element, the kinks. */
export function checkDetails(name: string, entry: GradCheckEntry): string[] {
  const lines: string[] = [];
  lines.push(
    entry.mode === 'full'
      ? `Full check: ${plural(entry.checked, 'element')} by central differences.`
      : `Sampled check: ${plural(entry.checked, 'element')} by central differences.`,
  );
  if (entry.directional) {
    lines.push(`Directional checks ⟨∇f, v⟩: ${entry.directional.count}, max rel err ${formatRelError(entry.directional.maxRelError)}.`);
  }
  if (entry.worst) {
    const w = entry.worst;
    const at = w.index.length > 0 ? `${name}${formatIndex(w.index)}` : name;
    lines.push(`Worst element ${at}: autograd ${formatNumber(w.analytic, 6)}, finite differences ${formatNumber(w.numeric, 6)}, rel err ${formatRelError(w.relError)}.`);
  }
  if (entry.kinks.length > 0) {
    const shown = entry.kinks.slice(0, 8).map(formatIndex).join(', ');
    const more = entry.kinks.length > 8 ? ` and ${entry.kinks.length - 8} more` : '';
    lines.push(`Kinks at ${shown}${more}: a max/relu/abs/where branch flips within ±h there, so the check is reported, not failed.`);
  }
  if (entry.userGradient) {
    const { name: userName, maxRelError } = entry.userGradient;
    lines.push(`Your gradient ${userName} against finite differences: max rel err ${formatRelError(maxRelError)}.`);
  }
  return lines;
}

export interface MismatchRow {
  kind: Mismatch['kind'];
  name: string;
  target: string;
  line: number;
  detail: string;
}

export function mismatchRows(report: Report): MismatchRow[] {
  return report.mismatches.map((m) => ({
    kind: m.kind,
    name: m.name,
    target: m.target,
    line: m.line,
    detail:
      m.kind === 'shape'
        ? `${m.name} has shape ${formatShape(m.actualShape)} but ${m.target} is ${formatShape(m.expectedShape)}`
        : `max rel err ${formatRelError(m.maxRelError)} against autograd, shape ${formatShape(m.expectedShape)}`,
  }));
}

type Reveal = Extract<PanelToHost, { type: 'reveal' }>;

function revealSpan(span: Pick<SourceSpan, 'line' | 'column' | 'endLine' | 'endColumn'>): Reveal {
  return { type: 'reveal', line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

/** The whole line, as far as the panel knows it: the start of the line (the host reveals it). */
function revealLine(line: number): Reveal {
  return { type: 'reveal', line, column: 1, endLine: line, endColumn: 1 };
}

/** Where clicking a node takes the editor: its span, else (an input of flat code) where its name was bound. */
export function revealForNode(report: Report, node: GraphNode): Reveal | null {
  if (node.span) return revealSpan(node.span);
  const name = node.name ?? (node.kind === 'leaf' ? node.op : null);
  const variable = name ? report.variables.find((v) => v.name === name) : undefined;
  return variable ? revealSpan(variable.span) : null;
}

/** A mismatch's line; the assignment's own span when the variables list has it on that line. */
export function revealForMismatch(report: Report, mismatch: Pick<Mismatch, 'name' | 'line'>): Reveal {
  const variable = report.variables.find((v) => v.name === mismatch.name && v.span.line === mismatch.line);
  return variable ? revealSpan(variable.span) : revealLine(mismatch.line);
}

export function revealForError(error: ReportError): Reveal {
  return revealSpan(error);
}

/** Words for an error's kind, shown as its tag. */
export function errorKindLabel(error: ReportError): string {
  return error.kind === 'internal' ? 'GradLens internal error' : `${error.kind} error`;
}
