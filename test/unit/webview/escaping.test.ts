// Text from the user's code (variable names, docstrings, error messages) reaches the panel as text,
// never as markup: the panel's builders put strings into text nodes and refuse handler attributes.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { el, svgText } from '../../../webview/dom';

/** Just enough of a DOM to watch what the builders do with a string. */
class FakeNode {
  children: FakeNode[] = [];
  attributes = new Map<string, string>();
  textContent = '';
  className = '';
  title = '';
  constructor(readonly kind: 'element' | 'text', readonly tag: string) {}
  appendChild(child: FakeNode): FakeNode {
    this.children.push(child);
    return child;
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
}

const hostile = '<img src=x onerror=alert(1)>';

describe('the panel shows user text as text', () => {
  const saved = (globalThis as { document?: unknown }).document;
  before(() => {
    (globalThis as { document?: unknown }).document = {
      createElement: (tag: string) => new FakeNode('element', tag),
      createElementNS: (_ns: string, tag: string) => new FakeNode('element', tag),
      createTextNode: (text: string) => Object.assign(new FakeNode('text', '#text'), { textContent: text }),
    };
  });
  after(() => { (globalThis as { document?: unknown }).document = saved; });

  it('a variable named like markup becomes one text node, not an element', () => {
    const cell = el('td', {}, hostile) as unknown as FakeNode;
    assert.equal(cell.children.length, 1);
    assert.equal(cell.children[0].kind, 'text');
    assert.equal(cell.children[0].textContent, hostile);
    const label = el('span', { text: hostile }) as unknown as FakeNode;
    assert.equal(label.textContent, hostile);
    assert.equal(label.children.length, 0);
    assert.equal((svgText(hostile, { x: 0 }) as unknown as FakeNode).textContent, hostile);
  });

  it('event-handler and style attributes are refused', () => {
    assert.throws(() => el('div', { attrs: { onerror: 'alert(1)' } }), /addEventListener/);
    assert.throws(() => el('div', { attrs: { style: 'color: red' } }), /CSSOM/);
  });

  it('no panel or host code writes HTML from strings', () => {
    const root = join(__dirname, '..', '..', '..');
    const sinks = /\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(/;
    const files = [...readdirSync(join(root, 'webview')).map((f) => join(root, 'webview', f)), ...readdirSync(join(root, 'src', 'vscode')).map((f) => join(root, 'src', 'vscode', f))]
      .filter((f) => f.endsWith('.ts'));
    assert.deepEqual(files.filter((f) => sinks.test(readFileSync(f, 'utf8'))), []);
  });
});
