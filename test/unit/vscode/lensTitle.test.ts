import { strict as assert } from 'node:assert';
import { checkLensTitle, idleLensTitle, runningLensTitle } from '../../../src/vscode/lensTitle';
import { exampleReport, exampleSource, reportOf } from './examples';

describe('the Gradient check lens title', () => {
  it('reads "✓ gradients OK" with the worst relative error when every check passes', () => {
    const report = exampleReport('losses.py', 'softmax_loss');
    assert.equal(report.ok, true);
    // softmax_loss's dW and autograd agree with central differences to about 1e-9 (examples/expected.json).
    assert.match(checkLensTitle(report, false), /^✓ gradients OK · max rel err \de-(9|1\d)$/);
  });

  it('names a hand-written gradient whose values are wrong, with its relative error', () => {
    // layers.py's leaky_backward forgets the slope alpha: dx disagrees, and dalpha has the wrong shape.
    const report = exampleReport('layers.py', 'leaky_forward');
    assert.equal(checkLensTitle(report, false), '✗ dx: value mismatch (rel err 1) (+1 more)');
  });

  it('names a hand-written gradient of the wrong shape with both shapes', () => {
    // affine_backward without the sum over the batch: db is (N, M) = (4, 7) but b is (M,) = (7,).
    const source = exampleSource('layers.py').replace('db = np.sum(dout, axis=0)', 'db = dout');
    assert.equal(checkLensTitle(reportOf(source, 'affine_forward'), false), '✗ db: shape (4, 7) but b is (7,)');
  });

  it('leads with the line of a forward error and shortens its message', () => {
    const title = checkLensTitle(exampleReport('shape_error.py', 'scores_of'), false);
    assert.match(title, /^✗ line 7: hidden\.dot\(W\): shapes \(2, 3\) and \(4, 3\) not aligned/);
    const message = title.slice('✗ line 7: '.length);
    assert.ok(message.length <= 60 && message.endsWith('…'), `shortened to 60 characters: ${message}`);
  });

  it('says when a check is borderline', () => {
    // A coarse step makes the central differences of the curved softmax loss only roughly right.
    const report = exampleReport('losses.py', 'softmax_loss', {}, { gradcheck: { h: 1e-2 } });
    assert.match(checkLensTitle(report, false), /^⚠ \w+: rel err \de-\d+ \(borderline\)/);
  });

  it('reads "Gradient check" before any check, and says when one is running', () => {
    assert.equal(checkLensTitle(null, false), idleLensTitle);
    assert.equal(checkLensTitle(exampleReport('losses.py', 'softmax_loss'), true), runningLensTitle);
  });
});
