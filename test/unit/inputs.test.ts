// Input shapes and values read from the code when INPUTS.json gives none.
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/analysis/analyze';

const fn = (name: string) => ({ kind: 'function' as const, name });

describe('inputs from the code', () => {
  it('cs231n docstrings bind symbolic dims consistently across parameters', () => {
    const src = `import numpy as np
def svm_loss_vectorized(W, X, y, reg):
    """
    Inputs have dimension D, there are C classes, and we operate on minibatches of N examples.

    Inputs:
    - W: A numpy array of shape (D, C) containing weights.
    - X: A numpy array of shape (N, D) containing a minibatch of data.
    - y: A numpy array of shape (N,) containing training labels; y[i] = c means
      that X[i] has label c, where 0 <= c < C.
    - reg: (float) regularization strength
    """
    N = X.shape[0]
    scores = X.dot(W)
    correct = scores[np.arange(N), y][:, None]
    margins = np.maximum(0, scores - correct + 1.0)
    margins[np.arange(N), y] = 0
    return np.sum(margins) / N + reg * np.sum(W * W)
`;
    const r = analyze(src, fn('svm_loss_vectorized'), {}, { check: false });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.inputs.W.shape, [5, 3]);
    assert.deepEqual(r.inputs.X.shape, [4, 5]);
    assert.deepEqual(r.inputs.y.shape, [4]);
    assert.equal(r.inputs.y.dtype, 'int64');
    assert.ok([...r.inputs.y.value].every((c) => c >= 0 && c < 3));
    assert.equal(r.inputs.reg.source, 'docstring');
    assert.deepEqual(r.inputs.reg.shape, []);
  });

  it('(N, d_1, ..., d_k) meets (D, M) with D = d_1 * ... * d_k', () => {
    const src = `def affine_forward(x, w, b):
    """
    Inputs:
    - x: A numpy array containing input data, of shape (N, d_1, ..., d_k)
    - w: A numpy array of weights, of shape (D, M)
    - b: A numpy array of biases, of shape (M,)
    """
    N = x.shape[0]
    out = x.reshape(N, -1).dot(w) + b
    return out, (x, w, b)
`;
    const r = analyze(src, fn('affine_forward'), {}, { check: false });
    assert.deepEqual(r.errors, []);
    const [n, d1, d2] = r.inputs.x.shape;
    assert.equal(r.inputs.x.shape.length, 3);
    assert.deepEqual(r.inputs.w.shape, [d1 * d2, 7]);
    assert.equal(n, 4);
  });

  it('# x: (N, D) comments declare shapes', () => {
    const src = `import numpy as np
# x: (N, D)
# w: (D, H)
def layer(x, w):
    return np.sum(np.tanh(x.dot(w)))
`;
    const r = analyze(src, fn('layer'), {}, { check: false });
    assert.deepEqual(r.errors, []);
    assert.deepEqual([r.inputs.x.shape, r.inputs.w.shape], [[4, 5], [5, 6]]);
    assert.equal(r.inputs.x.source, 'comment');
  });

  it('string and jaxtyping-style annotations declare shapes', () => {
    const src = `import numpy as np
def layer(x: "N D", w: Float[np.ndarray, "D H"], idx: Int[np.ndarray, "N"]):
    return np.sum(x.dot(w)[np.arange(4), idx])
`;
    const r = analyze(src, fn('layer'), {}, { check: false });
    assert.deepEqual(r.errors, []);
    assert.deepEqual([r.inputs.x.shape, r.inputs.w.shape, r.inputs.idx.shape], [[4, 5], [5, 6], [4]]);
    assert.equal(r.inputs.idx.dtype, 'int64');
    assert.equal(r.inputs.w.source, 'annotation');
  });

  it('N, D = X.shape gives X its rank and dims', () => {
    const src = `import numpy as np
def center(X):
    N, D = X.shape
    return np.sum((X - np.mean(X, axis=0)) ** 2) / N
`;
    const r = analyze(src, fn('center'), {}, { check: false });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.inputs.X.shape, [4, 5]);
    assert.equal(r.inputs.X.source, 'usage');
  });

  it('explicit sizes in the docstring win over the defaults', () => {
    const src = `def f(X, W):
    """X: (N, D) with N=2, D=3; W: (D, C) with C=4."""
    return (X.dot(W)).sum()
`;
    const r = analyze(src, fn('f'), {}, { check: false });
    assert.deepEqual([r.inputs.X.shape, r.inputs.W.shape], [[2, 3], [3, 4]]);
  });

  it('a given input fixes the dims it declares for the others', () => {
    const src = `def f(X, W):
    """- X: of shape (N, D)
    - W: of shape (D, C)"""
    return (X.dot(W)).sum()
`;
    const r = analyze(src, fn('f'), { X: [[1, 2, 3, 4, 5, 6, 7]] }, { check: false });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.inputs.W.shape, [7, 3]);
  });

  it('constants above a selection give its inputs their values; other names get seeded values', () => {
    const src = 'a = 2.0\nb = a * c\nd = b + 1.0\n';
    const r = analyze(src, { kind: 'lines', from: 2, to: 3 }, {}, { check: false });
    assert.equal(r.inputs.a.source, 'constant');
    assert.deepEqual([...r.inputs.a.value], [2.0]);
    assert.equal(r.inputs.c.source, 'random');
    assert.equal(r.output!.name, 'd');
    assert.deepEqual([...r.inputs.c.grad!], [2.0]);
  });

  it('the same seed gives the same inputs; another seed other ones', () => {
    const src = 'def f(x):\n    """x: (N, D)"""\n    return (x * x).sum()\n';
    const a = analyze(src, fn('f'), {}, { check: false, seed: 1 });
    const b = analyze(src, fn('f'), {}, { check: false, seed: 1 });
    const c = analyze(src, fn('f'), {}, { check: false, seed: 2 });
    assert.deepEqual(a.inputs.x.value, b.inputs.x.value);
    assert.notDeepEqual(a.inputs.x.value, c.inputs.x.value);
  });
});

describe('the gradient check on large inputs', () => {
  it('samples 25 elements plus directional checks above 1,000 elements and counts the forward passes', () => {
    const src = 'import numpy as np\ndef f(W):\n    """W: (H, M) with H=40, M=30"""\n    return np.sum(np.tanh(W) ** 2)\n';
    const r = analyze(src, fn('f'));
    const check = r.gradcheck.W;
    assert.equal(check.mode, 'sampled');
    assert.equal(check.checked, 25);
    assert.equal(check.directional!.count, 3);
    assert.equal(check.status, 'pass');
    assert.equal(r.forwardPasses, 2 * 25 + 2 * 3);
  });
});
