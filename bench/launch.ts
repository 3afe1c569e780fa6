// `npm run bench`: bundles bench/run.ts (bench/bundle.ts says why) and runs it with the same
// arguments, pinned to one CPU where `taskset` exists. NumPy's process, started by the run,
// inherits the pin: the two sides alternate on the same core. Unpinned, each process stayed on
// whichever core it started on, and on the 2-core benchmark machine one core ran the same code
// about 1.8× slower than the other, so one run's ratios could be twice another's. `--no-pin` runs
// unpinned.
//
// Both sides also run with glibc's malloc told to keep the memory it was given: on the benchmark
// machine a page touched for the first time costs about 12 µs (a 2.4 MB array about 7 ms), and
// with its own thresholds malloc hands large blocks back to the OS and gets fresh pages for the
// next ones, so a CIFAR-size forward+backward (about 13 MB of new arrays) took twice as long in
// some repetitions as in others. `--default-malloc` leaves malloc as it is.
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
const args = process.argv.slice(2).filter((a) => a !== '--no-pin' && a !== '--default-malloc');
const pin = process.argv.includes('--no-pin') ? null : fastestCpu();
// Blocks up to 32 MB from the heap rather than their own mappings, and the heap never trimmed.
const malloc = process.argv.includes('--default-malloc') ? {} : { MALLOC_MMAP_THRESHOLD_: String(32 << 20), MALLOC_TRIM_THRESHOLD_: String(1 << 30) };
const env = {
  ...bundleEnv(),
  ...malloc,
  ...(pin ? { GRADLENS_BENCH_PIN: `both sides on CPU ${pin.cpu} (taskset), the fastest in a probe of each: ${pin.probes}` } : {}),
};
const run = pin
  ? spawnSync('taskset', ['-c', String(pin.cpu), process.execPath, bundle, ...args], { stdio: 'inherit', env })
  : spawnSync(process.execPath, [bundle, ...args], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
