// What bench/compare.ts runs: one measure of one program with two versions of bench/programs.ts
// (REF's and the working tree's) in alternating windows of calls; prints per-call times and the
// ratio of each pair of windows (REF's window first, or with `workingTreeFirst` the working tree's,
// each version then also bundled first).
import type * as Programs from './programs';

type ProgramsModule = typeof Programs;
type Measure = 'forward' | 'forward+backward' | 'check';

export interface CompareOptions {
  programId: string;
  measure: Measure;
  seconds: number;
  warmAll: boolean;
  /** The working tree's windows first in each pair instead of REF's. */
  workingTreeFirst: boolean;
}

const windowMs = 50;
const warmUpMs = 3000;

interface Side {
  label: string;
  call: () => unknown;
  /** Milliseconds per call, one entry per window. */
  perCall: number[];
}

function prepare(label: string, programs: ProgramsModule, options: CompareOptions): Side {
  const program = programs.benchPrograms.find((p) => p.id === options.programId);
  if (!program) throw new Error(`unknown program '${options.programId}'; one of ${programs.benchPrograms.map((p) => p.id).join(', ')}`);
  const source = programs.programSource(program);
  const inputs = programs.gradlensInputs(program.inputs());
  const call = {
    forward: () => programs.gradlensForward(source, program, inputs),
    'forward+backward': () => programs.gradlensForwardBackward(source, program, inputs),
    check: () => programs.gradlensCheck(source, program, inputs),
  }[options.measure];
  if (options.warmAll) programs.warmUpAll(programs.benchPrograms);
  for (const start = performance.now(); performance.now() - start < warmUpMs;) call();
  return { label, call, perCall: [] };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.round(q * (sorted.length - 1))];
}

const format = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(3)} ms`);

export function compare(ref: ProgramsModule, work: ProgramsModule, options: CompareOptions): void {
  const refSide = prepare('ref', ref, options), workSide = prepare('working tree', work, options);
  const sides = options.workingTreeFirst ? [workSide, refSide] : [refSide, workSide];
  const end = performance.now() + options.seconds * 1000;
  while (performance.now() < end) {
    for (const side of sides) {
      let calls = 0;
      const start = performance.now();
      // At least one call, for programs whose call takes longer than a window.
      do { side.call(); calls++; } while (performance.now() - start < windowMs);
      side.perCall.push((performance.now() - start) / calls);
    }
  }
  for (const side of [refSide, workSide]) {
    const [best, q1, median, q3] = [0, 0.25, 0.5, 0.75].map((q) => format(quantile(side.perCall, q)));
    process.stdout.write(`${side.label.padEnd(12)} per call: best ${best}, quartiles ${q1} / ${median} / ${q3}\n`);
  }
  const ratios = workSide.perCall.map((t, i) => t / refSide.perCall[i]);
  const [q1, median, q3] = [0.25, 0.5, 0.75].map((q) => quantile(ratios, q).toFixed(3));
  process.stdout.write(`working tree / ref over ${ratios.length} pairs of windows: quartiles ${q1} / ${median} / ${q3}\n`);
}
