// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions and source files with the most
// self time. Used by bench/profile.ts; also on its own:
//
//   npx tsx bench/profile-summary.ts FILE.cpuprofile [--bundle BUNDLE.js] [--under FUNCTION] [--top N] [--stages a,b,c]
//
// --under keeps only samples taken inside FUNCTION (the driver's timed loop); --bundle names the
// esbuild bundle the profile ran, whose `// path/to/file.ts` markers map a line back to its module.
import * as fs from 'fs';
import * as path from 'path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byFunction: [string, number][];
  byFile: [string, number][];
  /** Inclusive time of each named stage (self time plus everything it called), in the order given. */
  byStage: [string, number][];
}

export interface SummaryOptions {
  bundle?: string;
  under?: string;
  /** Function names whose inclusive time to report: the pipeline's stages. */
  stages?: readonly string[];
}

function isCpuProfile(value: unknown): value is CpuProfile {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<CpuProfile>;
  return Array.isArray(candidate.nodes) && Array.isArray(candidate.samples) && Array.isArray(candidate.timeDeltas);
}

/** esbuild puts `// src/core/tensor.ts` before each module's code: line ranges → module. */
function moduleMarkers(bundle: string): { line: number; file: string }[] {
  const markers: { line: number; file: string }[] = [];
  fs.readFileSync(bundle, 'utf8').split('\n').forEach((text, line) => {
    const marker = /^\/\/ ((?:src|bench|node_modules)\/\S+)$/.exec(text);
    if (marker) markers.push({ line, file: marker[1] });
  });
  return markers;
}

function moduleAt(markers: readonly { line: number; file: string }[], line: number): string | null {
  let found: string | null = null;
  for (const marker of markers) {
    if (marker.line > line) break;
    found = marker.file;
  }
  return found;
}

export function summarizeProfile(file: string, options: SummaryOptions = {}): ProfileSummary {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isCpuProfile(parsed)) throw new Error(`${file} is not a .cpuprofile`);
  const markers = options.bundle ? moduleMarkers(options.bundle) : [];
  const bundleUrl = options.bundle ? path.resolve(options.bundle) : null;

  /** The source file of a frame: its module in the bundle, else its script; '' for V8's own entries. */
  const locationOf = (frame: CallFrame): string => {
    const script = frame.url.replace(/^file:\/\//, '');
    if (bundleUrl !== null && script === bundleUrl) return moduleAt(markers, frame.lineNumber) ?? 'bundle';
    return script ? path.relative(process.cwd(), script) : '';
  };

  const parentOf = new Map<number, number>();
  for (const node of parsed.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nodeById = new Map(parsed.nodes.map((node) => [node.id, node]));
  const insideCache = new Map<number, boolean>();
  const isInside = (id: number): boolean => {
    const cached = insideCache.get(id);
    if (cached !== undefined) return cached;
    const parent = parentOf.get(id);
    const inside = nodeById.get(id)?.callFrame.functionName === options.under || (parent !== undefined && isInside(parent));
    insideCache.set(id, inside);
    return inside;
  };

  // A sample's time is the delta to the next sample, spent in the sampled node itself (self time).
  // With --under, the window runs from the first to the last sample inside that function; the
  // garbage collector's samples sit outside every JavaScript frame, so the window keeps them.
  const micros = parsed.samples.map((_, i) => parsed.timeDeltas[i + 1] ?? 0);
  let first = 0;
  let last = parsed.samples.length - 1;
  if (options.under) {
    first = parsed.samples.findIndex((id) => isInside(id));
    last = parsed.samples.length - 1 - [...parsed.samples].reverse().findIndex((id) => isInside(id));
    if (first < 0) throw new Error(`${file}: no sample inside ${options.under}()`);
  }
  const selfMicros = new Map<number, number>();
  const stageMicros = new Map<string, number>((options.stages ?? []).map((stage) => [stage, 0]));
  const stagesCache = new Map<number, Set<string>>();
  const stagesOnStack = (id: number): Set<string> => {
    const cached = stagesCache.get(id);
    if (cached) return cached;
    const parent = parentOf.get(id);
    const found = new Set(parent === undefined ? [] : stagesOnStack(parent));
    const frame = nodeById.get(id)?.callFrame;
    if (frame) {
      for (const stage of stageMicros.keys()) {
        // "run@src/core/tape.ts" names a function in one file; a bare name matches any file.
        const [name, file] = stage.split('@');
        if (frame.functionName === name && (file === undefined || locationOf(frame) === file)) found.add(stage);
      }
    }
    stagesCache.set(id, found);
    return found;
  };
  for (let i = first; i <= last; i++) {
    const id = parsed.samples[i];
    if (nodeById.get(id)?.callFrame.functionName === '(idle)') continue;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + micros[i]);
    for (const stage of stagesOnStack(id)) stageMicros.set(stage, (stageMicros.get(stage) ?? 0) + micros[i]);
  }

  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of selfMicros) {
    const frame = nodeById.get(id)!.callFrame;
    const location = locationOf(frame);
    const name = `${frame.functionName || '(anonymous)'}${location ? `  ${location}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    const fileKey = location || frame.functionName;
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + micros);
    total += micros;
  }
  const ranked = (m: Map<string, number>): [string, number][] => [...m].map(([k, v]): [string, number] => [k, v / 1000]).sort((a, b) => b[1] - a[1]);
  return { totalMs: total / 1000, byFunction: ranked(byFunction), byFile: ranked(byFile), byStage: [...stageMicros].map(([k, v]): [string, number] => [k, v / 1000]) };
}

export function formatSummary(file: string, summary: ProfileSummary, top: number): string {
  const line = ([name, ms]: [string, number]): string => `${((100 * ms) / summary.totalMs).toFixed(1).padStart(5)}% ${ms.toFixed(0).padStart(7)} ms  ${name}`;
  return [
    `${file}: ${summary.totalMs.toFixed(0)} ms sampled`,
    '',
    'self time by function',
    ...summary.byFunction.slice(0, top).map(line),
    '',
    'self time by file',
    ...summary.byFile.slice(0, top).map(line),
    '',
    ...(summary.byStage.length > 0 ? ['inclusive time by stage (a stage called inside another counts in both)', ...summary.byStage.map(line), ''] : []),
  ].join('\n');
}

function main(argv: string[]): void {
  const file = argv[0];
  if (!file) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--bundle BUNDLE.js] [--under FUNCTION] [--top N] [--stages a,b,c]\n');
    process.exit(2);
  }
  const option = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  process.stdout.write(formatSummary(file, summarizeProfile(file, { bundle: option('--bundle'), under: option('--under'), stages: option('--stages')?.split(',') }), Number(option('--top') ?? 20)));
}

if (require.main === module) main(process.argv.slice(2));
