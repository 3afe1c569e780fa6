// Mutations of real files (examples/*.py and test/corpus/*.py): deleted tokens, truncations, random
// and non-UTF-8 bytes, huge literals, deep nesting, very long lines, unbalanced quotes and brackets,
// broken indentation, swapped names, numbers and operators, constructs outside the subset.
//
// The property: every analyze() of a mutated file (each of its functions, and a line range) ends in
// a Report within the budget, and every error in it has a line in the file, a column ≥ 1 and a kind
// other than 'internal'. Mutations work on bytes, and the bytes are then decoded as an editor might
// (UTF-8 with replacement characters, or latin1), so that invalid UTF-8 reaches the parser too.
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type AnalyzeOptions, type Target } from '../../src/analysis/analyze';
import type { Report } from '../../src/analysis/report';
import { Choices } from './choices';
import { HANG_MILLIS, reportProblems, type Problem } from './verdict';

export interface SeedFile {
  /** Relative to the repository root: `examples/layers.py`. */
  path: string;
  bytes: Buffer;
  /** The corpus's INPUTS.json for the file's main function, if there is one. */
  inputs: Record<string, unknown> | null;
  /** The function named by the corpus header `# gradlens: fn=NAME`, which the inputs are for. */
  mainFunction: string | null;
}

const repoRoot = join(__dirname, '..', '..');

/** examples/*.py and test/corpus/*.py, sorted, so that a file index means the same file on every run. */
export function loadSeedFiles(root = repoRoot): SeedFile[] {
  const files: SeedFile[] = [];
  for (const dir of ['examples', join('test', 'corpus')]) {
    const full = join(root, dir);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).filter((f) => f.endsWith('.py')).sort()) {
      const inputsPath = join(full, name.replace(/\.py$/, '.inputs.json'));
      const inputs: unknown = existsSync(inputsPath) ? JSON.parse(readFileSync(inputsPath, 'utf8')) : null;
      const bytes = readFileSync(join(full, name));
      files.push({
        path: `${dir.replace(/\\/g, '/')}/${name}`,
        bytes,
        mainFunction: /^#\s*gradlens:\s*fn\s*=\s*([A-Za-z_]\w*)/.exec(bytes.toString('utf8'))?.[1] ?? null,
        inputs: typeof inputs === 'object' && inputs !== null && !Array.isArray(inputs) ? (inputs as Record<string, unknown>) : null,
      });
    }
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Mutations on bytes

export type MutationKind =
  | 'delete-tokens' | 'truncate' | 'insert-bytes' | 'huge-literal' | 'deep-nesting' | 'long-line'
  | 'non-utf8' | 'unbalanced' | 'indentation' | 'line-edit' | 'swap-name' | 'swap-number'
  | 'swap-operator' | 'odd-characters' | 'outside-subset';

export const MUTATION_KINDS: readonly MutationKind[] = [
  'delete-tokens', 'truncate', 'insert-bytes', 'huge-literal', 'deep-nesting', 'long-line', 'non-utf8',
  'unbalanced', 'indentation', 'line-edit', 'swap-name', 'swap-number', 'swap-operator', 'odd-characters',
  'outside-subset',
];

export interface MutationStep {
  kind: number;
  /** The mutation's decisions (where, what), each taken modulo its number of options. */
  choices: number[];
}

export type Decoding = 'utf8' | 'latin1';

export interface MutationPlan {
  file: number;
  steps: MutationStep[];
  decoding: Decoding;
  /** Picks the functions analyzed and the line range. */
  targetChoices: number[];
}

