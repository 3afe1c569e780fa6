// The host trusts nothing the panel sends: each message is checked against the protocol and,
// for `reveal`, against the document it points into.
import type { Target } from '../analysis/analyze';
import type { PanelState, PanelToHost } from './protocol';

/** What the host knows of the document: its line count and each line's length (0-based index). */
export interface DocumentShape {
  lineCount: number;
  lineLength(zeroBasedLine: number): number;
}

const isPositiveInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/**
 * A valid panel message, or null to ignore it. A reveal must name 1-based integer positions inside
 * the document (a column may point just past a line's last character), start before it ends.
 */
export function parsePanelMessage(raw: unknown, document: DocumentShape): PanelToHost | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'ready': return { type: 'ready' };
    case 'rerun': return { type: 'rerun' };
    case 'reveal': {
      const { line, column, endLine, endColumn } = message;
      if (!isPositiveInteger(line) || !isPositiveInteger(column) || !isPositiveInteger(endLine) || !isPositiveInteger(endColumn)) return null;
      if (endLine > document.lineCount || line > endLine || (line === endLine && column > endColumn)) return null;
      if (column > document.lineLength(line - 1) + 1 || endColumn > document.lineLength(endLine - 1) + 1) return null;
      return { type: 'reveal', line, column, endLine, endColumn };
    }
    default: return null;
  }
}

function isTarget(raw: unknown): raw is Target {
  if (typeof raw !== 'object' || raw === null) return false;
  const t = raw as Record<string, unknown>;
  if (t.kind === 'function') return typeof t.name === 'string' && /^[A-Za-z_]\w*$/.test(t.name);
  return t.kind === 'lines' && isPositiveInteger(t.from) && isPositiveInteger(t.to) && t.from <= t.to;
}

/** The state a restored panel saved, or null when it is not one GradLens wrote. */
export function parsePanelState(raw: unknown): PanelState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { uri, target } = raw as Record<string, unknown>;
  if (typeof uri !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(uri) || !isTarget(target)) return null;
  return { uri, target: target.kind === 'function' ? { kind: 'function', name: target.name } : { kind: 'lines', from: target.from, to: target.to } };
}
