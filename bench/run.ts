// `npm run bench`: GradLens against python3 + NumPy on the same programs, timed in the same run and
// interleaved (a GradLens repetition, then a NumPy one), so that a busy machine slows both alike.
// Prints one row per program and measure with the medians and the ratio GradLens / NumPy, the
// CIFAR-size products against the ceiling of WebAssembly SIMD (bench/ceiling.ts), the bundle sizes,
// and the speed and size goals; writes the same to docs/benchmarks.md (bench/document.ts).
//
//   npm run bench -- [--json] [--quick] [--only ID,ID] [--numpy-threads N|auto] [--no-pin] [--default-malloc]
//
// (bench/launch.ts bundles this file first: bench/bundle.ts says why.)
//
// --json prints one JSON object on stdout (progress goes to stderr). --quick (one repetition) and
// --only (some programs) are for trying changes; they leave docs/benchmarks.md alone. --no-pin runs
// both sides where the OS puts them (bench/launch.ts pins them to one CPU); --default-malloc leaves
// glibc's malloc thresholds as they are (bench/launch.ts sets them for both sides).
// --numpy-threads: BLAS threads for NumPy, 1 by default. GradLens computes on one core, so one BLAS
// thread compares like with like; and on this 2-core machine, whenever anything else runs, OpenBLAS's
// second thread stalls at its barriers (the CIFAR-size forward pass measured 1.3 ms quiet and
// 76-230 ms under a load average of 7 with 2 threads, against 0.7-3 ms with 1). `auto` lets OpenBLAS choose.
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { defaultGradCheckOptions } from '../src/core/gradcheck';
import type { Report } from '../src/analysis/report';
import { Ceiling, measureProducts, productShape, simdCeiling } from './ceiling';
import { CheckCost, goalsOf, markdown, MachineDescription, Row } from './document';
import { median, timeCalls } from './timing';
import type { InputsJson } from './inputs';
import { benchDir, BenchProgram, benchPrograms, gradlensCheck, gradlensForward, gradlensForwardBackward, gradlensInputs, programSource, repoRoot, runWarmUpMsPerProgram, warmUpAll } from './programs';

type Measure = 'forward' | 'forward+backward' | 'check';

interface Timing {
  medianMs: number;
  samplesMs: number[];
  callsPerRep: number;
}

const args = process.argv.slice(2);
const jsonOutput = args.includes('--json');
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : null;
const threadsIndex = args.indexOf('--numpy-threads');
const numpyThreads = threadsIndex >= 0 ? args[threadsIndex + 1] ?? '1' : '1';
const writeDocs = !quick && only === null;

const outDir = path.join(benchDir, 'out');
const inputsDir = path.join(outDir, 'inputs');
const python = process.env.GRADLENS_PYTHON || 'python3';
/** Set on this machine for other tools; they pin OpenBLAS to a slower kernel than it would pick. */
const blasOverrides = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

/**
 * A fast program loops inside one repetition until it lasts about this long. Each repetition
 * starts just after the other side's, on the same core, and pays for that switch. In runs of the
 * tiny net alone, alternating the two lengths, its check measured 6.3–7.4× faster than NumPy's
 * loop with 25 ms repetitions and 7.7–8.4× with 100 ms.
 */
const repetitionTargetMs = 100;
/** Wall time one measure's repetitions may take, both sides together, before their count is cut to the minimum. */
const measureBudgetMs = 4000;
/** Each measure's warm-up lasts at least this long, after the whole run's warm-up (warmUpAll). */
const warmUpMs = 1000;
/** The warm-up compares the mean calls of successive windows this long. */
const warmUpWindowMs = 500;
/** A warm-up that has not settled stops after this long. */
const warmUpMaxMs = 10000;
/** A side whose first call is slower than this is not warmed up separately (see measure()). */
const slowCallMs = 2000;
const minRepetitions = 3;
const maxRepetitions = 15;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The long-lived NumPy process (bench/numpy_side.py): one JSON command per line, one answer per line. */
class NumpySide {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((answer: Record<string, unknown>) => void)[] = [];
  private stderr = '';

