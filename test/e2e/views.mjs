// The extension host's views, as one set of tests that the desktop and the web extension share.
//
// Each test leaves screenshots of what it checked. The desktop run's are the ones the README
// shows (`docs: true`, copied to docs/screenshots/ by `run.mjs --update-docs`); the web run
// takes the same ones with a `web-` prefix, so they don't overwrite each other.
/* global it, before, beforeEach */
import * as assert from 'node:assert/strict';
import { SLOW_TIMEOUT } from './helpers.mjs';

/** The window of the Problems screenshots: the code above, the Problems panel below. */
const problemsWindow = { width: 1280, height: 560 };
const problemsPanelHeight = 200;

/**
 * Registers the tests; `wb` is useWorkbench()'s getter. `prefix` goes before every screenshot's
 * name; `docs` marks the screenshots for docs/screenshots/.
 */
export function viewTests(wb, { prefix = '', docs = false } = {}) {
  const screenshot = (name, options = {}) => wb().screenshot(`${prefix}${name}`, { ...options, docs });

  // The editors get the whole window: the screenshots show the code, the lenses and the panel.
  before(async function () {
    await wb().hideSideBar();
  });
  // Every test starts without the Problems panel below the editors.
  beforeEach(async function () {
    await wb().hidePanel();
  });

  it('reports the shape error of shape_error.py at line 7 as soon as the file opens', async function () {
    await wb().openFile('shape_error.py');
    const problems = await wb().problems({ wait: (ps) => ps.some((p) => p.file === 'shape_error.py' && p.line === 7), timeout: SLOW_TIMEOUT });
    const shape = problems.find((p) => p.file === 'shape_error.py' && p.line === 7);
    assert.equal(shape.severity, 'error');
    assert.match(shape.message, /\(2, 3\) and \(4, 3\)/);
    assert.match(shape.source, /GradLens/);
    // A smaller window: the code with its squiggle right above the Problems panel.
    await wb().resize(problemsWindow);
    try {
      await wb().setPanelHeight(problemsPanelHeight);
      await screenshot('problems-shape-error');
    } finally {
      await wb().resize();
    }
  });

  it('marks the wrong leaky_backward lines of layers.py, and nothing in the correct layers', async function () {
    await wb().openFile('layers.py');
    const problems = await wb().problems({ wait: (ps) => ps.filter((p) => p.file === 'layers.py').length >= 2, timeout: SLOW_TIMEOUT });
    const lines = problems.filter((p) => p.file === 'layers.py').map((p) => [p.severity, p.line]);
    assert.deepEqual(lines, [['error', 40], ['error', 41]]);
  });

  it('checks softmax_loss from its code lens and shows the verdict in the lens', async function () {
    await wb().openFile('losses.py');
    await wb().gotoLine(27);
    await wb().waitForCodeLens('Show Gradients');
    await wb().clickCodeLens('Gradient check', { line: 27 });
    const lens = await wb().waitForCodeLens(/✓ gradients OK · max rel err \de-\d+/, { timeout: SLOW_TIMEOUT });
    assert.equal(lens.line, 27);
    await screenshot('lens-softmax', { clip: await wb().linesBox(27, 35, { width: 960 }) });
  });

  it('checks leaky_forward from its code lens and names the wrong dx in the lens', async function () {
    await wb().openFile('layers.py');
    await wb().gotoLine(31);
    await wb().waitForCodeLens('Show Gradients');
    await wb().clickCodeLens('Gradient check', { line: 31 });
    const lens = await wb().waitForCodeLens(/^✗ dx: value mismatch/, { timeout: SLOW_TIMEOUT });
    assert.equal(lens.line, 31);
    await screenshot('lens-leaky', { clip: await wb().linesBox(31, 42, { width: 960 }) });
  });

  it('shows the shape of probs and of its gradient on hover', async function () {
    await wb().openFile('losses.py');
    const text = await wb().hover(44, 'probs', { contains: '∂L/∂probs', timeout: SLOW_TIMEOUT });
    assert.match(text, /probs: float64 \(N, C\) = \(4, 3\)/);
    assert.match(text, /∂L\/∂probs: \(4, 3\)/);
    await screenshot('hover-probs', { clip: [await wb().hoverBox(), await wb().linesBox(41, 48, { width: 960 })], keepMouse: true });
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

  it('shows the graph of the flat sigmoid neuron for the selected lines, and a wrong grad_x1 once saved', async function () {
    await wb().closeAllEditors();
    await wb().openFile('sigmoid_neuron.py');
    await wb().selectLines(16, 31);
    await wb().runCommand('GradLens: Show Gradients');
    const text = await wb().webviewText({ contains: 'L = 0.7311', timeout: SLOW_TIMEOUT });
    assert.match(text, /^lines 16-31\b/);
    assert.match(text, /✓ gradients check out: 5 inputs/);
    assert.doesNotMatch(text, /mismatch/i);
    // Each input's row: name, shape, source, value, gradient ∂L/∂input, check.
    for (const [name, value, grad] of [['w0', '2', '-0.1966'], ['x0', '-1', '0.3932'], ['w1', '-3', '-0.3932'], ['x1', '-2', '-0.5898'], ['w2', '-3', '0.1966']]) {
      assert.match(text, new RegExp(`^▸ ${name}\\s+\\(\\)\\s+constant\\s+${value}\\s+${grad}\\s+✓ pass\\b`, 'm'), `the row of ${name}`);
    }
    await screenshot('panel-sigmoid');

    try {
      // A typo in the backward pass: the local gradient of x1 is w1, not x1. Saving re-analyzes.
      await wb().editLine(29, 'grad_x1 = grad_s1 * x1');
      const wrong = await wb().webviewText({ contains: '✗ 1 gradient mismatch, first grad_x1 at line 29', timeout: SLOW_TIMEOUT });
      assert.match(wrong, /^value\s+grad_x1\s+x1\s+max rel err 0\.2 against autograd.*\s+line 29$/m);
      assert.match(wrong, /L = 0\.7311/);
      await screenshot('panel-sigmoid-mismatch');
    } finally {
      await wb().restoreFile('sigmoid_neuron.py');
      await wb().closeAllEditors();
    }
  });

  // A selection with an open panel feeds the Problems panel like a function does.
  it('reports the wrong grad_x1 of the flat sigmoid neuron in the Problems panel too', async function () {
    await wb().closeAllEditors();
    await wb().openFile('sigmoid_neuron.py');
    await wb().selectLines(16, 31);
    await wb().runCommand('GradLens: Show Gradients');
    await wb().webviewText({ contains: 'L = 0.7311', timeout: SLOW_TIMEOUT });
    try {
      await wb().editLine(29, 'grad_x1 = grad_s1 * x1');
      await wb().webviewText({ contains: 'first grad_x1 at line 29', timeout: SLOW_TIMEOUT });
      const problems = await wb().problems({ wait: (ps) => ps.some((p) => p.file === 'sigmoid_neuron.py' && p.line === 29), timeout: SLOW_TIMEOUT });
      const mismatch = problems.find((p) => p.file === 'sigmoid_neuron.py' && p.line === 29);
      assert.equal(mismatch.severity, 'error');
      assert.match(mismatch.message, /grad_x1/);
      await screenshot('problems-sigmoid-mismatch');
    } finally {
      await wb().restoreFile('sigmoid_neuron.py');
      await wb().closeAllEditors();
    }
  });
}
