// The fuzz campaign: `npx tsx test/fuzz/run.ts [--runs N] [--seed S] [--only programs|mutations]
//                                             [--no-numpy] [--case I] [--shrink-max K]`
//
// Runs N generated programs and N mutated files (10,000 each by default) with a printed seed, in two
// worker threads (one per core), and sums up: crashes (a throw or an 'internal' error), hangs (one
// analyze() call over 5 s despite its budget; a call that never returns is stopped by a watchdog and
// counted too), wrong answers not flagged (a gradient check 'fail' on a smooth program, a value
// real NumPy does not compute, a function and its own body as a line range that disagree), and bad
// error positions. Each failure is shrunk by fast-check from its seed and path, the distinct shrunk
// counterexamples are printed and written under test/fuzz/found/ for regression tests.
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { applyPlan, checkMutatedFile, describeTarget, loadSeedFiles, planArbitrary as mutationPlanArbitrary, type MutatedFile, type MutationPlan } from './mutations';
import { compareSyntax, compareWithNumpy, numpyAvailable, NumpyServer, type NumpyResult } from './numpy';
import { checkFlatForm, checkProgram, planArbitrary as programPlanArbitrary, renderPlan, simplerPlans, templatesOf, type GeneratedProgram, type ProgramPlan } from './programs';
import { describeProblems, type Problem, type ProblemKind } from './verdict';

type Phase = 'programs' | 'mutations';

interface CampaignSettings {
  seed: number;
  runs: number;
  numpy: boolean;
  /** Counterexamples shrunk per phase at most (failures that one of them explains are not shrunk again). */
  shrinkMax: number;
}

/** Work for one worker thread. */
interface ScanJob {
  phase: Phase;
  settings: CampaignSettings;
  /** First case to run (a restarted worker skips the cases already done). */
  from: number;
  /** Only this case, to reproduce it. */
  only: number | null;
}

interface CaseResult {
  index: number;
  millis: number;
  problems: Problem[];
  /** Analyze calls made (one per program plus its flat form; one per target of a mutated file). */
  analyses: number;
  /** What the case is made of (templates, problem kinds, error messages): see `covers`. */
  features: string[];
}

type WorkerMessage =
  | { type: 'begin'; index: number }
  | { type: 'result'; result: CaseResult }
  | { type: 'shrunk'; index: number; counterexample: Counterexample | null }
  | { type: 'done' };

type MainMessage = { type: 'shrink'; index: number; kinds: ProblemKind[] } | { type: 'exit' };

interface Counterexample {
  phase: Phase;
  index: number;
  problems: Problem[];
  /** Programs: the program; mutations: the mutated file's text and how it was made. */
  program?: GeneratedProgram;
  mutated?: { origin: string; mutations: string[]; decoding: string; bytesBase64: string; targets: string[]; inputs: Record<string, unknown> | null; mainFunction: string | null };
  shrinks: number;
  features: string[];
}

/**
 * A worker that does not report for this long is stuck: stopped, the case counted as a hang, and a
 * new worker goes on from the next case. GRADLENS_FUZZ_WATCHDOG_MS overrides it (to test the watchdog).
 */
const WATCHDOG_MILLIS = Number(process.env.GRADLENS_FUZZ_WATCHDOG_MS ?? 90_000);
const NUMPY_BATCH = 250;
/** Property evaluations one shrink may spend. */
const SHRINK_CALLS = 400;
const foundDir = join(__dirname, 'found');

// ---------------------------------------------------------------------------------------------
// Running one case

/** A problem's detail without its numbers and names: failures with equal signatures are likely one bug. */
function signature(p: Problem): string {
  const general = p.detail
    .replace(/^--(fn|lines) \S+: /, '')
    .replace(/\(U\+[0-9A-F]+\)/g, '')
    .replace(/'[^']*'|"[^"]*"/g, 'S')
    .replace(/-?\d[\d.e+-]*/g, 'N');
  return `${p.kind}: ${general.slice(0, 120)}`;
}

