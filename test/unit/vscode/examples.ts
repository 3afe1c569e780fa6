// Real Reports for the view tests: analyze() on the example files (the same as ../shared/examples).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, AnalyzeOptions } from '../../../src/analysis/analyze';
import type { Report } from '../../../src/analysis/report';

export const examplesDir = join(__dirname, '..', '..', '..', 'examples');

export function exampleSource(file: string): string {
  return readFileSync(join(examplesDir, file), 'utf8');
}

export function reportOf(source: string, functionName: string, inputs: unknown = {}, options: AnalyzeOptions = {}): Report {
  return analyze(source, { kind: 'function', name: functionName }, inputs, options);
}

export function exampleReport(file: string, functionName: string, inputs: unknown = {}, options: AnalyzeOptions = {}): Report {
  return reportOf(exampleSource(file), functionName, inputs, options);
}

/** 1-based line text of a source, as the diagnostics need it. */
export function lineTextOf(source: string): (line: number) => string | undefined {
  const lines = source.split('\n');
  return (line) => lines[line - 1];
}
