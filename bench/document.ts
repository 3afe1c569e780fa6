// docs/benchmarks.md from a run's measurements (bench/run.ts measures): the results, the check's
// cost in forward passes, the CIFAR-size products against the SIMD ceiling, the sizes and the goals.
import type { CheckStatus } from '../src/analysis/report';
import { Ceiling, productShape } from './ceiling';

export interface Row {
  program: string;
  measure: string;
  gradlensMs: number;
  numpyMs: number;
  ratio: number;
}

export interface CheckCost {
  mode: 'full' | 'sampled';
  /** Report.forwardPasses: forward evaluations GradLens's check made. */
  gradlensForwardPasses: number;
  /** (check − forward+backward) wall time over one forward pass: what the check cost in forwards. */
  gradlensWallEquivalents: number;
  gradlensCheckMs: number;
  numpyForwardPasses: number;
  numpyWallEquivalents: number;
  numpyCheckMs: number;
  gradlensStatus: Record<string, CheckStatus>;
  /** For a sampled check: what cs231n's full loop would cost, 2 forwards per element (+1 per input). */
  fullLoop: { forwardPasses: number; numpyEstimateMs: number } | null;
}

export interface Goal {
  goal: string;
  measured: string;
  met: boolean | null;
  /** The section of docs/performance.md with its profile and what would close it. */
  section?: string;
}

export interface MachineDescription {
  cpu: string;
  cores: number;
  node: string;
  python: string;
  numpy: string;
  blas: string;
  numpyEnvironment: string;
  /** The engine measured: commit, and whether src/ had uncommitted changes. */
  engine: string;
  /** 1-minute load average at the start and the end: other work on the machine inflates both sides. */
  loadAverage: string;
  /** The CPU both sides ran on (bench/launch.ts pins the run), or why they were not pinned. */
  pinned: string;
  /** glibc malloc's thresholds for both sides (bench/launch.ts sets them). */
  malloc: string;
}

/** How the run measured, for the document's first paragraph (bench/run.ts says why for each). */
export interface Protocol {
  runWarmUpMsPerProgram: number;
  warmUpMs: number;
  warmUpWindowMs: number;
  warmUpMaxMs: number;
  slowCallMs: number;
  repetitionTargetMs: number;
}

function formatMs(ms: number): string {
  if (ms >= 7_200_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 120_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 0.1) return `${ms.toFixed(3)} ms`;
  return `${(ms * 1000).toFixed(2)} µs`;
}

