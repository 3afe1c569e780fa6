import { strict as assert } from 'node:assert';
import { hoverLines, variableAt } from '../../../src/vscode/hoverText';
import { exampleReport, reportOf } from './examples';

describe('hover text', () => {
  // losses.py: softmax_loss(W, X, y, reg) with X: (N, D), W: (D, C) from its docstring; N=4, C=3 by default.
  const report = exampleReport('losses.py', 'softmax_loss', {}, { check: false });

  it('shows probs with its symbolic and concrete shape and the shape of its gradient', () => {
    assert.deepEqual(hoverLines(report, 'probs', 46), ['probs: float64 (N, C) = (4, 3)', '∂L/∂probs: (4, 3)']);
  });

  it('shows a scalar input with its value and the value of its gradient', () => {
    const [value, grad] = hoverLines(report, 'reg', 45)!;
    assert.equal(value, 'reg: float64 = 0.1');
    // dL/dreg = sum(W * W) for L = ... + reg * sum(W * W)
    const sumOfSquares = [...report.inputs.W.value].reduce((s, w) => s + w * w, 0);
    assert.match(grad, /^∂L\/∂reg = /);
    assert.ok(Math.abs(Number(grad.split('= ')[1]) - sumOfSquares) < 1e-4 * sumOfSquares, `${grad} vs ${sumOfSquares}`);
  });

  it('shows integers as integers: a Python int and an integer array', () => {
    assert.deepEqual(hoverLines(report, 'N', 42), ['N: int64 = 4', '∂L/∂N: L does not depend on N']);
    assert.deepEqual(hoverLines(report, 'y', 42), ['y: int64 (N,) = (4,)', '∂L/∂y: L does not depend on y']);
  });

  it('says when L does not depend on a name (the user\'s own gradient)', () => {
    assert.deepEqual(hoverLines(report, 'dW', 49), ['dW: float64 (D, C) = (5, 3)', '∂L/∂dW: L does not depend on dW']);
  });

  it('picks the version assigned last at or before the hovered line', () => {
    // scores is assigned on line 42 and again (a new version) on line 43.
    assert.equal(variableAt(report, 'scores', 42)?.span.line, 42);
    assert.equal(variableAt(report, 'scores', 44)?.span.line, 43);
    assert.equal(variableAt(report, 'scores', 30)?.span.line, 42, 'before any assignment: the first version');
  });

  it('knows nothing of names the Report does not have', () => {
    assert.equal(hoverLines(report, 'np', 44), null);
    assert.equal(hoverLines(report, 'undefined_name', 44), null);
  });

  it("names a reassigned input's dims by their sizes, not by the input's declaration", () => {
    const source = [
      'import numpy as np',
      'def f(X, W):',
      '    """',
      '    - X: A numpy array of shape (N, D)',
      '    - W: A numpy array of shape (D, C)',
      '    """',
      '    X = X.T',
      '    return np.sum(X.T.dot(W))',
    ].join('\n');
    const transposed = reportOf(source, 'f', {}, { check: false });
    assert.deepEqual(hoverLines(transposed, 'X', 2), ['X: float64 (N, D) = (4, 5)', '∂L/∂X: (4, 5)']);
    assert.deepEqual(hoverLines(transposed, 'X', 7), ['X: float64 (D, N) = (5, 4)', '∂L/∂X: (5, 4)']);
  });

  it("keeps an input's declared dims through an update in place, even where its sizes cannot name them", () => {
    const source = [
      'import numpy as np',
      'def f(X):',
      '    """',
      '    - X: A numpy array of shape (N, D)',
      '    """',
      '    X *= 2.0',
      '    X[0, 0] = 1.0',
      '    return np.sum(X * X)',
    ].join('\n');
    // Given 3×3: N and D have one size, so only the declaration names them.
    const updated = reportOf(source, 'f', { X: [[1, 2, 3], [4, 5, 6], [7, 8, 9]] }, { check: false });
    assert.equal(hoverLines(updated, 'X', 6)?.[0], 'X: float64 (N, D) = (3, 3)');
    assert.equal(hoverLines(updated, 'X', 7)?.[0], 'X: float64 (N, D) = (3, 3)');
  });

  it('answers from the last run of each assignment, in the order they ran, through loops and repeated targets', () => {
    const source = [
      'import numpy as np',
      'def f(x):',
      '    """',
      '    - x: A numpy array of shape (N, D)',
      '    """',
      '    N, D = x.shape',
      '    total = 0.0',
      '    for i in range(N):',
      '        row = x[i] * 2.0',
      '        total = total + np.sum(row)',
      '    a, a = 1, 2',
      '    y = total * a',
      '    return y',
    ].join('\n');
    const looped = reportOf(source, 'f', {}, { check: false });
    const places = looped.variables.map((v) => `${v.name}@${v.span.line}`);
    assert.deepEqual(places, ['x@2', 'N@6', 'D@6', 'total@7', 'i@8', 'row@9', 'total@10', 'a@11', 'y@12']);
    const total = looped.variables.find((v) => v.name === 'total' && v.span.line === 10)!;
    assert.equal(hoverLines(looped, 'i', 9)?.[0], 'i: int64 = 3', 'the last iteration of N = 4');
    assert.equal(hoverLines(looped, 'a', 12)?.[0], 'a: int64 = 2');
    assert.equal(looped.variables.find((v) => v.name === 'y')!.scalarValue, total.scalarValue! * 2);
    // Without a loop before it, a name a statement assigns twice is still one place.
    const straight = reportOf(['import numpy as np', 'def g(x):', '    a, a = 1, 2', '    return np.sum(x * a)'].join('\n'), 'g', { x: [1, 2] }, { check: false });
    assert.deepEqual(straight.variables.map((v) => `${v.name}@${v.span.line}=${v.scalarValue}`), ['x@2=null', 'a@3=2']);
  });

  it('shows nothing for a function that could not be analyzed', () => {
    const failed = exampleReport('shape_error.py', 'scores_of', {}, { check: false });
    assert.equal(hoverLines(failed, 'hidden', 7), null);
  });
});
