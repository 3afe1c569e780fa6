// The Report as the CLI prints it: the JSON contract, and a table for people.
import { formatShape } from '../core/errors';
import { nestedValues, type Report } from './report';

/** The CLI's JSON contract: the Report's fields that scripts rely on. */
export function toCliJson(report: Report) {
  return {
    ok: report.ok,
    function: report.function,
    output: report.output && { name: report.output.name, shape: report.output.shape, value: nestedValues(report.output.value, report.output.shape) },
    inputs: Object.fromEntries(Object.entries(report.inputs).map(([name, i]) => [name, { shape: i.shape, dtype: i.dtype, value: nestedValues(i.value, i.shape), grad: i.grad && nestedValues(i.grad, i.shape), source: i.source }])),
    gradcheck: report.gradcheck,
    mismatches: report.mismatches,
    errors: report.errors.map((e) => ({ message: e.message, line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, kind: e.kind })),
    forwardPasses: report.forwardPasses,
  };
}


export function formatNumber(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(6))) : v.toExponential(1);
}

function pad(s: string, n: number): string {
  // eslint-disable-next-line no-control-regex
  const visible = s.replace(/\x1b\[[0-9;]*m/g, '').length;
  return s + ' '.repeat(Math.max(0, n - visible));
}

export function formatReport(report: Report, { color, file }: { color: boolean; file: string }): string {
  const paint = (code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const red = (s: string): string => paint('31', s), green = (s: string): string => paint('32', s);
  const yellow = (s: string): string => paint('33', s), bold = (s: string): string => paint('1', s);
  const lines: string[] = [];
  const what = report.target.kind === 'function' ? `${report.target.name}()` : `lines ${report.target.from}-${report.target.to}`;
  lines.push(bold(`GradLens · ${file} · ${what}`));
  for (const m of report.mismatches) {
    lines.push(red(m.kind === 'shape'
      ? `✗ line ${m.line}: ${m.name} has shape ${formatShape(m.actualShape)} but ${m.target} is ${formatShape(m.expectedShape)}`
      : `✗ line ${m.line}: ${m.name} disagrees with autograd's d/d${m.target} (max rel err ${formatNumber(m.maxRelError)})`));
  }
  for (const e of report.errors) lines.push(red(`✗ line ${e.line}:${e.column}: ${e.message}`));
  if (report.output) {
    const { shape, value } = report.output;
    lines.push(`output ${report.output.name ?? ''}: ${shape.length === 0 ? formatNumber(value[0]) : formatShape(shape)}`);
  }
  const names = Object.keys(report.inputs);
  if (names.length) {
    lines.push('', bold(`${pad('input', 12)}${pad('shape', 12)}${pad('from', 11)}${pad('check', 8)}${pad('max rel err', 13)}worst element`));
    for (const name of names) {
      const input = report.inputs[name];
      const check = report.gradcheck[name];
      const status = !check ? '' : check.status === 'pass' ? green('pass') : check.status === 'warn' ? yellow('warn') : check.status === 'kink' ? yellow('kink') : red('fail');
      const worst = check?.worst && check.status !== 'pass'
        ? `[${check.worst.index.join(', ')}] analytic ${formatNumber(check.worst.analytic)} numeric ${formatNumber(check.worst.numeric)}`
        : check && check.kinks.length ? `kinks at ${check.kinks.slice(0, 3).map((k) => `[${k.join(', ')}]`).join(' ')}` : '';
      const grad = input.grad && input.shape.length === 0 ? `  ∂L/∂${name} = ${formatNumber(input.grad[0])}` : '';
      lines.push(`${pad(name, 12)}${pad(formatShape(input.shape), 12)}${pad(input.source, 11)}${pad(status, 8)}${pad(check ? formatNumber(check.maxRelError) : '', 13)}${worst}${grad}`);
    }
  }
  if (report.forwardPasses) lines.push('', `gradient check: ${report.forwardPasses} forward passes`);
  lines.push(report.ok ? green('✓ gradients OK') : red('✗ problems found'));
  return lines.join('\n') + '\n';
}