function formatRatio(ratio: number): string {
  return ratio >= 100 ? `${ratio.toFixed(0)}×` : ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

function formatBytes(bytes: number | null): string {
  return bytes === null ? 'not built' : `${(bytes / 1024).toFixed(1)} KB (${bytes} bytes)`;
}

function table(header: string[], body: string[][]): string {
  const lines = [header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

/** The CIFAR-size pass's three products at the SIMD ceiling, over NumPy's whole forward+backward. */
function floorRatio(ceiling: Ceiling, numpyPassMs: number): number {
  const ceilingMs = (ceiling.products.length * ceiling.multiplyAdds) / ceiling.multiplyAddPerNs / 1e6;
  return ceilingMs / numpyPassMs;
}

export function goalsOf(rows: Row[], costs: Record<string, CheckCost>, bytes: Record<string, number | null>, ceiling: Ceiling | null): Goal[] {
  const row = (program: string, measure: string): Row | undefined => rows.find((r) => r.program === program && r.measure === measure);
  const goals: Goal[] = [];
  const ratioGoal = (goal: string, program: string, measureName: string, limit: number, section: string): void => {
    const r = row(program, measureName);
    goals.push({ goal, measured: r ? `${formatRatio(r.ratio)} (${formatMs(r.gradlensMs)} vs ${formatMs(r.numpyMs)})` : 'not measured', met: r ? r.ratio <= limit : null, section });
  };
  ratioGoal('tiny two-layer net forward+backward ≤ 1.0× NumPy', 'two_layer_net_tiny', 'forward+backward', 1.0, 'Tiny two-layer net, forward + backward');
  ratioGoal('CIFAR-size two-layer net forward+backward ≤ 2× NumPy', 'two_layer_net_cifar', 'forward+backward', 2.0, 'CIFAR-size two-layer net, forward + backward');
  const cifarPass = row('two_layer_net_cifar', 'forward+backward');
  if (ceiling && cifarPass) goals[goals.length - 1].measured += `; its three products alone, at the SIMD ceiling: ${formatRatio(floorRatio(ceiling, cifarPass.numpyMs))} ("The CIFAR-size products and the SIMD ceiling" above)`;
  const tinyCheck = row('two_layer_net_tiny', 'check (full)');
  goals.push({
    goal: 'full check of the tiny net ≥ 10× faster than the NumPy loop',
    measured: tinyCheck ? `NumPy / GradLens = ${(tinyCheck.numpyMs / tinyCheck.gradlensMs).toFixed(2)} (${formatMs(tinyCheck.gradlensMs)} vs ${formatMs(tinyCheck.numpyMs)})` : 'not measured',
    met: tinyCheck ? tinyCheck.numpyMs / tinyCheck.gradlensMs >= 10 : null,
    section: 'Full check of the tiny net',
  });
  const cifar = costs.two_layer_net_cifar;
  goals.push({
    goal: 'sampled + directional check at CIFAR size ≤ 60 forward-pass equivalents',
    // Equivalents are cost: a replay that updates one row of a product is not a whole forward pass.
    measured: cifar ? `${cifar.gradlensWallEquivalents.toFixed(0)} by wall time (${formatMs(cifar.gradlensCheckMs)}); ${cifar.gradlensForwardPasses} evaluations counted (Report.forwardPasses)` : 'not measured',
    met: cifar ? cifar.gradlensWallEquivalents <= 60 : null,
    section: 'Sampled check at CIFAR size',
  });
  const sizeGoal = (goal: string, file: string, limitBytes: number): void => {
    const size = bytes[file];
    goals.push({ goal, measured: formatBytes(size), met: size === null ? null : size <= limitBytes });
  };
  sizeGoal('dist/extension.js ≤ 400 KB', 'dist/extension.js', 400 * 1024);
  sizeGoal('.vsix ≤ 1 MB', 'gradlens.vsix', 1024 * 1024);
  return goals;
}

function metText(met: boolean | null): string {
  return met === null ? 'n/a' : met ? 'met' : 'NOT met';
}

const perNs = (multiplyAdds: number, ms: number): string => (multiplyAdds / ms / 1e6).toFixed(1);

function ceilingSection(ceiling: Ceiling, cifarPass: Row | undefined): string[] {
  const { m, k, n } = productShape;
  const threeAtCeilingMs = (ceiling.products.length * ceiling.multiplyAdds) / ceiling.multiplyAddPerNs / 1e6;
  return [
    '## The CIFAR-size products and the SIMD ceiling',
    '',
    `The CIFAR-size pass's three matrix products (${m}×${k} by ${k}×${n}, and reverse mode's two transposed products: ${(ceiling.multiplyAdds / 1e6).toFixed(1)} million multiply-adds each) alone, on the same values on both sides, as reverse mode and the hand-written backward call them (bench/ceiling.ts); medians of alternating repetitions. GradLens's times include laying the operands out in the module's memory and copying the product out.`,
    '',
    table(['product', 'GradLens', 'multiply-adds per ns', 'NumPy', 'multiply-adds per ns', 'GradLens / NumPy'], ceiling.products.map((p) => [
      p.product, formatMs(p.gradlensMs), perNs(ceiling.multiplyAdds, p.gradlensMs), formatMs(p.numpyMs), perNs(ceiling.multiplyAdds, p.numpyMs), formatRatio(p.gradlensMs / p.numpyMs),
    ])),
    '',
    `- The ceiling of baseline WebAssembly SIMD on this CPU: ${ceiling.multiplyAddPerNs.toFixed(1)} multiply-adds per ns at most. A multiply-add is a two-lane multiply and a two-lane addition, and this CPU runs ${ceiling.multipliesPerNs.toFixed(2)} of the one and ${ceiling.addsPerNs.toFixed(2)} of the other per ns (each in a loop of its own, ten independent chains in registers; the best of seven timings).`,
    `- Relaxed SIMD's fused \`f64x2.relaxed_madd\`: ${ceiling.relaxedMaddPerNs === null ? 'not in this engine (Node 20 has it behind --experimental-wasm-relaxed-simd; `npm run bench:ceiling` measures it)' : `at most ${ceiling.relaxedMaddPerNs.toFixed(1)} multiply-adds per ns`}.`,
    `- The three products at that ceiling would take ${formatMs(threeAtCeilingMs)}${cifarPass ? `: ${formatRatio(floorRatio(ceiling, cifarPass.numpyMs))} NumPy's whole CIFAR-size forward+backward (${formatMs(cifarPass.numpyMs)}), before any of the pass's other work` : ''}. NumPy's hand-written backward computes two of them: it has no dX, which GradLens reports as every input's gradient.`,
    '',
  ];
}

export function markdown(rows: Row[], repetitions: ReadonlyMap<Row, string>, costs: Record<string, CheckCost>, bytes: Record<string, number | null>, goals: Goal[], machine: MachineDescription, labels: Map<string, string>, ceiling: Ceiling | null, protocol: Protocol): string {
  const { runWarmUpMsPerProgram, warmUpMs, warmUpWindowMs, warmUpMaxMs, slowCallMs, repetitionTargetMs } = protocol;
  const costRows = Object.entries(costs).map(([id, c]) => [
    labels.get(id) ?? id, c.mode, String(c.gradlensForwardPasses), c.gradlensWallEquivalents.toFixed(0), formatMs(c.gradlensCheckMs),
    String(c.numpyForwardPasses), c.numpyWallEquivalents.toFixed(0), formatMs(c.numpyCheckMs),
    c.fullLoop ? `${c.fullLoop.forwardPasses} passes ≈ ${formatMs(c.fullLoop.numpyEstimateMs)}` : '—',
    Object.entries(c.gradlensStatus).map(([name, status]) => `${name}: ${status}`).join(', '),
  ]);
  return [
    '# Benchmarks',
    '',
    'Generated by `npm run bench` (bench/run.ts); do not edit by hand. GradLens runs in-process; NumPy runs in one long-lived',
    '`python3` process (bench/numpy_side.py) on the same source files (bench/programs/) and the same seeded inputs. The run',
    `first warms GradLens up on every program (${runWarmUpMsPerProgram / 1000} s each); each measure is then warmed up (each side for ${warmUpMs / 1000} s, and on while the mean call of a ${warmUpWindowMs / 1000} s window is more than a twentieth faster than the window's before, up to ${warmUpMaxMs / 1000} s;`,
    `not a side whose first call takes over ${slowCallMs / 1000} s: that call counts) and repeated with GradLens and NumPy repetitions alternating; a`,
    `repetition of a fast program loops for about ${repetitionTargetMs} ms. Times are medians of per-call times; the ratio is GradLens / NumPy`,
    '(below 1 means GradLens is faster).',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores`,
    `- Node ${machine.node}; Python ${machine.python}, NumPy ${machine.numpy}`,
    `- BLAS: ${machine.blas}`,
    `- NumPy's environment: ${machine.numpyEnvironment}`,
    `- Load average (1 min): ${machine.loadAverage}`,
    `- CPU pinning: ${machine.pinned}`,
    `- malloc: ${machine.malloc}`,
    `- GradLens: ${machine.engine}`,
    '',
    '## What is measured',
    '',
    '- **forward**: GradLens parses the file and interprets the function on the tape, from inputs already read into tensors (no reverse mode, no Report); NumPy calls the forward function.',
    '- **forward+backward**: GradLens `analyze(..., {check: false})` on the forward function, from inputs already read into tensors, as NumPy holds its arrays (forward, reverse mode, the user\'s gradients and the Report, without the graph and generated code, which only the panel asks for); NumPy calls the function with the hand-written backward.',
    '- **check**: GradLens `analyze()` from the same tensors with the check on and default options (every float input; full up to 1,000 elements, else 25 sampled elements and 3 directional checks), as the code lens and the CLI run it: without the graph and generated code, which only the panel builds; NumPy computes the hand-written gradients and runs cs231n\'s `eval_numerical_gradient` (`_array` for a layer) over the same inputs, or `grad_check_sparse` plus the same directional checks above 1,000 elements.',
    '',
    '## Results',
    '',
    table(['program', 'measure', 'GradLens', 'NumPy', 'GradLens / NumPy', 'repetitions × calls (GradLens; NumPy)'], rows.map((r) => [labels.get(r.program) ?? r.program, r.measure, formatMs(r.gradlensMs), formatMs(r.numpyMs), formatRatio(r.ratio), repetitions.get(r) ?? ''])),
    '',
    'Every sample is in bench/out/last-run.json (not in git). On a busy machine the samples spread widely; the load average above says how busy it was.',
    'Whole runs differ too: on the small programs one run\'s ratios can be twice another\'s with the same code (docs/performance.md, "Run to run"), so a goal counts as met when it holds across runs.',
    '',
    '## Cost of the gradient check in forward passes',
    '',
    'Counted: forward evaluations made (GradLens: `Report.forwardPasses`). By wall time: (check − forward+backward) / forward.',
    '',
    table(['program', 'mode', 'GradLens passes', 'GradLens by wall time', 'GradLens check', 'NumPy passes', 'NumPy by wall time', 'NumPy check', 'full cs231n loop (NumPy, estimated)', 'GradLens status'], costRows),
    '',
    ...(ceiling ? ceilingSection(ceiling, rows.find((r) => r.program === 'two_layer_net_cifar' && r.measure === 'forward+backward')) : []),
    '## Sizes',
    '',
    table(['file', 'size'], Object.entries(bytes).map(([file, size]) => [file, formatBytes(size)])),
    '',
    '## Goals',
    '',
    'For each speed goal, the section of [docs/performance.md](performance.md) named in the last column has its profile and, where the goal is not met, what would close it.',
    '',
    table(['goal', 'measured', '', 'profile and what would close it'], goals.map((g) => [g.goal, g.measured, metText(g.met), g.section ? `performance.md, "${g.section} …"` : ''])),
    '',
  ].join('\n');
}
