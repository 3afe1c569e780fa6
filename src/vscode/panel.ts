// The "Show Gradients" panels: one webview per (document, target), restored after a reload,
// re-analyzed when its document is saved; it asks the host to reveal source ranges.
import * as vscode from 'vscode';
import type { Target } from '../analysis/analyze';
import type { AnalysisOutcome } from './analysisClient';
import type { DocumentAnalysis } from './documentAnalysis';
import { makeNonce, panelHtml } from './panelHtml';
import { DocumentShape, parsePanelMessage, parsePanelState } from './panelMessages';
import type { HostToPanel, PanelState, PanelToHost } from './protocol';
import type { AnalysisResult } from './reportCache';
import { targetKey, targetLabel } from './targets';

export const panelViewType = 'gradlens.gradients';

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.path;
}

function panelKey(uri: vscode.Uri, target: Target): string {
  return `${uri.toString()}#${targetKey(target)}`;
}

function documentShape(document: vscode.TextDocument): DocumentShape {
  return { lineCount: document.lineCount, lineLength: (line) => document.lineAt(line).text.length };
}

/** The range a panel revealed, highlighted until the user moves the cursor or a few seconds pass. */
class RevealHighlight implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    borderColor: new vscode.ThemeColor('editor.findMatchBorder'),
    borderStyle: 'solid',
    borderWidth: '1px',
  });
  private editor: vscode.TextEditor | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly selectionListener = vscode.window.onDidChangeTextEditorSelection((e) => {
    // Our own reveal moves the selection by command; the user's next click or key clears the mark.
    if (e.textEditor === this.editor && e.kind !== undefined && e.kind !== vscode.TextEditorSelectionChangeKind.Command) this.clear();
  });

  async reveal(document: vscode.TextDocument, range: vscode.Range): Promise<void> {
    const shown = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
      selection: new vscode.Selection(range.start, range.start),
      preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.clear();
    this.editor = editor;
    editor.setDecorations(this.decoration, [range]);
    this.timer = setTimeout(() => this.clear(), 4000);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.editor?.setDecorations(this.decoration, []);
    this.editor = null;
  }

  dispose(): void {
    this.clear();
    this.selectionListener.dispose();
    this.decoration.dispose();
  }
}

interface PanelHost {
  extensionUri: vscode.Uri;
  documents: DocumentAnalysis;
  log: vscode.LogOutputChannel;
  highlight: RevealHighlight;
}

class GradientsPanel {
  /** The last message, sent again whenever the page (re)loads and says `ready`. */
  private latest: HostToPanel = { type: 'busy', message: 'Analyzing…' };
  private ready = false;
  /** The result on the page; each arrives twice (the panel's own request, and onDidAnalyze). */
  private shown: AnalysisResult | null = null;
  readonly disposables: vscode.Disposable[] = [];

