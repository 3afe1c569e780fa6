// Hand-written gradients in each convention, correct and with a planted bug: a wrong local gradient,
// a missing sum over the batch axis, a transposed product, a sign error.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/analysis/analyze';
import type { Report } from '../../src/analysis/report';

const examples = join(__dirname, '..', '..', 'examples');
const sigmoid = readFileSync(join(examples, 'sigmoid_neuron.py'), 'utf8');

const brief = (r: Report): string[] => r.mismatches.map((m) => `${m.kind} ${m.name}→${m.target} @${m.line}`);

function lineOf(source: string, text: string): number {
  const index = source.split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `the program has a line with ${text}`);
  return index + 1;
}

const twoLayer = `import numpy as np

def two_layer_loss(X, y, W1, b1, W2, b2, reg):
    """Two-layer net loss and gradients.

    Inputs:
    - X: Input data of shape (N, D).
    - y: Vector of training labels of shape (N,); 0 <= y[i] < C.
    - W1: First layer weights; has shape (D, H)
    - b1: First layer biases; has shape (H,)
    - W2: Second layer weights; has shape (H, C)
    - b2: Second layer biases; has shape (C,)
    - reg: Regularization strength.
    """
    N = X.shape[0]
    hidden = np.maximum(0, X.dot(W1) + b1)
    scores = hidden.dot(W2) + b2
    scores -= np.max(scores, axis=1, keepdims=True)
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    grads = {}
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
    grads['W2'] = hidden.T.dot(dscores) + 2 * reg * W2
    grads['b2'] = np.sum(dscores, axis=0)
    dhidden = dscores.dot(W2.T)
    dhidden[hidden <= 0] = 0
    grads['W1'] = X.T.dot(dhidden) + 2 * reg * W1
    grads['b1'] = np.sum(dhidden, axis=0)
    return loss, grads
`;

const pairs = `import numpy as np

def affine_forward(x, w, b):
    """x: (N, D), w: (D, M), b: (M,)"""
    out = x.dot(w) + b
    return out, (x, w, b)

def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout.dot(w.T)
    dw = x.T.dot(dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db

def relu_forward(x):
    out = np.maximum(0, x)
    return out, x

def relu_backward(dout, cache):
    x = cache
    dx = dout * (x > 0)
    return dx

def affine_relu_forward(x, w, b):
    """x: (N, D), w: (D, M), b: (M,)"""
    a, fc_cache = affine_forward(x, w, b)
    out, relu_cache = relu_forward(a)
    return out, (fc_cache, relu_cache)

def affine_relu_backward(dout, cache):
    fc_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    dx, dw, db = affine_backward(da, fc_cache)
    return dx, dw, db

def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """
    - x: Data of shape (N, D)
    - gamma: Scale parameter of shape (D,)
    - beta: Shift parameter of shape (D,)
    """
    mu = np.mean(x, axis=0)
    xmu = x - mu
    var = np.mean(xmu ** 2, axis=0)
    std = np.sqrt(var + eps)
    xhat = xmu / std
    out = gamma * xhat + beta
    return out, (xhat, gamma, std)

def batchnorm_backward(dout, cache):
    xhat, gamma, std = cache
    N = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    dx = (1.0 / N) / std * (N * dxhat - np.sum(dxhat, axis=0) - xhat * np.sum(dxhat * xhat, axis=0))
    return dx, dgamma, dbeta

def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """
    - x: Input data for this timestep, of shape (N, D).
    - prev_h: Hidden state from previous timestep, of shape (N, H)
    - Wx: Weight matrix for input-to-hidden connections, of shape (D, H)
    - Wh: Weight matrix for hidden-to-hidden connections, of shape (H, H)
    - b: Biases of shape (H,)
    """
    next_h = np.tanh(x.dot(Wx) + prev_h.dot(Wh) + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)

def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dtanh = dnext_h * (1 - next_h ** 2)
    dx = dtanh.dot(Wx.T)
    dprev_h = dtanh.dot(Wh.T)
    dWx = x.T.dot(dtanh)
    dWh = prev_h.T.dot(dtanh)
    db = np.sum(dtanh, axis=0)
    return dx, dprev_h, dWx, dWh, db
`;

const fn = (name: string) => ({ kind: 'function' as const, name });

