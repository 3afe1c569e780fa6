import * as assert from 'node:assert/strict';
import { asMatrix, formatNumber, formatRelError, formatShape, formatSymbolicShape, previewValues } from '../../../webview/format';

describe('webview format', () => {
  describe('formatNumber writes four significant digits, as micrograd does', () => {
    const cases: [number, string][] = [
      [0.7310585786300049, '0.7311'], // the lecture's sigmoid output
      [-0.19661193324148188, '-0.1966'], // its dL/dw0
      [0.39322386648296376, '0.3932'],
      [2, '2'],
      [-3, '-3'],
      [17.725861791895102, '17.73'],
      [1.3678794411714423, '1.368'],
      [0.001, '0.001'],
      [3.4641440802588744e-9, '3.464e-9'],
      [-2.7755575615628914e-17, '-2.776e-17'],
      [123456, '1.235e5'],
      [-0, '0'],
      [Number.NaN, 'NaN'],
      [Infinity, '∞'],
      [-Infinity, '-∞'],
    ];
    for (const [value, text] of cases) {
      it(`${value} → ${text}`, () => assert.equal(formatNumber(value), text));
    }
  });

  it('relative errors read as orders of magnitude with two digits', () => {
    assert.equal(formatRelError(3.4641440802588744e-9), '3.5e-9');
    assert.equal(formatRelError(5.217406820041101e-12), '5.2e-12');
    assert.equal(formatRelError(1), '1');
    assert.equal(formatRelError(0), '0');
    assert.equal(formatRelError(0.0123), '0.012');
  });

  it('shapes are spelled as NumPy prints them', () => {
    assert.equal(formatShape([]), '()');
    assert.equal(formatShape([4]), '(4,)');
    assert.equal(formatShape([4, 3]), '(4, 3)');
  });

  it('symbolic dims from docstrings show beside their sizes', () => {
    assert.equal(formatSymbolicShape([5, 3], ['D', 'C']), '(D=5, C=3)');
    assert.equal(formatSymbolicShape([4], ['N']), '(N=4,)');
    assert.equal(formatSymbolicShape([4, 3], null), '(4, 3)');
  });

  it('previews elide what does not fit, as NumPy repr does', () => {
    assert.equal(previewValues([0.7310585786300049], []), '0.7311');
    assert.equal(previewValues([1, 2, 3], [3], 6), '[1, 2, 3]');
    assert.equal(previewValues([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3], 4), '[[1, 2, 3], [4, …], …]');
    assert.equal(previewValues([1, 2, 3, 4, 5, 6], [2, 1, 3], 6), '[[[1, 2, 3]], [[4, 5, 6]]]');
  });

  it('vectors become one heatmap row and matrices keep their rows', () => {
    assert.deepEqual(asMatrix([1, 2, 3], [3]), { rows: 1, cols: 3, values: [1, 2, 3] });
    assert.deepEqual(asMatrix([1, 2, 3, 4, 5, 6], [3, 2]), { rows: 3, cols: 2, values: [1, 2, 3, 4, 5, 6] });
    assert.equal(asMatrix([1], []), null);
    assert.equal(asMatrix([1], [1, 1, 1]), null);
    assert.equal(asMatrix([1, 2, 3], [2, 2]), null);
  });
});
