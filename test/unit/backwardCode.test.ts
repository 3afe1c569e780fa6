// The generated flat backward pass runs in real NumPy and reproduces autograd's gradients, for the
// examples and every program of the differential corpus.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, Target } from '../../src/analysis/analyze';
import { unbroadcastCode } from '../../src/analysis/backwardCode';
import { nestedValues, type Report } from '../../src/analysis/report';

const root = join(__dirname, '..', '..');
const python = process.env.GRADLENS_PYTHON ?? 'python3';
const flatten = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flatten) : [v as number]);

interface Case { name: string; report: Report }

function cases(): Case[] {
  const out: Case[] = [];
  const sigmoid = readFileSync(join(root, 'examples', 'sigmoid_neuron.py'), 'utf8');
  out.push({ name: 'sigmoid_neuron lines 16-31', report: analyze(sigmoid, { kind: 'lines', from: 16, to: 31 }, {}, { check: false }) });
  const examples: [string, Target][] = [['losses.py', { kind: 'function', name: 'softmax_loss' }], ['layers.py', { kind: 'function', name: 'affine_forward' }], ['layers.py', { kind: 'function', name: 'leaky_forward' }]];
  for (const [file, target] of examples) {
    const source = readFileSync(join(root, 'examples', file), 'utf8');
    out.push({ name: `${file} ${target.kind === 'function' ? target.name : ''}`, report: analyze(source, target, {}, { check: false }) });
  }
  const corpus = join(root, 'test', 'corpus');
  for (const file of readdirSync(corpus).filter((f) => f.endsWith('.py')).sort()) {
    const source = readFileSync(join(corpus, file), 'utf8');
    const fn = /^# gradlens: fn=(\w+)/.exec(source)![1];
    const inputs: unknown = JSON.parse(readFileSync(join(corpus, file.replace(/\.py$/, '.inputs.json')), 'utf8'));
    out.push({ name: `corpus ${file}`, report: analyze(source, { kind: 'function', name: fn }, inputs, { check: false }) });
  }
  return out;
}

describe('generated backward code', () => {
  const all = cases();
  let results: Record<string, { grads?: Record<string, unknown>; error?: string }> = {};

  before(function () {
    this.timeout(120_000);
    const programs = all.filter((c) => c.report.backwardCode).map((c) => ({
      name: c.name,
      code: c.report.backwardCode,
      inputs: Object.fromEntries(Object.entries(c.report.inputs).map(([n, i]) => [n, { value: nestedValues(i.value, i.shape), dtype: i.dtype }])),
    }));
    const path = join(mkdtempSync(join(tmpdir(), 'gradlens-bc-')), 'programs.json');
    writeFileSync(path, JSON.stringify(programs));
    const run = spawnSync(python, [join(root, 'test', 'differential', 'run_backward_code.py'), path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.status, 0, `${python} with NumPy runs the generated code (${run.error?.message ?? run.stderr})`);
    results = JSON.parse(run.stdout) as typeof results;
  });

  it('starts from grad_L = 1.0 and writes the lecture\'s statements for the sigmoid neuron', () => {
    const code = all[0].report.backwardCode!;
    assert.match(code, /^grad_L = 1\.0$/m);
    assert.match(code, /^grad_x1 = grad_s1 \* w1$/m);
    assert.match(code, /^grad_w0 = grad_s0 \* x0$/m);
  });

  it('writes broadcasting sums out', () => {
    assert.equal(unbroadcastCode('g', [4, 3], [3]), 'np.sum(g, axis=0)');
    assert.equal(unbroadcastCode('g', [4, 3], [4, 1]), 'np.sum(g, axis=1, keepdims=True)');
    assert.equal(unbroadcastCode('g', [2, 4, 3], [1, 3]), 'np.sum(np.sum(g, axis=0), axis=0, keepdims=True)');
    assert.equal(unbroadcastCode('g', [4, 3], []), 'np.sum(g)');
  });

  for (const c of all) {
    it(`${c.name}: running it in NumPy reproduces the gradients`, () => {
      assert.deepEqual(c.report.errors, [], 'the program analyzes');
      assert.ok(c.report.backwardCode, 'backward code was generated');
      const result = results[c.name];
      assert.ok(result && !result.error, `NumPy ran it: ${result?.error}`);
      for (const [name, input] of Object.entries(c.report.inputs)) {
        if (input.dtype !== 'float64') continue;
        const want = input.grad ? [...input.grad] : [];
        const got = flatten(result.grads![name]);
        assert.equal(got.length, want.length, `grad_${name} has ${want.length} elements`);
        const scale = Math.max(1, ...want.map(Math.abs));
        got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 1e-9 * scale, `grad_${name}[${i}]: NumPy ${g}, autograd ${want[i]}`));
      }
    });
  }
});
