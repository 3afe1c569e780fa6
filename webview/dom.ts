// Small builders for HTML and SVG elements. Text goes in through textContent only: variable names
// and docstrings come from the user's code and must show as text, never be parsed as markup.
// Styles go through CSSOM (element.style), which the webview's nonce CSP allows; a style
// attribute in markup would be blocked.

export type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

function applyAttrs(element: Element, attrs: Record<string, string | number> | undefined): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'style' || name.startsWith('on')) throw new Error(`dom: set ${name} through CSSOM or addEventListener`);
    element.setAttribute(name, String(value));
  }
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  if (options.title !== undefined) element.title = options.title;
  applyAttrs(element, options.attrs);
  append(element, children);
  return element;
}

const svgNamespace = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNamespace, tag);
  applyAttrs(element, attrs);
  append(element, children);
  return element;
}

/** SVG text with its content set as text. */
export function svgText(text: string, attrs: Record<string, string | number>): SVGTextElement {
  const element = svg('text', attrs);
  element.textContent = text;
  return element;
}

export function button(label: string, onClick: () => void, options: ElementOptions = {}): HTMLButtonElement {
  const element = el('button', { ...options, text: label, attrs: { type: 'button', ...options.attrs } });
  element.addEventListener('click', onClick);
  return element;
}

export function clear(element: Element): void {
  while (element.firstChild) element.removeChild(element.firstChild);
}

/** A section with a heading, the panel's unit of layout. */
export function section(title: string, className: string, ...children: Child[]): HTMLElement {
  return el('section', { className: `gl-section ${className}` }, el('h2', { className: 'gl-section-title', text: title }), ...children);
}
