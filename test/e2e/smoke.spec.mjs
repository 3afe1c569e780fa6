// Smoke test of the e2e harness itself: a real VS Code (code-server) in headless Chromium
// opens an example file and shows it. It does not depend on what the extension contributes.
/* global describe, it */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { useWorkbench } from './helpers.mjs';

describe('e2e harness smoke', function () {
  const wb = useWorkbench();

  it('opens sigmoid_neuron.py in the editor', async function () {
    await wb().openFile('sigmoid_neuron.py');
    const text = await wb().waitForEditorText('def neuron');
    assert.match(text, /def neuron\(w0=2\.0/);
    assert.match(text, /def sigmoid\(x\):/);
    const tab = await wb().tab('sigmoid_neuron.py').getAttribute('aria-selected');
    assert.equal(tab, 'true');
    const shot = await wb().screenshot('smoke-sigmoid_neuron');
    assert.ok(fs.statSync(shot).size > 10_000, `screenshot ${shot} looks empty`);
  });
});
