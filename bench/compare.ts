// The engine at a git commit against the working tree, on one benchmark program, in one process:
//
//   npm run bench:compare -- REF [PROGRAM_ID] [--forward | --check] [--seconds N] [--warm-all] [--both]
//
// e.g. `npm run bench:compare -- HEAD two_layer_net_tiny` for what uncommitted changes did to the
// tiny net's forward + backward. One bundle (bench/bundle.ts) holds both versions of the engine,
// REF's from a temporary worktree; the process alternates windows of 50 ms of calls of each and
// prints their per-call times and the ratio working tree / REF of each pair of windows. Separate
// runs of each version could not tell a 3% change on this machine, whose speed moves by more than
// that over minutes (docs/performance.md, "Run to run"); within a pair both sides see the same
// machine. With no change (REF = HEAD, clean tree) the median ratio came out between 0.983 and
// 1.005 on different stretches: the two engines in one process do not run quite alike. --both
// measures a change of a percent or two both ways (docs/performance.md, "Measuring both ways").
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleEntryText, bundleEnv } from './bundle';
import { fastestCpu, keptMallocEnv, runNodeForOutput } from './pinning';
import { repoRoot } from './programs';

const args = process.argv.slice(2);
const valueOf = (flag: string): string | undefined => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : undefined; };
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--seconds');
const [ref, programId = 'two_layer_net_tiny'] = positional;
if (!ref) {
  process.stderr.write('usage: npm run bench:compare -- REF [PROGRAM_ID] [--forward | --check] [--seconds N] [--warm-all] [--both]\n');
  process.exit(2);
}
const measure = args.includes('--check') ? 'check' : args.includes('--forward') ? 'forward' : 'forward+backward';
const seconds = valueOf('--seconds') ?? '30';

const git = (...gitArgs: string[]): string => execFileSync('git', gitArgs, { cwd: repoRoot, encoding: 'utf8' }).trim();
const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
const worktree = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-compare-'));
let added = false;
try {
  git('worktree', 'add', '--detach', worktree, commit);
  added = true;
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(worktree, 'node_modules'));
  // Both ways: with REF first in the bundle and in each pair of windows, and with the working tree
  // first. The two engines in one process do not run quite alike even as the same code; the first
  // order measures g·b for a change g and a bias b, the second g / b, so g = √(product). The orders
  // run as A B B A, each for a quarter of the time, so that the machine's drift over the minutes
  // falls on both alike.
  const both = args.includes('--both');
  const sequence = both ? [false, true, true, false] : [false];
  const runSeconds = both ? Number(seconds) / 4 : Number(seconds);
  const pin = fastestCpu();
  const bundles = new Map<boolean, string>();
  for (const workingTreeFirst of new Set(sequence)) {
    const imports = [
      `import * as ref from ${JSON.stringify(path.join(worktree, 'bench', 'programs'))};`,
      `import * as work from ${JSON.stringify(path.join(repoRoot, 'bench', 'programs'))};`,
    ];
    const entry = [
      ...(workingTreeFirst ? imports.reverse() : imports),
      "import { compare } from './compare-driver';",
      `compare(ref, work, ${JSON.stringify({ programId, measure, seconds: runSeconds, warmAll: args.includes('--warm-all'), workingTreeFirst })});`,
    ].join('\n');
    bundles.set(workingTreeFirst, bundleEntryText(entry, workingTreeFirst ? 'compare-working-tree-first' : 'compare'));
  }
  const logMedians = new Map<boolean, number[]>([[false, []], [true, []]]);
  for (const workingTreeFirst of sequence) {
    process.stderr.write(`compare: ${measure} of ${programId}, ${ref} (${commit.slice(0, 7)}) against the working tree, ${runSeconds} s${pin ? `, on CPU ${pin.cpu}` : ''}${workingTreeFirst ? ', the working tree first' : ''}\n`);
    const run = runNodeForOutput([bundles.get(workingTreeFirst)!], { ...bundleEnv(), ...keptMallocEnv }, pin?.cpu ?? null);
    if (run.status !== 0) {
      process.exitCode = run.status;
      break;
    }
    const median = /working tree \/ ref over \d+ pairs of windows: quartiles [\d.]+ \/ ([\d.]+) \//.exec(run.stdout);
    if (median) logMedians.get(workingTreeFirst)!.push(Math.log(Number(median[1])));
  }
  const [refFirst, workFirst] = [false, true].map((order) => logMedians.get(order)!);
  if (both && refFirst.length === 2 && workFirst.length === 2) {
    const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [a, b] = [mean(refFirst), mean(workFirst)];
    process.stdout.write(`both ways: working tree / ref ≈ ${Math.exp((a + b) / 2).toFixed(3)} (REF first ${Math.exp(a).toFixed(3)}, working tree first ${Math.exp(b).toFixed(3)}; the order's own effect ≈ ${Math.exp((a - b) / 2).toFixed(3)})\n`);
  }
} finally {
  // Only a worktree git added is git's to remove; otherwise the error above is the one to see.
  if (added) git('worktree', 'remove', '--force', worktree);
  else fs.rmSync(worktree, { recursive: true, force: true });
}
