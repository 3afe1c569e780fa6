// The hover over a name: its dtype and shape (symbolic and concrete) and the shape of dL/dname,
// from the variables of the function's last Report.
import type { Report, VariableInfo } from '../analysis/report';
import { formatNumber, shapeText } from './wording';

/** The version of `name` bound by the latest assignment at or before `line`; else its first. */
export function variableAt(report: Report, name: string, line: number): VariableInfo | null {
  const versions = report.variables.filter((v) => v.name === name);
  if (versions.length === 0) return null;
  const before = versions.filter((v) => v.span.line <= line);
  if (before.length === 0) return versions[0];
  return before.reduce((latest, v) => (v.span.line > latest.span.line || (v.span.line === latest.span.line && v.span.from >= latest.span.from) ? v : latest));
}

function shapeWords(v: VariableInfo): string {
  if (v.shape.length === 0) return '';
  const concrete = shapeText(v.shape);
  const symbolic = v.symbolicShape && v.symbolicShape.length === v.shape.length ? shapeText(v.symbolicShape) : null;
  return symbolic && symbolic !== concrete ? ` ${symbolic} = ${concrete}` : ` ${concrete}`;
}

/**
 * Two lines, e.g. `scores: float64 (N, C) = (4, 3)` and `∂L/∂scores: (4, 3)`; scalars also show
 * their value and gradient. Null when the Report does not know the name.
 */
export function hoverLines(report: Report, name: string, line: number): string[] | null {
  const v = variableAt(report, name, line);
  if (!v) return null;
  const value = v.scalarValue !== null ? ` = ${formatNumber(v.scalarValue)}` : '';
  const lines = [`${name}: ${v.dtype}${shapeWords(v)}${value}`];
  if (v.gradShape === null) lines.push(`∂L/∂${name}: L does not depend on ${name}`);
  else if (v.scalarGrad !== null && v.gradShape.length === 0) lines.push(`∂L/∂${name} = ${formatNumber(v.scalarGrad)}`);
  else lines.push(`∂L/∂${name}: ${shapeText(v.gradShape)}`);
  return lines;
}
