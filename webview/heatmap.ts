// Matrices as heatmaps in the details pane: a grid of cells on the diverging scale, each value in
// its cell's title (and written in the cell when the matrix is small), with a legend.
import { heatColor, legendGradient, scaleColor, symmetricLimit } from './colorScale';
import { el } from './dom';
import { formatIndex, formatNumber } from './format';

export interface Matrix {
  rows: number;
  cols: number;
  values: readonly number[];
}

export interface HeatmapOptions {
  /** Label for the tooltip: "dL/dW" gives "dL/dW[1, 2] = 0.3". */
  name: string;
  /** Index each cell as a vector (one row) or a matrix. */
  vector?: boolean;
  /** Row and column headings, e.g. Jacobian rows are outputs, columns are inputs. */
  axes?: { rows: string; cols: string };
}

/** Numbers inside the cells only while they stay legible. */
const maxColsWithText = 6;
/** Above this strength a cell's number is written in the background color. */
const strongCell = 0.7;

export function heatmap(matrix: Matrix, options: HeatmapOptions): HTMLElement {
  const limit = symmetricLimit(matrix.values);
  const withText = matrix.cols <= maxColsWithText && matrix.rows <= 12;
  const grid = el('div', {
    className: `gl-heatmap-grid${withText ? ' gl-heatmap-grid--text' : ''}`,
    attrs: { role: 'img', 'aria-label': `${options.name}: ${matrix.rows} by ${matrix.cols} heatmap` },
  });
  grid.style.gridTemplateColumns = `repeat(${matrix.cols}, ${withText ? 'minmax(3.2em, max-content)' : '14px'})`;
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < matrix.cols; c++) {
      const value = matrix.values[r * matrix.cols + c];
      const index = options.vector ? [c] : [r, c];
      const cell = el('div', { className: 'gl-heatmap-cell', title: `${options.name}${formatIndex(index)} = ${formatNumber(value, 6)}` });
      cell.style.backgroundColor = heatColor(value, limit);
      if (withText) {
        cell.textContent = formatNumber(value, 3);
        // On a saturated cell the background color reads better than the foreground, in any theme.
        if (scaleColor(value, limit).strength > strongCell) cell.classList.add('gl-heatmap-cell--strong');
      }
      grid.appendChild(cell);
    }
  }
  const figure = el('figure', { className: 'gl-heatmap' });
  if (options.axes) figure.appendChild(el('figcaption', { className: 'gl-heatmap-axes', text: `rows: ${options.axes.rows} · columns: ${options.axes.cols}` }));
  figure.append(grid, legend(limit));
  return figure;
}

export function legend(limit: number): HTMLElement {
  const bar = el('div', { className: 'gl-legend-bar', attrs: { 'aria-hidden': 'true' } });
  bar.style.backgroundImage = legendGradient(limit);
  return el(
    'div',
    { className: 'gl-legend' },
    el('span', { className: 'gl-legend-end', text: formatNumber(-limit, 3) }),
    bar,
    el('span', { className: 'gl-legend-end', text: limit === 0 ? '0' : `+${formatNumber(limit, 3)}` }),
  );
}
