import * as assert from 'node:assert/strict';
import { buildViewGraph } from '../../../webview/graphModel';
import { edgePath, layoutGraph, neighborInDirection } from '../../../webview/layout';
import { softmaxLoss, sigmoidNeuron } from './reports';

describe('webview graph layout', () => {
  for (const [name, report] of [['sigmoid neuron', sigmoidNeuron], ['softmax_loss', softmaxLoss]] as const) {
    it(`${name}: edges run left to right and boxes do not overlap`, () => {
      const graph = buildViewGraph(report().graph);
      const layout = layoutGraph(graph);
      for (const edge of graph.edges) {
        const from = layout.nodes.get(edge.from)!;
        const to = layout.nodes.get(edge.to)!;
        assert.ok(from.x + from.width <= to.x, `${edge.key} runs right to left`);
      }
      const boxes = [...layout.nodes.values()];
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
          assert.ok(apart, `${a.key} overlaps ${b.key}`);
        }
        assert.ok(boxes[i].x >= 0 && boxes[i].x + boxes[i].width <= layout.width);
        assert.ok(boxes[i].y >= 0 && boxes[i].y + boxes[i].height <= layout.height);
      }
    });
  }

  it('puts the output rightmost', () => {
    const graph = buildViewGraph(sigmoidNeuron().graph);
    const layout = layoutGraph(graph);
    const output = layout.nodes.get(graph.outputKey!)!;
    for (const node of layout.nodes.values()) assert.ok(node.x <= output.x);
  });

  it('places shape labels on tensor edges only', () => {
    const layout = layoutGraph(buildViewGraph(softmaxLoss().graph));
    for (const edge of layout.edges) assert.equal(edge.labelAt !== null, edge.label !== null);
    assert.ok(layout.edges.some((e) => e.label === '(4, 3)'));
  });

  it('arrow keys move to an input (left), a consumer (right) and a box in the same column', () => {
    const graph = buildViewGraph(sigmoidNeuron().graph);
    const layout = layoutGraph(graph);
    const key = (name: string): string => graph.nodes.find((n) => n.node.name === name)!.key;
    assert.equal(neighborInDirection(graph, layout, key('w0'), 'right'), key('s0'));
    assert.ok([key('w0'), key('x0')].includes(neighborInDirection(graph, layout, key('s0'), 'left')!));
    assert.equal(neighborInDirection(graph, layout, graph.outputKey!, 'right'), null);
    const column = [key('w0'), key('x0'), key('w1'), key('x1')].sort((a, b) => layout.nodes.get(a)!.y - layout.nodes.get(b)!.y);
    assert.equal(neighborInDirection(graph, layout, column[0], 'down'), column[1]);
    assert.equal(neighborInDirection(graph, layout, column[1], 'up'), column[0]);
    assert.equal(neighborInDirection(graph, layout, column[0], 'up'), null);
  });

  it('draws an edge straight between two points and curves through more', () => {
    assert.equal(edgePath([{ x: 0, y: 0 }, { x: 10, y: 5 }]), 'M0,0 L10,5');
    assert.equal(edgePath([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 20, y: 10 }]), 'M0,0 Q10,0 20,10');
    assert.equal(edgePath([]), '');
  });
});
