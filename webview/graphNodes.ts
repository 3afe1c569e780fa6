// Draws one gate box and one edge of the graph in SVG, from the sizes graphModel decided.
import { heatColor, symmetricLimit } from './colorScale';
import { svg, svgText } from './dom';
import { nodeMetrics, recordCellWidths, TensorPreview, textWidth, ViewNode } from './graphModel';
import { edgePath, PlacedEdge, PlacedNode } from './layout';

const m = nodeMetrics;

function nodeLabel(node: ViewNode): string {
  const body = node.body;
  const name = node.subtitle && node.subtitle !== 'input' ? `${node.title} ${node.subtitle}` : node.title;
  const kind = node.node.kind === 'gate' ? 'gate' : node.node.kind === 'leaf' ? 'input' : node.node.kind;
  const runs = node.count > 1 ? `, ran ${node.count} times` : '';
  const problem = node.node.problem ? `, problem: ${node.node.problem}` : '';
  if (body.kind === 'record') return `${kind} ${name}: data ${body.data}, grad ${body.grad ?? 'none'}${runs}${problem}`;
  if (body.kind === 'tensor') return `${kind} ${name}: shape ${body.shape}${runs}${problem}`;
  return `constant ${node.subtitle ?? ''} ${body.text}${runs}`;
}

function drawPreview(preview: TensorPreview, label: string, x: number, y: number, name: string): SVGGElement {
  const group = svg('g', { class: 'gl-preview', transform: `translate(${x},${y})` });
  group.appendChild(svgText(label, { class: 'gl-muted', x: 0, y: m.previewLabelHeight - 3 }));
  if (preview.kind === 'range') {
    group.appendChild(svgText(preview.text, { x: 0, y: 2 * m.previewLabelHeight - 3 }));
    return group;
  }
  const limit = symmetricLimit(preview.values);
  const size = preview.cellSize;
  for (let r = 0; r < preview.rows; r++) {
    for (let c = 0; c < preview.cols; c++) {
      const cell = svg('rect', { class: 'gl-cell', x: c * size, y: m.previewLabelHeight + r * size, width: size, height: size });
      cell.style.fill = heatColor(preview.values[r * preview.cols + c], limit);
      group.appendChild(cell);
    }
  }
  group.appendChild(
    svg('rect', {
      class: 'gl-cell-frame',
      x: 0,
      y: m.previewLabelHeight,
      width: preview.cols * size,
      height: preview.rows * size,
      'aria-label': `${name} ${label} heatmap`,
    }),
  );
  return group;
}

function drawConstant(node: ViewNode, group: SVGGElement): void {
  if (node.body.kind !== 'constant') return;
  const text = node.subtitle ? `${node.subtitle} = ${node.body.text}` : node.body.text;
  group.appendChild(svg('rect', { class: 'gl-node-box', width: node.width, height: node.height, rx: node.height / 2 }));
  group.appendChild(svgText(text, { x: m.padding, y: node.height / 2 + 4 }));
  if (node.badge) {
    group.appendChild(svgText(node.badge, { class: 'gl-badge-text', x: node.width - m.padding, y: node.height / 2 + 4, 'text-anchor': 'end' }));
  }
}

function drawHeader(node: ViewNode, group: SVGGElement): void {
  const baseline = m.headerHeight - 7;
  group.appendChild(svgText(node.title, { class: 'gl-node-title', x: m.padding, y: baseline }));
  if (node.subtitle) {
    const x = m.padding * 2 + textWidth(node.title, m.titleFontSize);
    group.appendChild(svgText(node.subtitle, { class: 'gl-node-subtitle', x, y: baseline }));
  }
  if (node.badge) {
    const width = textWidth(node.badge, m.bodyFontSize) + 8;
    const badge = svg('g', { class: 'gl-badge', transform: `translate(${node.width - width - 4},4)` });
    badge.appendChild(svg('rect', { width, height: m.headerHeight - 8, rx: (m.headerHeight - 8) / 2 }));
    badge.appendChild(svgText(node.badge, { x: width / 2, y: m.headerHeight - 12, 'text-anchor': 'middle' }));
    group.appendChild(badge);
  }
  group.appendChild(svg('line', { class: 'gl-node-rule', x1: 0, y1: m.headerHeight, x2: node.width, y2: m.headerHeight }));
}

