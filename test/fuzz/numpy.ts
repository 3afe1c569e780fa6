// Real NumPy as a second oracle for generated programs: numpy_oracle.py runs a batch of programs in
// one python3 process (NumPy's import costs more than a program) and GradLens's Report is compared
// with what NumPy computed or raised.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestedNumbers, Report } from '../../src/analysis/report';
import type { Problem } from './verdict';

const oracleScript = join(__dirname, 'numpy_oracle.py');
const python = process.env.GRADLENS_PYTHON || 'python3';

export interface NumpyProgram {
  source: string;
  functionName: string;
  inputs: Record<string, NestedNumbers>;
  /** Only compile the source (CPython's syntax check), do not run it. */
  compileOnly?: boolean;
}

export type NumpyResult =
  | { value: number | string }
  | { error: { type: string; message: string; line: number | null } };

/** NumPy's answer for each program, or null when python3 with NumPy is not there. */
export function runNumpy(programs: readonly NumpyProgram[]): NumpyResult[] | null {
  if (programs.length === 0) return [];
  const run = spawnSync(python, [oracleScript], { input: JSON.stringify(programs), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) return null;
  const parsed: unknown = JSON.parse(run.stdout);
  return Array.isArray(parsed) && parsed.length === programs.length ? (parsed as NumpyResult[]) : null;
}

/**
 * One python3 process answering batches one at a time through two FIFOs, read and written with
 * blocking calls: synchronous, as a fast-check property must be, and NumPy is imported once.
 */
export class NumpyServer {
  private readonly dir: string;
  private readonly child: ChildProcess;
  private readonly requests: number;
  private readonly responses: number;
  private pending = '';

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'gradlens-numpy-'));
    const requestPath = join(this.dir, 'requests');
    const responsePath = join(this.dir, 'responses');
    for (const fifo of [requestPath, responsePath]) {
      if (spawnSync('mkfifo', [fifo]).status !== 0) throw new Error(`mkfifo ${fifo} failed`);
    }
    this.child = spawn(python, [oracleScript, '--serve', requestPath, responsePath], { stdio: 'ignore' });
    // Each open blocks until python opens the other end, in the same order.
    this.requests = openSync(requestPath, 'w');
    this.responses = openSync(responsePath, 'r');
  }

  run(programs: readonly NumpyProgram[]): NumpyResult[] | null {
    writeSync(this.requests, `${JSON.stringify(programs)}\n`);
    const chunk = Buffer.alloc(1 << 16);
    while (!this.pending.includes('\n')) {
      const n = readSync(this.responses, chunk, 0, chunk.length, null);
      if (n === 0) return null;
      this.pending += chunk.toString('utf8', 0, n);
    }
    const newline = this.pending.indexOf('\n');
    const line = this.pending.slice(0, newline);
    this.pending = this.pending.slice(newline + 1);
    const parsed: unknown = JSON.parse(line);
    return Array.isArray(parsed) && parsed.length === programs.length ? (parsed as NumpyResult[]) : null;
  }

  close(): void {
    closeSync(this.requests);
    closeSync(this.responses);
    this.child.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function numpyAvailable(): boolean {
  return spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
}

const VALUE_TOLERANCE = 1e-9;

/** CPython's own implementation limits, which GradLens need not share. */
const CPYTHON_LIMITS = /too many levels of indentation|too many nested parentheses|too many statically nested blocks|recursion|Exceeds the limit|too many nested f-strings|null bytes/i;

/**
 * GradLens's syntax verdict against CPython's `compile()`: a file CPython rejects should not analyze
 * without a syntax error, and a file it compiles should not get one.
 */
export function compareSyntax(reports: readonly Report[], python: NumpyResult): Problem[] {
  const syntaxError = reports.flatMap((r) => r.errors).find((e) => e.kind === 'syntax');
  if ('value' in python) {
    return syntaxError ? [{ kind: 'syntax-divergence', detail: `GradLens reports a syntax error at line ${syntaxError.line} ("${syntaxError.message}") but CPython compiles the file` }] : [];
  }
  const e = python.error;
  if (syntaxError || CPYTHON_LIMITS.test(e.message) || e.type === 'RecursionError' || e.type === 'MemoryError') return [];
  return [{ kind: 'syntax-divergence', detail: `CPython rejects the file (${e.type} at line ${e.line}: ${e.message}) but GradLens reports no syntax error` }];
}

function asNumber(v: number | string): number {
  return typeof v === 'number' ? v : Number(v.replace('inf', 'Infinity'));
}

/** GradLens and NumPy disagree: on the value, on whether the code is valid, or on the error's line. */
export function compareWithNumpy(report: Report, numpy: NumpyResult): Problem[] {
  const firstError = report.errors[0];
  if ('value' in numpy) {
    if (numpy.value === 'non-scalar') return [];
    const expected = asNumber(numpy.value);
    if (firstError) {
      // Running out of budget on a valid program is not a disagreement.
      if (firstError.kind === 'budget') return [];
      return [{ kind: 'numpy-divergence', detail: `GradLens reports a ${firstError.kind} error at line ${firstError.line} ("${firstError.message}") but NumPy returns ${expected}` }];
    }
    const actual = report.output && report.output.shape.length === 0 ? report.output.value[0] : Number.NaN;
    const same = actual === expected || (Number.isNaN(actual) && Number.isNaN(expected)) || Math.abs(actual - expected) <= VALUE_TOLERANCE * Math.max(1, Math.abs(expected));
    return same ? [] : [{ kind: 'numpy-divergence', detail: `GradLens computes ${actual} but NumPy computes ${expected}` }];
  }
  const e = numpy.error;
  if (!firstError) return [{ kind: 'numpy-divergence', detail: `NumPy raises ${e.type} at line ${e.line}: ${e.message}; GradLens reports no error (value ${report.output ? [...report.output.value].join(', ') : 'none'})` }];
  if (e.line !== null && firstError.kind !== 'budget' && firstError.kind !== 'unsupported' && firstError.line !== e.line) {
    return [{ kind: 'error-line', detail: `GradLens reports "${firstError.message}" at line ${firstError.line}; NumPy raises ${e.type} at line ${e.line}: ${e.message}` }];
  }
  return [];
}
