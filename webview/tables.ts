// The panel's tables: mismatches (first), errors, inputs with their gradient check, and the
// generated backward code with a Copy button.
import type { Report } from '../src/analysis/report';
import type { PanelToHost } from '../src/vscode/protocol';
import { button, el, section } from './dom';
import { checkDetails, errorKindLabel, inputRows, mismatchRows, revealForError, revealForMismatch, statusWords } from './summary';

type Reveal = Extract<PanelToHost, { type: 'reveal' }>;

export interface TableCallbacks {
  onReveal(reveal: Reveal): void;
  onToggleInput(name: string): void;
}

function headerRow(...titles: string[]): HTMLTableSectionElement {
  return el('thead', {}, el('tr', {}, ...titles.map((title) => el('th', { text: title, attrs: { scope: 'col' } }))));
}

/** A row that reveals a line: clickable as a whole, reachable by Tab through its line button. */
function revealRow(reveal: Reveal, callbacks: TableCallbacks, cells: HTMLElement[], lineLabel: string): HTMLTableRowElement {
  const lineButton = button(lineLabel, () => callbacks.onReveal(reveal), { className: 'gl-link-button', title: 'Show in the editor' });
  const row = el('tr', { className: 'gl-clickable' }, ...cells, el('td', {}, lineButton));
  row.addEventListener('click', (event) => {
    if (event.target !== lineButton) callbacks.onReveal(reveal);
  });
  return row;
}

export function mismatchTable(report: Report, callbacks: TableCallbacks): HTMLElement | null {
  const rows = mismatchRows(report);
  if (rows.length === 0) return null;
  const body = el('tbody');
  report.mismatches.forEach((mismatch, i) => {
    const row = rows[i];
    body.appendChild(
      revealRow(
        revealForMismatch(report, mismatch),
        callbacks,
        [
          el('td', {}, el('span', { className: `gl-chip gl-chip--problem`, text: row.kind })),
          el('td', { className: 'gl-code', text: row.name }),
          el('td', { className: 'gl-code', text: row.target }),
          el('td', { text: row.detail }),
        ],
        `line ${row.line}`,
      ),
    );
  });
  const table = el('table', { className: 'gl-table' }, headerRow('Kind', 'Your gradient', 'Gradient of', 'What differs', 'Where'), body);
  return section('Gradient mismatches', 'gl-mismatches', el('p', { className: 'gl-muted', text: 'Your hand-written gradients that disagree with autograd, first wrong line first.' }), table);
}

export function errorTable(report: Report, callbacks: TableCallbacks, prominent: boolean): HTMLElement | null {
  if (report.errors.length === 0) return null;
  const title = report.errors.length === 1 ? 'Error' : 'Errors';
  if (prominent) {
    // Without a graph the errors are the whole story: each one a card with its message large.
    const cards = report.errors.map((error) => {
      const reveal = revealForError(error);
      return el(
        'div',
        { className: 'gl-error-card' },
        el('span', { className: 'gl-chip gl-chip--problem', text: errorKindLabel(error) }),
        el('span', { className: 'gl-error-message', text: error.message }),
        button(`line ${error.line}:${error.column}`, () => callbacks.onReveal(reveal), { className: 'gl-link-button', title: 'Show in the editor' }),
      );
    });
    return section(title, 'gl-errors gl-errors--prominent', ...cards);
  }
  const body = el('tbody');
  for (const error of report.errors) {
    body.appendChild(
      revealRow(
        revealForError(error),
        callbacks,
        [el('td', {}, el('span', { className: 'gl-chip gl-chip--problem', text: errorKindLabel(error) })), el('td', { className: 'gl-error-message', text: error.message })],
        `line ${error.line}:${error.column}`,
      ),
    );
  }
  const table = el('table', { className: 'gl-table' }, headerRow('Kind', 'Message', 'Where'), body);
  return section(title, 'gl-errors', table);
}

export function inputTable(report: Report, openInputs: ReadonlySet<string>, callbacks: TableCallbacks): HTMLElement | null {
  const rows = inputRows(report);
  if (rows.length === 0) return null;
  const body = el('tbody');
  for (const row of rows) {
    const entry = report.gradcheck[row.name];
    const open = openInputs.has(row.name);
    const nameCell = entry
      ? el('td', {}, button(`${open ? '▾' : '▸'} ${row.name}`, () => callbacks.onToggleInput(row.name), { className: 'gl-link-button gl-code', attrs: { 'aria-expanded': String(open) }, title: 'Show how the gradient was checked' }))
      : el('td', { className: 'gl-code', text: row.name });
    const status = row.status ? el('span', { className: `gl-chip gl-chip--${row.status}`, text: statusWords[row.status] }) : el('span', { className: 'gl-muted', text: 'not checked' });
    const tr = el(
      'tr',
      { className: entry ? 'gl-clickable' : '' },
      nameCell,
      el('td', { className: 'gl-code', text: row.shape }),
      el('td', { className: 'gl-muted', text: row.dtype === 'float64' ? row.source : `${row.source} · ${row.dtype}` }),
      el('td', { className: 'gl-code gl-preview-cell', text: row.value, title: row.value }),
      el('td', { className: 'gl-code gl-preview-cell gl-grad-cell', text: row.grad, title: row.grad }),
      el('td', {}, status),
      el('td', { className: 'gl-code', text: row.maxRelError }),
    );
    if (entry) {
      tr.addEventListener('click', (event) => {
        if (!(event.target instanceof HTMLButtonElement)) callbacks.onToggleInput(row.name);
      });
    }
    body.appendChild(tr);
    if (entry && open) {
      const list = el('ul', { className: 'gl-check-details' }, ...checkDetails(row.name, entry).map((line) => el('li', { text: line })));
      body.appendChild(el('tr', { className: 'gl-check-row' }, el('td', { attrs: { colspan: '7' } }, list)));
    }
  }
  const table = el('table', { className: 'gl-table' }, headerRow('Input', 'Shape', 'Source', 'Value', 'Gradient ∂L/∂input', 'Check', 'Max rel err'), body);
  return section('Inputs and gradient check', 'gl-inputs', table);
}

/** Copies with the clipboard API; where the webview refuses it, selects the text for Ctrl+C. */
async function copyText(text: string, pre: HTMLElement, status: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = 'Copied.';
  } catch {
    const selection = window.getSelection();
    const range = document.createRange();
    range.selectNodeContents(pre);
    selection?.removeAllRanges();
    selection?.addRange(range);
    status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
  }
}

export function backwardCodeSection(report: Report): HTMLElement | null {
  if (!report.backwardCode) return null;
  const code = report.backwardCode;
  const pre = el('pre', { className: 'gl-code-block', attrs: { tabindex: '0', 'aria-label': 'Generated backward pass' } }, el('code', { text: code }));
  const status = el('span', { className: 'gl-muted', attrs: { role: 'status' } });
  const copy = button('Copy', () => void copyText(code, pre, status), { title: 'Copy the backward pass' });
  const toolbar = el('div', { className: 'gl-code-toolbar' }, el('p', { className: 'gl-muted', text: 'The backward pass GradLens derived, flat NumPy in the lecture’s style: one statement per gate, in reverse.' }), copy, status);
  return section('Backward pass', 'gl-backward', toolbar, pre);
}
