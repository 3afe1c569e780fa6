// How the bench's processes run on the benchmark machine: pinned to its fastest CPU, with glibc's
// malloc keeping the memory it was given. bench/launch.ts says why for each; bench/compare.ts runs
// its process the same way.
import { spawnSync } from 'child_process';
import * as os from 'os';

/** A fixed amount of floating-point work, timed in milliseconds. */
const probeScript = 'let x = 0; const t = performance.now(); for (let i = 0; i < 3e7; i++) x += Math.sqrt(i) * 1e-9; process.stdout.write(String(performance.now() - t + x * 0));';

/** The fastest CPU by a short probe on each, and the probe times; null without taskset or with one CPU. */
export function fastestCpu(): { cpu: number; probes: string } | null {
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

/** Blocks up to 32 MB from the heap rather than their own mappings, and the heap never trimmed. */
export const keptMallocEnv = { MALLOC_MMAP_THRESHOLD_: String(32 << 20), MALLOC_TRIM_THRESHOLD_: String(1 << 30) };

/** Node with `args`, pinned to `cpu` when there is one: the command and its arguments. */
function nodeCommand(args: readonly string[], cpu: number | null): [string, string[]] {
  return cpu === null ? [process.execPath, [...args]] : ['taskset', ['-c', String(cpu), process.execPath, ...args]];
}

/** Runs node with `args`, pinned to `cpu` when there is one; returns its exit status. */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv, cpu: number | null): number {
  const [command, commandArgs] = nodeCommand(args, cpu);
  return spawnSync(command, commandArgs, { stdio: 'inherit', env }).status ?? 1;
}

/** `runNode`, also returning what the process wrote to stdout (which it passes on when it ends). */
export function runNodeForOutput(args: readonly string[], env: NodeJS.ProcessEnv, cpu: number | null): { status: number; stdout: string } {
  const [command, commandArgs] = nodeCommand(args, cpu);
  const run = spawnSync(command, commandArgs, { stdio: ['inherit', 'pipe', 'inherit'], env, encoding: 'utf8' });
  process.stdout.write(run.stdout);
  return { status: run.status ?? 1, stdout: run.stdout };
}
