// gradlens check FILE.py [--fn NAME | --lines A-B] [--inputs INPUTS.json] [--seed N] [--json]
import { readFileSync } from 'node:fs';
import { analyze, Target } from './analysis/analyze';
import { formatReport, toCliJson } from './analysis/format';
import { UserCodeError } from './core/errors';
import { parseModule } from './python/parse';

const usage = 'usage: gradlens check FILE.py [--fn NAME | --lines A-B] [--inputs INPUTS.json] [--seed N] [--json]';

class UsageError extends Error {}

interface CliArgs {
  file: string;
  fn: string | null;
  lines: { from: number; to: number } | null;
  inputs: string | null;
  seed: number;
  json: boolean;
}

function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command !== 'check') throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
  const args: CliArgs = { file: '', fn: null, lines: null, inputs: null, seed: 0, json: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--fn') args.fn = value();
    else if (a === '--lines') {
      const m = /^(\d+)-(\d+)$/.exec(value());
      if (!m || Number(m[1]) > Number(m[2]) || Number(m[1]) < 1) throw new UsageError('--lines takes A-B with 1 <= A <= B');
      args.lines = { from: Number(m[1]), to: Number(m[2]) };
    } else if (a === '--inputs') args.inputs = value();
    else if (a === '--seed') {
      const s = Number(value());
      if (!Number.isInteger(s) || s < 0) throw new UsageError('--seed takes a non-negative integer');
      args.seed = s;
    } else if (a === '--json') args.json = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (!args.file) args.file = a;
    else throw new UsageError(`unexpected argument '${a}'`);
  }
  if (!args.file) throw new UsageError('no file given');
  if (args.fn && args.lines) throw new UsageError('give --fn or --lines, not both');
  return args;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** With neither --fn nor --lines, a file with one function analyzes that function. */
function defaultTarget(source: string): Target {
  let names: string[];
  try {
    names = parseModule(source).body.flatMap((s) => (s.type === 'FunctionDef' ? [s.def.name] : []));
  } catch (err) {
    if (!(err instanceof UserCodeError)) throw err;
    return { kind: 'function', name: '' };
  }
  if (names.length === 1) return { kind: 'function', name: names[0] };
  throw new UsageError(names.length ? `choose a function with --fn (${names.join(', ')}) or lines with --lines A-B` : 'the file defines no function: choose lines with --lines A-B');
}

export function main(argv: string[], out: (s: string) => void, err: (s: string) => void, isTTY: boolean, now: () => number = Date.now): number {
  let args: CliArgs;
  let source: string;
  let inputs: unknown = {};
  let target: Target;
  try {
    args = parseArgs(argv);
    source = readText(args.file, 'file');
    if (args.inputs) {
      try {
        inputs = JSON.parse(readText(args.inputs, 'inputs file'));
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`bad JSON in ${args.inputs}: ${(e as Error).message}`);
      }
    }
    target = args.lines ? { kind: 'lines', ...args.lines } : args.fn ? { kind: 'function', name: args.fn } : defaultTarget(source);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`gradlens: ${e.message}\n${usage}\n`);
    return 2;
  }
  const started = now();
  let lastReport = 0;
  const report = analyze(source, target, inputs, {
    seed: args.seed,
    // The CLI prints neither the graph nor the generated backward code.
    views: false,
    onProgress: (done, total) => {
      const time = now();
      if (time - started > 500 && time - lastReport > 250) {
        err(`gradlens: checking gradients… ${done}/${total} inputs\n`);
        lastReport = time;
      }
    },
  });
  const usageProblem = report.errors.find((e) => e.kind === 'usage' || (e.kind === 'input' && /^input '/.test(e.message)));
  if (usageProblem) {
    err(`gradlens: ${usageProblem.message}\n`);
    return 2;
  }
  out(args.json ? `${JSON.stringify(toCliJson(report))}\n` : formatReport(report, { color: isTTY, file: args.file }));
  return report.ok ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s), Boolean(process.stdout.isTTY));
}
