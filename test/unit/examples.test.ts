// Every answer in examples/expected.json (real NumPy, float64, central differences), reproduced
// through the built CLI: `node dist/cli.js check FILE --fn NAME --inputs F --json`.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const examples = join(root, 'examples');
const cli = join(root, 'dist', 'cli.js');

interface Expected {
  file: string;
  fn?: string;
  lines?: string;
  inputs: unknown;
  output?: string;
  value?: number;
  grads?: Record<string, number | number[]>;
  mismatches?: { kind: string; name: string; target: string; line: number }[];
  errors?: { line: number; says: string }[];
  shapes?: Record<string, number[]>;
}

interface CliJson {
  ok: boolean;
  output: { name: string | null; value: unknown } | null;
  inputs: Record<string, { shape: number[]; grad: unknown }>;
  gradcheck: Record<string, { status: string }>;
  mismatches: { kind: string; name: string; target: string; line: number }[];
  errors: { message: string; line: number; column: number }[];
}

const flatten = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flatten) : [v as number]);

export function runCli(args: string[]): { status: number; json: CliJson | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  let json: CliJson | null;
  try {
    json = JSON.parse(r.stdout) as CliJson;
  } catch {
    json = null;
  }
  return { status: r.status ?? -1, json, stderr: r.stderr, stdout: r.stdout };
}

const expected = JSON.parse(readFileSync(join(examples, 'expected.json'), 'utf8')) as Expected[];
const scratch = mkdtempSync(join(tmpdir(), 'gradlens-examples-'));

describe('examples/expected.json through the CLI', () => {
  before(() => assert.ok(readFileSync(cli).length > 0, 'dist/cli.js is built (npm run build)'));

  expected.forEach((e, k) => {
    const what = e.fn ? `${e.file} --fn ${e.fn}` : `${e.file} --lines ${e.lines}`;
    it(`${what} gives NumPy's value, gradients, mismatches and errors`, () => {
      const args = ['check', join(examples, e.file), ...(e.fn ? ['--fn', e.fn] : ['--lines', e.lines!]), '--json'];
      // Some entries describe their inputs in words ("(2, 3) random"): those come from the code.
      const givenInputs = e.inputs && typeof e.inputs === 'object' && Object.values(e.inputs).every((v) => typeof v !== 'string');
      if (givenInputs && Object.keys(e.inputs as object).length > 0) {
        const path = join(scratch, `inputs-${k}.json`);
        writeFileSync(path, JSON.stringify(e.inputs));
        args.push('--inputs', path);
      }
      const { status, json, stderr } = runCli(args);
      assert.ok(json, `the CLI printed one JSON object (stderr: ${stderr})`);
      if (e.errors) {
        assert.equal(status, 1, 'a forward error exits 1');
        for (const err of e.errors) {
          const found = json.errors.find((x) => x.line === err.line);
          assert.ok(found, `an error on line ${err.line}: ${JSON.stringify(json.errors)}`);
          assert.match(found.message, /\(2, 3\)/);
          assert.match(found.message, /\(4, 3\)/);
          assert.match(found.message, /hidden\.dot\(W\)/);
        }
        return;
      }
      assert.deepEqual(json.errors, [], 'no errors');
      if (e.value !== undefined) assert.ok(Math.abs((json.output!.value as number) - e.value) <= 1e-6 * Math.max(1, Math.abs(e.value)), `value ${String(json.output!.value)} ≈ ${e.value}`);
      if (e.output) assert.equal(json.output!.name, e.output);
      for (const [name, grad] of Object.entries(e.grads ?? {})) {
        const actual = flatten(json.inputs[name].grad);
        const want = flatten(grad);
        assert.equal(actual.length, want.length, `∂L/∂${name} has ${want.length} elements`);
        actual.forEach((a, i) => assert.ok(Math.abs(a - want[i]) <= 1e-6, `∂L/∂${name}[${i}] = ${a}, NumPy says ${want[i]}`));
      }
      for (const [name, shape] of Object.entries(e.shapes ?? {})) assert.deepEqual(json.inputs[name].shape, shape);
      if (e.mismatches) {
        const got = json.mismatches.map((m) => ({ kind: m.kind, name: m.name, target: m.target, line: m.line }));
        assert.deepEqual(got, e.mismatches);
        assert.equal(status, e.mismatches.length ? 1 : 0, 'exit code says whether problems were found');
      }
      for (const [name, check] of Object.entries(json.gradcheck)) assert.notEqual(check.status, 'fail', `autograd agrees with finite differences for ${name}`);
    });
  });

  it('--lines 16-31 with grad_x1 = grad_s1 * x1 reports the mismatch on line 29', () => {
    const source = readFileSync(join(examples, 'sigmoid_neuron.py'), 'utf8').replace('grad_x1 = grad_s1 * w1', 'grad_x1 = grad_s1 * x1');
    const path = join(scratch, 'sigmoid_bug.py');
    writeFileSync(path, source);
    const { status, json } = runCli(['check', path, '--lines', '16-31', '--json']);
    assert.equal(status, 1);
    assert.deepEqual(json!.mismatches.map((m) => [m.kind, m.name, m.target, m.line]), [['value', 'grad_x1', 'x1', 29]]);
  });
});

describe('CLI contract', () => {
  it('exits 2 with a usage message for a missing file', () => {
    const r = runCli(['check', join(scratch, 'nope.py'), '--json']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read file/);
    assert.equal(r.stdout, '');
  });

  it('exits 2 for INPUTS.json that is not JSON', () => {
    const path = join(scratch, 'bad.json');
    writeFileSync(path, '{ not json');
    const r = runCli(['check', join(examples, 'vectors.py'), '--fn', 'l2_of_product', '--inputs', path, '--json']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad JSON/);
  });

  it('exits 2 for an unknown option and for --fn with --lines', () => {
    assert.equal(runCli(['check', join(examples, 'vectors.py'), '--frobnicate']).status, 2);
    assert.equal(runCli(['check', join(examples, 'vectors.py'), '--fn', 'a', '--lines', '1-2']).status, 2);
  });

  it('prints only the JSON object on stdout with --json, with every contract field', () => {
    const r = runCli(['check', join(examples, 'sigmoid_neuron.py'), '--fn', 'neuron', '--json']);
    assert.equal(r.status, 0);
    const keys = Object.keys(r.json!);
    for (const k of ['ok', 'function', 'output', 'inputs', 'gradcheck', 'mismatches', 'errors']) assert.ok(keys.includes(k), k);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    for (const name of ['w0', 'x0', 'w1', 'x1', 'w2']) assert.equal(r.json!.gradcheck[name].status, 'pass');
  });

  it('prints a readable table without --json, mismatches first', () => {
    const r = runCli(['check', join(examples, 'layers.py'), '--fn', 'leaky_forward']);
    assert.equal(r.status, 1);
    const lines = r.stdout.split('\n');
    assert.match(lines[1], /line 40: dx disagrees/);
    assert.match(lines[2], /line 41: dalpha has shape \(4, 5\) but alpha is \(\)/);
    assert.match(r.stdout, /input\s+shape\s+from\s+check/);
  });

  it('reports the forward passes the check used', () => {
    const r = runCli(['check', join(examples, 'sigmoid_neuron.py'), '--fn', 'neuron', '--json']);
    // Five scalar inputs, each checked by one central difference: two forward passes apiece.
    assert.equal((r.json as unknown as { forwardPasses: number }).forwardPasses, 10);
  });
});
