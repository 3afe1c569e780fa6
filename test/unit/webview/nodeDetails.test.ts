import * as assert from 'node:assert/strict';
import { jacobianViews, nodeDisplayName } from '../../../webview/nodeDetails';
import { reluWithUpstream, svmLossNaive } from './reports';

describe('webview node details', () => {
  it("shows the lecture's ReLU Jacobian: 4×4 and diagonal, 1 where x > 0", () => {
    const report = reluWithUpstream(); // x = [1, -2, 3, -1]
    const relu = report.graph.nodes.find((n) => n.name === 'z')!;
    const [jacobian] = jacobianViews(relu, report.graph);
    assert.equal(jacobian.caption, '∂z/∂x (4×4)');
    assert.deepEqual(jacobian.values, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it("names a folded gate's Jacobian inputs by the nodes that draw them", () => {
    const report = svmLossNaive();
    const margin = report.graph.nodes.find((n) => n.name === 'margin')!;
    const subtract = report.graph.nodes.find((n) => n.op === 'subtract' && n.span?.line === margin.span?.line)!;
    const captions = jacobianViews(margin, report.graph).map((j) => j.caption);
    assert.deepEqual(captions, [`∂margin/∂subtract #${subtract.id} (1×1)`]);
  });

  it('names a node by its variable, an input by its name, else by op and id', () => {
    const report = reluWithUpstream();
    const names = report.graph.nodes.filter((n) => n.kind !== 'constant').map(nodeDisplayName);
    const multiply = report.graph.nodes.find((n) => n.op === 'multiply')!;
    assert.deepEqual(names.slice(0, 2).sort(), ['dout', 'x']);
    assert.ok(names.includes('z'));
    assert.ok(names.includes(`multiply #${multiply.id}`));
  });
});
