// The analyses of open Python documents: requests with the current settings, the background pass
// on open and save (debounced, stale work dropped), and the diagnostics each result updates.
import * as vscode from 'vscode';
import type { Target } from '../analysis/analyze';
import type { AnalysisClient, AnalysisJob, AnalysisOutcome } from './analysisClient';
import { documentProblems, Problem, uniqueProblems } from './problems';
import type { AnalysisResult } from './reportCache';
import { analysisOptions, GradLensSettings, readSettings } from './settings';
import { DocumentOutline, documentTargets, outlineOf, targetKey, targetLabel } from './targets';

const backgroundDelayMillis = 500;
/** A hover waits this long for an analysis; the result is cached for the next hover anyway. */
const hoverWaitMillis = 2000;
/** Documents that only show other content (diffs, output) are not analyzed. */
const ignoredSchemes = new Set(['git', 'gitfs', 'output', 'vscode-scm', 'comment', 'conflictResolution']);
const syntaxKey = 'syntax';

export interface AnalyzeFor {
  check: boolean;
  /** The graph and the generated backward code; a checked analysis of a target with an open panel builds them anyway. */
  views?: boolean;
  priority: 'user' | 'background';
  fresh?: boolean;
  onProgress?: (done: number, total: number) => void;
}

interface DocumentProblems {
  version: number;
  byTarget: Map<string, Problem[]>;
}

export function isAnalyzable(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && !ignoredSchemes.has(document.uri.scheme);
}

export class DocumentAnalysis implements vscode.Disposable {
  settings: GradLensSettings = readSettings((key) => vscode.workspace.getConfiguration('gradlens').get(key));
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('gradlens');
  private readonly problems = new Map<string, DocumentProblems>();
  /** Targets the user ran a check on: the background pass keeps their check up to date. */
  private readonly checkedTargets = new Map<string, Set<string>>();
  /** Targets shown in a panel, by document: their problems stay while the panel is open. */
  private readonly shownTargets = new Map<string, Set<string>>();
  private readonly outlines = new Map<string, { version: number; outline: DocumentOutline }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly analyzed = new vscode.EventEmitter<AnalysisResult>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  /** Every finished analysis, whoever asked for it (the panels follow their target). */
  readonly onDidAnalyze = this.analyzed.event;
  readonly onDidChangeLenses = this.lensesChanged.event;
  private readonly activity: vscode.Disposable;

  constructor(readonly client: AnalysisClient, private readonly log: vscode.LogOutputChannel) {
    this.activity = client.onDidChangeActivity(() => this.lensesChanged.fire());
  }

  /** The document's top-level functions, parsed once per version. */
  outline(document: vscode.TextDocument): DocumentOutline {
    const key = document.uri.toString();
    const cached = this.outlines.get(key);
    if (cached?.version === document.version) return cached.outline;
    const outline = outlineOf(document.getText());
    this.outlines.set(key, { version: document.version, outline });
    return outline;
  }

  analyze(document: vscode.TextDocument, target: Target, how: AnalyzeFor): AnalysisJob {
    const source = document.getText();
    const uri = document.uri.toString();
    // A panel shows every checked analysis of its target (the lens's check, a save), so each one builds its views.
    const views = how.views === true || (how.check && (this.shownTargets.get(uri)?.has(targetKey(target)) ?? false));
    const job = this.client.request({
      uri, version: document.version, source, target, priority: how.priority, fresh: how.fresh, onProgress: how.onProgress,
      options: analysisOptions(this.settings, how.check, views),
    });
    this.lensesChanged.fire();
    void job.outcome.then((outcome) => this.onOutcome(outcome, source));
    return job;
  }

