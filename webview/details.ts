// The details pane of the selected node: op, gate pattern, value and gradient (numbers, or
// heatmaps for vectors and matrices), the local Jacobians, and the runs of a folded loop body.
import type { GraphNode, Report, ValuePreview } from '../src/analysis/report';
import { button, el } from './dom';
import { asMatrix, formatNumber, formatShape, plural, scalarOf } from './format';
import { ViewNode } from './graphModel';
import { heatmap } from './heatmap';
import { jacobianViews, nodeDisplayName } from './nodeDetails';

export interface DetailsCallbacks {
  onReveal(node: GraphNode): void;
  onToggleRuns(key: string): void;
}

const kindWords: Record<GraphNode['kind'], string> = { leaf: 'input', constant: 'constant', gate: 'gate', output: 'output' };

function valueBlock(label: string, preview: ValuePreview | null, name: string, emptyText: string): HTMLElement {
  const block = el('div', { className: 'gl-detail-block' }, el('h3', { text: label }));
  if (!preview) {
    block.appendChild(el('p', { className: 'gl-muted', text: emptyText }));
    return block;
  }
  if (preview.shape.length === 0) {
    const scalar = scalarOf(preview) ?? preview.mean;
    block.appendChild(el('p', { className: 'gl-big-number', text: formatNumber(scalar), title: String(scalar) }));
    return block;
  }
  const matrix = preview.value === null ? null : asMatrix(preview.value, preview.shape);
  block.appendChild(el('p', { className: 'gl-muted', text: `${formatShape(preview.shape)} ${preview.dtype}` }));
  if (matrix) block.appendChild(heatmap(matrix, { name, vector: preview.shape.length === 1 }));
  block.appendChild(
    el('p', {
      className: 'gl-stats',
      text: `min ${formatNumber(preview.min)} · mean ${formatNumber(preview.mean)} · max ${formatNumber(preview.max)}`,
    }),
  );
  return block;
}

function jacobianBlocks(node: GraphNode, graph: Report['graph']): HTMLElement | null {
  const jacobians = jacobianViews(node, graph);
  if (jacobians.length === 0) return null;
  const block = el('div', { className: 'gl-detail-block' }, el('h3', { text: 'Local Jacobian' }));
  for (const jacobian of jacobians) {
    block.appendChild(el('p', { className: 'gl-jacobian-caption', text: jacobian.caption }));
    if (jacobian.rows === 1 && jacobian.cols === 1) {
      block.appendChild(el('p', { className: 'gl-number', text: formatNumber(jacobian.values[0]) }));
      continue;
    }
    const axes = { rows: `elements of ${jacobian.outputName}`, cols: `elements of ${jacobian.inputName}` };
    block.appendChild(heatmap(jacobian, { name: jacobian.name, axes }));
  }
  return block;
}

/** One run's value: the number for a scalar, else its shape and range. */
function runText(preview: ValuePreview): string {
  const scalar = scalarOf(preview);
  if (scalar !== null && preview.shape.length === 0) return formatNumber(scalar);
  return `${formatShape(preview.shape)} in [${formatNumber(preview.min)}, ${formatNumber(preview.max)}]`;
}

function runsBlock(view: ViewNode, expanded: boolean, callbacks: DetailsCallbacks): HTMLElement | null {
  const node = view.node;
  if (view.count <= 1) return null;
  const constant = node.kind === 'constant';
  const summary = constant
    ? `The same constant, repeated ${view.count} times in a loop, drawn once.`
    : `A loop body: this gate ran ${view.count} times and is drawn once. The value and gradient above are from its last run.`;
  const block = el('div', { className: 'gl-detail-block' }, el('h3', { text: `Runs ×${view.count}` }), el('p', { text: summary }));
  const toggle = button(expanded ? 'Hide runs' : `Show ${plural(view.count, 'run')}`, () => callbacks.onToggleRuns(view.key), {
    className: 'gl-link-button',
    attrs: { 'aria-expanded': String(expanded) },
  });
  block.appendChild(toggle);
  if (expanded) {
    const list = el('ol', { className: 'gl-runs' });
    if (node.runs.length > 0) {
      // Each execution with its own value and gradient: a loop body unrolled.
      node.runs.forEach((run, i) => {
        const last = i === node.folded.length - 1;
        list.appendChild(el('li', { text: `run ${i + 1}: ${runText(run.value)}${run.grad ? ` | grad ${runText(run.grad)}` : ''}${last ? ' (shown)' : ''}` }));
      });
      if (node.folded.length > node.runs.length) list.appendChild(el('li', { text: `… ${node.folded.length - node.runs.length} more runs` }));
    } else {
      const ids = constant ? view.ids : node.folded;
      ids.forEach((id, i) => list.appendChild(el('li', { text: `run ${i + 1}: tape node #${id}` })));
    }
    block.appendChild(list);
  }
  return block;
}

export function renderDetails(
  view: ViewNode | null,
  report: Report,
  expandedRuns: ReadonlySet<string>,
  callbacks: DetailsCallbacks,
): HTMLElement {
  const pane = el('aside', { className: 'gl-details', attrs: { 'aria-label': 'Selected node', 'aria-live': 'polite' } });
  if (!view) {
    pane.appendChild(el('p', { className: 'gl-muted gl-details-empty', text: 'Select a node to see its value, gradient and local Jacobian. Hover a node to light its path to the output.' }));
    return pane;
  }
  const node = view.node;
  const name = nodeDisplayName(node);
  const heading = el(
    'div',
    { className: 'gl-details-heading' },
    el('h2', { text: node.kind === 'leaf' ? name : node.op }),
    node.kind !== 'leaf' && node.name ? el('span', { className: 'gl-details-name', text: node.name }) : null,
    el('span', { className: `gl-chip gl-chip--${node.kind}`, text: kindWords[node.kind] }),
  );
  pane.appendChild(heading);
  const line = node.span ? node.span.line : report.variables.find((v) => v.name === name)?.span.line;
  if (line !== undefined) pane.appendChild(button(`Line ${line}`, () => callbacks.onReveal(node), { className: 'gl-link-button', title: 'Show in the editor' }));
  if (node.problem) {
    const words = node.problem === 'mismatch' ? 'Your hand-written gradient for this value disagrees with autograd.' : 'The gradient check failed here.';
    pane.appendChild(el('p', { className: 'gl-problem-note', text: words }));
  }
  pane.appendChild(el('p', { className: 'gl-pattern', text: node.pattern }));
  pane.appendChild(valueBlock('Value', node.value, name, ''));
  const noGrad = node.kind === 'constant' ? 'A constant receives no gradient.' : 'No gradient flows here (not differentiable, or the output does not depend on it).';
  const gradName = node.name ?? (node.kind === 'leaf' ? node.op : null);
  const gradLabel = gradName ? `Gradient ∂L/∂${gradName}` : 'Gradient ∂L/∂(this gate’s output)';
  pane.appendChild(valueBlock(gradLabel, node.grad, `∂L/∂${name}`, noGrad));
  const jacobians = jacobianBlocks(node, report.graph);
  if (jacobians) pane.appendChild(jacobians);
  const runs = runsBlock(view, expandedRuns.has(view.key), callbacks);
  if (runs) pane.appendChild(runs);
  return pane;
}
