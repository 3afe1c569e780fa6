// Playwright helpers for the end-to-end specs: a real VS Code (code-server, started by
// scripts/e2e/run.mjs) in headless Chromium.
//
//   import { useWorkbench } from './helpers.mjs';
//   describe('graph', function () {
//     const wb = useWorkbench();               // before/after hooks: launch, open, close
//     it('shows the graph', async function () {
//       await wb().openFile('sigmoid_neuron.py');
//       await wb().selectLines(16, 20);
//       await wb().runCommand('GradLens: Show Graph');
//       const text = await wb().webviewText({ contains: 'sigmoid' });
//     });
//   });
//
// Workbench methods (lines are 1-based; `file` defaults to the file opened last):
//   openFile(name)                 Quick Open (Ctrl+P), waits for the editor
//   visibleText() / waitForEditorText(pattern)   the editor's rendered lines
//   cursor() / gotoLine(n) / selectLines(a, b)   via the status bar and Go to Line (Ctrl+G)
//   editLine(n, text) / save()     replace a line's text, Ctrl+S, wait until not dirty
//   runCommand(title | id)         command palette (F1), e.g. 'GradLens: Show Gradients'
//   hover(line, word, { contains, nth })          mouse over the word, text of .monaco-hover-content
//   codeLenses() / waitForCodeLens(p) / clickCodeLens(p, { line })   [{ text, line, clickable }]
//   webview() / webviewText({ contains })         iframe.webview.ready > #active-frame
//   problems({ wait }) / openProblems()           [{ file, severity, message, source, code, line, column }]
//   notifications() / waitForNotification(p)     toast texts
//   hideSideBar() / hidePanel() / setPanelHeight(px) / closeAllEditors() / resize(size)
//                                  the layout, for screenshots
//   restoreFile(name)              put a workspace file back to the repo's example
//   linesBox(a, b) / hoverBox()    screen boxes, for cropped screenshots
//   screenshot(name, { clip, docs, keepMouse })   PNG into GRADLENS_E2E_SCREENSHOTS; clip: a box
//                                  or boxes to crop to; docs: listed for `run.mjs --update-docs`;
//                                  the mouse is parked unless keepMouse. useWorkbench() also takes
//                                  one per failed test
// `page` is the Playwright page for anything else.
//
// Every helper waits for a condition with a timeout (no fixed sleeps), and fails with a
// message that says what it saw. The workspace is shared by all specs of a run: a spec that
// edits a file should restoreFile() it. Environment (set by run.mjs): GRADLENS_E2E_URL,
// GRADLENS_E2E_WORKSPACE, GRADLENS_E2E_EXAMPLES, GRADLENS_E2E_SCREENSHOTS, GRADLENS_E2E_CHROMIUM,
// GRADLENS_E2E_BROWSER_DIR; GRADLENS_E2E_HEADED=1 shows the browser (needs a display).
/* global process, console, setTimeout, clearTimeout, URL, document, NodeFilter, before, after, afterEach */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// Resolved from the repo's node_modules (a devDependency). Where it is missing (no `npm install`
// yet), run.mjs maps this name to the copy setup.sh put into the e2e cache (a resolve hook).
import * as playwrightCore from 'playwright-core';

const env = process.env;
/** Default wait for one UI condition; GRADLENS_E2E_WAIT_MS overrides it (slow machines). */
export const TIMEOUT = Number(env.GRADLENS_E2E_WAIT_MS) || 30_000;
/** Waits that include starting the workbench or the extension host. */
export const SLOW_TIMEOUT = 3 * TIMEOUT;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The playwright-core module (kept for specs that need more than the Workbench class). */
export function playwright() {
  return playwrightCore;
}