describe('hand-written gradients: grad_X names in flat code', () => {
  it('the lecture\'s flat backward pass (lines 16-31) agrees with autograd', () => {
    const r = analyze(sigmoid, { kind: 'lines', from: 16, to: 31 });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(brief(r), []);
  });

  it('a wrong local gradient is flagged at its line, and leads the list of what it made wrong', () => {
    const bad = sigmoid.replace('grad_s3 = grad_L * (1 - L) * L', 'grad_s3 = grad_L * (1 - L)');
    const r = analyze(bad, { kind: 'lines', from: 16, to: 31 });
    assert.equal(r.mismatches[0].name, 'grad_s3');
    assert.equal(r.mismatches[0].line, 23);
    assert.ok(r.mismatches.every((m) => m.kind === 'value'));
    assert.ok(r.mismatches.length > 1, 'the gradients computed from grad_s3 are wrong too');
  });

  it('a sign error in one product is flagged on that line only', () => {
    const r = analyze(sigmoid.replace('grad_w0 = grad_s0 * x0', 'grad_w0 = -grad_s0 * x0'), { kind: 'lines', from: 16, to: 31 });
    assert.deepEqual(brief(r), ['value grad_w0→w0 @30']);
  });

  it('the output of a selection is the last variable that is not a gradient', () => {
    const r = analyze(sigmoid, { kind: 'lines', from: 16, to: 31 });
    assert.equal(r.output!.name, 'L');
  });
});

