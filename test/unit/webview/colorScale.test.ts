import * as assert from 'node:assert/strict';
import { heatColor, legendGradient, scaleColor, symmetricLimit } from '../../../webview/colorScale';

describe('webview diverging color scale', () => {
  it('is centered at 0: zero is the background, the sign picks the side', () => {
    assert.deepEqual(scaleColor(0, 2), { side: 'zero', strength: 0 });
    assert.deepEqual(scaleColor(1, 2), { side: 'positive', strength: 0.5 });
    assert.deepEqual(scaleColor(-2, 2), { side: 'negative', strength: 1 });
  });

  it('uses one limit for both sides, so equal magnitudes get equal strength', () => {
    const limit = symmetricLimit([-0.2, 0.5, 0.3, 0.1]);
    assert.equal(limit, 0.5);
    assert.equal(scaleColor(-0.5, limit).strength, scaleColor(0.5, limit).strength);
  });

  it('ignores NaN and infinities when choosing the limit, and saturates them', () => {
    assert.equal(symmetricLimit([1, Number.NaN, -Infinity, -3]), 3);
    assert.deepEqual(scaleColor(Infinity, 3), { side: 'positive', strength: 1 });
  });

  it('an all-zero matrix is all background', () => {
    assert.equal(heatColor(0, 0), 'var(--gl-heat-zero)');
    assert.equal(legendGradient(0), 'var(--gl-heat-zero)');
  });

  it('colors are theme colors mixed into the background, stronger for larger magnitudes', () => {
    const weak = heatColor(0.1, 1);
    const strong = heatColor(-1, 1);
    assert.match(weak, /^color-mix\(in srgb, var\(--gl-heat-positive\) 17%, var\(--gl-heat-zero\)\)$/);
    assert.match(strong, /var\(--gl-heat-negative\) 100%/);
  });

  it('the legend runs from -limit through 0 to +limit', () => {
    const gradient = legendGradient(2);
    assert.match(gradient, /^linear-gradient\(to right, /);
    assert.match(gradient, /--gl-heat-negative\) 100%, var\(--gl-heat-zero\)\) 0%/);
    assert.match(gradient, /var\(--gl-heat-zero\) 50%/);
  });
});