  constructor(readonly webviewPanel: vscode.WebviewPanel, readonly uri: vscode.Uri, readonly target: Target, private readonly host: PanelHost) {
    const webview = webviewPanel.webview;
    const dist = vscode.Uri.joinPath(host.extensionUri, 'dist');
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist, vscode.Uri.joinPath(host.extensionUri, 'media')] };
    webviewPanel.title = `Gradients: ${targetLabel(target)}`;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      title: webviewPanel.title,
    });
    this.disposables.push(webview.onDidReceiveMessage((raw) => void this.onMessage(raw)));
  }

  get state(): PanelState {
    return { uri: this.uri.toString(), target: this.target };
  }

  async analyze(fresh: boolean): Promise<void> {
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(this.uri);
    } catch (err) {
      return this.post({ type: 'error', message: `GradLens cannot open ${this.uri.toString(true)}: ${err instanceof Error ? err.message : String(err)}` });
    }
    this.post({ type: 'busy', message: `Analyzing ${targetLabel(this.target)}…` });
    this.shown = null; // the page shows "busy" now: even a cached result must be sent again
    // An older request of this panel still running is dropped by the client as stale.
    const job = this.host.documents.analyze(document, this.target, { check: true, views: true, priority: 'user', fresh });
    this.showOutcome(await job.outcome);
  }

  /** A checked result of this panel's target with its views, from any request (the lens's check, a save). */
  showResult(result: AnalysisResult): void {
    if (result.uri !== this.uri.toString() || result.targetKey !== targetKey(this.target) || !result.checked || !result.withViews) return;
    if (result === this.shown || (this.shown && result.version < this.shown.version)) return;
    this.shown = result;
    this.post({ type: 'report', report: result.report, fileName: baseName(this.uri), title: targetLabel(this.target), state: this.state });
  }

  private showOutcome(outcome: AnalysisOutcome): void {
    switch (outcome.status) {
      case 'done': return this.showResult(outcome.result);
      case 'stale': return; // a newer request for the document is on its way
      case 'cancelled': return this.post({ type: 'error', message: 'The analysis was cancelled.' });
      case 'timeout': return this.post({ type: 'error', message: `The analysis took longer than ${outcome.millis / 1000} s and was stopped (setting gradlens.budget.maxMillis).` });
      case 'failed': return this.post({ type: 'error', message: `GradLens failed (not a problem in your code): ${outcome.message}` });
    }
  }

  private post(message: HostToPanel): void {
    this.latest = message;
    if (this.ready) void this.webviewPanel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(this.uri);
    } catch {
      return this.host.log.warn(`ignored a panel message: ${this.uri.toString(true)} cannot be opened`);
    }
    const message: PanelToHost | null = parsePanelMessage(raw, documentShape(document));
    if (!message) return this.host.log.warn(`ignored a panel message: ${JSON.stringify(raw)?.slice(0, 200)}`);
    switch (message.type) {
      case 'ready':
        this.ready = true;
        void this.webviewPanel.webview.postMessage(this.latest);
        return;
      case 'rerun':
        return this.analyze(true);
      case 'reveal': {
        const range = new vscode.Range(message.line - 1, message.column - 1, message.endLine - 1, message.endColumn - 1);
        return this.host.highlight.reveal(document, range);
      }
    }
  }
}

export class GradientsPanels implements vscode.WebviewPanelSerializer<unknown>, vscode.Disposable {
  private readonly panels = new Map<string, GradientsPanel>();
  private readonly host: PanelHost;
  private readonly disposables: vscode.Disposable[];

  constructor(extensionUri: vscode.Uri, documents: DocumentAnalysis, log: vscode.LogOutputChannel) {
    const highlight = new RevealHighlight();
    this.host = { extensionUri, documents, log, highlight };
    this.disposables = [
      highlight,
      documents.onDidAnalyze((result) => this.panels.forEach((panel) => panel.showResult(result))),
      vscode.workspace.onDidSaveTextDocument((document) => {
        for (const panel of this.panels.values()) if (panel.uri.toString() === document.uri.toString()) void panel.analyze(false);
      }),
    ];
  }

  /** Opens (or brings forward) the panel of this target and analyzes it. */
  show(document: vscode.TextDocument, target: Target): void {
    const key = panelKey(document.uri, target);
    const existing = this.panels.get(key);
    if (existing) {
      existing.webviewPanel.reveal(undefined, true);
      void existing.analyze(false);
      return;
    }
    const webviewPanel = vscode.window.createWebviewPanel(panelViewType, `Gradients: ${targetLabel(target)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableFindWidget: true });
    void this.attach(webviewPanel, document.uri, target).analyze(false);
  }

  /** VS Code restores a panel after a reload with the state its page saved. */
  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const restored = parsePanelState(state);
    if (!restored) {
      this.host.log.warn('disposing a gradients panel whose saved state GradLens does not recognize');
      webviewPanel.dispose();
      return;
    }
    const uri = vscode.Uri.parse(restored.uri);
    if (this.panels.has(panelKey(uri, restored.target))) return webviewPanel.dispose();
    await this.attach(webviewPanel, uri, restored.target).analyze(false);
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.webviewPanel.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private attach(webviewPanel: vscode.WebviewPanel, uri: vscode.Uri, target: Target): GradientsPanel {
    const key = panelKey(uri, target);
    const panel = new GradientsPanel(webviewPanel, uri, target, this.host);
    this.panels.set(key, panel);
    // While its panel is open, a selection's problems are in the Problems panel too.
    this.host.documents.showTarget(uri, target);
    panel.disposables.push(webviewPanel.onDidDispose(() => {
      this.panels.delete(key);
      this.host.documents.hideTarget(uri, target);
      for (const d of panel.disposables) d.dispose();
    }));
    return panel;
  }
}
