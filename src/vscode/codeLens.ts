// "Gradient check" and "Show Gradients" above every top-level def; after a check the first lens
// carries its result (lensTitle.ts).
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';
import { checkLensTitle } from './lensTitle';
import { analysisTargetFor, targetKey, targetLabel } from './targets';

export class GradientCodeLenses implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly documents: DocumentAnalysis) {
    this.onDidChangeCodeLenses = documents.onDidChangeLenses;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.documents.settings.codeLensEnabled) return [];
    const outline = this.documents.outline(document);
    const uri = document.uri.toString();
    const { client } = this.documents;
    return outline.functions.flatMap((fn) => {
      const target = analysisTargetFor(outline, fn.name);
      const checked = client.cache.get(uri, document.version, targetKey(target), { check: true, views: false });
      const running = client.isPending(uri, document.version, target, true);
      const through = target.kind === 'function' && target.name !== fn.name ? ` (with ${targetLabel(target)})` : '';
      const range = new vscode.Range(fn.line - 1, 0, fn.line - 1, 0);
      return [
        new vscode.CodeLens(range, {
          title: checkLensTitle(checked?.report ?? null, running),
          tooltip: `Compare ${fn.name}'s gradients with finite differences${through}`,
          command: 'gradlens.checkGradients',
          arguments: [document.uri, fn.name],
        }),
        new vscode.CodeLens(range, {
          title: 'Show Gradients',
          tooltip: `Show the graph, values and gradients of ${fn.name}${through}`,
          command: 'gradlens.showGradients',
          arguments: [document.uri, fn.name],
        }),
      ];
    });
  }
}