  /** The latest Report of a function for the hover: cached, else computed without the check. */
  async reportForHover(document: vscode.TextDocument, target: Target): Promise<AnalysisResult | undefined> {
    const job = this.analyze(document, target, { check: false, priority: 'user' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), hoverWaitMillis)));
    const outcome = await Promise.race([job.outcome, timeout]);
    clearTimeout(timer);
    return outcome?.status === 'done' ? outcome.result : undefined;
  }

  /** A target with an open panel (a selection too) feeds the document's diagnostics. */
  showTarget(uri: vscode.Uri, target: Target): void {
    const key = uri.toString();
    if (!this.shownTargets.has(key)) this.shownTargets.set(key, new Set());
    this.shownTargets.get(key)!.add(targetKey(target));
  }

  hideTarget(uri: vscode.Uri, target: Target): void {
    this.shownTargets.get(uri.toString())?.delete(targetKey(target));
    const entry = this.problems.get(uri.toString());
    if (entry?.byTarget.delete(targetKey(target))) this.publish(uri);
  }

  /** Remembers that the user checked this target, so saving the document checks it again. */
  markChecked(document: vscode.TextDocument, target: Target): void {
    const uri = document.uri.toString();
    if (!this.checkedTargets.has(uri)) this.checkedTargets.set(uri, new Set());
    this.checkedTargets.get(uri)!.add(targetKey(target));
  }

  /** Analyzes every function of the document soon (each new call restarts the wait). */
  schedule(document: vscode.TextDocument): void {
    if (!isAnalyzable(document)) return;
    const uri = document.uri.toString();
    clearTimeout(this.timers.get(uri));
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      if (!document.isClosed) this.analyzeAll(document);
    }, backgroundDelayMillis));
  }

  forget(document: vscode.TextDocument): void {
    const uri = document.uri.toString();
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.client.forgetDocument(uri);
    this.outlines.delete(uri);
    this.problems.delete(uri);
    this.checkedTargets.delete(uri);
    this.diagnostics.delete(document.uri);
  }

  /** New settings make every cached Report out of date: analyze the open documents again. */
  reloadSettings(): void {
    this.settings = readSettings((key) => vscode.workspace.getConfiguration('gradlens').get(key));
    this.client.cache.clear();
    this.lensesChanged.fire();
    for (const document of vscode.workspace.textDocuments) this.schedule(document);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.activity.dispose();
    this.diagnostics.dispose();
    this.analyzed.dispose();
    this.lensesChanged.dispose();
  }

  private analyzeAll(document: vscode.TextDocument): void {
    const uri = document.uri.toString();
    const outline = this.outline(document);
    if (outline.syntaxError) {
      // Nothing runs until the file parses: the syntax error is the document's one problem.
      const e = outline.syntaxError;
      const problem: Problem = { severity: 'error', message: e.message, line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, code: e.kind };
      this.problems.set(uri, { version: document.version, byTarget: new Map([[syntaxKey, [problem]]]) });
      this.publish(document.uri);
      return;
    }
    const targets = documentTargets(outline);
    const keys = new Set([...targets.map(targetKey), ...(this.shownTargets.get(uri) ?? [])]);
    const entry = this.problems.get(uri);
    if (entry) for (const key of [...entry.byTarget.keys()]) if (!keys.has(key)) entry.byTarget.delete(key);
    this.publish(document.uri);
    const checked = this.checkedTargets.get(uri);
    for (const target of targets) this.analyze(document, target, { check: checked?.has(targetKey(target)) ?? false, priority: 'background' });
  }

  private onOutcome(outcome: AnalysisOutcome, source: string): void {
    this.lensesChanged.fire();
    if (outcome.status === 'timeout') return this.log.warn(`an analysis took longer than ${outcome.millis} ms and was stopped`);
    if (outcome.status === 'failed') return this.log.error(`an analysis failed: ${outcome.message}`);
    if (outcome.status !== 'done') return;
    const { result } = outcome;
    this.analyzed.fire(result);
    this.updateProblems(result, source);
  }

  /** The document's functions and the targets of its open panels feed its diagnostics (not a backward half alone). */
  private updateProblems(result: AnalysisResult, source: string): void {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.uri);
    if (!open) return;
    const targets = new Set([...documentTargets(this.outline(open)).map(targetKey), ...(this.shownTargets.get(result.uri) ?? [])]);
    if (!targets.has(result.targetKey)) return;
    let entry = this.problems.get(result.uri);
    if (entry && entry.version > result.version) return;
    if (!entry || entry.byTarget.has(syntaxKey)) this.problems.set(result.uri, entry = { version: result.version, byTarget: new Map() });
    entry.version = result.version;
    const lines = source.split(/\r?\n/);
    entry.byTarget.set(result.targetKey, documentProblems([result], (line) => lines[line - 1]));
    this.log.debug(`${targetLabel(result.target)}: ${entry.byTarget.get(result.targetKey)!.length} problem(s)`);
    this.publish(open.uri);
  }

  private publish(uri: vscode.Uri): void {
    const entry = this.problems.get(uri.toString());
    const all = entry ? [...entry.byTarget.values()].flat() : [];
    this.diagnostics.set(uri, uniqueProblems(all).map(toDiagnostic));
  }
}

const severities: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

function toDiagnostic(problem: Problem): vscode.Diagnostic {
  const range = new vscode.Range(problem.line - 1, problem.column - 1, problem.endLine - 1, problem.endColumn - 1);
  const diagnostic = new vscode.Diagnostic(range, problem.message, severities[problem.severity]);
  diagnostic.source = 'GradLens';
  diagnostic.code = problem.code;
  return diagnostic;
}
