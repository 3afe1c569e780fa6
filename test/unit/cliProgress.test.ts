// The CLI says how far a long gradient check is, on stderr, so a terminal or CI log shows it is
// alive; a quick one prints nothing extra. Time is the clock main() is given.
import { strict as assert } from 'node:assert';
import { main } from '../../src/cli';

function run(now: () => number): { status: number; stdout: string; stderr: string } {
  let stdout = '', stderr = '';
  const status = main(['check', 'examples/sigmoid_neuron.py', '--lines', '16-31', '--json'], (s) => { stdout += s; }, (s) => { stderr += s; }, false, now);
  return { status, stdout, stderr };
}

describe('the CLI reports the progress of a long check', () => {
  it('past half a second, at most every quarter second, on stderr', () => {
    let t = 0;
    const { status, stdout, stderr } = run(() => (t += 300)); // each reading 300 ms after the last
    assert.equal(status, 0);
    assert.equal((JSON.parse(stdout) as { ok: boolean }).ok, true, 'stdout is still the one JSON object');
    const lines = stderr.trim().split('\n');
    assert.ok(lines.length >= 2, stderr);
    for (const line of lines) assert.match(line, /^gradlens: checking gradients… [1-5]\/5 inputs$/);
  });

  it('a check that ends sooner prints nothing on stderr', () => {
    const { status, stderr } = run(() => 0);
    assert.equal(status, 0);
    assert.equal(stderr, '');
  });
});