function programFeatures(plan: ProgramPlan, problems: readonly Problem[]): string[] {
  const kinds = [...new Set(problems.map((p) => p.kind))];
  // Rounding noise is one checker issue whatever the program does: one counterexample covers it all.
  if (kinds.length === 1 && kinds[0] === 'gradcheck-noise') return kinds;
  return [...templatesOf(plan), ...kinds];
}

function mutationFeatures(problems: readonly Problem[]): string[] {
  return [...new Set(problems.map(signature))];
}

function mutatedInfo(file: MutatedFile): NonNullable<Counterexample['mutated']> {
  return { origin: file.origin, mutations: file.mutations, decoding: file.decoding, bytesBase64: file.bytes.toString('base64'), targets: file.targets.map(describeTarget), inputs: file.inputs, mainFunction: file.mainFunction };
}

/** A shrunk counterexample covers a failure made of everything it is made of (probably the same bug). */
function covers(counterexample: Counterexample, failure: CaseResult): boolean {
  return counterexample.features.every((f) => failure.features.includes(f));
}

function plansFor(phase: Phase, settings: CampaignSettings, seeds: number): ProgramPlan[] | MutationPlan[] {
  return phase === 'programs'
    ? fc.sample(programPlanArbitrary, { seed: settings.seed, numRuns: settings.runs })
    : fc.sample(mutationPlanArbitrary(seeds), { seed: settings.seed, numRuns: settings.runs });
}

function programProblems(program: GeneratedProgram, numpy: NumpyResult | null): { problems: Problem[]; millis: number } {
  const outcome = checkProgram(program);
  const problems = [...outcome.problems];
  if (outcome.report) {
    problems.push(...checkFlatForm(program, outcome.report));
    if (numpy) problems.push(...compareWithNumpy(outcome.report, numpy));
  }
  return { problems, millis: outcome.millis };
}

function mutationProblems(file: MutatedFile, python: NumpyServer | null): { problems: Problem[]; millis: number; analyses: number } {
  const outcomes = checkMutatedFile(file);
  const problems = outcomes.flatMap((o) => o.problems);
  const compiled = python?.run([{ source: file.source, functionName: '', inputs: {}, compileOnly: true }])?.[0];
  if (compiled) problems.push(...compareSyntax(outcomes.flatMap((o) => (o.report ? [o.report] : [])), compiled));
  return { problems, millis: outcomes.reduce((t, o) => Math.max(t, o.millis), 0), analyses: outcomes.length };
}

// ---------------------------------------------------------------------------------------------
// The worker: runs cases in order, then shrinks the failures it is asked to

function workerMain(job: ScanJob): void {
  const port = parentPort!;
  const post = (m: WorkerMessage): void => port.postMessage(m);
  const seeds = loadSeedFiles();
  const { phase, settings } = job;
  const plans = plansFor(phase, settings, seeds.length);
  // Programs: NumPy's values; mutated files: CPython's syntax check.
  const numpy = settings.numpy ? new NumpyServer() : null;
  const indexes = job.only !== null ? [job.only] : Array.from({ length: plans.length - job.from }, (_, k) => job.from + k);

  if (phase === 'programs') {
    for (let start = 0; start < indexes.length; start += NUMPY_BATCH) {
      const batch = indexes.slice(start, start + NUMPY_BATCH);
      const programs = batch.map((i) => renderPlan(plans[i] as ProgramPlan));
      const answers = numpy?.run(programs) ?? null;
      batch.forEach((index, k) => {
        post({ type: 'begin', index });
        const { problems, millis } = programProblems(programs[k], answers?.[k] ?? null);
        post({ type: 'result', result: { index, millis, problems, analyses: 2, features: programFeatures(plans[index] as ProgramPlan, problems) } });
      });
    }
  } else {
    for (const index of indexes) {
      post({ type: 'begin', index });
      const { problems, millis, analyses } = mutationProblems(applyPlan(plans[index] as MutationPlan, seeds), numpy);
      post({ type: 'result', result: { index, millis, problems, analyses, features: mutationFeatures(problems) } });
    }
  }
  post({ type: 'done' });

  port.on('message', (m: MainMessage) => {
    if (m.type === 'exit') {
      numpy?.close();
      port.close();
      return;
    }
    post({ type: 'shrunk', index: m.index, counterexample: shrink(phase, settings, m.index, m.kinds, seeds, numpy) });
  });
}

