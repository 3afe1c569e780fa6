// The hover over a name inside a top-level function: its shape and its gradient's (hoverText.ts),
// from the function's Report for this version of the document.
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';
import { hoverLines } from './hoverText';
import { enclosingFunction } from './targets';

const identifier = /[A-Za-z_][A-Za-z0-9_]*/;

export class GradientHover implements vscode.HoverProvider {
  constructor(private readonly documents: DocumentAnalysis) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!this.documents.settings.hoverEnabled) return undefined;
    const range = document.getWordRangeAtPosition(position, identifier);
    if (!range) return undefined;
    const outline = this.documents.outline(document);
    const fn = outline.syntaxError ? null : enclosingFunction(outline, position.line + 1);
    if (!fn) return undefined;
    const result = await this.documents.reportForHover(document, { kind: 'function', name: fn.name });
    if (!result || token.isCancellationRequested) return undefined;
    const lines = hoverLines(result.report, document.getText(range), position.line + 1);
    if (!lines) return undefined;
    return new vscode.Hover(new vscode.MarkdownString().appendCodeblock(lines.join('\n'), 'text'), range);
  }
}
