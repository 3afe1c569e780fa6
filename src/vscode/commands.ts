// The two commands: "Show Gradients" opens the panel, "Run Gradient Check" checks and reports in
// the lens, the status bar and the Problems panel. Called from the palette, the editor's context
// menu (maybe with the document's uri) and the code lenses (uri and function name).
import * as vscode from 'vscode';
import type { Target } from '../analysis/analyze';
import type { AnalysisJob, AnalysisOutcome } from './analysisClient';
import type { DocumentAnalysis } from './documentAnalysis';
import { checkLensTitle } from './lensTitle';
import type { GradientsPanels } from './panel';
import { analysisTargetFor, targetAtSelection, targetLabel } from './targets';

/** A check that takes longer than this gets a notification with a Cancel button. */
const progressDelayMillis = 800;

interface Chosen {
  document: vscode.TextDocument;
  target: Target;
}

function asUri(value: unknown): vscode.Uri | null {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(value)) return vscode.Uri.parse(value);
  return null;
}

/** The target of a command: the lens's function, else the selection or the function at the cursor. */
async function chooseTarget(documents: DocumentAnalysis, uriArgument: unknown, functionName: unknown): Promise<Chosen | null> {
  const uri = asUri(uriArgument);
  if (uri && typeof functionName === 'string') {
    const document = await vscode.workspace.openTextDocument(uri);
    const outline = documents.outline(document);
    if (!outline.functions.some((f) => f.name === functionName)) {
      void vscode.window.showInformationMessage(`GradLens: there is no top-level function ${functionName} in ${uri.path.split('/').pop()} any more.`);
      return null;
    }
    return { document, target: analysisTargetFor(outline, functionName) };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'python') {
    void vscode.window.showInformationMessage('GradLens: open a Python file and put the cursor in a function (or select lines) first.');
    return null;
  }
  const { start, end } = editor.selection;
  const choice = targetAtSelection(documents.outline(editor.document), { startLine: start.line, startCharacter: start.character, endLine: end.line, endCharacter: end.character });
  if ('message' in choice) {
    void vscode.window.showInformationMessage(choice.message);
    return null;
  }
  return { document: editor.document, target: choice.target };
}

/** Shows a cancellable notification for a check still running after a moment. */
function progressFor(job: AnalysisJob, title: string, documents: DocumentAnalysis, relay: { report: ((done: number, total: number) => void) | null }): void {
  const timer = setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => documents.client.cancel(job.id));
      let reported = 0;
      relay.report = (done, total) => {
        const percent = total > 0 ? Math.floor((100 * done) / total) : 0;
        progress.report({ increment: percent - reported, message: `${done} of ${total} forward passes` });
        reported = percent;
      };
      return job.outcome;
    });
  }, progressDelayMillis);
  void job.outcome.then(() => clearTimeout(timer));
}

function describeOutcome(outcome: AnalysisOutcome): string {
  switch (outcome.status) {
    case 'done': return checkLensTitle(outcome.result.report, false);
    case 'stale': return 'the document changed; checking the new version';
    case 'cancelled': return 'the check was cancelled';
    case 'timeout': return `the check took longer than ${outcome.millis / 1000} s and was stopped`;
    case 'failed': return `GradLens failed (see the GradLens log): ${outcome.message}`;
  }
}

async function checkGradients(documents: DocumentAnalysis, panels: GradientsPanels, uriArgument: unknown, functionName: unknown): Promise<void> {
  const chosen = await chooseTarget(documents, uriArgument, functionName);
  if (!chosen) return;
  const { document, target } = chosen;
  documents.markChecked(document, target);
  const relay: { report: ((done: number, total: number) => void) | null } = { report: null };
  const job = documents.analyze(document, target, { check: true, priority: 'user', onProgress: (done, total) => relay.report?.(done, total) });
  const label = targetLabel(target);
  progressFor(job, `GradLens: checking ${label}`, documents, relay);
  const outcome = await job.outcome;
  const summary = `GradLens · ${label}: ${describeOutcome(outcome)}`;
  vscode.window.setStatusBarMessage(summary, 8000);
  // A selection has no lens to carry the result, and lenses may be off: say it in a message.
  const lensShowsIt = typeof functionName === 'string' && documents.settings.codeLensEnabled;
  if (!lensShowsIt && outcome.status === 'done') {
    const action = await (outcome.result.report.ok ? vscode.window.showInformationMessage(summary, 'Show Gradients') : vscode.window.showWarningMessage(summary, 'Show Gradients'));
    if (action) panels.show(document, target);
  }
}

export function registerCommands(documents: DocumentAnalysis, panels: GradientsPanels): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('gradlens.showGradients', async (uriArgument?: unknown, functionName?: unknown) => {
      const chosen = await chooseTarget(documents, uriArgument, functionName);
      if (chosen) panels.show(chosen.document, chosen.target);
    }),
    vscode.commands.registerCommand('gradlens.checkGradients', (uriArgument?: unknown, functionName?: unknown) => checkGradients(documents, panels, uriArgument, functionName)),
  ];
}

/** A status-bar item while a gradient check runs. */
export function checkStatusItem(documents: DocumentAnalysis): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('gradlens.check', vscode.StatusBarAlignment.Left, 0);
  item.name = 'GradLens';
  const activity = documents.client.onDidChangeActivity((running) => {
    if (running?.checked) {
      item.text = `$(sync~spin) GradLens: checking ${targetLabel(running.target)}`;
      item.tooltip = `GradLens is comparing the gradients of ${targetLabel(running.target)} with finite differences`;
      item.show();
    } else {
      item.hide();
    }
  });
  return vscode.Disposable.from(item, activity);
}
