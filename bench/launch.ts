// `npm run bench`: bundles bench/run.ts (bench/bundle.ts says why) and runs it with the same arguments.
import { spawnSync } from 'child_process';
import { bundleEnv, bundleForNode } from './bundle';

const bundle = bundleForNode('run');
const run = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit', env: bundleEnv() });
process.exit(run.status ?? 1);
