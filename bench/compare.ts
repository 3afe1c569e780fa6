// The engine at a git commit against the working tree, on one benchmark program, in one process:
//
//   npm run bench:compare -- REF [PROGRAM_ID] [--forward | --check] [--seconds N] [--warm-all]
//
// e.g. `npm run bench:compare -- HEAD two_layer_net_tiny` for what uncommitted changes did to the
// tiny net's forward + backward. One bundle (bench/bundle.ts) holds both versions of the engine,
// REF's from a temporary worktree; the process alternates windows of 50 ms of calls of each and
// prints their per-call times and the ratio working tree / REF of each pair of windows. Separate
// runs of each version could not tell a 3% change on this machine, whose speed moves by more than
// that over minutes (docs/performance.md, "Run to run"); within a pair both sides see the same
// machine. With no change (REF = HEAD, clean tree) the median ratio came out between 0.983 and
// 1.005 on different stretches: the two engines in one process do not run quite alike. A change of
// a percent or two is measured both ways, as the working tree and as REF (docs/performance.md,
// "Measuring both ways").
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleEntryText, bundleEnv } from './bundle';
import { fastestCpu, keptMallocEnv, runNode } from './pinning';
import { repoRoot } from './programs';

const args = process.argv.slice(2);
const valueOf = (flag: string): string | undefined => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : undefined; };
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--seconds');
const [ref, programId = 'two_layer_net_tiny'] = positional;
if (!ref) {
  process.stderr.write('usage: npm run bench:compare -- REF [PROGRAM_ID] [--forward | --check] [--seconds N] [--warm-all]\n');
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
  const entry = [
    `import * as ref from ${JSON.stringify(path.join(worktree, 'bench', 'programs'))};`,
    `import * as work from ${JSON.stringify(path.join(repoRoot, 'bench', 'programs'))};`,
    "import { compare } from './compare-driver';",
    `compare(ref, work, ${JSON.stringify({ programId, measure, seconds: Number(seconds), warmAll: args.includes('--warm-all') })});`,
  ].join('\n');
  const bundle = bundleEntryText(entry, 'compare');
  const pin = fastestCpu();
  process.stderr.write(`compare: ${measure} of ${programId}, ${ref} (${commit.slice(0, 7)}) against the working tree, ${seconds} s${pin ? `, on CPU ${pin.cpu}` : ''}\n`);
  process.exitCode = runNode([bundle], { ...bundleEnv(), ...keptMallocEnv }, pin?.cpu ?? null);
} finally {
  // Only a worktree git added is git's to remove; otherwise the error above is the one to see.
  if (added) git('worktree', 'remove', '--force', worktree);
  else fs.rmSync(worktree, { recursive: true, force: true });
}
