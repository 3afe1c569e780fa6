// The extension host's views, as one set of tests that the desktop and the web extension share.
/* global it */
import * as assert from 'node:assert/strict';
import { SLOW_TIMEOUT } from './helpers.mjs';

/** Registers the tests; `wb` is useWorkbench()'s getter. */
export function viewTests(wb) {
  it('reports the shape error of shape_error.py at line 7 as soon as the file opens', async function () {
    await wb().openFile('shape_error.py');
    const problems = await wb().problems({ wait: (ps) => ps.some((p) => p.file === 'shape_error.py' && p.line === 7), timeout: SLOW_TIMEOUT });
    const shape = problems.find((p) => p.file === 'shape_error.py' && p.line === 7);
    assert.equal(shape.severity, 'error');
    assert.match(shape.message, /\(2, 3\) and \(4, 3\)/);
    assert.match(shape.source, /GradLens/);
  });

  it('marks the wrong leaky_backward lines of layers.py, and nothing in the correct layers', async function () {
    await wb().openFile('layers.py');
    const problems = await wb().problems({ wait: (ps) => ps.filter((p) => p.file === 'layers.py').length >= 2, timeout: SLOW_TIMEOUT });
    const lines = problems.filter((p) => p.file === 'layers.py').map((p) => [p.severity, p.line]);
    assert.deepEqual(lines, [['error', 40], ['error', 41]]);
  });

  it('checks softmax_loss from its code lens and shows the verdict in the lens', async function () {
    await wb().openFile('losses.py');
    await wb().waitForCodeLens('Show Gradients');
    await wb().clickCodeLens('Gradient check', { line: 27 });
    const lens = await wb().waitForCodeLens(/✓ gradients OK · max rel err \de-\d+/, { timeout: SLOW_TIMEOUT });
    assert.equal(lens.line, 27);
  });

  it('shows the shape of probs and of its gradient on hover', async function () {
    await wb().openFile('losses.py');
    const text = await wb().hover(44, 'probs', { contains: '∂L/∂probs', timeout: SLOW_TIMEOUT });
    assert.match(text, /probs: float64 \(N, C\) = \(4, 3\)/);
    assert.match(text, /∂L\/∂probs: \(4, 3\)/);
  });

  it('opens the gradients panel for the function at the cursor from the palette', async function () {
    await wb().openFile('losses.py');
    await wb().gotoLine(44);
    await wb().runCommand('GradLens: Show Gradients');
    const text = await wb().webviewText({ contains: 'softmax_loss', timeout: SLOW_TIMEOUT });
    assert.doesNotMatch(text, /GradLens failed/);
    // The page's script and styles load under the panel's Content Security Policy.
    assert.deepEqual(wb().consoleErrors.filter((e) => /Content Security Policy|Refused to (load|execute|apply)/i.test(e)), []);
  });
}
