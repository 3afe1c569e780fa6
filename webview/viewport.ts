// Pan and zoom as plain arithmetic on a transform (screen = content * k + offset), so it is
// tested without a browser. The graph view applies it as an SVG `translate(x, y) scale(k)`.

export interface Transform {
  x: number;
  y: number;
  k: number;
}

export interface Size {
  width: number;
  height: number;
}

export const zoomLimits = { min: 0.1, max: 4 } as const;
/** Fitting never enlarges past this: a three-node graph should not fill the screen with huge text. */
export const maxFitScale = 1.25;

export function clampScale(k: number): number {
  return Math.min(zoomLimits.max, Math.max(zoomLimits.min, k));
}

/** The whole content centered in the view with `padding` pixels around it. */
export function fitTransform(content: Size, view: Size, padding = 12): Transform {
  if (content.width <= 0 || content.height <= 0 || view.width <= 0 || view.height <= 0) return { x: 0, y: 0, k: 1 };
  const k = clampScale(
    Math.min(maxFitScale, (view.width - 2 * padding) / content.width, (view.height - 2 * padding) / content.height),
  );
  return { x: (view.width - content.width * k) / 2, y: (view.height - content.height * k) / 2, k };
}

/** Below this scale 11px node text stops being readable. */
export const minReadableScale = 0.65;

/**
 * The view on load: the whole graph when it fits at a readable scale; otherwise the readable scale
 * showing `anchor` (the output, or the nodes with problems), the rest a drag or the Fit button
 * away. `align` puts the anchor at the view's right end (the output) or left end (problems, so
 * what they flow into follows them).
 */
export function readableFitTransform(
  content: Size,
  view: Size,
  anchor: { x: number; y: number; width: number; height: number },
  padding = 12,
  align: 'start' | 'end' = 'end',
): Transform {
  const fit = fitTransform(content, view, padding);
  if (fit.k >= minReadableScale) return fit;
  const k = minReadableScale;
  const wanted = align === 'end' ? view.width - padding - (anchor.x + anchor.width) * k : padding - anchor.x * k;
  // Never pan past the content's ends: no empty band beside the graph.
  const x = Math.min(padding, Math.max(view.width - padding - content.width * k, wanted));
  const height = content.height * k;
  if (height <= view.height - 2 * padding) return { x, y: (view.height - height) / 2, k };
  // Taller than the view: center the anchor, again without an empty band above or below.
  const centered = view.height / 2 - (anchor.y + anchor.height / 2) * k;
  return { x, y: Math.min(padding, Math.max(view.height - padding - height, centered)), k };
}

/** Zooms by `factor` keeping the content point under the screen point (px, py) where it is. */
export function zoomAt(t: Transform, factor: number, px: number, py: number): Transform {
  const k = clampScale(t.k * factor);
  const ratio = k / t.k;
  return { x: px - (px - t.x) * ratio, y: py - (py - t.y) * ratio, k };
}

export function panBy(t: Transform, dx: number, dy: number): Transform {
  return { x: t.x + dx, y: t.y + dy, k: t.k };
}

/** The smallest pan that brings a content rectangle fully into view (keyboard focus follows). */
export function panToShow(t: Transform, rect: { x: number; y: number; width: number; height: number }, view: Size, margin = 16): Transform {
  const left = rect.x * t.k + t.x;
  const top = rect.y * t.k + t.y;
  const right = left + rect.width * t.k;
  const bottom = top + rect.height * t.k;
  let dx = 0;
  let dy = 0;
  if (left < margin) dx = margin - left;
  else if (right > view.width - margin) dx = Math.max(margin - left, view.width - margin - right);
  if (top < margin) dy = margin - top;
  else if (bottom > view.height - margin) dy = Math.max(margin - top, view.height - margin - bottom);
  return panBy(t, dx, dy);
}

/** Wheel deltas to a zoom factor: one notch (100 px) is about 15%, trackpads give smaller steps. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.0015);
}

/**
 * The graph pane's height: tall enough to show the graph at the width's fitting (or the readable) scale, within
 * bounds, so a wide short graph does not leave an empty band and a tall one does not take the page.
 */
export function graphPaneHeight(content: Size, viewWidth: number, bounds: { min: number; max: number }): number {
  if (content.width <= 0) return bounds.min;
  const k = Math.min(maxFitScale, Math.max(minReadableScale, (viewWidth - 24) / content.width));
  return Math.ceil(Math.min(bounds.max, Math.max(bounds.min, content.height * k + 26)));
}
