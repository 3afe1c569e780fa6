// Differential suite: every program in test/corpus runs through GradLens's engine and through real NumPy
// (test/differential/numpy_reference.py, spawned once for the whole corpus). Forward values and the gradient
// of every float input must agree with NumPy's value and central differences.
// A missing Python or NumPy fails the suite: a differential suite that skips proves nothing.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/analysis/analyze';
import { nestedValues, type NestedNumbers, type Report } from '../../src/analysis/report';

const repoRoot = path.resolve(__dirname, '..', '..');
const corpusDir = path.join(repoRoot, 'test', 'corpus');
const referenceScript = path.join(repoRoot, 'test', 'differential', 'numpy_reference.py');
const python = process.env.GRADLENS_PYTHON || 'python3';

const VALUE_TOLERANCE = 1e-9;
const GRAD_TOLERANCE = 1e-6;
const MIN_CORPUS_SIZE = 45;
/** numpy_reference.py's exit code when NumPy cannot be imported. */
const EXIT_NO_NUMPY = 3;

interface CorpusProgram {
  name: string;
  functionName: string;
  /** The `# exercises:` line, for the test's title. */
  exercises: string;
  source: string;
  inputs: Record<string, unknown>;
}

interface ReferenceResult {
  value: number;
  grads: Record<string, NestedNumbers>;
}

/** Either every program's reference entry, or why the reference could not run at all. */
type ReferenceRun = { ok: true; entries: Record<string, ReferenceResult | { error: string }> } | { ok: false; failure: string };