/** Polls fn until it returns a truthy value; throws `what` (and the last value/error) on timeout. */
export async function waitUntil(fn, { timeout = TIMEOUT, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      lastError = undefined;
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const seen = lastError ? `last error: ${lastError.message}` : `last value: ${JSON.stringify(last)}`;
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (${seen})`);
    }
    await sleep(interval);
  }
}

function normalize(text) {
  return (text ?? '').replace(/\u00a0/g, ' ').replace(/\r/g, '');
}

function matches(text, pattern) {
  if (pattern === undefined || pattern === null) return true;
  return pattern instanceof RegExp ? pattern.test(text) : text.includes(pattern);
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cssString(s) {
  return JSON.stringify(s);
}

let launches = 0;

export class Workbench {
  /** @param {import('playwright-core').BrowserContext} context */
  constructor(context, page, profileDir) {
    this.context = context;
    this.page = page;
    this.profileDir = profileDir;
    /** The file opened last with openFile (the editor the line helpers act on). */
    this.currentFile = undefined;
    /** Console errors and page errors of the workbench and its webviews. */
    this.consoleErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(`pageerror: ${e.message}`));
  }

  /** Launches Chromium (fresh profile) and opens the workbench at `url`, ready for use. */
  static async launch({ url = env.GRADLENS_E2E_URL, viewport = { width: 1920, height: 1080 }, timeout = SLOW_TIMEOUT } = {}) {
    if (!url) throw new Error('GRADLENS_E2E_URL is not set: run the specs through scripts/e2e/run.mjs');
    const { chromium } = playwrightCore;
    const base = env.GRADLENS_E2E_BROWSER_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-e2e-browser-'));
    const profileDir = path.join(base, `profile-${process.pid}-${++launches}`);
    const home = path.join(base, 'home');
    fs.mkdirSync(home, { recursive: true });
    const headless = env.GRADLENS_E2E_HEADED !== '1';
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: env.GRADLENS_E2E_CHROMIUM || '/usr/bin/chromium',
      headless,
      chromiumSandbox: false,
      args: CHROMIUM_ARGS.filter((a) => headless || a !== '--headless'),
      viewport,
      env: { ...env, HOME: home },
      timeout: 60_000,
    });
    context.setDefaultTimeout(TIMEOUT);
    const origin = new URL(url).origin;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin }).catch(() => {});
    const page = context.pages()[0] ?? (await context.newPage());
    const wb = new Workbench(context, page, profileDir);
    wb.launchViewport = viewport;
    try {
      await wb.open(url, { timeout });
    } catch (e) {
      await wb.screenshot('launch-failed', { keepMouse: true }).catch(() => {});
      await wb.close();
      throw e;
    }
    return wb;
  }

  /**
   * Console errors minus the noise every code-server session here produces (no network: the
   * extension gallery and GitHub auth fail; some optional resources are 404), first lines only.
   */
  relevantConsoleErrors() {
    const noise = /open-vsx\.org|ERR_NAME_NOT_RESOLVED|authentication provider 'github'|status of 404 \(Not Found\)|getaddrinfo ENOTFOUND/;
    return this.consoleErrors.filter((e) => !noise.test(e)).map((e) => e.split('\n')[0].slice(0, 300));
  }

  async close() {
    const ctx = this.context;
    this.context = undefined;
    if (!ctx) return;
    let timer;
    const timeout = new Promise((r) => (timer = setTimeout(r, 15_000)));
    await Promise.race([ctx.close().catch(() => {}), timeout]);
    clearTimeout(timer);
  }

  // -------------------------------------------------------------------------
  // Workbench

  async open(url = env.GRADLENS_E2E_URL, { timeout = SLOW_TIMEOUT } = {}) {
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout });
    await this.waitReady({ timeout });
  }

  /**
   * Waits until the workbench is usable: layout done (status bar), the folder's files are
   * listed in the Explorer, and the extension host is no longer activating extensions.
   */
  async waitReady({ timeout = SLOW_TIMEOUT } = {}) {
    const page = this.page;
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
    await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout });
    if (/[?&]folder=/.test(page.url())) {
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
    }
    // The extension host reports "Activating Extensions..." in the status bar while it starts.
    // Wait until that has been absent for a while (it may not have appeared yet).
    const activating = page.locator('.part.statusbar', { hasText: 'Activating Extensions' });
    let quietSince = Date.now();
    await waitUntil(
      async () => {
        if ((await activating.count()) > 0) quietSince = Date.now();
        return Date.now() - quietSince > 1500;
      },
      { timeout, what: 'extensions to finish activating' },
    );
  }

  /** Presses a key chord in the workbench (e.g. 'Control+P', 'Escape'). */
  async press(keys) {
    await this.page.keyboard.press(keys);
  }

  quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  async closeQuickInput() {
    const widget = this.quickInput();
    if (await widget.isVisible()) {
      await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    }
  }

  /**
   * Resizes the window (the page's viewport) to `size`, or back to the size it was launched
   * with, and waits for the workbench to lay itself out again.
   */
  async resize(size = this.launchViewport) {
    await this.page.setViewportSize(size);
    const workbench = this.page.locator('.monaco-workbench');
    await waitUntil(
      async () => {
        const box = await workbench.boundingBox();
        return box && Math.round(box.width) === size.width && Math.round(box.height) === size.height;
      },
      { timeout: TIMEOUT, what: `the workbench to fill ${size.width}x${size.height}` },
    );
  }

  /**
   * Drags the divider between the editors and the panel below them (Problems, ...) so that the
   * panel is `height` pixels tall. The panel must be open.
   */
  async setPanelHeight(height) {
    const panel = this.page.locator('.monaco-workbench .part.panel');
    const box = await panel.boundingBox({ timeout: TIMEOUT });
    if (!box) throw new Error('the panel is not open');
    const x = box.x + box.width / 2;
    const bottom = box.y + box.height;
    // The divider (a 4 px sash) ends where the panel starts.
    await this.page.mouse.move(x, box.y - 2);
    await this.page.mouse.down();
    await this.page.mouse.move(x, bottom - height, { steps: 8 });
    await this.page.mouse.up();
    await waitUntil(async () => Math.abs(((await panel.boundingBox())?.height ?? 0) - height) <= 4, {
      timeout: 10_000,
      what: `the panel to be ${height} px tall`,
    });
  }

  /** Closes the primary side bar (the Explorer), if it is open: more room for the editors. */
  async hideSideBar() {
    const sideBar = this.page.locator('.monaco-workbench .part.sidebar');
    if (!(await sideBar.isVisible())) return;
    await this.runCommand('View: Close Primary Side Bar');
    await sideBar.waitFor({ state: 'hidden', timeout: TIMEOUT });
  }

  /** Hides the panel area below the editors (Problems, Output, ...), if it is open. */
  async hidePanel() {
    const panel = this.page.locator('.monaco-workbench .part.panel');
    if (!(await panel.isVisible())) return;
    await this.runCommand('View: Hide Panel');
    await panel.waitFor({ state: 'hidden', timeout: TIMEOUT });
  }

  /** Closes every editor and webview panel (none may have unsaved changes). */
  async closeAllEditors() {
    const tabs = this.page.locator('.part.editor .tabs-container .tab');
    if ((await tabs.count()) === 0) return;
    await this.runCommand('View: Close All Editors');
    await waitUntil(async () => (await tabs.count()) === 0, { timeout: TIMEOUT, what: 'all editors to close' });
    this.currentFile = undefined;
  }

  /** Opens the quick input with `keys` and fills it with `value`; returns the input locator. */
  async openQuickInput(keys, value) {
    const input = this.page.locator('.quick-input-widget input');
    await waitUntil(
      async () => {
        if (!(await input.isVisible())) {
          await this.page.keyboard.press(keys);
          await input.waitFor({ state: 'visible', timeout: 3000 });
        }
        return true;
      },
      { timeout: TIMEOUT, what: `the quick input (${keys})` },
    );
    await input.fill(value);
    return input;
  }

  async quickInputRows() {
    return this.page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (rows) =>
      rows.map((r) => ({
        label: r.getAttribute('aria-label') ?? '',
        id: r.querySelector('[data-quick-input-id]')?.getAttribute('data-quick-input-id') ?? '',
        text: r.innerText,
        index: Number(r.getAttribute('data-index')),
      })),
    );
  }

  /**
   * Clicks the quick-input row for which pick(row) is true, waiting for it to show up. The list
   * is re-rendered as results come in (Quick Open's file search): a row that went away before
   * the click is looked up again.
   */
  async pickQuickInputRow(pick, { timeout = TIMEOUT, what = 'a matching row' } = {}) {
    let rows = [];
    const row = await waitUntil(
      async () => {
        rows = await this.quickInputRows();
        const found = rows.find(pick);
        if (!found) return null;
        // The same index and label: a row that now shows something else is not clicked.
        const selector = `.quick-input-widget .quick-input-list .monaco-list-row[data-index="${found.index}"][aria-label=${cssString(found.label)}]`;
        try {
          await this.page.locator(selector).click({ timeout: 3000 });
          return found;
        } catch {
          // The click may have landed as the widget closed; else the list was re-rendered: look again.
          return (await this.quickInput().isVisible()) ? null : found;
        }
      },
      { timeout, what: `${what} in the quick input` },
    ).catch((e) => {
      throw new Error(`${e.message}; rows: ${JSON.stringify(rows.map((r) => r.label))}`);
    });
    await this.quickInput().waitFor({ state: 'hidden', timeout: 10_000 });
    return row;
  }

  /**
   * Runs a command from the command palette by its title as the palette shows it
   * ('GradLens: Show Graph', category included) or by its command id.
   */
  async runCommand(title, { timeout = TIMEOUT } = {}) {
    await this.closeQuickInput();
    await this.openQuickInput('F1', `>${title}`);
    const isId = /^[\w-]+(\.[\w-]+)+$/.test(title) && !title.includes(' ');
    await this.pickQuickInputRow(
      (r) => r.id === title || r.label === title || r.label.startsWith(`${title}, `) || (!isId && r.label.endsWith(`: ${title}`)),
      { timeout, what: `command "${title}"` },
    );
  }

  // -------------------------------------------------------------------------
  // Editors

  /** Opens a workspace file by name with Quick Open (Ctrl+P) and waits for its editor. */
  async openFile(name, { timeout = SLOW_TIMEOUT } = {}) {
    await this.closeQuickInput();
    const base = path.basename(name);
    await this.openQuickInput('Control+P', name);
    // Quick Open waits for the file search (and the extension host) on first use.
    await this.pickQuickInputRow((r) => r.label === `${base}, file results` || r.label.split(',')[0].trim() === base, {
      timeout,
      what: `file "${name}"`,
    });
    this.currentFile = base;
    await this.tab(base).and(this.page.locator('.tab.active')).first().waitFor({ state: 'visible', timeout });
    await this.editor(base).locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout });
    await this.waitEditorFocused(base);
  }

  tab(file = this.currentFile) {
    return this.page.locator(`.part.editor .tabs-container .tab[data-resource-name=${cssString(file)}]`);
  }

  /**
   * The text editor showing `file` (default: the file opened last), or the active group's
   * editor when no file is known.
   */
  editor(file = this.currentFile) {
    const editors = this.page.locator('.part.editor .editor-instance .monaco-editor:not(.inline-diff-editor)');
    if (!file) return this.page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
    // data-uri is the document's URI: percent-encoded like VS Code's URI.toString().
    const encoded = encodeURIComponent(file).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return editors.and(this.page.locator(`[data-uri$=${cssString(`/${encoded}`)}]`)).first();
  }

  /** Gives keyboard focus to the editor of `file` (via its tab, so the cursor stays put). */
  async focusEditor(file = this.currentFile) {
    await this.closeQuickInput();
    if (await this.editor(file).evaluate((e) => e.classList.contains('focused')).catch(() => false)) return;
    await this.tab(file).first().click();
    await this.waitEditorFocused(file);
  }

  async waitEditorFocused(file = this.currentFile) {
    await waitUntil(() => this.editor(file).evaluate((e) => e.classList.contains('focused')), {
      timeout: 10_000,
      what: `the editor of ${file} to have focus`,
    });
  }

  /** The text of the editor's rendered (visible) lines, top to bottom. */
  async visibleText(file = this.currentFile) {
    const lines = await this.editor(file)
      .locator('.view-lines')
      .evaluate((el) =>
        [...el.querySelectorAll('.view-line')]
          .map((l) => ({ top: parseFloat(l.style.top) || 0, text: l.textContent ?? '' }))
          .sort((a, b) => a.top - b.top)
          .map((l) => l.text),
      );
    return normalize(lines.join('\n'));
  }

  /** Waits until the editor shows `pattern` (string or RegExp) in its visible lines. */
  async waitForEditorText(pattern, { file = this.currentFile, timeout = TIMEOUT } = {}) {
    let text = '';
    await waitUntil(async () => matches((text = await this.visibleText(file)), pattern), {
      timeout,
      what: `the editor to show ${pattern}`,
    }).catch((e) => {
      throw new Error(`${e.message}; visible text:\n${text}`);
    });
    return text;
  }

  /** Cursor as the status bar shows it: { line, column, selected } (selected: characters). */
  async cursor() {
    const text = normalize(await this.page.locator('[id="status.editor.selection"]').innerText({ timeout: TIMEOUT }));
    const m = /Ln\s*(\d+),\s*Col\s*(\d+)(?:\s*\((\d+)\s*selected\))?/.exec(text);
    if (!m) throw new Error(`cannot parse the cursor position from the status bar: "${text}"`);
    return { line: Number(m[1]), column: Number(m[2]), selected: m[3] ? Number(m[3]) : 0 };
  }

  /** Moves the cursor to column 1 of `line` (Go to Line), revealing it. */
  async gotoLine(line, { file = this.currentFile } = {}) {
    await this.focusEditor(file);
    await this.openQuickInput('Control+G', `:${line}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden', timeout: 10_000 });
    await this.waitEditorFocused(file);
    await waitUntil(async () => (await this.cursor()).line === line, { timeout: 10_000, what: `the cursor on line ${line}` });
    for (let i = 0; i < 3 && (await this.cursor()).column !== 1; i++) await this.page.keyboard.press('Home');
  }

  /** Selects lines a..b in full (from a's first column to the end of b). */
  async selectLines(a, b, { file = this.currentFile } = {}) {
    if (b < a) [a, b] = [b, a];
    await this.gotoLine(a, { file });
    for (let i = a; i < b; i++) await this.page.keyboard.press('Shift+ArrowDown');
    await this.page.keyboard.press('Shift+End');
    const c = await waitUntil(
      async () => {
        const cur = await this.cursor();
        return cur.line === b && (cur.selected > 0 || a === b) ? cur : null;
      },
      { timeout: 10_000, what: `lines ${a}-${b} to be selected` },
    );
    return c;
  }

  /** Replaces the text of `line` with `text` (indentation included) and saves the file. */
  async editLine(line, text, { file = this.currentFile, save = true } = {}) {
    await this.gotoLine(line, { file });
    await this.page.keyboard.press('Shift+End');
    if (text === '') {
      if ((await this.cursor()).selected > 0) await this.page.keyboard.press('Delete');
    } else {
      // insertText types the whole string at once: no auto-closing brackets, no suggestions.
      await this.page.keyboard.insertText(text);
    }
    await this.page.keyboard.press('Escape'); // close any suggest widget
    if (save) await this.save({ file });
  }

  /** Saves the editor of `file` (Ctrl+S) and waits until its tab is no longer dirty. */
  async save({ file = this.currentFile } = {}) {
    await this.focusEditor(file);
    await this.page.keyboard.press('Control+S');
    await waitUntil(async () => (await this.tab(file).locator('xpath=self::*[contains(@class, "dirty")]').count()) === 0, {
      timeout: TIMEOUT,
      what: `${file} to be saved`,
    });
  }

  /**
   * Screen position of `word` (the nth whole-word occurrence, 0-based) on `line`, scrolling
   * the line into view first.
   */
  async wordPosition(line, word, { file = this.currentFile, nth = 0 } = {}) {
    const cur = await this.cursor().catch(() => null);
    if (!cur || cur.line !== line) await this.gotoLine(line, { file });
    const editor = this.editor(file);
    const pos = await waitUntil(
      () =>
        editor.evaluate(
          (el, { line, word, nth, pattern }) => {
            const num = [...el.querySelectorAll('.margin-view-overlays .line-numbers')].find((n) => n.textContent.trim() === String(line));
            if (!num) return null;
            const y = num.getBoundingClientRect().top;
            const row = [...el.querySelectorAll('.view-lines .view-line')].find((l) => Math.abs(l.getBoundingClientRect().top - y) < 2);
            if (!row) return null;
            const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
            const nodes = [];
            let text = '';
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              nodes.push({ node: n, start: text.length });
              text += n.textContent;
            }
            text = text.replace(/\u00a0/g, ' ');
            const re = new RegExp(pattern, 'g');
            let m;
            for (let i = 0; (m = re.exec(text)); i++) if (i === nth) break;
            if (!m) return { missing: true, text };
            const mid = m.index + Math.floor(word.length / 2);
            const at = nodes.filter((n) => n.start <= mid).pop();
            const range = document.createRange();
            range.setStart(at.node, mid - at.start);
            range.setEnd(at.node, mid - at.start + 1);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          },
          { line, word, nth, pattern: `(?<![\\w])${escapeRegExp(word)}(?![\\w])` },
        ),
      { timeout: 10_000, what: `line ${line} to be rendered` },
    );
    if (pos.missing) throw new Error(`"${word}" (occurrence ${nth}) is not on line ${line}: "${pos.text}"`);
    return pos;
  }

  /**
   * Hovers `word` on `line` and returns the text of the hover (.monaco-hover-content), once it
   * is rendered and (if given) contains `contains`.
   */
  async hover(line, word, { file = this.currentFile, nth = 0, contains, timeout = TIMEOUT } = {}) {
    await this.closeQuickInput();
    await this.page.mouse.move(1, 1);
    await this.page.keyboard.press('Escape');
    const hovers = this.page.locator('.monaco-hover-content').filter({ visible: true });
    await waitUntil(async () => (await hovers.count()) === 0, { timeout: 5000, what: 'old hovers to close' }).catch(() => {});
    const { x, y } = await this.wordPosition(line, word, { file, nth });
    // A small move onto the word makes the editor's mouse handler notice it.
    await this.page.mouse.move(x - 2, y);
    await this.page.mouse.move(x, y, { steps: 2 });
    let seen = '';
    let previous = null;
    await waitUntil(
      async () => {
        const texts = await hovers.allInnerTexts();
        const before = previous;
        seen = previous = normalize(texts.join('\n')).trim();
        // Done when every provider has answered (no "Loading..." part) and the text is stable.
        return seen && seen === before && !/^Loading\.\.\.$/m.test(seen) && matches(seen, contains);
      },
      { timeout, what: `a hover on "${word}" (line ${line})${contains ? ` containing ${contains}` : ''}` },
    ).catch((e) => {
      throw new Error(`${e.message}; hover text: "${seen}"`);
    });
    return seen;
  }

  // -------------------------------------------------------------------------
  // Code lenses

  /** The code lenses rendered in the editor: [{ text, line }] (line: the line below the lens). */
  async codeLenses({ file = this.currentFile } = {}) {
    return this.editor(file).evaluate((el) => {
      const nums = [...el.querySelectorAll('.margin-view-overlays .line-numbers')].map((n) => ({
        line: Number(n.textContent.trim()),
        top: n.getBoundingClientRect().top,
      }));
      const out = [];
      for (const deco of el.querySelectorAll('.codelens-decoration')) {
        const bottom = deco.getBoundingClientRect().bottom;
        const below = nums.filter((n) => n.top >= bottom - 2).sort((a, b) => a.top - b.top)[0];
        for (const c of deco.children) {
          const text = (c.textContent ?? '').replace(/\u00a0/g, ' ').trim();
          if (!text || text === '|') continue;
          out.push({ text, line: below ? below.line : null, clickable: c.tagName === 'A' });
        }
      }
      return out;
    });
  }

  /** Waits for a code lens whose text contains `pattern` (string or RegExp); returns it. */
  async waitForCodeLens(pattern, { file = this.currentFile, timeout = TIMEOUT } = {}) {
    let lenses = [];
    return waitUntil(
      async () => {
        lenses = await this.codeLenses({ file });
        return lenses.find((l) => matches(l.text, pattern));
      },
      { timeout, what: `a code lens ${pattern}` },
    ).catch((e) => {
      throw new Error(`${e.message}; lenses: ${JSON.stringify(lenses.map((l) => l.text))}`);
    });
  }

  /**
   * Clicks the code lens whose text contains `pattern` (the first one, or the one above `line`).
   * Lenses are re-rendered whenever an analysis finishes: a lens replaced between finding it
   * and clicking it is looked up again.
   */
  async clickCodeLens(pattern, { file = this.currentFile, line, timeout = TIMEOUT } = {}) {
    await this.closeQuickInput();
    const editor = this.editor(file);
    const what = `a clickable code lens ${pattern}${line ? ` above line ${line}` : ''}`;
    let lenses = [];
    await waitUntil(
      async () => {
        lenses = await this.codeLenses({ file });
        if (!lenses.some((l) => l.clickable && matches(l.text, pattern) && (line === undefined || l.line === line))) return false;
        const handle = await editor.evaluateHandle(
          (el, { source, flags, isRe, line }) => {
            const test = (t) => (isRe ? new RegExp(source, flags).test(t) : t.includes(source));
            const nums = [...el.querySelectorAll('.margin-view-overlays .line-numbers')].map((n) => ({
              line: Number(n.textContent.trim()),
              top: n.getBoundingClientRect().top,
            }));
            for (const deco of el.querySelectorAll('.codelens-decoration')) {
              const bottom = deco.getBoundingClientRect().bottom;
              const below = nums.filter((n) => n.top >= bottom - 2).sort((a, b) => a.top - b.top)[0];
              if (line !== undefined && (!below || below.line !== line)) continue;
              for (const a of deco.querySelectorAll('a')) {
                if (test((a.textContent ?? '').replace(/\u00a0/g, ' ').trim())) return a;
              }
            }
            return null;
          },
          {
            source: pattern instanceof RegExp ? pattern.source : pattern,
            flags: pattern instanceof RegExp ? pattern.flags : '',
            isRe: pattern instanceof RegExp,
            line,
          },
        );
        const el = handle.asElement();
        if (!el) return false;
        try {
          await el.click({ timeout: 5000 });
          return true;
        } catch (e) {
          if (/not attached|detached/i.test(e.message)) return false; // re-rendered: find it again
          throw e;
        }
      },
      { timeout, what },
    ).catch((e) => {
      throw new Error(`${e.message}; lenses: ${JSON.stringify(lenses.map((l) => `${l.text} (line ${l.line})`))}`);
    });
  }

  // -------------------------------------------------------------------------
  // Webviews

  /**
   * The content frame of a webview (outer iframe.webview.ready, then #active-frame). By default
   * the only visible one; `index` picks among several visible webviews (in DOM order).
   */
  webview({ index = 0 } = {}) {
    return this.page.locator('iframe.webview.ready').filter({ visible: true }).nth(index).contentFrame().locator('#active-frame').contentFrame();
  }

  /** The text of the visible webview, once it is non-empty and (if given) contains `contains`. */
  async webviewText({ contains, index = 0, timeout = TIMEOUT } = {}) {
    let text = '';
    await waitUntil(
      async () => {
        text = normalize(await this.webview({ index }).locator('body').innerText({ timeout: 2000 })).trim();
        return text && matches(text, contains);
      },
      { timeout, what: `webview text${contains ? ` containing ${contains}` : ''}` },
    ).catch((e) => {
      throw new Error(`${e.message}; webview text: "${text.slice(0, 2000)}"`);
    });
    return text;
  }

  // -------------------------------------------------------------------------
  // Problems panel

  /** Opens (and focuses) the Problems panel. */
  async openProblems() {
    const panel = this.page.locator('.markers-panel');
    if (await panel.isVisible()) return panel;
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)').catch(async () => {
      await this.closeQuickInput();
      await this.page.keyboard.press('Control+Shift+M');
    });
    await panel.waitFor({ state: 'visible', timeout: TIMEOUT });
    return panel;
  }

  /**
   * The Problems panel's entries: [{ file, severity, message, source, code, line, column, label }]
   * (severity: error | warning | info | hint). Only rendered rows count (the list is virtual:
   * about a dozen rows fit). With `wait`, polls until wait(entries) is true and returns them.
   */
  async problems({ wait, timeout = TIMEOUT } = {}) {
    const panel = await this.openProblems();
    const read = () =>
      panel.evaluate((el) => {
        const out = [];
        let file = '';
        for (const row of [...el.querySelectorAll('.monaco-list-row')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))) {
          const text = (sel) => (row.querySelector(sel)?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
          const icon = row.querySelector('.marker-icon');
          if (!icon) {
            // a file row ("N problems in file X of folder Y")
            if (row.querySelector('.label-name')) file = text('.label-name');
            continue;
          }
          const cls = icon.className;
          const severity = /\berror\b/.test(cls) ? 'error' : /\bwarning\b/.test(cls) ? 'warning' : /\binfo\b/.test(cls) ? 'info' : 'hint';
          const pos = /(\d+)\D+(\d+)/.exec(text('.marker-line'));
          out.push({
            file,
            severity,
            message: text('.marker-message'),
            source: text('.marker-source'),
            code: text('.marker-code'),
            line: pos ? Number(pos[1]) : null,
            column: pos ? Number(pos[2]) : null,
            label: row.getAttribute('aria-label') ?? '',
          });
        }
        return out;
      });
    if (!wait) return read();
    let entries = [];
    return waitUntil(async () => ((entries = await read()), wait(entries) ? entries : null), {
      timeout,
      what: 'the expected problems',
    }).catch((e) => {
      throw new Error(`${e.message}; problems: ${JSON.stringify(entries)}`);
    });
  }

  // -------------------------------------------------------------------------
  // Notifications

  async notifications() {
    return this.page
      .locator('.notifications-toasts .notification-toast .notification-list-item-message')
      .filter({ visible: true })
      .allInnerTexts()
      .then((t) => t.map((s) => normalize(s).trim()));
  }

  /** Waits for a notification toast containing `pattern`; returns its text. */
  async waitForNotification(pattern, { timeout = TIMEOUT } = {}) {
    let seen = [];
    return waitUntil(async () => (seen = await this.notifications()).find((t) => matches(t, pattern)), {
      timeout,
      what: `a notification ${pattern}`,
    }).catch((e) => {
      throw new Error(`${e.message}; notifications: ${JSON.stringify(seen)}`);
    });
  }

  // -------------------------------------------------------------------------
  // Workspace files

  /** Absolute path of a workspace file. */
  workspaceFile(name) {
    if (!env.GRADLENS_E2E_WORKSPACE) throw new Error('GRADLENS_E2E_WORKSPACE is not set');
    return path.join(env.GRADLENS_E2E_WORKSPACE, name);
  }

  /**
   * Puts a workspace file back to its original content (the repo's examples/, GRADLENS_E2E_EXAMPLES) after a
   * spec edited it; an open editor without unsaved changes picks the change up from disk.
   */
  async restoreFile(name, { timeout = TIMEOUT } = {}) {
    const src = path.join(env.GRADLENS_E2E_EXAMPLES || '', name);
    if (!env.GRADLENS_E2E_EXAMPLES || !fs.existsSync(src)) throw new Error(`no original of ${name} in GRADLENS_E2E_EXAMPLES`);
    const content = fs.readFileSync(src, 'utf8');
    fs.writeFileSync(this.workspaceFile(name), content);
    const base = path.basename(name);
    if ((await this.editor(base).count()) > 0) {
      // The rendered lines must be a slice of the original again.
      await waitUntil(async () => content.includes((await this.visibleText(base)).trimEnd()), {
        timeout,
        what: `the editor of ${base} to show the restored file (was it dirty?)`,
      });
    }
  }

  // -------------------------------------------------------------------------
  // Screenshots

  /**
   * The screen box of lines a..b of the editor, from just below line a-1 (so a code lens above
   * line a is in it) to the bottom of line b; at most `width` pixels wide. The lines must be
   * on screen (gotoLine reveals a line).
   */
  async linesBox(a, b, { file = this.currentFile, width = Infinity } = {}) {
    const box = await waitUntil(
      () =>
        this.editor(file).evaluate(
          (el, { a, b }) => {
            const nums = [...el.querySelectorAll('.margin-view-overlays .line-numbers')].map((n) => ({
              line: Number(n.textContent.trim()),
              rect: n.getBoundingClientRect(),
            }));
            const at = (line) => nums.find((n) => n.line === line)?.rect;
            const editor = el.getBoundingClientRect();
            const first = at(a);
            const last = at(b);
            if (!first || !last || first.top < editor.top || last.bottom > editor.bottom) return null;
            const top = at(a - 1)?.bottom ?? Math.max(editor.top, first.top - 1.2 * first.height);
            return { x: editor.left, y: top, width: editor.width, height: last.bottom - top };
          },
          { a, b },
        ),
      { timeout: 10_000, what: `lines ${a}-${b} of ${file} to be on screen` },
    );
    return { ...box, width: Math.min(box.width, width) };
  }

  /** The screen box of the visible hover. */
  async hoverBox() {
    const hover = this.page.locator('.monaco-hover').filter({ visible: true }).first();
    const box = await hover.boundingBox({ timeout: TIMEOUT });
    if (!box) throw new Error('no hover is visible');
    return box;
  }

  /**
   * Moves the mouse onto the status bar's empty middle and waits for the tooltips it left
   * behind (a toolbar button's, a hover) to close.
   */
  async parkMouse() {
    const { width, height } = this.page.viewportSize() ?? { width: 1600, height: 1000 };
    await this.page.mouse.move(Math.round(width / 2), height - 4);
    const tooltips = this.page.locator('.workbench-hover, .monaco-hover').filter({ visible: true });
    await waitUntil(async () => (await tooltips.count()) === 0, { timeout: 5000, what: 'tooltips to close' }).catch(() => {});
  }

  /**
   * Saves a PNG of the page into GRADLENS_E2E_SCREENSHOTS as `name`.png; returns its path.
   * `clip`: a box { x, y, width, height } or several (their union, with a small margin) to crop
   * to. `docs`: the screenshot belongs in docs/screenshots/ (listed in docs.txt beside it, which
   * `run.mjs --update-docs` reads). The mouse is parked first (parkMouse) unless `keepMouse`
   * (a hover shown for the screenshot).
   */
  async screenshot(name, { clip, docs = false, keepMouse = false } = {}) {
    if (!keepMouse) await this.parkMouse();
    const dir = env.GRADLENS_E2E_SCREENSHOTS || path.join(process.cwd(), 'test-results', 'e2e', 'screenshots');
    fs.mkdirSync(dir, { recursive: true });
    const base = `${name.replace(/[^\w.-]+/g, '_').slice(0, 120)}.png`;
    const file = path.join(dir, base);
    const options = { path: file, timeout: TIMEOUT };
    if (clip) options.clip = clipOf(Array.isArray(clip) ? clip : [clip], this.page.viewportSize());
    await this.page.screenshot(options);
    if (docs) {
      const list = path.join(dir, 'docs.txt');
      const listed = fs.existsSync(list) ? fs.readFileSync(list, 'utf8').split('\n').filter(Boolean) : [];
      if (!listed.includes(base)) fs.appendFileSync(list, `${base}\n`);
    }
    return file;
  }
}

