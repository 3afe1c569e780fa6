// The graph as the panel draws it: one box per gate with its text and size decided here, so the
// layout and the SVG renderer agree and both are testable without a DOM.
import type { GraphNode, Report, ValuePreview } from '../src/analysis/report';
import { asMatrix, formatNumber, formatShape, scalarOf } from './format';

/** Monospace metrics the CSS uses for node text (styles.css: .gl-node text). */
export const nodeMetrics = {
  titleFontSize: 12,
  bodyFontSize: 11,
  /** Width of one monospace character per pixel of font size; 0.62 covers Menlo, Consolas, DejaVu. */
  charWidthRatio: 0.62,
  padding: 8,
  headerHeight: 22,
  recordHeight: 22,
  shapeLineHeight: 16,
  previewLabelHeight: 13,
  previewGap: 10,
  maxPreviewWidth: 96,
  maxPreviewHeight: 56,
  maxCellSize: 10,
  minCellSize: 3,
  constantHeight: 22,
  edgeLabelHeight: 14,
} as const;

export function textWidth(text: string, fontSize: number): number {
  return Math.ceil([...text].length * fontSize * nodeMetrics.charWidthRatio);
}

/** A tensor preview inside a node: a small heatmap when the value fits, else its range as text. */
export type TensorPreview =
  | { kind: 'heatmap'; rows: number; cols: number; values: number[]; cellSize: number }
  | { kind: 'range'; text: string };

export type NodeBody =
  | { kind: 'record'; data: string; grad: string | null }
  | { kind: 'tensor'; shape: string; data: TensorPreview; grad: TensorPreview | null }
  | { kind: 'constant'; text: string };

export interface ViewNode {
  /** Unique key for the layout and the DOM: "n21". */
  key: string;
  /** The Report node this box shows (the first of merged constants). */
  node: GraphNode;
  /** Every Report node id the box stands for (several for merged constants). */
  ids: number[];
  title: string;
  subtitle: string | null;
  /** "×6" for a folded loop body or repeated constant. */
  badge: string | null;
  /** Executions the box stands for: a folded gate's count, or merged constants. */
  count: number;
  body: NodeBody;
  width: number;
  height: number;
}

export interface ViewEdge {
  key: string;
  from: string;
  to: string;
  /** The tensor's shape on the edge; null for scalars. */
  label: string | null;
}

export interface ViewGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
  outputKey: string | null;
}

export function nodeKey(id: number): string {
  return `n${id}`;
}

export function edgeKey(from: string, to: string): string {
  return `${from}->${to}`;
}

function tensorPreview(preview: ValuePreview): TensorPreview {
  const matrix = preview.value === null ? null : asMatrix(preview.value, preview.shape);
  if (matrix) {
    const cellSize = Math.min(
      nodeMetrics.maxCellSize,
      Math.floor(nodeMetrics.maxPreviewWidth / matrix.cols),
      Math.floor(nodeMetrics.maxPreviewHeight / matrix.rows),
    );
    if (cellSize >= nodeMetrics.minCellSize) return { kind: 'heatmap', ...matrix, cellSize };
  }
  return { kind: 'range', text: `${formatNumber(preview.min)} … ${formatNumber(preview.max)}` };
}

function previewSize(preview: TensorPreview, label: string): { width: number; height: number } {
  const labelWidth = textWidth(label, nodeMetrics.bodyFontSize);
  if (preview.kind === 'heatmap') {
    return {
      width: Math.max(labelWidth, preview.cols * preview.cellSize),
      height: nodeMetrics.previewLabelHeight + preview.rows * preview.cellSize,
    };
  }
  return { width: Math.max(labelWidth, textWidth(preview.text, nodeMetrics.bodyFontSize)), height: nodeMetrics.previewLabelHeight * 2 };
}

/** The two cells of micrograd's record, "data 0.7311" and "grad 1", each padded on both sides. */
export function recordCellWidths(body: { data: string; grad: string | null }): [number, number] {
  const cell = (text: string): number => textWidth(text, nodeMetrics.bodyFontSize) + 2 * nodeMetrics.padding;
  return [cell(`data ${body.data}`), cell(`grad ${body.grad ?? '—'}`)];
}

function scalarText(preview: ValuePreview): string {
  return formatNumber(scalarOf(preview) ?? preview.mean);
}

function bodyOf(node: GraphNode): NodeBody {
  if (node.kind === 'constant') {
    return { kind: 'constant', text: node.value.shape.length === 0 ? scalarText(node.value) : formatShape(node.value.shape) };
  }
  if (node.value.shape.length === 0) {
    return { kind: 'record', data: scalarText(node.value), grad: node.grad ? scalarText(node.grad) : null };
  }
  return {
    kind: 'tensor',
    shape: `${formatShape(node.value.shape)}${node.value.dtype === 'float64' ? '' : ` ${node.value.dtype}`}`,
    data: tensorPreview(node.value),
    grad: node.grad ? tensorPreview(node.grad) : null,
  };
}

