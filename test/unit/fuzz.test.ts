// Fuzzing in the normal suite: a few hundred generated programs and mutated files with fixed seeds.
// The campaign with random seeds, hang watchdog and shrunk counterexamples is test/fuzz/run.ts.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkMutatedFile, describeTarget, loadSeedFiles, mutationArbitrary } from '../fuzz/mutations';
import { compareWithNumpy, numpyAvailable, runNumpy } from '../fuzz/numpy';
import { checkFlatForm, checkProgram, programArbitrary, type GeneratedProgram } from '../fuzz/programs';
import { describeProblems } from '../fuzz/verdict';

const PROGRAM_SEED = 20240611;
const MUTATION_SEED = 20240612;
const PROGRAM_RUNS = 400;
const MUTATION_RUNS = 300;

function describeProgram(p: GeneratedProgram): string {
  return `${p.source}INPUTS.json: ${JSON.stringify(p.inputs)}`;
}

describe('fuzz: generated programs', () => {
  it(`${PROGRAM_RUNS} programs end in a Report with no internal error, and no gradient check fails`, () => {
    fc.assert(fc.property(programArbitrary, (program) => {
      const outcome = checkProgram(program);
      assert.deepEqual(outcome.problems, [], `${describeProblems(outcome.problems)}\n${describeProgram(program)}`);
    }), { seed: PROGRAM_SEED, numRuns: PROGRAM_RUNS });
  });

  it('each program\'s body analyzed as a line range gives the function\'s value, gradients and errors', () => {
    fc.assert(fc.property(programArbitrary, (program) => {
      const outcome = checkProgram(program, { check: false });
      const problems = outcome.report ? checkFlatForm(program, outcome.report) : outcome.problems;
      assert.deepEqual(problems, [], `${describeProblems(problems)}\n${describeProgram(program)}`);
    }), { seed: PROGRAM_SEED, numRuns: PROGRAM_RUNS });
  });

  it('each program computes the value real NumPy computes, or fails where NumPy fails', function () {
    // NumPy's answers come from one python3 process for the whole batch; no shrinking here (run.ts shrinks).
    // Without NumPy this comparison cannot run: that is a failure, never a pass or a skip.
    assert.ok(numpyAvailable(), 'python3 with NumPy (or GRADLENS_PYTHON) is needed to compare with real NumPy');
    const programs = fc.sample(programArbitrary, { seed: PROGRAM_SEED, numRuns: PROGRAM_RUNS });
    const answers = runNumpy(programs);
    assert.ok(answers, 'numpy_oracle.py answered');
    const divergent = programs
      .map((program, i) => ({ program, problems: compareWithNumpy(checkProgram(program, { check: false }).report!, answers[i]) }))
      .filter((d) => d.problems.length > 0);
    assert.equal(divergent.length, 0, divergent.slice(0, 3).map((d) => `${describeProblems(d.problems)}\n${describeProgram(d.program)}`).join('\n\n'));
  });
});

describe('fuzz: mutated examples and corpus files', () => {
  const seeds = loadSeedFiles();

  it('finds the files to mutate', () => {
    assert.ok(seeds.length >= 10, `examples/*.py and test/corpus/*.py: ${seeds.length} files`);
  });

  it(`${MUTATION_RUNS} mutated files end in Reports whose errors are the user's, at a line of the file`, () => {
    fc.assert(fc.property(mutationArbitrary(seeds), (file) => {
      const problems = checkMutatedFile(file).flatMap((o) => o.problems);
      assert.deepEqual(problems, [], `${describeProblems(problems)}\nfrom ${file.origin} by ${file.mutations.join(', ')} (${file.decoding}); targets ${file.targets.map(describeTarget).join(' ')}\n${file.source.slice(0, 2_000)}`);
    }), { seed: MUTATION_SEED, numRuns: MUTATION_RUNS });
  });
});
