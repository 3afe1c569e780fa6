// Activation shared by the desktop and the web extension: registrations only, each pushed into
// context.subscriptions. The two differ only in how they start the analysis worker.
import * as vscode from 'vscode';
import { AnalysisClient, WorkerFactory } from './analysisClient';
import { GradientCodeLenses } from './codeLens';
import { checkStatusItem, registerCommands } from './commands';
import { DocumentAnalysis } from './documentAnalysis';
import { GradientHover } from './hover';
import { GradientsPanels, panelViewType } from './panel';

const python: vscode.DocumentSelector = { language: 'python' };

/** `workers` makes the factory of analysis workers (it may log that it had to fall back). */
export function activateGradLens(context: vscode.ExtensionContext, workers: (log: vscode.LogOutputChannel) => WorkerFactory): void {
  const log = vscode.window.createOutputChannel('GradLens', { log: true });
  const client = new AnalysisClient(workers(log), log);
  const documents = new DocumentAnalysis(client, log);
  const panels = new GradientsPanels(context.extensionUri, documents, log);
  context.subscriptions.push(
    log,
    { dispose: () => client.dispose() },
    documents,
    panels,
    vscode.window.registerWebviewPanelSerializer(panelViewType, panels),
    vscode.languages.registerCodeLensProvider(python, new GradientCodeLenses(documents)),
    vscode.languages.registerHoverProvider(python, new GradientHover(documents)),
    ...registerCommands(documents, panels),
    checkStatusItem(documents),
    vscode.workspace.onDidOpenTextDocument((document) => documents.schedule(document)),
    vscode.workspace.onDidSaveTextDocument((document) => documents.schedule(document)),
    vscode.workspace.onDidCloseTextDocument((document) => documents.forget(document)),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('gradlens')) documents.reloadSettings(); }),
  );
  for (const document of vscode.workspace.textDocuments) documents.schedule(document);
  log.info(`GradLens ${String(context.extension.packageJSON.version ?? '')} activated`);
}