/** Replays case `index` from the seed and its path, and lets fast-check shrink it while a problem of the same kind stays. */
function shrink(phase: Phase, settings: CampaignSettings, index: number, kinds: ProblemKind[], seeds: ReturnType<typeof loadSeedFiles>, numpyServer: NumpyServer | null): Counterexample | null {
  const wanted = new Set(kinds);
  const usesNumpy = phase === 'programs' && numpyServer !== null && (wanted.has('numpy-divergence') || wanted.has('error-line'));
  let calls = 0;
  const limit = SHRINK_CALLS;
  let last: Counterexample | null = null;
  const stillFails = (problems: Problem[]): Problem[] => problems.filter((p) => wanted.has(p.kind));

  const params = { seed: settings.seed, path: String(index), numRuns: index + 1 };
  if (phase === 'programs') {
    const failsOn = (plan: ProgramPlan): Counterexample | null => {
      const program = renderPlan(plan);
      const numpy = usesNumpy ? numpyServer.run([program])?.[0] ?? null : null;
      const failing = stillFails(programProblems(program, numpy).problems);
      return failing.length === 0 ? null : { phase, index, problems: failing, program, shrinks: calls, features: programFeatures(plan, failing) };
    };
    let lastPlan: ProgramPlan | null = null;
    fc.check(fc.property(programPlanArbitrary, (plan) => {
      // Past the limit every candidate "passes": shrinking stops at the smallest failure found so far.
      if (++calls > limit) return true;
      const found = failsOn(plan);
      if (!found) return true;
      last = found;
      lastPlan = plan;
      return false;
    }), params);
    // A greedy pass: fast-check leaves steps that the failure does not need.
    for (let improved = lastPlan !== null; improved && calls < 2 * limit;) {
      improved = false;
      for (const smaller of simplerPlans(lastPlan!)) {
        if (++calls >= 2 * limit) break;
        const found = failsOn(smaller);
        if (found) {
          last = found;
          lastPlan = smaller;
          improved = true;
          break;
        }
      }
    }
  } else {
    fc.check(fc.property(mutationPlanArbitrary(seeds.length), (plan) => {
      if (++calls > limit) return true;
      const file = applyPlan(plan, seeds);
      const failing = stillFails(mutationProblems(file, numpyServer).problems);
      if (failing.length === 0) return true;
      last = { phase, index, problems: failing, shrinks: calls - 1, features: mutationFeatures(failing), mutated: mutatedInfo(file) };
      return false;
    }), params);
  }
  return last;
}

// ---------------------------------------------------------------------------------------------
// The main thread: workers, watchdog, summary

interface PhaseState {
  phase: Phase;
  tried: number;
  analyses: number;
  failures: CaseResult[];
  /** Cases stopped by the watchdog. */
  stuck: number[];
  slowestMillis: number;
  slowestIndex: number;
  counterexamples: Counterexample[];
  /** Failures whose replay (for shrinking) did not fail again: timing under load, for hangs. */
  notReproduced: number[];
}

function parseArgs(argv: readonly string[]): { settings: CampaignSettings; only: Phase | null; caseIndex: number | null } {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const runs = Number(value('--runs') ?? 10_000);
  const seed = value('--seed') !== undefined ? Number(value('--seed')) : Math.floor(Math.random() * 2 ** 31);
  const only = value('--only');
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || (only !== undefined && only !== 'programs' && only !== 'mutations')) {
    process.stderr.write('usage: npx tsx test/fuzz/run.ts [--runs N] [--seed S] [--only programs|mutations] [--no-numpy] [--case I] [--shrink-max K]\n');
    process.exit(2);
  }
  const caseText = value('--case');
  return {
    settings: { seed, runs, numpy: !argv.includes('--no-numpy'), shrinkMax: Number(value('--shrink-max') ?? 20) },
    only: (only as Phase | undefined) ?? null,
    caseIndex: caseText === undefined ? null : Number(caseText),
  };
}