describe('hand-written gradients: return loss, grads (a dict keyed by parameter)', () => {
  it('the cs231n two-layer net agrees, dhidden[hidden <= 0] = 0 included', () => {
    const r = analyze(twoLayer, fn('two_layer_loss'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(brief(r), []);
    assert.equal(r.gradcheck.W1.status, 'pass');
    assert.equal(r.gradcheck.W1.userGradient?.name, "grads['W1']");
  });

  it('a missing sum over the batch axis is a shape mismatch on grads[\'b2\']', () => {
    const bad = twoLayer.replace("grads['b2'] = np.sum(dscores, axis=0)", "grads['b2'] = dscores");
    const r = analyze(bad, fn('two_layer_loss'));
    assert.deepEqual(brief(r), [`shape grads['b2']→b2 @${lineOf(bad, "grads['b2'] = dscores")}`]);
    assert.deepEqual(r.mismatches[0].actualShape, [4, 3]);
    assert.deepEqual(r.mismatches[0].expectedShape, [3]);
  });

  it('a transposed product is a shape mismatch on grads[\'W2\']', () => {
    const bad = twoLayer.replace("grads['W2'] = hidden.T.dot(dscores) + 2 * reg * W2", "grads['W2'] = dscores.T.dot(hidden) + 2 * reg * W2.T");
    const r = analyze(bad, fn('two_layer_loss'));
    assert.deepEqual(brief(r), [`shape grads['W2']→W2 @${lineOf(bad, "grads['W2'] =")}`]);
  });

  it('a sign error is a value mismatch with its relative error', () => {
    const bad = twoLayer.replace("grads['W1'] = X.T.dot(dhidden) + 2 * reg * W1", "grads['W1'] = -X.T.dot(dhidden) + 2 * reg * W1");
    const r = analyze(bad, fn('two_layer_loss'));
    assert.deepEqual(brief(r), [`value grads['W1']→W1 @${lineOf(bad, "grads['W1'] =")}`]);
    assert.ok(r.mismatches[0].maxRelError > 0.5);
  });

  it('a wrong intermediate leads: dhidden forgetting W2 is flagged before the gradient built from it', () => {
    const bad = twoLayer.replace('dhidden = dscores.dot(W2.T)', 'dhidden = dscores.dot(W2.T) * 2.0 + 1.0');
    const r = analyze(bad, fn('two_layer_loss'));
    assert.equal(r.mismatches[0].name, 'dhidden');
    assert.ok(r.mismatches.some((m) => m.name === "grads['W1']"));
  });
});

describe('hand-written gradients: return loss, dW', () => {
  const losses = readFileSync(join(examples, 'losses.py'), 'utf8');

  it('softmax_loss with docstring shapes and no INPUTS.json agrees', () => {
    const r = analyze(losses, fn('softmax_loss'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(brief(r), []);
    assert.deepEqual(r.inputs.W.shape, [5, 3]);
    assert.deepEqual(r.inputs.X.shape, [4, 5]);
    assert.deepEqual(r.inputs.y.shape, [4]);
    assert.equal(r.inputs.y.dtype, 'int64');
    assert.ok([...r.inputs.y.value].every((c) => Number.isInteger(c) && c >= 0 && c < 3), 'labels are classes 0 <= y[i] < C');
    assert.deepEqual(r.inputs.reg.shape, []);
    assert.deepEqual(r.inputs.W.symbolicShape, ['D', 'C']);
  });

  it('forgetting to divide by N is flagged on dW', () => {
    const bad = losses.replace('dW = X.T.dot(dscores) / N + 2 * reg * W', 'dW = X.T.dot(dscores) + 2 * reg * W');
    const r = analyze(bad, fn('softmax_loss'));
    assert.deepEqual(brief(r), ['value dW→W @48']);
  });
});

describe('hand-written gradients: NAME_forward / NAME_backward pairs', () => {
  for (const layer of ['affine', 'relu', 'affine_relu', 'batchnorm', 'rnn_step']) {
    it(`${layer}_backward agrees with autograd through ${layer}_forward`, () => {
      const r = analyze(pairs, fn(`${layer}_forward`));
      assert.deepEqual(r.errors, []);
      assert.deepEqual(brief(r), []);
      for (const [name, check] of Object.entries(r.gradcheck)) assert.notEqual(check.status, 'fail', name);
    });
  }

  it('affine_backward without the sum over the batch is a shape mismatch on db', () => {
    const bad = pairs.replace('db = np.sum(dout, axis=0)', 'db = dout');
    const r = analyze(bad, fn('affine_forward'));
    assert.deepEqual(brief(r), [`shape db→b @${lineOf(bad, 'db = dout')}`]);
  });

  it('a transposed product in affine_backward is a shape mismatch on dw', () => {
    const bad = pairs.replace('dw = x.T.dot(dout)', 'dw = dout.T.dot(x)');
    const r = analyze(bad, fn('affine_forward'));
    assert.deepEqual(brief(r), [`shape dw→w @${lineOf(bad, 'dw = dout.T.dot(x)')}`]);
  });

  it('a sign error in the RNN step is a value mismatch on dprev_h', () => {
    const bad = pairs.replace('dprev_h = dtanh.dot(Wh.T)', 'dprev_h = -dtanh.dot(Wh.T)');
    const r = analyze(bad, fn('rnn_step_forward'));
    assert.deepEqual(brief(r), [`value dprev_h→prev_h @${lineOf(bad, 'dprev_h = -dtanh')}`]);
  });

  it('a wrong local gradient in batchnorm_backward is a value mismatch on dx', () => {
    const bad = pairs.replace('- xhat * np.sum(dxhat * xhat, axis=0))', ')');
    const r = analyze(bad, fn('batchnorm_forward'));
    assert.deepEqual(brief(r), [`value dx→x @${lineOf(bad, 'dx = (1.0 / N)')}`]);
  });

  it('the sandwich layer reports a bug in the layer it calls', () => {
    const bad = pairs.replace('dx = dout * (x > 0)', 'dx = dout');
    const r = analyze(bad, fn('affine_relu_forward'));
    assert.ok(r.mismatches.length > 0);
    assert.ok(r.mismatches.every((m) => m.kind === 'value'));
  });

  it('a parameter named dout is an input, not a hand-written gradient', () => {
    const src = 'import numpy as np\n\ndef scale(out, dout):\n    """out: (N, D), dout: (N, D)"""\n    return np.sum(out * dout)\n';
    const r = analyze(src, fn('scale'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(brief(r), []);
  });
});

describe('kinks', () => {
  it('relu at exactly 0 is reported as a kink with its index, not as a failure', () => {
    const src = 'import numpy as np\n\ndef relu_sum(x):\n    return np.sum(np.maximum(0, x) * np.array([4.0, -1.0, 5.0, 9.0]))\n';
    const r = analyze(src, fn('relu_sum'), { x: [1.0, 0.0, 3.0, -1.0] });
    assert.equal(r.gradcheck.x.status, 'kink');
    assert.deepEqual(r.gradcheck.x.kinks, [[1]]);
    assert.ok(r.ok, 'a kink alone is clean');
  });

  it('an if on a traced value that flips between x-h and x+h is a kink', () => {
    const src = 'def hinge(m):\n    if m > 0:\n        return m * 2.0\n    return m * 0.5\n';
    const r = analyze(src, fn('hinge'), { m: 0.0 });
    assert.equal(r.gradcheck.m.status, 'kink');
  });
});
