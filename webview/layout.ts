// Left-to-right layout of the view graph with dagre, and keyboard moves between the placed boxes.
// Pure: dagre computes coordinates without a DOM.
import dagre from '@dagrejs/dagre';
import type { EdgeLabel, GraphLabel, NodeLabel, Point } from '@dagrejs/dagre';
import { nodeMetrics, textWidth, ViewGraph } from './graphModel';

export interface PlacedNode {
  key: string;
  /** Top-left corner (dagre gives centers; the SVG draws from corners). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  key: string;
  from: string;
  to: string;
  points: Point[];
  label: string | null;
  /** Center of the label, when the edge has one. */
  labelAt: Point | null;
}

export interface GraphLayout {
  nodes: Map<string, PlacedNode>;
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const layoutSpacing = { nodesep: 22, ranksep: 40, edgesep: 12, margin: 16 } as const;

export function layoutGraph(graph: ViewGraph): GraphLayout {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>();
  g.setGraph({
    rankdir: 'LR',
    nodesep: layoutSpacing.nodesep,
    ranksep: layoutSpacing.ranksep,
    edgesep: layoutSpacing.edgesep,
    marginx: layoutSpacing.margin,
    marginy: layoutSpacing.margin,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.key, { width: node.width, height: node.height });
  for (const edge of graph.edges) {
    const label: EdgeLabel = edge.label
      ? { width: textWidth(edge.label, nodeMetrics.bodyFontSize - 1) + 6, height: nodeMetrics.edgeLabelHeight, labelpos: 'c' }
      : {};
    g.setEdge(edge.from, edge.to, label);
  }
  dagre.layout(g);

  const nodes = new Map<string, PlacedNode>();
  for (const node of graph.nodes) {
    const placed = g.node(node.key);
    nodes.set(node.key, {
      key: node.key,
      x: (placed.x ?? 0) - node.width / 2,
      y: (placed.y ?? 0) - node.height / 2,
      width: node.width,
      height: node.height,
    });
  }
  const edges = graph.edges.map((edge): PlacedEdge => {
    const placed = g.edge(edge.from, edge.to);
    const labelAt = edge.label && placed.x !== undefined && placed.y !== undefined ? { x: placed.x, y: placed.y } : null;
    return { key: edge.key, from: edge.from, to: edge.to, points: placed.points ?? [], label: edge.label, labelAt };
  });
  const size = g.graph();
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

/**
 * An SVG path through dagre's points: straight ends, and quadratic curves through the middle
 * points, so an edge bends smoothly around the boxes it avoids.
 */
export function edgePath(points: readonly Point[]): string {
  if (points.length === 0) return '';
  const round = (v: number): number => Math.round(v * 10) / 10;
  let d = `M${round(points[0].x)},${round(points[0].y)}`;
  if (points.length === 2) return `${d} L${round(points[1].x)},${round(points[1].y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
    const end = i === points.length - 2 ? points[i + 1] : mid;
    d += ` Q${round(points[i].x)},${round(points[i].y)} ${round(end.x)},${round(end.y)}`;
  }
  return d;
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * Where an arrow key moves the focus: left to an input of the node, right to a node that reads it
 * (the nearest vertically), up and down to the nearest box in the same column.
 */
export function neighborInDirection(graph: ViewGraph, layout: GraphLayout, key: string, direction: Direction): string | null {
  const here = layout.nodes.get(key);
  if (!here) return null;
  const center = (n: PlacedNode): { x: number; y: number } => ({ x: n.x + n.width / 2, y: n.y + n.height / 2 });
  const origin = center(here);
  let candidates: string[];
  if (direction === 'left') candidates = graph.edges.filter((e) => e.to === key).map((e) => e.from);
  else if (direction === 'right') candidates = graph.edges.filter((e) => e.from === key).map((e) => e.to);
  else {
    // Same column: boxes whose horizontal extent overlaps this one's center line.
    candidates = [...layout.nodes.values()]
      .filter((n) => n.key !== key && n.x <= origin.x && origin.x <= n.x + n.width)
      .filter((n) => (direction === 'up' ? center(n).y < origin.y : center(n).y > origin.y))
      .map((n) => n.key);
  }
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const placed = layout.nodes.get(candidate);
    if (!placed) continue;
    const c = center(placed);
    const distance = Math.abs(c.y - origin.y) + Math.abs(c.x - origin.x) / 4;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}
