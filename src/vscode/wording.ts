// Small pieces of wording shared by the lens, the diagnostics and the hover.
import { formatNumber } from '../analysis/format';

export { formatNumber };

/** A shape as Python prints a tuple: "(4, 3)", "(3,)", "()"; symbolic dims too: "(N, C)". */
export { formatShape as shapeText } from '../core/errors';

/** A relative error as people read it: "3e-10", "0.42", "1". */
export function relErrorText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(0);
  return String(Number(value.toPrecision(2)));
}

/** The first line of a message, cut to `max` characters. */
export function shorten(message: string, max: number): string {
  const line = message.split('\n')[0].trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