function drawBody(node: ViewNode, group: SVGGElement): void {
  const body = node.body;
  if (body.kind === 'record') {
    const [dataWidth, gradWidth] = recordCellWidths(body);
    // Share any spare width between the two cells so they fill the box, as micrograd's record does.
    const split = dataWidth + Math.max(0, node.width - dataWidth - gradWidth) / 2;
    const baseline = m.headerHeight + m.recordHeight - 7;
    group.appendChild(svg('line', { class: 'gl-node-rule', x1: split, y1: m.headerHeight, x2: split, y2: node.height }));
    const data = svgText('', { x: m.padding, y: baseline });
    data.append(svgTspan('data ', 'gl-muted'), svgTspan(body.data, 'gl-value'));
    const grad = svgText('', { x: split + m.padding, y: baseline });
    grad.append(svgTspan('grad ', 'gl-muted'), svgTspan(body.grad ?? '—', 'gl-grad'));
    group.append(data, grad);
    return;
  }
  if (body.kind !== 'tensor') return;
  group.appendChild(svgText(body.shape, { class: 'gl-shape', x: m.padding, y: m.headerHeight + m.shapeLineHeight - 3 }));
  const top = m.headerHeight + m.shapeLineHeight;
  group.appendChild(drawPreview(body.data, 'data', m.padding, top, node.title));
  if (body.grad) {
    const dataWidth =
      body.data.kind === 'heatmap'
        ? Math.max(body.data.cols * body.data.cellSize, textWidth('data', m.bodyFontSize))
        : Math.max(textWidth(body.data.text, m.bodyFontSize), textWidth('data', m.bodyFontSize));
    group.appendChild(drawPreview(body.grad, 'grad', m.padding + dataWidth + m.previewGap, top, node.title));
  }
}

function svgTspan(text: string, className: string): SVGTSpanElement {
  const span = svg('tspan', { class: className });
  span.textContent = text;
  return span;
}

/** One box: a focusable group the view wires up (select, hover, keys). */
export function drawNode(node: ViewNode, placed: PlacedNode): SVGGElement {
  const classes = ['gl-node', `gl-node--${node.node.kind}`];
  if (node.node.problem) classes.push('gl-node--problem');
  if (node.count > 1) classes.push('gl-node--folded');
  const group = svg('g', {
    class: classes.join(' '),
    transform: `translate(${placed.x},${placed.y})`,
    tabindex: 0,
    role: 'button',
    'data-key': node.key,
    'aria-label': nodeLabel(node),
  });
  group.appendChild(svg('title', {}, node.node.pattern));
  if (node.body.kind === 'constant') {
    drawConstant(node, group);
    return group;
  }
  if (node.count > 1 && node.node.kind !== 'constant') {
    // A folded loop body reads as a stack of cards.
    for (const offset of [6, 3]) {
      group.appendChild(svg('rect', { class: 'gl-node-ghost', x: offset, y: -offset, width: node.width, height: node.height, rx: 5 }));
    }
  }
  group.appendChild(svg('rect', { class: 'gl-node-box', width: node.width, height: node.height, rx: 5 }));
  group.appendChild(svg('rect', { class: 'gl-node-header', width: node.width, height: m.headerHeight, rx: 5 }));
  group.appendChild(svg('rect', { class: 'gl-node-header', y: m.headerHeight - 5, width: node.width, height: 5 }));
  drawHeader(node, group);
  drawBody(node, group);
  return group;
}

export function drawEdge(edge: PlacedEdge): SVGGElement {
  const group = svg('g', { class: 'gl-edge', 'data-key': edge.key });
  group.appendChild(svg('path', { class: 'gl-edge-line', d: edgePath(edge.points), 'marker-end': 'url(#gl-arrow)' }));
  if (edge.label && edge.labelAt) {
    const width = textWidth(edge.label, m.bodyFontSize - 1) + 6;
    group.appendChild(
      svg('rect', { class: 'gl-edge-label-bg', x: edge.labelAt.x - width / 2, y: edge.labelAt.y - 7, width, height: 14, rx: 3 }),
    );
    group.appendChild(svgText(edge.label, { class: 'gl-edge-label', x: edge.labelAt.x, y: edge.labelAt.y + 3.5, 'text-anchor': 'middle' }));
  }
  return group;
}

export function arrowMarkers(): SVGDefsElement {
  const marker = (id: string, className: string): SVGMarkerElement =>
    svg(
      'marker',
      { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: className }),
    );
  return svg('defs', {}, marker('gl-arrow', 'gl-arrow'), marker('gl-arrow-hot', 'gl-arrow gl-arrow--hot'));
}