/** The union of screen boxes, with a margin, inside the viewport. */
function clipOf(boxes, viewport, margin = 4) {
  const left = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const top = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(viewport?.width ?? Infinity, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(viewport?.height ?? Infinity, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  return { x: Math.floor(left), y: Math.floor(top), width: Math.ceil(right - left), height: Math.ceil(bottom - top) };
}

/**
 * Mocha hooks for a describe block: launches a workbench before its tests, screenshots every
 * failed test, closes the browser after. Returns a getter for the Workbench.
 */
export function useWorkbench(options = {}) {
  let wb;
  before(async function () {
    this.timeout(options.timeout ?? 3 * SLOW_TIMEOUT);
    wb = await Workbench.launch(options);
  });
  afterEach(async function () {
    if (wb && this.currentTest?.state === 'failed') {
      const file = await wb.screenshot(`FAILED ${this.currentTest.fullTitle()}`, { keepMouse: true }).catch(() => null);
      if (file) console.log(`      screenshot: ${file}`);
      const errors = wb.relevantConsoleErrors();
      if (errors.length) console.log(`      browser console errors:\n        ${errors.slice(-10).join('\n        ')}`);
    }
  });
  after(async function () {
    this.timeout(30_000);
    await wb?.close();
  });
  return () => {
    if (!wb) throw new Error('the workbench is not launched (did the before hook fail?)');
    return wb;
  };
}
