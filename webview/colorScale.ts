// The diverging color scale of the heatmaps: 0 is the background, negatives lean to one theme
// color and positives to another, so a gradient's sign reads at a glance. Pure: returns CSS text.

export type Side = 'negative' | 'zero' | 'positive';

export interface ScaleColor {
  side: Side;
  /** 0 (the background) .. 1 (the full theme color). */
  strength: number;
}

/** The largest magnitude, the scale's end on both sides (symmetric so 0 stays in the middle). */
export function symmetricLimit(values: readonly number[]): number {
  let limit = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > limit) limit = Math.abs(v);
  return limit;
}

export function scaleColor(value: number, limit: number): ScaleColor {
  if (!Number.isFinite(value)) return { side: value > 0 ? 'positive' : 'negative', strength: 1 };
  if (value === 0 || limit === 0) return { side: 'zero', strength: 0 };
  const strength = Math.min(1, Math.abs(value) / limit);
  return { side: value > 0 ? 'positive' : 'negative', strength };
}

/**
 * The CSS color for a value: the theme's chart color mixed into the editor background.
 * The --gl-heat-* variables are defined in styles.css from --vscode-* theme colors.
 */
export function heatColor(value: number, limit: number): string {
  const { side, strength } = scaleColor(value, limit);
  if (side === 'zero') return 'var(--gl-heat-zero)';
  // A floor keeps tiny nonzero values distinguishable from an exact 0.
  const percent = Math.round((0.08 + 0.92 * strength) * 100);
  return `color-mix(in srgb, var(--gl-heat-${side}) ${percent}%, var(--gl-heat-zero))`;
}

/** Stops of the legend bar, from -limit through 0 to +limit. */
export function legendGradient(limit: number): string {
  if (limit === 0) return 'var(--gl-heat-zero)';
  const stops = [-1, -0.5, 0, 0.5, 1].map((t, i) => `${heatColor(t * limit, limit)} ${i * 25}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
