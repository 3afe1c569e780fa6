// Reports of the newest analyzed version of each document, per target. A checked Report (finite
// differences run) also answers requests that do not need the check.
import type { Target } from '../analysis/analyze';
import type { Report } from '../analysis/report';

export interface AnalysisResult {
  uri: string;
  version: number;
  target: Target;
  targetKey: string;
  /** Whether the gradient check ran (Report.gradcheck is filled). */
  checked: boolean;
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
    const existing = doc.byTarget.get(result.targetKey);
    if (existing?.checked && !result.checked) return;
    doc.byTarget.set(result.targetKey, result);
  }

  get(uri: string, version: number, targetKey: string, needCheck: boolean): AnalysisResult | undefined {
    const doc = this.documents.get(uri);
    if (!doc || doc.version !== version) return undefined;
    const result = doc.byTarget.get(targetKey);
    return result && (result.checked || !needCheck) ? result : undefined;
  }

  forget(uri: string): void {
    this.documents.delete(uri);
  }

  clear(): void {
    this.documents.clear();
  }
}