const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\*\*|\/\/|[<>=!]=|->|\s+|./gs;
const NUMBER = /^\d/;
const NAME = /^[A-Za-z_]/;
const OPERATORS = ['+', '-', '*', '/', '@', '**', '//', '%', '<', '>', '==', '!=', '<=', '>=', '&', '|', '^', '~'];
const HUGE_LITERALS = ['1e308', '10**400', '99999999999999999999', '-1e308', '1e309', '1e-320', '2**1000', "float('inf')", "float('nan')", '10**18', '-10**400', '1' + '0'.repeat(400), '0x7fffffffffffffff', '1_000_000_000_000'];
const SMALL_NUMBERS = ['0', '1', '-1', '2', '0.0', '3', '-2', '1.5', '100', '-0.0', '1e-12', 'True', 'None'];
const OUTSIDE_SUBSET = [
  'lambda q: q', 'yield x', 'await x', '[i for i in range(3)]', '{k: k for k in range(2)}', '(y := 3)', "f'{x}'",
  'x if x else x', '1 < x < 2', '*rest', '**kw', 'not x', 'x is None', '3 in [1, 2]', '{1, 2}', 'x[::0]', 'print(x)',
  'np.linalg.svd(x)', 'np.fft.fft(x)', 'x.nonexistent', 'open("f")', '__import__("os")', 'super()', 'np.einsum("ij->i", x)',
  'x @= x', 'x[1:2, ..., None, ::-1]', 'np.random.randn(2, 3)', 'np.ones((2, 3), dtype=np.float32)', '1j', 'b"bytes"', '"""doc"""',
];
const OUTSIDE_SUBSET_STATEMENTS = [
  'class A:\n    pass', 'try:\n    pass\nexcept Exception:\n    pass', 'with open("f") as h:\n    pass', 'global g', 'del x',
  'import os', 'from numpy import *', 'from numpy.linalg import norm', 'async def g():\n    pass', '@staticmethod\ndef g():\n    pass',
  'raise ValueError("no")', 'assert False, "stop"', 'x: int = 3', 'a, *b = [1, 2, 3]', 'for i in range(3):\n    pass\nelse:\n    pass',
  'while False:\n    pass', 'return', 'break', 'continue', 'def g(*args, **kwargs):\n    return args', 'import numpy', 'import math as np',
  'def f(x):\n    return f(x)', 'x = x', 'if True:\npass',
];

function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function indexesWhere(list: readonly string[], test: (t: string) => boolean): number[] {
  const out: number[] = [];
  list.forEach((t, i) => {
    if (test(t)) out.push(i);
  });
  return out;
}

/** A line inside some function body (indented), for statement insertions; -1 when there is none. */
function bodyLine(lines: readonly string[], c: Choices): number {
  const indented = indexesWhere(lines, (l) => /^\s+\S/.test(l));
  return indented.length === 0 ? -1 : indented[c.pick(indented.length)];
}

function indentOf(line: string): string {
  return /^\s*/.exec(line)![0];
}

/** Inserts a (possibly multi-line) statement before line `at`, indented like that line. */
function insertStatement(lines: string[], at: number, statement: string): void {
  const indent = at >= 0 ? indentOf(lines[at]) : '';
  lines.splice(Math.max(at, 0), 0, ...statement.split('\n').map((l) => indent + l));
}

