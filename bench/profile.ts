// Where GradLens's time goes on a benchmark program, in one of the bench's measures: forward +
// backward by default, --forward, or --check (the analysis with its gradient check):
//
//   npx tsx bench/profile.ts [PROGRAM_ID] [calls] [top] [--forward | --check] [--warm-all]   e.g. two_layer_net_cifar 10
//
// --warm-all runs every program first, as the bench does, before the one profiled.
// PROFILE_NODE_FLAGS adds flags to the profiled node, e.g. PROFILE_NODE_FLAGS=--no-turbo-inlining,
// so that the time of a function V8 would inline is counted as its own and not its caller's.
//
// Bundles bench/profile-driver.ts (bench/bundle.ts), runs the bundle under `node --cpu-prof`, and
// prints the functions, files and analyze() stages with the most time among the samples of the
// driver's timed loop. The .cpuprofile stays in bench/out/profiles/
// (open it in Chrome DevTools or VS Code for the call tree).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { bundleEnv, bundleForNode } from './bundle';
import { benchDir } from './programs';
import { formatSummary, summarizeProfile } from './profile-summary';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const measureFlag = ['--forward', '--check'].find((flag) => process.argv.includes(flag));
const [programId = 'two_layer_net_tiny', calls = '20', top = '20'] = positional;
const outDir = path.join(benchDir, 'out', 'profiles');
fs.mkdirSync(outDir, { recursive: true });
const bundle = bundleForNode('profile-driver');

const profileName = `${programId}${measureFlag ? `-${measureFlag.slice(2)}` : ''}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
const run = spawnSync(process.execPath, [...(process.env.PROFILE_NODE_FLAGS ?? '').split(' ').filter(Boolean), '--cpu-prof', `--cpu-prof-dir=${outDir}`, `--cpu-prof-name=${profileName}`, bundle, programId, calls, ...(measureFlag ? [measureFlag] : []), ...(process.argv.includes('--warm-all') ? ['--warm-all'] : [])], {
  stdio: 'inherit',
  env: bundleEnv(),
});
if (run.status !== 0) process.exit(run.status ?? 1);

/** analyze()'s steps, in the order it takes them (src/analysis/analyze.ts), and the conversions between JSON and tensors. */
const stages = [
  'parseModule', 'parseGivenInputs', 'resolveInputs', 'inferFromCode', 'execute', 'backward', 'reportInputs',
  'returnedMismatches', 'pairedBackwardMismatches', 'namedMismatches', 'buildGraph', 'describeVariables', 'generateBackwardCode',
  'checkGradients', 'run@src/core/tape.ts', 'rerun', 'fromNested', 'toNested',
];
const profileFile = path.join(outDir, profileName);
process.stdout.write(formatSummary(profileFile, summarizeProfile(profileFile, { bundle, under: 'profiledCalls', stages }), Number(top)));
