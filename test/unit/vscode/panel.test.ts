import { strict as assert } from 'node:assert';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../../src/vscode/panelHtml';
import { DocumentShape, parsePanelMessage, parsePanelState } from '../../../src/vscode/panelMessages';

describe('the gradients panel page', () => {
  const nonce = makeNonce();
  const html = panelHtml({
    cspSource: 'vscode-webview-resource:',
    nonce,
    scriptUri: 'vscode-webview-resource://ext/dist/webview.js',
    styleUri: 'vscode-webview-resource://ext/dist/webview.css',
    title: 'Gradients: <softmax_loss()>',
  });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';

  it('has a strict Content Security Policy with a fresh nonce', () => {
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(makeNonce(), nonce);
    assert.equal(csp, contentSecurityPolicy('vscode-webview-resource:', nonce));
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'(;|$)`), 'scripts only with the nonce');
    assert.match(csp, /img-src vscode-webview-resource: data:/);
  });

  it('allows no eval, no inline code without the nonce, and nothing remote', () => {
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
    assert.doesNotMatch(html, /https?:/);
  });

  it('loads only the bundled script and stylesheet, each with the nonce', () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="vscode-webview-resource://ext/dist/webview.js">`]);
    assert.match(html, new RegExp(`<link rel="stylesheet" nonce="${nonce}" href="vscode-webview-resource://ext/dist/webview.css">`));
    assert.doesNotMatch(html, /<script>[^<]/, 'no inline script');
  });

  it('escapes the title', () => {
    assert.match(html, /<title>Gradients: &lt;softmax_loss\(\)&gt;<\/title>/);
  });
});

describe('messages from the panel', () => {
  // A three-line document: "def f(x):" (9), "    return x" (12), "" (0).
  const lengths = [9, 12, 0];
  const document: DocumentShape = { lineCount: lengths.length, lineLength: (line) => lengths[line] };

  it('accepts a reveal inside the document', () => {
    assert.deepEqual(parsePanelMessage({ type: 'reveal', line: 2, column: 5, endLine: 2, endColumn: 13 }, document), { type: 'reveal', line: 2, column: 5, endLine: 2, endColumn: 13 });
  });

  const outside: [string, Record<string, unknown>][] = [
    ['a line past the end', { line: 4, column: 1, endLine: 4, endColumn: 2 }],
    ['a column past the line', { line: 1, column: 1, endLine: 1, endColumn: 11 }],
    ['line 0', { line: 0, column: 1, endLine: 1, endColumn: 2 }],
    ['an end before the start', { line: 2, column: 5, endLine: 1, endColumn: 2 }],
    ['fractions', { line: 1.5, column: 1, endLine: 2, endColumn: 2 }],
    ['strings', { line: '1', column: 1, endLine: 1, endColumn: 2 }],
    ['NaN', { line: NaN, column: 1, endLine: 1, endColumn: 2 }],
    ['a missing end', { line: 1, column: 1 }],
  ];
  for (const [what, range] of outside) {
    it(`ignores a reveal with ${what}`, () => {
      assert.equal(parsePanelMessage({ type: 'reveal', ...range }, document), null);
    });
  }

  it('accepts ready and rerun, and ignores anything else', () => {
    assert.deepEqual(parsePanelMessage({ type: 'ready' }, document), { type: 'ready' });
    assert.deepEqual(parsePanelMessage({ type: 'rerun', extra: 1 }, document), { type: 'rerun' });
    for (const raw of [null, 'ready', 42, {}, { type: 'run-python' }, [{ type: 'ready' }]]) assert.equal(parsePanelMessage(raw, document), null, JSON.stringify(raw));
  });

  it('restores only a state GradLens wrote', () => {
    const state = { uri: 'file:///work/losses.py', target: { kind: 'function', name: 'softmax_loss' } };
    assert.deepEqual(parsePanelState(state), state);
    assert.deepEqual(parsePanelState({ uri: 'file:///a.py', target: { kind: 'lines', from: 16, to: 20, extra: true } }), { uri: 'file:///a.py', target: { kind: 'lines', from: 16, to: 20 } });
    for (const raw of [undefined, null, {}, { uri: 'not a uri', target: state.target }, { uri: 'file:///a.py', target: { kind: 'function', name: 'x; rm' } }, { uri: 'file:///a.py', target: { kind: 'lines', from: 5, to: 2 } }]) {
      assert.equal(parsePanelState(raw), null, JSON.stringify(raw));
    }
  });
});