/** Runs one phase in a worker, restarting it past a case the watchdog had to stop, then shrinks its failures. */
function runPhase(phase: Phase, settings: CampaignSettings, caseIndex: number | null, onProgress: () => void): Promise<PhaseState> {
  const state: PhaseState = { phase, tried: 0, analyses: 0, failures: [], stuck: [], slowestMillis: 0, slowestIndex: -1, counterexamples: [], notReproduced: [] };
  return new Promise((resolve) => {
    const start = (from: number): void => {
      const job: ScanJob = { phase, settings, from, only: caseIndex };
      // The worker runs this same file; it needs tsx's require hook to load TypeScript.
      const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(__filename)});`;
      const worker = new Worker(bootstrap, { eval: true, workerData: job });
      let current = from;
      let lastHeard = Date.now();
      let shrinking = false;
      const considered = new Set<number>();
      const finish = (): void => {
        clearInterval(watchdog);
        resolve(state);
      };
      const watchdog = setInterval(() => {
        if (Date.now() - lastHeard < WATCHDOG_MILLIS) return;
        void worker.terminate();
        if (shrinking) {
          // Stuck while shrinking: keep what was scanned and shrunk so far.
          finish();
          return;
        }
        clearInterval(watchdog);
        state.stuck.push(current);
        state.tried++;
        state.failures.push({ index: current, millis: WATCHDOG_MILLIS, problems: [{ kind: 'hang', detail: `no answer after ${WATCHDOG_MILLIS / 1000} s (stopped by the watchdog)` }], analyses: 1, features: ['hang'] });
        if (caseIndex === null && current + 1 < settings.runs) start(current + 1);
        else resolve(state);
      }, 1_000);
      // One failure at a time, skipping those a counterexample already found seems to explain.
      const nextShrink = (): void => {
        const next = state.counterexamples.length >= settings.shrinkMax ? undefined : state.failures.find((f) => !considered.has(f.index) && !state.stuck.includes(f.index) && !state.counterexamples.some((c) => covers(c, f)));
        if (next) {
          considered.add(next.index);
          worker.postMessage({ type: 'shrink', index: next.index, kinds: [...new Set(next.problems.map((p) => p.kind))] } satisfies MainMessage);
          return;
        }
        worker.postMessage({ type: 'exit' } satisfies MainMessage);
        finish();
      };
      worker.on('message', (m: WorkerMessage) => {
        lastHeard = Date.now();
        if (m.type === 'begin') current = m.index;
        else if (m.type === 'result') {
          state.tried++;
          state.analyses += m.result.analyses;
          if (m.result.millis > state.slowestMillis) {
            state.slowestMillis = m.result.millis;
            state.slowestIndex = m.result.index;
          }
          if (m.result.problems.length > 0) state.failures.push(m.result);
          onProgress();
        } else if (m.type === 'done') {
          shrinking = true;
          nextShrink();
        } else if (m.type === 'shrunk') {
          if (m.counterexample) state.counterexamples.push(m.counterexample);
          else state.notReproduced.push(m.index);
          nextShrink();
        }
      });
      worker.on('error', (err) => {
        state.failures.push({ index: current, millis: 0, problems: [{ kind: 'crash', detail: `the fuzz worker died: ${err.stack ?? err.message}` }], analyses: 0, features: [] });
        finish();
      });
    };
    start(0);
  });
}

function count(state: PhaseState, kinds: readonly ProblemKind[]): number {
  return state.failures.filter((f) => f.problems.some((p) => kinds.includes(p.kind))).length;
}

/** A file name part from a problem kind and case. */
function slug(phase: Phase, c: Counterexample, seed: number): string {
  return `${phase}-${c.problems[0].kind}-seed${seed}-case${c.index}${c.shrinks < 0 ? '-unshrunk' : ''}`;
}

/** Failures no shrunk counterexample explains (stopped by the watchdog, not reproduced, over the shrink limit), as they were. */
function unshrunkCounterexamples(state: PhaseState, settings: CampaignSettings, limit: number): Counterexample[] {
  const shrunk = new Set(state.counterexamples.map((c) => c.index));
  const open = state.failures.filter((f) => !shrunk.has(f.index) && !state.counterexamples.some((c) => covers(c, f))).slice(0, limit);
  if (open.length === 0) return [];
  const seeds = loadSeedFiles();
  const plans = plansFor(state.phase, settings, seeds.length);
  return open.map((f) => {
    const base = { phase: state.phase, index: f.index, problems: f.problems, shrinks: -1, features: f.features };
    return state.phase === 'programs'
      ? { ...base, program: renderPlan(plans[f.index] as ProgramPlan) }
      : { ...base, mutated: mutatedInfo(applyPlan(plans[f.index] as MutationPlan, seeds)) };
  });
}

function writeCounterexample(c: Counterexample, settings: CampaignSettings): string {
  mkdirSync(foundDir, { recursive: true });
  const base = join(foundDir, slug(c.phase, c, settings.seed));
  const reproduce = `npx tsx test/fuzz/run.ts --seed ${settings.seed} --runs ${settings.runs} --only ${c.phase} --case ${c.index}`;
  if (c.program) {
    writeFileSync(`${base}.py`, c.program.source);
    writeFileSync(`${base}.inputs.json`, `${JSON.stringify(c.program.inputs)}\n`);
  } else if (c.mutated) {
    writeFileSync(`${base}.py`, Buffer.from(c.mutated.bytesBase64, 'base64'));
  }
  const meta = { phase: c.phase, seed: settings.seed, runs: settings.runs, case: c.index, path: String(c.index), reproduce, problems: c.problems, shrinks: c.shrinks, ...(c.mutated ? { origin: c.mutated.origin, mutations: c.mutated.mutations, decoding: c.mutated.decoding, targets: c.mutated.targets, inputs: c.mutated.inputs, mainFunction: c.mutated.mainFunction } : { function: 'f' }) };
  writeFileSync(`${base}.json`, `${JSON.stringify(meta, null, 2)}\n`);
  return `${base}.py`;
}

function preview(c: Counterexample): string {
  if (c.program) return `${c.program.source}    INPUTS.json: ${JSON.stringify(c.program.inputs)}`;
  const text = Buffer.from(c.mutated!.bytesBase64, 'base64').toString('latin1');
  const clipped = text.length > 1_500 ? `${text.slice(0, 1_500)}\n… (${text.length} characters in all)` : text;
  return `from ${c.mutated!.origin} by ${c.mutated!.mutations.join(', ')} (decoded as ${c.mutated!.decoding}); targets ${c.mutated!.targets.join(' ')}\n${clipped}`;
}

async function main(): Promise<void> {
  const { settings, only, caseIndex } = parseArgs(process.argv.slice(2));
  if (settings.numpy && !numpyAvailable()) {
    process.stdout.write('note: python3 with NumPy not found; running without the NumPy oracle (--no-numpy)\n');
    settings.numpy = false;
  }
  process.stdout.write(`GradLens fuzz: seed ${settings.seed}, ${settings.runs} runs per phase${settings.numpy ? ', NumPy oracle on' : ''}\n`);
  const started = Date.now();
  let done = 0;
  const phases: Phase[] = only ? [only] : ['programs', 'mutations'];
  const progress = (): void => {
    done++;
    if (done % 1_000 === 0) process.stderr.write(`  … ${done} cases in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  };
  const states = await Promise.all(phases.map((p) => runPhase(p, settings, caseIndex, progress)));
  const programs = states.find((s) => s.phase === 'programs');
  const mutations = states.find((s) => s.phase === 'mutations');

  const lines: string[] = [];
  const sum = (kinds: ProblemKind[]): number => states.reduce((t, s) => t + count(s, kinds), 0);
  lines.push('', '=== GradLens fuzz summary ===');
  lines.push(`seed: ${settings.seed}   (reproduce: npx tsx test/fuzz/run.ts --seed ${settings.seed} --runs ${settings.runs})`);
  lines.push(`programs tried:  ${programs?.tried ?? 0}${programs ? ` (${programs.analyses} analyze calls, slowest ${(programs.slowestMillis / 1000).toFixed(2)} s at case ${programs.slowestIndex})` : ''}`);
  lines.push(`mutations tried: ${mutations?.tried ?? 0}${mutations ? ` (${mutations.analyses} analyze calls, slowest ${(mutations.slowestMillis / 1000).toFixed(2)} s at case ${mutations.slowestIndex})` : ''}`);
  lines.push(`crashes (throws or 'internal' errors): ${sum(['crash'])}`);
  const hangs = states.flatMap((s) => s.failures.filter((f) => f.problems.some((p) => p.kind === 'hang')).map((f) => ({ state: s, index: f.index })));
  const hangsNotReproduced = hangs.filter((h) => h.state.notReproduced.includes(h.index)).length;
  lines.push(`hangs (> 5 s despite the budget): ${hangs.length}${states.some((s) => s.stuck.length > 0) ? ` (${states.reduce((t, s) => t + s.stuck.length, 0)} stopped by the watchdog)` : ''}${hangsNotReproduced > 0 ? ` (${hangsNotReproduced} under 5 s when re-run alone: slow under the campaign's load)` : ''}`);
  lines.push(`wrong answers not flagged: ${sum(['wrong-gradient', 'gradcheck-noise', 'numpy-divergence', 'lines-divergence'])}`);
  lines.push(`    gradient check 'fail' on a smooth program: ${sum(['wrong-gradient', 'gradcheck-noise'])}`);
  lines.push(`        autograd off by more than rounding: ${sum(['wrong-gradient'])}`);
  lines.push(`        within rounding noise (true gradient 0 or tiny; a false alarm of the check): ${sum(['gradcheck-noise'])}`);
  lines.push(`    value differs from real NumPy, or valid code rejected / invalid code accepted: ${sum(['numpy-divergence'])}`);
  lines.push(`    function and its body as --lines disagree: ${sum(['lines-divergence'])}`);
  lines.push(`syntax verdict differs from CPython's compile(): ${sum(['syntax-divergence'])}`);
  lines.push(`errors outside the file (line/column): ${sum(['bad-position'])}`);
  lines.push(`errors at another line than NumPy's: ${sum(['error-line'])}`);
  lines.push(`malformed Reports: ${sum(['malformed-report'])}`);
  lines.push(`time: ${((Date.now() - started) / 1000).toFixed(0)} s`);

  for (const state of states) {
    if (state.failures.length === 0) continue;
    lines.push('', `--- ${state.phase}: ${state.failures.length} failing cases ---`);
    for (const f of state.failures.slice(0, 40)) {
      lines.push(`case ${f.index} (--seed ${settings.seed} --runs ${settings.runs} --only ${state.phase} --case ${f.index}):`);
      lines.push(...describeProblems(f.problems).split('\n').map((l) => `    ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`));
    }
    if (state.failures.length > 40) lines.push(`… and ${state.failures.length - 40} more`);
    const seen = new Set<string>();
    for (const c of [...state.counterexamples, ...unshrunkCounterexamples(state, settings, 10)]) {
      const key = c.program ? c.program.source : c.mutated!.bytesBase64;
      if (seen.has(key)) continue;
      seen.add(key);
      const file = writeCounterexample(c, settings);
      lines.push('', c.shrinks < 0 ? `counterexample of case ${c.index} (not shrunk), written to ${file}:` : `shrunk counterexample of case ${c.index} (${c.shrinks} shrink steps), written to ${file}:`);
      lines.push(...describeProblems(c.problems).split('\n').map((l) => `    ${l.length > 400 ? `${l.slice(0, 400)}…` : l}`));
      lines.push(...preview(c).split('\n').map((l) => `    | ${l.length > 200 ? `${l.slice(0, 200)}…` : l}`));
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const failed = states.some((s) => s.failures.length > 0);
  process.exitCode = failed ? 1 : 0;
}

if (isMainThread) {
  void main();
} else {
  workerMain(workerData as ScanJob);
}