function readCorpus(): CorpusProgram[] {
  return fs
    .readdirSync(corpusDir)
    .filter((file) => file.endsWith('.py'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.py'.length);
      const source = fs.readFileSync(path.join(corpusDir, file), 'utf8');
      const lines = source.split('\n');
      const header = /^#\s*gradlens:\s*fn\s*=\s*([A-Za-z_]\w*)\s*$/.exec(lines[0] ?? '');
      const exercises = /^#\s*exercises:\s*(.*)$/.exec(lines[1] ?? '');
      const inputsPath = path.join(corpusDir, `${name}.inputs.json`);
      const inputs: unknown = fs.existsSync(inputsPath) ? JSON.parse(fs.readFileSync(inputsPath, 'utf8')) : null;
      return {
        name,
        // An empty name makes the program's own test fail with a clear message below.
        functionName: header?.[1] ?? '',
        exercises: exercises?.[1] ?? '',
        source,
        inputs: isRecord(inputs) ? inputs : {},
      };
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNestedNumbers(value: unknown): value is NestedNumbers {
  return typeof value === 'number' || (Array.isArray(value) && value.every(isNestedNumbers));
}

function parseReferenceEntry(name: string, entry: unknown): ReferenceResult | { error: string } {
  if (isRecord(entry) && typeof entry.error === 'string') return { error: entry.error };
  if (isRecord(entry) && typeof entry.value === 'number' && isRecord(entry.grads)) {
    const grads: Record<string, NestedNumbers> = {};
    for (const [input, grad] of Object.entries(entry.grads)) {
      if (!isNestedNumbers(grad)) return { error: `reference gradient of ${input} is not numeric` };
      grads[input] = grad;
    }
    return { value: entry.value, grads };
  }
  return { error: `reference output for ${name} has an unexpected shape: ${JSON.stringify(entry)}` };
}

function runReference(): ReferenceRun {
  const run = spawnSync(python, [referenceScript, '--all', corpusDir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 240_000,
  });
  const advice = 'Install Python 3 with NumPy, or set GRADLENS_PYTHON to an interpreter that has it.';
  if (run.error) return { ok: false, failure: `cannot run the NumPy reference with '${python}': ${run.error.message}. ${advice}` };
  // The script's own message names the interpreter and says what to install.
  if (run.status === EXIT_NO_NUMPY) return { ok: false, failure: run.stderr.trim() };
  // Exit 1 means some programs were rejected; their entries carry the reason, the others are still usable.
  if (run.status !== 0 && run.status !== 1) {
    return { ok: false, failure: `the NumPy reference exited with ${run.status ?? run.signal}:\n${run.stderr}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    return { ok: false, failure: `the NumPy reference printed no JSON object:\n${run.stdout}\n${run.stderr}` };
  }
  if (!isRecord(parsed)) return { ok: false, failure: `the NumPy reference printed ${run.stdout}` };
  const entries: Record<string, ReferenceResult | { error: string }> = {};
  for (const [name, entry] of Object.entries(parsed)) entries[name] = parseReferenceEntry(name, entry);
  return { ok: true, entries };
}

/** Shape and row-major values of a nested list; throws on ragged nesting. */
function flatten(nested: NestedNumbers, what: string): { shape: number[]; values: number[] } {
  if (typeof nested === 'number') return { shape: [], values: [nested] };
  const rows = nested.map((row, i) => flatten(row, `${what}[${i}]`));
  const rowShape = rows[0]?.shape ?? [];
  for (const row of rows) {
    assert.deepEqual(row.shape, rowShape, `${what} is ragged`);
  }
  return { shape: [nested.length, ...rowShape], values: rows.flatMap((row) => row.values) };
}

function describeErrors(report: Report): string {
  return report.errors.map((e) => `  line ${e.line}:${e.column} [${e.kind}] ${e.message}`).join('\n');
}

function checkAgainstReference(program: CorpusProgram, reference: ReferenceResult): void {
  const report = analyze(program.source, { kind: 'function', name: program.functionName }, program.inputs, { seed: 0 });
  assert.equal(report.errors.length, 0, `${program.name}: GradLens reported errors:\n${describeErrors(report)}`);

  assert.ok(report.output, `${program.name}: the report has no output`);
  const output = flatten(nestedValues(report.output.value, report.output.shape), 'output');
  assert.deepEqual(output.shape, [], `${program.name}: output should be a scalar, got shape (${output.shape.join(', ')})`);
  const value = output.values[0];
  const valueError = Math.abs(value - reference.value);
  assert.ok(
    valueError <= VALUE_TOLERANCE * Math.max(1, Math.abs(reference.value)),
    `${program.name}: forward value ${value} but NumPy gives ${reference.value} (|diff| ${valueError.toExponential(2)})`,
  );

  for (const [input, numericGrad] of Object.entries(reference.grads)) {
    const reported = report.inputs[input];
    assert.ok(reported, `${program.name}: the report has no input ${input}`);
    assert.ok(reported.grad !== null, `${program.name}: no gradient for float input ${input}`);
    const analytic = flatten(nestedValues(reported.grad, reported.shape), `grad ${input}`);
    const numeric = flatten(numericGrad, `numeric grad ${input}`);
    assert.deepEqual(
      analytic.shape,
      numeric.shape,
      `${program.name}: grad of ${input} has shape (${analytic.shape.join(', ')}), NumPy's (${numeric.shape.join(', ')})`,
    );
    const scale = Math.max(1, ...numeric.values.map(Math.abs));
    numeric.values.forEach((n, i) => {
      const a = analytic.values[i];
      assert.ok(
        Math.abs(a - n) <= GRAD_TOLERANCE * scale,
        `${program.name}: d/d${input} element ${i} (row-major) is ${a}, central differences give ${n} (|diff| ${Math.abs(a - n).toExponential(2)}, allowed ${(GRAD_TOLERANCE * scale).toExponential(2)})`,
      );
    });
  }
}

describe('differential: GradLens vs NumPy on test/corpus', function () {
  const corpus = readCorpus();
  let reference: ReferenceRun = { ok: false, failure: 'the NumPy reference has not run' };

  before(function () {
    this.timeout(300_000);
    reference = runReference();
  });

  it(`the corpus holds at least ${MIN_CORPUS_SIZE} programs, each with a header and inputs`, function () {
    assert.ok(corpus.length >= MIN_CORPUS_SIZE, `only ${corpus.length} programs in ${corpusDir}`);
    for (const program of corpus) {
      assert.ok(program.functionName, `${program.name}.py: first line must be '# gradlens: fn=NAME'`);
      assert.ok(fs.existsSync(path.join(corpusDir, `${program.name}.inputs.json`)), `${program.name}.inputs.json is missing`);
    }
  });

  it('the NumPy reference runs', function () {
    if (!reference.ok) assert.fail(reference.failure);
  });

  for (const program of corpus) {
    it(`${program.name}: ${program.exercises || program.functionName}`, function () {
      if (!reference.ok) assert.fail(reference.failure);
      const entry = reference.entries[program.name];
      assert.ok(entry, `the NumPy reference has no entry for ${program.name}`);
      if ('error' in entry) assert.fail(`the NumPy reference rejected ${program.name}: ${entry.error}`);
      assert.ok(program.functionName, `${program.name}.py: first line must be '# gradlens: fn=NAME'`);
      checkAgainstReference(program, entry);
    });
  }
});
