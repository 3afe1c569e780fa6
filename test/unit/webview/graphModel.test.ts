import * as assert from 'node:assert/strict';
import { buildViewGraph, nodeKey, pathToOutput, recordCellWidths, ViewGraph, ViewNode } from '../../../webview/graphModel';
import { softmaxLoss, sigmoidNeuron, svmLossNaive } from './reports';

function byName(graph: ViewGraph, name: string): ViewNode {
  const node = graph.nodes.find((n) => n.node.name === name);
  assert.ok(node, `no node named ${name}`);
  return node;
}

describe('webview graph model', () => {
  it("gives each scalar gate micrograd's data | grad record with the lecture's numbers", () => {
    const graph = buildViewGraph(sigmoidNeuron().graph);
    const records = Object.fromEntries(
      graph.nodes.filter((n) => n.node.kind === 'leaf').map((n) => [n.title, n.body.kind === 'record' ? [n.body.data, n.body.grad] : null]),
    );
    assert.deepEqual(records, {
      w0: ['2', '-0.1966'],
      x0: ['-1', '0.3932'],
      w1: ['-3', '-0.3932'],
      x1: ['-2', '-0.5898'],
      w2: ['-3', '0.1966'],
    });
    const output = graph.nodes.find((n) => n.key === graph.outputKey);
    assert.equal(output?.node.name, 'L');
    assert.deepEqual(output?.body, { kind: 'record', data: '0.7311', grad: '1' });
  });

  it('sizes a box to hold its text', () => {
    const graph = buildViewGraph(sigmoidNeuron().graph);
    for (const node of graph.nodes) {
      if (node.body.kind !== 'record') continue;
      const [data, grad] = recordCellWidths(node.body);
      assert.ok(node.width >= data + grad, `${node.title} is ${node.width} wide for ${data + grad} of text`);
    }
  });

  it('shows tensors by shape with small heatmaps of value and gradient', () => {
    const graph = buildViewGraph(softmaxLoss().graph);
    const scores = byName(graph, 'scores');
    assert.equal(scores.body.kind, 'tensor');
    if (scores.body.kind !== 'tensor') return;
    assert.equal(scores.body.shape, '(4, 3)');
    assert.equal(scores.body.data.kind, 'heatmap');
    assert.equal(scores.body.grad?.kind, 'heatmap');
    if (scores.body.data.kind === 'heatmap') assert.deepEqual([scores.body.data.rows, scores.body.data.cols], [4, 3]);
  });

  it("lays a heatmap's cells out row by row: scores = X·W from the Report's inputs", () => {
    const report = softmaxLoss();
    const scores = byName(buildViewGraph(report.graph), 'scores');
    assert.ok(scores.body.kind === 'tensor' && scores.body.data.kind === 'heatmap');
    const [X, W] = [report.inputs.X, report.inputs.W];
    const [n, d] = X.shape, c = W.shape[1];
    const expected: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) {
        let sum = 0;
        for (let k = 0; k < d; k++) sum += X.value[i * d + k] * W.value[k * c + j];
        expected.push(sum);
      }
    }
    scores.body.data.values.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-12 * Math.max(1, Math.abs(expected[i])), `cell ${i}: ${v} vs ${expected[i]}`));
    assert.equal(scores.body.data.values.length, n * c);
  });

  it('labels tensor edges with their shape and leaves scalar edges bare', () => {
    const graph = buildViewGraph(softmaxLoss().graph);
    const w = byName(graph, 'W');
    const labels = graph.edges.filter((e) => e.from === w.key).map((e) => e.label);
    assert.deepEqual(labels, ['(5, 3)', '(5, 3)']);
    const sigmoid = buildViewGraph(sigmoidNeuron().graph);
    assert.ok(sigmoid.edges.every((e) => e.label === null));
  });

  it('draws a loop body once with its count, and its repeated constants once', () => {
    const report = svmLossNaive();
    const graph = buildViewGraph(report.graph);
    const margin = byName(graph, 'margin');
    assert.equal(margin.badge, '×6');
    assert.equal(margin.count, 6);
    // `margin = scores[j] - correct_class_score + 1` ran 6 times: six constants 1 arrive, one is drawn.
    const ones = graph.nodes.filter((n) => n.node.kind === 'constant' && n.node.span?.line === 18);
    assert.equal(ones.length, 1);
    assert.equal(ones[0].count, 6);
    assert.ok(graph.edges.some((e) => e.from === ones[0].key && e.to === margin.key));
    // Every drawn constant feeds something drawn.
    for (const node of graph.nodes.filter((n) => n.node.kind === 'constant')) {
      assert.ok(graph.edges.some((e) => e.from === node.key), `constant ${node.key} feeds nothing`);
    }
  });

  it('the path from w0 to the output runs through s0, s2, s3 and the sigmoid, not through s1', () => {
    const graph = buildViewGraph(sigmoidNeuron().graph);
    const path = pathToOutput(graph, byName(graph, 'w0').key);
    const names = graph.nodes.filter((n) => path.nodes.has(n.key)).map((n) => n.node.name ?? n.node.op);
    assert.deepEqual(names, ['w0', 's0', 's2', 's3', 'negative', 'exp', 'add', 'L']);
    assert.ok(!path.nodes.has(byName(graph, 's1').key));
    assert.equal(path.edges.size, names.length - 1);
    assert.ok(path.nodes.has(graph.outputKey!));
  });

  it('the path from the output is the output alone', () => {
    const graph = buildViewGraph(sigmoidNeuron().graph);
    const path = pathToOutput(graph, graph.outputKey!);
    assert.deepEqual([...path.nodes], [graph.outputKey]);
    assert.equal(path.edges.size, 0);
  });

  it('keys boxes by Report node id', () => {
    assert.equal(nodeKey(21), 'n21');
  });
});
