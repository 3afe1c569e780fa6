// The computational graph the panel draws: the tape's nodes that the output depends on, a loop
// body's repeated gates folded into one node with an execution count.
import { ancestors, Tape } from '../core/tape';
import { sameShape, Tensor } from '../core/tensor';
import type { GraphEdge, GraphNode, ValuePreview } from './report';

const previewLimit = 64;
const jacobianLimit = 64;
export const maxGraphNodes = 400;
/** Executions of a folded loop gate listed one by one when it is expanded. */
const maxRuns = 100;

export function preview(t: Tensor): ValuePreview {
  const n = t.size, data = t.data;
  // Flat, as the Report carries arrays: nesting lists of a few numbers cost more than the rest of a node.
  const value = n <= previewLimit ? new Array<number>(n) : null;
  let min = Infinity, max = -Infinity, sum = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (value) value[i] = v;
  }
  return {
    shape: [...t.shape],
    dtype: t.dtype,
    value,
    min: n ? min : 0,
    max: n ? max : 0,
    mean: n ? sum / n : 0,
  };
}

function jacobians(tape: Tape, id: number): GraphNode['jacobians'] {
  const node = tape.nodes[id];
  if (node.kind !== 'op' || !node.requiresGrad) return null;
  const inputs = node.inputValues;
  const outSize = node.value.size;
  if (inputs.some((x) => x.size * outSize > jacobianLimit)) return null;
  const rows = inputs.map((x) => new Array<number>(outSize * x.size).fill(0));
  for (let k = 0; k < outSize; k++) {
    const unit = Tensor.zeros(node.value.shape);
    unit.data[k] = 1;
    const grads = node.op!.vjp(unit, node.value, inputs, node.attrs);
    grads.forEach((g, i) => {
      if (!g || !sameShape(g.shape, inputs[i].shape)) return;
      const row = rows[i], offset = k * inputs[i].size;
      for (let j = 0; j < g.size; j++) row[offset + j] = g.data[j];
    });
  }
  return node.inputs
    .map((input, i) => ({ input, rows: outSize, cols: inputs[i].size, values: rows[i] }))
    .filter((_, i) => tape.nodes[node.inputs[i]].requiresGrad);
}

/** The ids in their order, each once: a gate's inputs, mostly one or two. */
function distinct(ids: number[]): number[] {
  return ids.length <= 8 ? ids.filter((id, i) => ids.indexOf(id) === i) : [...new Set(ids)];
}

export interface GraphOptions {
  output: number;
  grads: readonly (Tensor | null)[];
}

export function buildGraph(tape: Tape, { output, grads }: GraphOptions): { nodes: GraphNode[]; edges: GraphEdge[]; truncated: boolean } {
  const ids = ancestors(tape, output);
  // Fold repeated executions of one gate (same op, same source span) into its first execution.
  const representative = new Map<number, number>();
  const groups = new Map<string, number[]>();
  for (const id of ids) {
    const n = tape.nodes[id];
    // Leaves are one each; a gate or a literal at the same place in the source is one node per loop.
    const key = n.kind !== 'leaf' && n.span ? `${n.op?.name ?? 'constant'}@${n.span.from}-${n.span.to}` : `#${id}`;
    const group = groups.get(key);
    if (group) group.push(id);
    else groups.set(key, [id]);
    representative.set(id, group ? group[0] : id);
  }
  const nodes: GraphNode[] = [];
  for (const group of groups.values()) {
    const id = group[0];
    const n = tape.nodes[id];
    const last = group[group.length - 1];
    nodes.push({
      id,
      kind: id === output ? 'output' : n.kind === 'leaf' ? 'leaf' : n.kind === 'constant' ? 'constant' : 'gate',
      op: n.kind === 'op' ? n.op!.name : n.kind === 'leaf' ? n.name ?? 'input' : 'constant',
      name: n.name,
      pattern: n.op?.pattern ?? (n.kind === 'leaf' ? 'input: its gradient is the sum of what every use sends back' : 'constant: receives no gradient'),
      value: preview(tape.nodes[last].value),
      grad: grads[last] ? preview(grads[last]!) : null,
      span: n.span,
      inputs: distinct(n.inputs.map((j) => representative.get(j)!)),
      count: group.length,
      folded: group.length > 1 ? group : [],
      runs: group.length > 1 ? group.slice(0, maxRuns).map((r) => ({ id: r, value: preview(tape.nodes[r].value), grad: grads[r] ? preview(grads[r]!) : null })) : [],
      jacobians: jacobians(tape, last)?.map((j) => ({ ...j, input: representative.get(j.input) ?? j.input })) ?? null,
      problem: null,
    });
  }
  // A node's inputs are distinct, so each (input, node) pair is one edge.
  const edges: GraphEdge[] = [];
  for (const node of nodes) {
    for (const from of node.inputs) if (from !== node.id) edges.push({ from, to: node.id, shape: [...tape.nodes[from].value.shape] });
  }
  const truncated = nodes.length > maxGraphNodes;
  if (!truncated) return { nodes, edges, truncated };
  // Keep the gates nearest the output: the end of the computation is what a reader looks at first.
  const kept = new Set(nodes.slice(-maxGraphNodes).map((n) => n.id));
  return { nodes: nodes.filter((n) => kept.has(n.id)), edges: edges.filter((e) => kept.has(e.from) && kept.has(e.to)), truncated };
}
