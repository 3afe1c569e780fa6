// How the panel writes numbers, shapes and small arrays. Pure: no DOM, so it is unit-tested.
import type { ValuePreview } from '../src/analysis/report';
import { formatShape } from '../src/core/errors';

/** Four significant digits, micrograd's precision, without trailing zeros: 0.7311, -2, 17.73, 3.5e-9. */
export function formatNumber(value: number, significantDigits = 4): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  if (value === 0) return '0'; // also -0: a sign on zero only confuses a reader
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return formatExponential(value, significantDigits);
  const fixed = value.toPrecision(significantDigits);
  // toPrecision may itself switch to exponent form near the limits; fall back to ours.
  if (fixed.includes('e')) return formatExponential(value, significantDigits);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

function formatExponential(value: number, significantDigits: number): string {
  const [mantissa, exponent] = value.toExponential(significantDigits - 1).split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return `${trimmed}e${exponent.replace('+', '')}`;
}

/** Relative errors read in orders of magnitude: two significant digits, exponent form when small. */
export function formatRelError(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) < 1e-3) return formatExponential(value, 2);
  return formatNumber(value, 2);
}

export { formatShape };

/** A shape with its symbolic dims when the code named them: (N=4, C=3). */
export function formatSymbolicShape(shape: readonly number[], symbolic: readonly string[] | null): string {
  if (!symbolic || symbolic.length !== shape.length) return formatShape(shape);
  return formatShape(shape.map((size, i) => (symbolic[i] && symbolic[i] !== String(size) ? `${symbolic[i]}=${size}` : String(size))));
}

/** An element's index as NumPy writes it: [3, 2]; a scalar has the empty index []. */
export function formatIndex(index: readonly number[]): string {
  return `[${index.join(', ')}]`;
}

/**
 * A short one-line preview of an array given flat in C order with its shape: at most `maxItems`
 * numbers, the rest elided as NumPy's repr does with "…". Scalars print as themselves. Only the
 * numbers shown are read, so a preview of a million-element input costs as little as a small one.
 */
export function previewValues(data: ArrayLike<number>, shape: readonly number[], maxItems = 6): string {
  let budget = maxItems;
  const stride = (depth: number): number => shape.slice(depth + 1).reduce((n, d) => n * d, 1);
  const write = (depth: number, offset: number): string => {
    if (depth === shape.length) {
      budget--;
      return formatNumber(data[offset]);
    }
    const parts: string[] = [];
    for (let i = 0; i < shape[depth]; i++) {
      if (budget <= 0) {
        parts.push('…');
        break;
      }
      parts.push(write(depth + 1, offset + i * stride(depth)));
    }
    return `[${parts.join(', ')}]`;
  };
  return write(0, 0);
}

/** Values given flat as a rows × cols grid for heatmaps: vectors are one row, matrices as they are; else null. */
export function asMatrix(values: number[], shape: readonly number[]): { rows: number; cols: number; values: number[] } | null {
  if (shape.length === 0 || shape.length > 2) return null;
  const rows = shape.length === 1 ? 1 : shape[0];
  const cols = shape.length === 1 ? shape[0] : shape[1];
  if (values.length !== rows * cols || values.length === 0) return null;
  return { rows, cols, values };
}

/** The number a preview of shape [] holds, or null when it is an array or has no values. */
export function scalarOf(preview: ValuePreview): number | null {
  return preview.shape.length === 0 && preview.value !== null ? preview.value[0] : null;
}

/** "1 input", "3 mismatches": counts read as words. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
