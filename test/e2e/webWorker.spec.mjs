// The browser build's analysis worker (dist/web/worker.js, what the web extension starts) as a
// real Web Worker in Chromium: the engine runs there without Node.
/* global describe, it, before, after, Worker, Blob, URL, process */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, playwright } from './helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the web extension\'s analysis worker', function () {
  let browser;
  before(async function () {
    browser = await playwright().chromium.launch({ executablePath: process.env.GRADLENS_E2E_CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async function () {
    await browser?.close();
  });

  it('checks softmax_loss in a Web Worker and answers with progress and a Report', async function () {
    const page = await browser.newPage();
    const code = fs.readFileSync(path.join(root, 'dist', 'web', 'worker.js'), 'utf8');
    const source = fs.readFileSync(path.join(root, 'examples', 'losses.py'), 'utf8');
    const answer = await page.evaluate(({ code, source }) => new Promise((resolve) => {
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      const types = [];
      worker.onmessage = (e) => {
        types.push(e.data.type);
        if (e.data.type !== 'progress') resolve({ types, id: e.data.id, ok: e.data.report?.ok, status: e.data.report?.gradcheck?.W?.status, guessed: e.data.guessedInputs });
      };
      worker.onerror = (e) => resolve({ error: e.message });
      worker.postMessage({ type: 'analyze', id: 3, source, target: { kind: 'function', name: 'softmax_loss' }, options: { check: true, dims: { N: 4, D: 5, C: 3, H: 6 } } });
    }), { code, source });
    assert.equal(answer.error, undefined);
    assert.equal(answer.id, 3);
    assert.equal(answer.types[answer.types.length - 1], 'result');
    assert.ok(answer.types.includes('progress'));
    assert.equal(answer.ok, true);
    assert.equal(answer.status, 'pass');
    assert.deepEqual(answer.guessed, []);
  });
});
