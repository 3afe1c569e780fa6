import * as assert from 'node:assert/strict';
import { checkDetails, inputRows, mismatchRows, outputSummary, revealForError, revealForMismatch, revealForNode, verdict } from '../../../webview/summary';
import { leakyForward, shapeError, sigmoidNeuron, softmaxLoss } from './reports';

describe('webview status line and tables', () => {
  it("states the sigmoid neuron's output as the lecture does", () => {
    assert.equal(outputSummary(sigmoidNeuron()), 'L = 0.7311');
    assert.equal(outputSummary(softmaxLoss()), 'softmax_loss() = 4.415');
  });

  it('a non-scalar output shows its shape and first values', () => {
    assert.match(outputSummary(leakyForward())!, /^leaky_forward\(\) \(4, 5\) = \[\[1\.764, 0\.4002, 0\.9787, 2\.241, …\], …\]$/);
  });

  it('says ok when every check passes, with the worst relative error', () => {
    const { tone, text } = verdict(sigmoidNeuron());
    assert.equal(tone, 'ok');
    assert.match(text, /^✓ gradients check out: 5 inputs, max rel err \d\.\de-\d+$/);
  });

  it('leads with the first wrong line when hand-written gradients disagree', () => {
    const { tone, text } = verdict(leakyForward());
    assert.equal(tone, 'problem');
    assert.equal(text, '✗ 2 gradient mismatches, first dx at line 40');
  });

  it('names a shape error and its line when there is no graph', () => {
    const { tone, text } = verdict(shapeError());
    assert.equal(tone, 'problem');
    assert.equal(text, '✗ 1 error, first shape error at line 7');
  });

  it("lists each input's gradient as numbers (the lecture's for the neuron)", () => {
    const rows = inputRows(sigmoidNeuron());
    assert.deepEqual(
      rows.map((r) => [r.name, r.value, r.grad, r.status]),
      [
        ['w0', '2', '-0.1966', 'pass'],
        ['x0', '-1', '0.3932', 'pass'],
        ['w1', '-3', '-0.3932', 'pass'],
        ['x1', '-2', '-0.5898', 'pass'],
        ['w2', '-3', '0.1966', 'pass'],
      ],
    );
  });

  it('shows docstring shapes symbolically and integer labels without a gradient', () => {
    const rows = Object.fromEntries(inputRows(softmaxLoss()).map((r) => [r.name, r]));
    assert.equal(rows.W.shape, '(D=5, C=3)');
    assert.equal(rows.X.shape, '(N=4, D=5)');
    assert.equal(rows.y.grad, '—');
    assert.equal(rows.y.status, null);
    assert.equal(rows.reg.grad, '17.73');
  });

  it("describes leaky_backward's value and shape mismatches", () => {
    assert.deepEqual(mismatchRows(leakyForward()), [
      { kind: 'value', name: 'dx', target: 'x', line: 40, detail: 'max rel err 1 against autograd, shape (4, 5)' },
      { kind: 'shape', name: 'dalpha', target: 'alpha', line: 41, detail: 'dalpha has shape (4, 5) but alpha is ()' },
    ]);
  });

  it("a click on a mismatch reveals the user's line", () => {
    const report = leakyForward();
    const reveal = revealForMismatch(report, report.mismatches[0]);
    assert.equal(reveal.type, 'reveal');
    assert.equal(reveal.line, 40);
    assert.equal(reveal.endLine, 40);
    assert.ok(reveal.column >= 1 && reveal.column <= reveal.endColumn);
  });

  it('a click on an error reveals its span', () => {
    const error = shapeError().errors[0];
    assert.deepEqual(revealForError(error), { type: 'reveal', line: 7, column: error.column, endLine: error.endLine, endColumn: error.endColumn });
  });

  it("a gate reveals its own span; a flat-code input reveals where it was bound", () => {
    const report = sigmoidNeuron();
    const s0 = report.graph.nodes.find((n) => n.name === 's0')!;
    assert.deepEqual(revealForNode(report, s0), { type: 'reveal', line: 16, column: s0.span!.column, endLine: 16, endColumn: s0.span!.endColumn });
    const w0 = report.graph.nodes.find((n) => n.kind === 'leaf' && n.op === 'w0')!;
    assert.equal(revealForNode(report, w0)?.line, 14); // `w0, x0, w1, x1, w2 = 2.0, ...`
  });

  it("a check's details give the worst element, autograd against finite differences", () => {
    const report = softmaxLoss();
    const lines = checkDetails('W', report.gradcheck.W);
    assert.match(lines[0], /^Full check: 15 elements by central differences\.$/);
    const worst = report.gradcheck.W.worst!;
    assert.ok(lines.some((l) => l.startsWith(`Worst element W[${worst.index.join(', ')}]: autograd `)));
    assert.ok(lines.some((l) => /^Your gradient dW against finite differences: max rel err \d\.\de-\d+\.$/.test(l)));
  });

  it('kinks are reported as kinks, not failures', () => {
    const lines = checkDetails('x', {
      maxRelError: 2e-5, checked: 4, status: 'kink', mode: 'full', worst: null, kinks: [[0], [3]], directional: null, userGradient: null,
    });
    assert.ok(lines.some((l) => l.startsWith('Kinks at [0], [3]: ')));
  });
});
