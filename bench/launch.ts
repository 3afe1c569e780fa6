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
import { bundleEnv, bundleForNode } from './bundle';
import { fastestCpu, keptMallocEnv, runNode } from './pinning';

const bundle = bundleForNode('run');
const args = process.argv.slice(2).filter((a) => a !== '--no-pin' && a !== '--default-malloc');
const pin = process.argv.includes('--no-pin') ? null : fastestCpu();
const malloc = process.argv.includes('--default-malloc') ? {} : keptMallocEnv;
const env = {
  ...bundleEnv(),
  ...malloc,
  ...(pin ? { GRADLENS_BENCH_PIN: `both sides on CPU ${pin.cpu} (taskset), the fastest in a probe of each: ${pin.probes}` } : {}),
};
process.exit(runNode([bundle, ...args], env, pin?.cpu ?? null));
