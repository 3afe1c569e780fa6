// `npm run bench`: bundles bench/run.ts (bench/bundle.ts says why) and runs it with the same
// arguments, pinned to one CPU where `taskset` exists. NumPy's process, started by the run,
// inherits the pin: the two sides alternate on the same core. Unpinned, each process stayed on
// whichever core it started on, and on the 2-core benchmark machine one core ran the same code
// about 1.8× slower than the other, so one run's ratios could be twice another's. `--no-pin` runs
// unpinned.
import { spawnSync } from 'child_process';
import * as os from 'os';
import { bundleEnv, bundleForNode } from './bundle';

/** A fixed amount of floating-point work, timed in milliseconds. */
const probeScript = 'let x = 0; const t = performance.now(); for (let i = 0; i < 3e7; i++) x += Math.sqrt(i) * 1e-9; process.stdout.write(String(performance.now() - t + x * 0));';

/** The fastest CPU by a short probe on each, and the probe times; null without taskset or with one CPU. */
function fastestCpu(): { cpu: number; probes: string } | null {
  const cpus = os.cpus().length;
  if (process.platform !== 'linux' || cpus < 2 || spawnSync('taskset', ['--version']).status !== 0) return null;
  const times = Array.from({ length: cpus }, (_, cpu) => {
    // The best of three probes, so that a moment of load on a core does not decide.
    const runs = [0, 1, 2].map(() => Number(spawnSync('taskset', ['-c', String(cpu), process.execPath, '-e', probeScript], { encoding: 'utf8' }).stdout));
    return Math.min(...runs);
  });
  if (times.some((t) => !Number.isFinite(t))) return null;
  const cpu = times.indexOf(Math.min(...times));
  return { cpu, probes: times.map((t, i) => `CPU ${i} ${t.toFixed(0)} ms`).join(', ') };
}

const bundle = bundleForNode('run');
const args = process.argv.slice(2).filter((a) => a !== '--no-pin');
const pin = process.argv.includes('--no-pin') ? null : fastestCpu();
const env = { ...bundleEnv(), ...(pin ? { GRADLENS_BENCH_PIN: `both sides on CPU ${pin.cpu} (taskset), the fastest in a probe of each: ${pin.probes}` } : {}) };
const run = pin
  ? spawnSync('taskset', ['-c', String(pin.cpu), process.execPath, bundle, ...args], { stdio: 'inherit', env })
  : spawnSync(process.execPath, [bundle, ...args], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
