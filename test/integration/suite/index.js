// In-host API tests: mocha inside the extension host, against the built extension (dist/).
// Run by scripts/test-integration.mjs (@vscode/test-electron) and scripts/e2e/in-host.mjs
// (code-server with the smoke-test driver). Plain CommonJS, no build step.
/* global require, module, __dirname, setTimeout, console, suite, suiteSetup, test */
/* eslint-disable no-restricted-syntax -- mocha is loaded from the repo's node_modules by a path built from __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS without a build step: the extension host require()s it */
'use strict';
const path = require('path');
const assert = require('assert');
const vscode = require('vscode');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const mochaModule = require(path.join(repoRoot, 'node_modules', 'mocha'));
const Mocha = mochaModule.Mocha || mochaModule.default || mochaModule;

const examples = path.join(repoRoot, 'examples');
const uriOf = (name) => vscode.Uri.file(path.join(examples, name));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value; fails with `what` and the last value seen. */
async function poll(what, probe, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last && last.ok) return last.value;
    } catch (e) {
      last = { error: String(e) };
    }
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}; last seen: ${JSON.stringify(last && (last.seen ?? last.error ?? last))}`);
    await sleep(250);
  }
}

function hoverText(hovers) {
  return (hovers || [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** The position of `word` on the first line at or after `fromLine` that matches `lineRe`. */
function positionOf(document, lineRe, word, fromLine = 0) {
  for (let line = fromLine; line < document.lineCount; line++) {
    const text = document.lineAt(line).text;
    if (lineRe.test(text)) return new vscode.Position(line, text.indexOf(word) + 1);
  }
  throw new Error(`no line matching ${lineRe} in ${document.uri.fsPath}`);
}

function lineOf(document, re) {
  for (let line = 0; line < document.lineCount; line++) if (re.test(document.lineAt(line).text)) return line;
  throw new Error(`no line matching ${re}`);
}

function defineTests() {
  suite('GradLens in-host API', function () {
    this.timeout(120000);
    let losses;

    suiteSetup(async () => {
      losses = await vscode.workspace.openTextDocument(uriOf('losses.py'));
      await vscode.workspace.openTextDocument(uriOf('layers.py'));
      await vscode.workspace.openTextDocument(uriOf('shape_error.py'));
      await vscode.window.showTextDocument(losses);
      assert.strictEqual(losses.languageId, 'python');
      const ext = vscode.extensions.all.find((e) => e.packageJSON && e.packageJSON.name === 'gradlens');
      assert.ok(ext, 'GradLens is not loaded');
      await ext.activate();
    });

    test('hover on probs in softmax_loss names (4, 3) and ∂L/∂probs', async () => {
      const defLine = lineOf(losses, /^def softmax_loss\(/);
      const pos = positionOf(losses, /^\s+probs = /, 'probs', defLine);
      const text = await poll('a hover on probs', async () => {
        const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', losses.uri, pos));
        return { ok: t.includes('(4, 3)') && t.includes('∂L/∂probs'), value: t, seen: t };
      });
      console.log(`    hover: ${text.replace(/\s*\n\s*/g, ' | ')}`);
    });

    test('code lenses above def softmax_loss, and ✓ after gradlens.checkGradients', async () => {
      const defLine = lineOf(losses, /^def softmax_loss\(/);
      const titlesAtDef = async () => {
        const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', losses.uri, 100)) || [];
        return lenses.filter((l) => l.range.start.line === defLine && l.command).map((l) => l.command.title);
      };
      const before = await poll('the lenses of softmax_loss', async () => {
        const titles = await titlesAtDef();
        return { ok: titles.includes('Gradient check') && titles.includes('Show Gradients'), value: titles, seen: titles };
      });
      console.log(`    lenses before: ${JSON.stringify(before)}`);
      await vscode.commands.executeCommand('gradlens.checkGradients', losses.uri, 'softmax_loss');
      const after = await poll('a ✓ lens on softmax_loss', async () => {
        const titles = await titlesAtDef();
        return { ok: titles.some((t) => t.startsWith('✓')), value: titles, seen: titles };
      });
      console.log(`    lenses after check: ${JSON.stringify(after)}`);
    });

    test('shape_error.py gets an error on line 7 naming (2, 3) and (4, 3)', async () => {
      const uri = uriOf('shape_error.py');
      const diag = await poll('the shape error diagnostic', async () => {
        const all = vscode.languages.getDiagnostics(uri);
        const hit = all.find((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === 6 && d.message.includes('(2, 3)') && d.message.includes('(4, 3)'));
        return { ok: !!hit, value: hit, seen: all.map((d) => `${d.range.start.line}: ${d.message}`) };
      });
      console.log(`    diagnostic: line ${diag.range.start.line + 1}: ${diag.message}`);
    });
  });
}

function run() {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'in-host', mocha);
  return new Promise((resolve, reject) => {
    try {
      // Tests are defined in this file, so bind the tdd globals by hand instead of mocha.addFile.
      defineTests();
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-host test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}

module.exports = { run };
