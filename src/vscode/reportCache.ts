// Reports of the newest analyzed version of each document, per target. A checked Report (finite
// differences run) also answers requests that do not need the check, and one with the panel's views
// (the graph and the generated backward code) requests that do not need them.
import type { AnalyzeOptions, Target } from '../analysis/analyze';
import type { Report } from '../analysis/report';

/** What a request needs of a Report beyond the forward and backward passes. */
export interface Needs {
  check: boolean;
  /** Report.graph and Report.backwardCode: only a panel shows them. */
  views: boolean;
}

export function needsOf(options: Pick<AnalyzeOptions, 'check' | 'views'>): Needs {
  return { check: options.check !== false, views: options.views !== false };
}

/** Whether what `have` holds answers a request that needs `need`. */
export function covers(have: Needs, need: Needs): boolean {
  return (have.check || !need.check) && (have.views || !need.views);
}

export interface AnalysisResult {
  uri: string;
  version: number;
  target: Target;
  targetKey: string;
  /** Whether the gradient check ran (Report.gradcheck is filled). */
  checked: boolean;
  /** Whether Report.graph and Report.backwardCode were built. */
  withViews: boolean;
  report: Report;
  guessedInputs: string[];
  millis: number;
}

export class ReportCache {
  private readonly documents = new Map<string, { version: number; byTarget: Map<string, AnalysisResult> }>();

  /** Keeps the result unless the document already has a newer version analyzed. */
  put(result: AnalysisResult): void {
    let doc = this.documents.get(result.uri);
    if (doc && doc.version > result.version) return;
    if (!doc || doc.version < result.version) this.documents.set(result.uri, doc = { version: result.version, byTarget: new Map() });
    // A result of the same version that answers more requests stays.
    const existing = doc.byTarget.get(result.targetKey);
    if (existing && covers(holds(existing), holds(result)) && !covers(holds(result), holds(existing))) return;
    doc.byTarget.set(result.targetKey, result);
  }

  get(uri: string, version: number, targetKey: string, needs: Needs): AnalysisResult | undefined {
    const doc = this.documents.get(uri);
    if (!doc || doc.version !== version) return undefined;
    const result = doc.byTarget.get(targetKey);
    return result && covers(holds(result), needs) ? result : undefined;
  }

  forget(uri: string): void {
    this.documents.delete(uri);
  }

  clear(): void {
    this.documents.clear();
  }
}

function holds(result: AnalysisResult): Needs {
  return { check: result.checked, views: result.withViews };
}
