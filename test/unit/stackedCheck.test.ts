// A full check that runs an input's nudges at once (core/batch.ts) must report exactly what the
// check gives one nudge at a time: every estimate, error, kink and count, bit for bit, on every
// program of the corpus.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/analysis/analyze';
import { NudgeBatch } from '../../src/core/batch';

const corpusDir = path.resolve(__dirname, '..', 'corpus');

const programs = fs
  .readdirSync(corpusDir)
  .filter((file) => file.endsWith('.py'))
  .sort()
  .map((file) => {
    const source = fs.readFileSync(path.join(corpusDir, file), 'utf8');
    const fn = /^#\s*gradlens:\s*fn\s*=\s*([A-Za-z_]\w*)/.exec(source)?.[1] ?? '';
    const inputsPath = path.join(corpusDir, file.replace(/\.py$/, '.inputs.json'));
    const inputs: unknown = fs.existsSync(inputsPath) ? JSON.parse(fs.readFileSync(inputsPath, 'utf8')) : {};
    return { name: file.slice(0, -3), source, fn, inputs };
  });

describe('a full check with nudges run at once', () => {
  const run = NudgeBatch.prototype.run;
  const stacked = new Set<string>();
  let current = '';
  before(() => {
    NudgeBatch.prototype.run = function (this: NudgeBatch, ...args: Parameters<NudgeBatch['run']>) {
      stacked.add(current);
      return run.apply(this, args);
    };
  });
  after(() => {
    NudgeBatch.prototype.run = run;
  });

  for (const program of programs) {
    it(`${program.name}: reports what the check one nudge at a time reports`, () => {
      current = program.name;
      const target = { kind: 'function' as const, name: program.fn };
      const atOnce = analyze(program.source, target, program.inputs);
      const oneByOne = analyze(program.source, target, program.inputs, { gradcheck: { stackFrom: Infinity } });
      assert.deepStrictEqual(atOnce.gradcheck, oneByOne.gradcheck);
      assert.equal(atOnce.forwardPasses, oneByOne.forwardPasses);
      assert.deepStrictEqual(atOnce.errors, oneByOne.errors);
    });
  }

  it('ran the nudges of many of those programs at once', () => {
    // Guards the suite against passing because nothing took the stacked path.
    assert.ok(stacked.size >= 50, `only ${stacked.size} of ${programs.length} programs: ${[...stacked].join(', ')}`);
  });
});