  constructor() {
    const env = { ...process.env };
    for (const name of blasOverrides) delete env[name];
    if (numpyThreads !== 'auto') {
      for (const name of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS']) env[name] = numpyThreads;
    }
    this.child = spawn(python, [path.join(benchDir, 'numpy_side.py')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.child.on('exit', (code) => {
      if (this.waiting.length > 0) {
        log(`bench: ${python} bench/numpy_side.py exited with ${code}\n${this.stderr}`);
        process.exit(1);
      }
    });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      const parsed: unknown = JSON.parse(line);
      this.waiting.shift()?.(isRecord(parsed) ? parsed : { ok: false, error: `not an object: ${line}` });
    });
  }

  async request(command: Record<string, unknown>): Promise<Record<string, unknown>> {
    const answer = await new Promise<Record<string, unknown>>((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
    if (answer.ok !== true) throw new Error(`NumPy side: ${String(answer.error)} (command ${JSON.stringify(command).slice(0, 200)})`);
    return answer;
  }

  async time(program: string, measure: Measure, calls: number): Promise<{ ms: number; forwardPasses: number | null }> {
    const answer = await this.request({ cmd: 'time', program, measure, calls });
    return { ms: Number(answer.ms), forwardPasses: typeof answer.forwardPasses === 'number' ? answer.forwardPasses : null };
  }

  async product(product: string, calls: number): Promise<{ ms: number; sum: number }> {
    const answer = await this.request({ cmd: 'product', shape: [productShape.m, productShape.k, productShape.n], product, calls });
    return { ms: Number(answer.ms), sum: Number(answer.sum) };
  }

  close(): void {
    this.child.stdin.end();
  }
}

/**
 * Calls until the JIT (or NumPy's first-call work) has settled: calls in windows of warmUpWindowMs
 * (or one call, if it takes longer), for at least warmUpMs, and on while a window's mean call is
 * more than a twentieth faster than the window's before, up to warmUpMaxMs. The mean, as a
 * repetition measures it: V8 keeps compiling a small program's check for two or three seconds,
 * in spikes of 10–30 ms every few calls on a pinned process, which a window's median does not see
 * (the median of one window's calls falling 1.3 → 0.87 → 0.75 → 0.53 → 0.48 ms while its mean
 * kept falling after it). Returns the last window's mean.
 */
async function warmUp(run: () => Promise<number>): Promise<number> {
  const start = performance.now();
  let lastMs = Infinity;
  for (;;) {
    const previousMs = lastMs;
    const windowStart = performance.now();
    let calls = 0;
    let total = 0;
    do {
      total += await run();
      calls++;
    } while (performance.now() - windowStart < warmUpWindowMs);
    lastMs = total / calls;
    const elapsed = performance.now() - start;
    if (elapsed > warmUpMaxMs) break;
    if (elapsed >= warmUpMs && lastMs > 0.95 * previousMs) break;
  }
  return lastMs;
}

/**
 * Repetitions alternating GradLens and NumPy; medians of per-call times. A first call of each side
 * tells how long a call takes. A side whose first call takes over slowCallMs (NumPy's checks of the
 * larger programs) takes that call as its first repetition: its interpreter does not speed up with
 * use, and a separate warm-up would add a minute to the run. The other side warms up first: V8 is
 * still optimizing a gradient check over its first few calls, even when each takes a second (the
 * CIFAR-size check: about 1.2, 0.65, 0.4 and 0.3 s for its first four calls).
 */
async function measure(numpy: NumpySide, program: BenchProgram, which: Measure, runGradlens: () => void): Promise<{ gradlens: Timing; numpy: Timing; numpyForwardPasses: number | null }> {
  const gradlensSamples: number[] = [];
  const numpySamples: number[] = [];
  let numpyForwardPasses: number | null = null;
  const numpyRepetition = async (calls: number): Promise<number> => {
    const answer = await numpy.time(program.id, which, calls);
    numpyForwardPasses = answer.forwardPasses;
    return answer.ms;
  };

  let gradlensCallMs = timeCalls(runGradlens, 1);
  let numpyCallMs = await numpyRepetition(1);
  const gradlensSlow = gradlensCallMs > slowCallMs;
  const numpySlow = numpyCallMs > slowCallMs;
  const warmUpStart = performance.now();
  if (gradlensSlow) gradlensSamples.push(gradlensCallMs);
  else gradlensCallMs = await warmUp(async () => timeCalls(runGradlens, 1));
  const gradlensWarmUpS = (performance.now() - warmUpStart) / 1000;
  if (numpySlow) numpySamples.push(numpyCallMs);
  else numpyCallMs = await warmUp(() => numpyRepetition(1));
  log(`bench:   warm-up ${gradlensWarmUpS.toFixed(1)} s (GradLens), ${((performance.now() - warmUpStart) / 1000 - gradlensWarmUpS).toFixed(1)} s (NumPy)`);
  // A repetition of a side lasts about repetitionTargetMs, or one call; when either side's calls
  // are slow, one call each, so that the two alternate call by call.
  const oneCall = gradlensSlow || numpySlow;
  const gradlensCalls = oneCall ? 1 : Math.max(1, Math.round(repetitionTargetMs / gradlensCallMs));
  const numpyCalls = oneCall ? 1 : Math.max(1, Math.round(repetitionTargetMs / numpyCallMs));
  const repetitionMs = gradlensCalls * gradlensCallMs + numpyCalls * numpyCallMs;
  let repetitions = quick ? 1 : Math.min(maxRepetitions, Math.max(minRepetitions, Math.floor(measureBudgetMs / repetitionMs)));
  if (repetitions % 2 === 0) repetitions -= 1; // an odd count has a middle sample
  while (gradlensSamples.length < repetitions || numpySamples.length < repetitions) {
    if (gradlensSamples.length < repetitions) gradlensSamples.push(timeCalls(runGradlens, gradlensCalls));
    if (numpySamples.length < repetitions) numpySamples.push(await numpyRepetition(numpyCalls));
  }
  return {
    gradlens: { medianMs: median(gradlensSamples), samplesMs: gradlensSamples, callsPerRep: gradlensCalls },
    numpy: { medianMs: median(numpySamples), samplesMs: numpySamples, callsPerRep: numpyCalls },
    numpyForwardPasses,
  };
}

function writeInputs(program: BenchProgram, inputs: InputsJson): string {
  fs.mkdirSync(inputsDir, { recursive: true });
  const file = path.join(inputsDir, `${program.id}.json`);
  fs.writeFileSync(file, JSON.stringify(inputs));
  return file;
}

function elementCount(report: Report, name: string): number {
  return report.inputs[name].shape.reduce((n, d) => n * d, 1);
}

function sumOf(values: Float64Array | undefined): number {
  return values ? values.reduce((total, v) => total + v, 0) : Number.NaN;
}

function fileBytes(relative: string): number | null {
  const file = path.join(repoRoot, relative);
  return fs.existsSync(file) ? fs.statSync(file).size : null;
}

/** Read-only git queries: which commit of the engine ran, and whether src/ differed from it. */
function engineVersion(): string {
  const git = (...gitArgs: string[]): string | null => {
    const result = spawnSync('git', gitArgs, { cwd: repoRoot, encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trim() : null;
  };
  const commit = git('log', '-1', '--format=%h %s');
  if (commit === null) return 'unknown (not a git checkout)';
  const changed = git('status', '--porcelain', '--', 'src');
  return `${commit}${changed ? ' (with uncommitted changes under src/)' : ''}`;
}

/** /proc/cpuinfo's model name, family/model, clock and vector extensions (what NumPy's kernels use). */
function cpuDescription(): string {
  let cpuinfo = '';
  try {
    cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
  const field = (name: string): string | undefined => cpuinfo.split('\n').find((l) => l.startsWith(`${name}\t`) || l.startsWith(`${name} `))?.split(':')[1]?.trim();
  const flags = new Set((field('flags') ?? '').split(' '));
  const extensions = ['avx2', 'fma', 'avx512f'].filter((flag) => flags.has(flag)).map((flag) => flag.toUpperCase());
  return `${field('model name') ?? 'unknown'} (family ${field('cpu family') ?? '?'}, model ${field('model') ?? '?'}, ${field('cpu MHz') ?? '?'} MHz, ${extensions.join(', ') || 'no AVX'})`;
}

/** "openblas 0.3.31, kernel SkylakeX, 2 threads (how it was found; numpy.show_config: ...)". */
function describeBlas(info: Record<string, unknown>): string {
  const blas = isRecord(info.blas) ? info.blas : {};
  const libraries = Array.isArray(blas.libraries) ? blas.libraries.filter(isRecord) : [];
  const runtime = libraries.map((lib) => {
    const version = lib.version ?? (typeof lib.config === 'string' ? lib.config.split(' ')[1] : '?');
    return `${String(lib.internal_api ?? 'blas')} ${String(version)}, kernel ${String(lib.architecture ?? '?')}, ${String(lib.num_threads ?? '?')} thread${lib.num_threads === 1 ? '' : 's'}`;
  });
  const showConfig = isRecord(blas.showConfig) ? `${String(blas.showConfig.name)} ${String(blas.showConfig.version)}` : 'unknown';
  return `${runtime.join('; ') || showConfig} (${String(blas.source)}; numpy.show_config: ${showConfig})`;
}

async function main(): Promise<void> {
  const numpy = new NumpySide();
  const info = await numpy.request({ cmd: 'info' });
  const removed = blasOverrides.filter((name) => process.env[name] !== undefined).map((name) => `${name}=${process.env[name]}`);
  const machine: MachineDescription = {
    cpu: cpuDescription(),
    cores: os.cpus().length,
    node: process.version,
    python: String(info.python),
    numpy: String(info.numpy),
    blas: describeBlas(info),
    numpyEnvironment: [
      removed.length > 0 ? `${removed.join(', ')} unset for the NumPy process only` : 'no OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE to unset',
      numpyThreads === 'auto' ? 'BLAS threads left to OpenBLAS' : `BLAS threads set to ${numpyThreads} (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS; --numpy-threads changes it)`,
    ].join('; '),
    engine: engineVersion(),
    loadAverage: os.loadavg()[0].toFixed(2),
    pinned: process.env.GRADLENS_BENCH_PIN ?? 'none (--no-pin, no taskset, or one CPU): each side ran wherever the OS put it',
    malloc: process.env.MALLOC_MMAP_THRESHOLD_ !== undefined
      ? `MALLOC_MMAP_THRESHOLD_=${process.env.MALLOC_MMAP_THRESHOLD_}, MALLOC_TRIM_THRESHOLD_=${process.env.MALLOC_TRIM_THRESHOLD_ ?? 'unset'} for both sides (bench/launch.ts says why; --default-malloc leaves them unset)`
      : 'glibc\'s own thresholds',
  };
  log(`bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, NumPy ${machine.numpy}; BLAS ${machine.blas}`);

  const policy = {
    fullCheckMaxElements: defaultGradCheckOptions.fullCheckMaxElements,
    sampledElements: defaultGradCheckOptions.sampledElements,
    directions: defaultGradCheckOptions.directions,
    seed: defaultGradCheckOptions.seed,
  };
  const rows: Row[] = [];
  const repetitions = new Map<Row, string>();
  const costs: Record<string, CheckCost> = {};
  const labels = new Map(benchPrograms.map((p) => [p.id, p.label]));
  const raw: Record<string, unknown> = {};

  const selected = benchPrograms.filter((p) => only === null || only.has(p.id));
  log('bench: warming up');
  warmUpAll(selected);
  for (const program of selected) {
    const source = programSource(program);
    const inputs = program.inputs();
    const inputsFile = writeInputs(program, inputs);
    // One analysis first: the float inputs GradLens checks are the ones the NumPy side checks.
    const tensors = gradlensInputs(inputs);
    const firstReport = gradlensForwardBackward(source, program, tensors);
    if (firstReport.errors.length > 0) throw new Error(`${program.id}: GradLens reports ${JSON.stringify(firstReport.errors)}`);
    const checked = Object.values(firstReport.inputs).filter((input) => input.dtype === 'float64').map((input) => input.name);
    const loaded = await numpy.request({
      cmd: 'load', program: program.id, source: path.join(benchDir, 'programs', program.file), inputs: inputsFile,
      forward: program.forwardFunction, grads: program.gradsFunction, checkInputs: checked, policy,
    });
    // The two sides must compute the same thing, or the ratio means nothing.
    const gradlensValue = sumOf(firstReport.output?.value);
    const numpyValue = Number(loaded.value);
    if (!(Math.abs(gradlensValue - numpyValue) <= 1e-9 * Math.max(1, Math.abs(numpyValue)))) {
      throw new Error(`${program.id}: GradLens computes ${gradlensValue}, NumPy ${numpyValue}`);
    }
    const sampled = checked.some((name) => elementCount(firstReport, name) > policy.fullCheckMaxElements);
    const checkName = sampled ? 'check (sampled)' : 'check (full)';

    log(`bench: ${program.id}: forward`);
    const forward = await measure(numpy, program, 'forward', () => gradlensForward(source, program, tensors));
    log(`bench: ${program.id}: forward+backward`);
    const forwardBackward = await measure(numpy, program, 'forward+backward', () => gradlensForwardBackward(source, program, tensors));
    log(`bench: ${program.id}: ${checkName}`);
    let checkReport: Report | null = null;
    const check = await measure(numpy, program, 'check', () => {
      checkReport = gradlensCheck(source, program, tensors);
    });
    const lastCheck = checkReport as Report | null;
    if (lastCheck === null) throw new Error(`${program.id}: the check never ran`);
    if (sumOf(lastCheck.output?.value) !== gradlensValue) throw new Error(`${program.id}: the inputs changed during the run`);

    const measured: [string, Awaited<ReturnType<typeof measure>>][] = [['forward', forward], ['forward+backward', forwardBackward], [checkName, check]];
    for (const [name, timing] of measured) {
      const row = { program: program.id, measure: name, gradlensMs: timing.gradlens.medianMs, numpyMs: timing.numpy.medianMs, ratio: timing.gradlens.medianMs / timing.numpy.medianMs };
      rows.push(row);
      const count = timing.gradlens.samplesMs.length;
      repetitions.set(row, `${count} × ${timing.gradlens.callsPerRep}; ${count} × ${timing.numpy.callsPerRep}`);
    }
    const elements = checked.map((name) => elementCount(firstReport, name));
    const fullLoopPasses = elements.reduce((total, n) => total + 2 * n + 1, 0);
    costs[program.id] = {
      mode: sampled ? 'sampled' : 'full',
      gradlensForwardPasses: lastCheck.forwardPasses,
      gradlensWallEquivalents: (check.gradlens.medianMs - forwardBackward.gradlens.medianMs) / forward.gradlens.medianMs,
      gradlensCheckMs: check.gradlens.medianMs,
      numpyForwardPasses: check.numpyForwardPasses ?? 0,
      numpyWallEquivalents: (check.numpy.medianMs - forwardBackward.numpy.medianMs) / forward.numpy.medianMs,
      numpyCheckMs: check.numpy.medianMs,
      gradlensStatus: Object.fromEntries(Object.entries(lastCheck.gradcheck).map(([name, entry]) => [name, entry.status])),
      fullLoop: sampled ? { forwardPasses: fullLoopPasses, numpyEstimateMs: fullLoopPasses * forward.numpy.medianMs } : null,
    };
    raw[program.id] = { forward, forwardBackward, check };
  }
  let ceiling: Ceiling | null = null;
  if (selected.some((p) => p.id === 'two_layer_net_cifar')) {
    log('bench: the CIFAR-size products and the SIMD ceiling');
    ceiling = { ...(await simdCeiling()), products: await measureProducts((product, calls) => numpy.product(product, calls)) };
  }
  numpy.close();
  machine.loadAverage = `${machine.loadAverage} at the start, ${os.loadavg()[0].toFixed(2)} at the end (${machine.cores} cores)`;

  const bytes: Record<string, number | null> = {
    'dist/extension.js': fileBytes('dist/extension.js'),
    'dist/webview.js': fileBytes('dist/webview.js'),
    'gradlens.vsix': fileBytes('gradlens.vsix'),
  };
  const goals = goalsOf(rows, costs, bytes, ceiling);

  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'last-run.json'), JSON.stringify({ machine, rows, costs, ceiling, raw }, null, 2));
  const protocol = { runWarmUpMsPerProgram, warmUpMs, warmUpWindowMs, warmUpMaxMs, slowCallMs, repetitionTargetMs };
  const document = markdown(rows, repetitions, costs, bytes, goals, machine, labels, ceiling, protocol);
  if (writeDocs) {
    fs.mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
    fs.writeFileSync(path.join(repoRoot, 'docs', 'benchmarks.md'), document);
  }

  if (jsonOutput) {
    process.stdout.write(`${JSON.stringify({ rows, forwardPassEquivalents: costs, bytes, goals, ceiling, machine })}\n`);
  } else {
    const body = document.slice(document.indexOf('## Machine'));
    process.stdout.write(`${body}\n${writeDocs ? 'Written to docs/benchmarks.md.' : '(--quick or --only: docs/benchmarks.md left as it was.)'}\n`);
  }
}

main().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
});