function mutateText(text: string, kind: MutationKind, c: Choices): string {
  const toks = tokens(text);
  const lines = text.split('\n');
  switch (kind) {
    case 'delete-tokens': {
      const solid = indexesWhere(toks, (t) => !/^\s+$/.test(t));
      if (solid.length === 0) return text;
      const first = solid[c.pick(solid.length)];
      const count = 1 + c.pick(3);
      toks.splice(first, count);
      return toks.join('');
    }
    case 'huge-literal': {
      const numbers = indexesWhere(toks, (t) => NUMBER.test(t));
      const literal = c.of(HUGE_LITERALS);
      if (numbers.length > 0 && c.pick(4) !== 0) {
        toks[numbers[c.pick(numbers.length)]] = literal;
        return toks.join('');
      }
      insertStatement(lines, bodyLine(lines, c), c.of([`x = ${literal}`, `big = ${literal} * 2`, `return ${literal}`, `big = np.ones(3) * ${literal}`]));
      return lines.join('\n');
    }
    case 'deep-nesting': {
      const names = indexesWhere(toks, (t) => NAME.test(t) || NUMBER.test(t));
      const at = names.length === 0 ? -1 : names[c.pick(names.length)];
      const depth = c.of([200, 1000, 3000]);
      const wrapToken = (open: string, close: string): string => {
        if (at < 0) return text;
        toks[at] = open.repeat(depth) + toks[at] + close.repeat(depth);
        return toks.join('');
      };
      switch (c.pick(8)) {
        case 0: return wrapToken('(', ')');
        case 1: return wrapToken('[', ']');
        case 2: return wrapToken('-', '');
        case 3: return wrapToken('np.tanh(', ')');
        case 4: {
          // 200 nested ifs in a function body.
          const line = bodyLine(lines, c);
          const base = line >= 0 ? indentOf(lines[line]) : '';
          const nested = Array.from({ length: 200 }, (_, k) => `${base}${' '.repeat(4 * k)}if True:`);
          nested.push(`${base}${' '.repeat(4 * 200)}${line >= 0 ? lines[line].trim() : 'pass'}`);
          lines.splice(Math.max(line, 0), line >= 0 ? 1 : 0, ...nested);
          return lines.join('\n');
        }
        case 5: {
          // A left-deep chain: `x + x + ... + x`.
          if (at < 0) return text;
          toks[at] = Array.from({ length: depth * 3 }, () => toks[at]).join(' + ');
          return toks.join('');
        }
        case 6: {
          // Nested function definitions.
          const defs = Array.from({ length: 100 }, (_, k) => `${' '.repeat(4 * k)}def g${k}(x):`);
          defs.push(`${' '.repeat(400)}return x`);
          return `${text}\n${defs.join('\n')}\n`;
        }
        default: return wrapToken('', '[0]');
      }
    }
    case 'long-line': {
      const length = 100_000;
      const line = bodyLine(lines, c);
      const which = c.pick(6);
      const statement = [
        `# ${'a'.repeat(length)}`,
        `s = "${'b'.repeat(length)}"`,
        `y = ${Array.from({ length: length / 4 }, () => 'x').join(' + ')}`,
        `${'v'.repeat(length)} = 1.0`,
        `z = ${'1'.repeat(length)}`,
        `w = [${Array.from({ length: length / 5 }, (_, k) => String(k % 10)).join(', ')}]`,
      ][which];
      if (line < 0 || c.pick(3) === 0) lines.push(statement);
      else insertStatement(lines, line, statement);
      return lines.join('\n');
    }
    case 'unbalanced': {
      const at = c.pick(text.length + 1);
      const insert = c.of(["'", '"', '"""', "'''", '(', ')', '[', ']', '{', '}', ':', '\\', '#', 'f"', 'r"\\', '"\n', ',', '.']);
      if (c.pick(3) === 0) {
        // Remove a bracket or quote instead.
        const spots = [...text.matchAll(/[()[\]{}'"]/g)].map((m) => m.index);
        if (spots.length > 0) {
          const i = spots[c.pick(spots.length)];
          return text.slice(0, i) + text.slice(i + 1);
        }
      }
      return text.slice(0, at) + insert + text.slice(at);
    }
    case 'indentation': {
      const nonEmpty = indexesWhere(lines, (l) => l.trim().length > 0);
      if (nonEmpty.length === 0) return text;
      const i = nonEmpty[c.pick(nonEmpty.length)];
      const body = lines[i].trimStart();
      const indent = indentOf(lines[i]);
      lines[i] = [
        `${indent} ${body}`,
        `${indent}  ${body}`,
        indent.slice(1) + body,
        body,
        `\t${body}`,
        indent.replace(/ {4}/g, '\t') + body,
        `${indent}${' '.repeat(40)}${body}`,
        `${indent.slice(0, Math.max(0, indent.length - 4))}${body}`,
      ][c.pick(8)];
      return lines.join('\n');
    }
    case 'line-edit': {
      if (lines.length === 0) return text;
      const i = c.pick(lines.length);
      const j = c.pick(lines.length);
      switch (c.pick(4)) {
        case 0: lines.splice(i, 1); break;
        case 1: lines.splice(i, 0, lines[i]); break;
        case 2: [lines[i], lines[j]] = [lines[j], lines[i]]; break;
        default: lines.splice(i, 0, ...lines.slice(Math.min(i, j), Math.max(i, j) + 1));
      }
      return lines.join('\n');
    }
    case 'swap-name': {
      const names = indexesWhere(toks, (t) => NAME.test(t));
      if (names.length < 2) return text;
      toks[names[c.pick(names.length)]] = toks[names[c.pick(names.length)]];
      return toks.join('');
    }
    case 'swap-number': {
      const numbers = indexesWhere(toks, (t) => NUMBER.test(t));
      if (numbers.length === 0) return text;
      toks[numbers[c.pick(numbers.length)]] = c.of(SMALL_NUMBERS);
      return toks.join('');
    }
    case 'swap-operator': {
      const ops = indexesWhere(toks, (t) => OPERATORS.includes(t) || t === '=' || t === ',' || t === '.');
      if (ops.length === 0) return text;
      toks[ops[c.pick(ops.length)]] = c.of([...OPERATORS, '=', '+=', ',', '.', ':', '']);
      return toks.join('');
    }
    case 'odd-characters': {
      switch (c.pick(7)) {
        case 0: return text.replace(/\n/g, '\r\n');
        case 1: return text.replace(/\n/g, '\r');
        case 2: return `\uFEFF${text}`;
        default: {
          const at = c.pick(text.length + 1);
          const odd = c.of(['\t', '\f', '\v', '\0', '\u2028', '\u00a0', '\u200b', '😀', 'é', '\u0301', '\uFFFD', 'λ', '\r', 'ｘ']);
          return text.slice(0, at) + odd + text.slice(at);
        }
      }
    }
    case 'outside-subset': {
      const line = bodyLine(lines, c);
      if (c.pick(2) === 0) {
        insertStatement(lines, line, c.of(OUTSIDE_SUBSET_STATEMENTS));
        return lines.join('\n');
      }
      const names = indexesWhere(toks, (t) => NAME.test(t) || NUMBER.test(t));
      if (names.length === 0) return text;
      toks[names[c.pick(names.length)]] = `(${c.of(OUTSIDE_SUBSET)})`;
      return toks.join('');
    }
    default:
      return text;
  }
}

/** Byte-level mutations first (they may leave invalid UTF-8); text-level ones on the decoded text. */
function mutateBytes(bytes: Buffer, kind: MutationKind, c: Choices): Buffer | null {
  switch (kind) {
    case 'truncate':
      return bytes.subarray(0, c.pick(bytes.length + 1));
    case 'insert-bytes': {
      const at = c.pick(bytes.length + 1);
      const count = 1 + c.pick(8);
      const inserted = Buffer.from(Array.from({ length: count }, () => c.pick(256)));
      return Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]);
    }
    case 'non-utf8': {
      const at = c.pick(bytes.length + 1);
      const sequences = [[0xff], [0xc3], [0xe2, 0x82], [0x80, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf], [0xfe, 0xff], [0xe9]];
      const inserted = Buffer.from(c.of(sequences));
      return Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]);
    }
    default:
      return null;
  }
}