function sizeOf(title: string, subtitle: string | null, badge: string | null, body: NodeBody): { width: number; height: number } {
  const m = nodeMetrics;
  if (body.kind === 'constant') {
    const label = subtitle ? `${subtitle} = ${body.text}` : body.text;
    const badgeWidth = badge ? textWidth(badge, m.bodyFontSize) + m.padding : 0;
    return { width: textWidth(label, m.bodyFontSize) + 2 * m.padding + badgeWidth, height: m.constantHeight };
  }
  let headerWidth = textWidth(title, m.titleFontSize) + 2 * m.padding;
  if (subtitle) headerWidth += textWidth(subtitle, m.bodyFontSize) + m.padding;
  if (badge) headerWidth += textWidth(badge, m.bodyFontSize) + m.padding;
  if (body.kind === 'record') {
    const [dataWidth, gradWidth] = recordCellWidths(body);
    return { width: Math.max(headerWidth, dataWidth + gradWidth), height: m.headerHeight + m.recordHeight };
  }
  const data = previewSize(body.data, 'data');
  const grad = body.grad ? previewSize(body.grad, 'grad') : { width: 0, height: 0 };
  const previewsWidth = data.width + (body.grad ? m.previewGap + grad.width : 0) + 2 * m.padding;
  const shapeWidth = textWidth(body.shape, m.bodyFontSize) + 2 * m.padding;
  return {
    width: Math.max(headerWidth, previewsWidth, shapeWidth),
    height: m.headerHeight + m.shapeLineHeight + Math.max(data.height, grad.height) + m.padding,
  };
}

function describe(node: GraphNode, count: number): Pick<ViewNode, 'title' | 'subtitle' | 'badge' | 'body'> {
  const body = bodyOf(node);
  const badge = count > 1 ? `×${count}` : null;
  if (node.kind === 'leaf') return { title: node.name ?? node.op, subtitle: 'input', badge, body };
  if (node.kind === 'constant') return { title: 'constant', subtitle: node.name, badge, body };
  return { title: node.op, subtitle: node.name, badge, body };
}

/**
 * Repeated constants of a loop body (`margin = s - c + 1` run 6 times) arrive as one node per run,
 * and only the first is wired to the folded gate; merge them by source span and value so the loop
 * reads as one box, and drop constants that feed nothing drawn.
 */
function mergeRepeatedConstants(nodes: readonly GraphNode[], consumed: ReadonlySet<number>): { node: GraphNode; ids: number[] }[] {
  const groups = new Map<string, { node: GraphNode; ids: number[] }>();
  const result: { node: GraphNode; ids: number[] }[] = [];
  for (const node of nodes) {
    if (node.kind !== 'constant' || !node.span) {
      result.push({ node, ids: [node.id] });
      continue;
    }
    const key = `${node.span.from}-${node.span.to}:${node.name ?? ''}:${JSON.stringify(node.value.value)}`;
    const group = groups.get(key);
    if (group) {
      group.ids.push(node.id);
      // The wired member represents the group, so its edges stay attached.
      if (!consumed.has(group.node.id) && consumed.has(node.id)) group.node = node;
    } else {
      const created = { node, ids: [node.id] };
      groups.set(key, created);
      result.push(created);
    }
  }
  return result.filter(({ node }) => node.kind !== 'constant' || consumed.has(node.id));
}

export function buildViewGraph(graph: Report['graph']): ViewGraph {
  const consumed = new Set(graph.edges.map((e) => e.from));
  const merged = mergeRepeatedConstants(graph.nodes, consumed);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes = merged.map(({ node, ids }): ViewNode => {
    const count = node.kind === 'constant' ? ids.reduce((n, id) => n + (byId.get(id)?.count ?? 1), 0) : node.count;
    const text = describe(node, count);
    return { key: nodeKey(node.id), node, ids, count, ...text, ...sizeOf(text.title, text.subtitle, text.badge, text.body) };
  });
  const present = new Set(nodes.map((n) => n.key));
  const edges: ViewEdge[] = [];
  for (const edge of graph.edges) {
    const from = nodeKey(edge.from);
    const to = nodeKey(edge.to);
    if (!present.has(from) || !present.has(to)) continue;
    edges.push({ key: edgeKey(from, to), from, to, label: edge.shape.length > 0 ? formatShape(edge.shape) : null });
  }
  const output = graph.nodes.find((n) => n.kind === 'output');
  return { nodes, edges, outputKey: output ? nodeKey(output.id) : null };
}

/**
 * Every node and edge on a path from `key` to the output: what this node's value flows into and
 * what sends its gradient back. All drawn nodes are ancestors of the output, so that is exactly
 * what is reachable forward from `key`.
 */
export function pathToOutput(graph: ViewGraph, key: string): { nodes: Set<string>; edges: Set<string> } {
  const consumers = new Map<string, ViewEdge[]>();
  for (const edge of graph.edges) {
    const list = consumers.get(edge.from);
    if (list) list.push(edge);
    else consumers.set(edge.from, [edge]);
  }
  const nodes = new Set<string>([key]);
  const edges = new Set<string>();
  const pending = [key];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const edge of consumers.get(current) ?? []) {
      edges.add(edge.key);
      if (!nodes.has(edge.to)) {
        nodes.add(edge.to);
        pending.push(edge.to);
      }
    }
  }
  return { nodes, edges };
}

/** The view node that shows a Report node id (merged constants map to their box). */
export function viewNodeOf(graph: ViewGraph, id: number): ViewNode | null {
  return graph.nodes.find((n) => n.ids.includes(id)) ?? null;
}
