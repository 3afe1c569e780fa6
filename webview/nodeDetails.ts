// What the details pane says about a node, without the DOM: its display name and its local
// Jacobians with the inputs named (a folded gate's inputs are other folded runs).
import type { GraphNode, Report } from '../src/analysis/report';

/** A node's name in captions: the variable, else the input's name, else the op and its id. */
export function nodeDisplayName(node: GraphNode): string {
  return node.name ?? (node.kind === 'leaf' ? node.op : `${node.op} #${node.id}`);
}

export interface JacobianView {
  /** "∂z/∂x (4×4)". */
  caption: string;
  /** "∂z/∂x", the name each cell's tooltip indexes. */
  name: string;
  outputName: string;
  inputName: string;
  rows: number;
  cols: number;
  values: number[];
}

/** Every Report node id, folded runs included, to the node that draws it. */
export function nodesByRunId(graph: Report['graph']): Map<number, GraphNode> {
  const byId = new Map<number, GraphNode>();
  for (const node of graph.nodes) for (const id of [node.id, ...node.folded]) byId.set(id, node);
  return byId;
}

export function jacobianViews(node: GraphNode, graph: Report['graph']): JacobianView[] {
  if (!node.jacobians) return [];
  const byId = nodesByRunId(graph);
  const outputName = nodeDisplayName(node);
  return node.jacobians.map((jacobian) => {
    const input = byId.get(jacobian.input);
    const inputName = input ? nodeDisplayName(input) : `#${jacobian.input}`;
    const name = `∂${outputName}/∂${inputName}`;
    return { caption: `${name} (${jacobian.rows}×${jacobian.cols})`, name, outputName, inputName, rows: jacobian.rows, cols: jacobian.cols, values: jacobian.values };
  });
}