export function decode(bytes: Buffer, decoding: Decoding): string {
  // TextDecoder without `fatal` turns invalid UTF-8 into U+FFFD, as an editor opening the file would.
  return decoding === 'latin1' ? bytes.toString('latin1') : new TextDecoder('utf-8').decode(bytes);
}

export interface MutatedFile {
  origin: string;
  /** What was done, for the reproduction: `huge-literal`, `truncate`, ... */
  mutations: MutationKind[];
  decoding: Decoding;
  bytes: Buffer;
  source: string;
  inputs: Record<string, unknown> | null;
  mainFunction: string | null;
  targets: Target[];
}

const MAX_FUNCTIONS = 3;

/** Top-level `def NAME` in a text, in order. */
export function functionNames(source: string): string[] {
  return [...source.matchAll(/^def[ \t]+([A-Za-z_][A-Za-z0-9_]*)/gm)].map((m) => m[1]);
}

export function applyPlan(plan: MutationPlan, seeds: readonly SeedFile[]): MutatedFile {
  const seed = seeds[plan.file % seeds.length];
  let bytes = seed.bytes;
  const kinds: MutationKind[] = [];
  for (const step of plan.steps) {
    const kind = MUTATION_KINDS[step.kind % MUTATION_KINDS.length];
    kinds.push(kind);
    const c = new Choices(step.choices);
    const mutated = mutateBytes(bytes, kind, c);
    // Text mutations go through latin1, which maps every byte to one char and back unchanged.
    bytes = mutated ?? Buffer.from(mutateText(bytes.toString('latin1'), kind, c), 'latin1');
  }
  const source = decode(bytes, plan.decoding);
  const c = new Choices(plan.targetChoices);
  const names = [...new Set([...functionNames(source), ...functionNames(seed.bytes.toString('utf8'))])];
  const picked = names.length <= MAX_FUNCTIONS ? names : Array.from({ length: MAX_FUNCTIONS }, () => names[c.pick(names.length)]);
  const lineTotal = source.split('\n').length;
  const from = 1 + c.pick(lineTotal + 1);
  const to = c.pick(4) === 0 ? from - 1 - c.pick(3) : from + c.pick(lineTotal + 2);
  const targets: Target[] = [...new Set(picked)].map((name) => ({ kind: 'function', name }));
  targets.push({ kind: 'lines', from, to });
  return { origin: seed.path, mutations: kinds, decoding: plan.decoding, bytes, source, inputs: seed.inputs, mainFunction: seed.mainFunction, targets };
}

export function planArbitrary(fileCount: number): fc.Arbitrary<MutationPlan> {
  return fc.record({
    file: fc.nat({ max: Math.max(0, fileCount - 1) }),
    steps: fc.array(fc.record({ kind: fc.nat({ max: MUTATION_KINDS.length - 1 }), choices: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 6, maxLength: 6 }) }), { minLength: 1, maxLength: 3 }),
    decoding: fc.constantFrom<Decoding>('utf8', 'latin1'),
    targetChoices: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 6, maxLength: 6 }),
  });
}

export function mutationArbitrary(seeds: readonly SeedFile[]): fc.Arbitrary<MutatedFile> {
  return planArbitrary(seeds.length).map((plan) => applyPlan(plan, seeds));
}

// ---------------------------------------------------------------------------------------------
// The property

export const mutationBudget: AnalyzeOptions['budget'] = { maxSteps: 200_000, maxMillis: 2_000 };

export interface TargetOutcome {
  target: Target;
  report: Report | null;
  millis: number;
  problems: Problem[];
}

export function describeTarget(target: Target): string {
  return target.kind === 'function' ? `--fn ${target.name}` : `--lines ${target.from}-${target.to}`;
}

/** Analyzes every target of a mutated file; each outcome lists what breaks the property. */
export function checkMutatedFile(file: MutatedFile, options: AnalyzeOptions = {}): TargetOutcome[] {
  return file.targets.map((target) => {
    const started = performance.now();
    let report: Report | null = null;
    const problems: Problem[] = [];
    // The corpus's inputs belong to the file's main function; other targets infer theirs.
    const inputs = target.kind === 'function' && file.inputs && target.name === file.mainFunction ? file.inputs : {};
    try {
      report = analyze(file.source, target, inputs, { budget: mutationBudget, ...options });
    } catch (err) {
      problems.push({ kind: 'crash', detail: `analyze(${describeTarget(target)}) threw: ${err instanceof Error ? err.stack ?? err.message : String(err)}` });
    }
    const millis = performance.now() - started;
    if (millis > HANG_MILLIS) problems.push({ kind: 'hang', detail: `analyze(${describeTarget(target)}) took ${(millis / 1000).toFixed(1)} s` });
    if (report) problems.push(...reportProblems(report, file.source, { gradcheck: false }).map((p) => ({ ...p, detail: `${describeTarget(target)}: ${p.detail}` })));
    return { target, report, millis, problems };
  });
}
