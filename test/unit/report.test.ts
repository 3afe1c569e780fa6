// The Report's arrays: flat and typed; compacted into buffers of the Report's own before a worker
// posts it (a posted view carries its whole buffer); nested back into lists exactly as NumPy writes them.
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/analysis/analyze';
import { toCliJson } from '../../src/analysis/format';
import { compactArrays, nestedValues, Report } from '../../src/analysis/report';

const analyzeCompact = (...args: Parameters<typeof analyze>): Report => compactArrays(analyze(...args));

describe('the Report carries arrays flat', () => {
  const source = 'import numpy as np\n\ndef f(x, w):\n    return np.sum(np.tanh(x.dot(w)))\n';
  const report = analyze(source, { kind: 'function', name: 'f' }, { x: [[1, 2, 3], [4, 5, 6]], w: [[0.1], [0.2], [0.3]] }, { check: false });

  const arraysOf = (r: Report): Float64Array[] => [r.output!.value, ...Object.values(r.inputs).flatMap((i) => [i.value, i.grad!])];

  it('compacted, small ones in one buffer of the Report\'s own, exactly as large as they are together, with the same values', () => {
    assert.deepEqual(report.errors, []);
    const compact = compactArrays(report);
    const arrays = arraysOf(compact);
    assert.deepEqual(arrays.map((a) => [...a]), arraysOf(report).map((a) => [...a]));
    assert.notEqual(arraysOf(report)[0].buffer.byteLength, 8, 'analyze() itself copies nothing');
    const buffer = arrays[0].buffer;
    for (const a of arrays) {
      assert.ok(a instanceof Float64Array);
      assert.equal(a.buffer, buffer);
    }
    assert.equal(buffer.byteLength, arrays.reduce((n, a) => n + a.length, 0) * 8);
    assert.deepEqual([...compact.inputs.x.value], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(compact.variables, report.variables);
  });

  it('large ones in buffers of their own', () => {
    const x = Array.from({ length: 40 }, (_, i) => Array.from({ length: 50 }, (_, j) => Math.sin(i + j)));
    const big = analyzeCompact('import numpy as np\n\ndef f(x):\n    return np.sum(x * x) + np.sum(x[0])\n', { kind: 'function', name: 'f' }, { x }, { check: false });
    assert.deepEqual(big.errors, []);
    for (const a of [big.inputs.x.value, big.inputs.x.grad!]) {
      assert.equal(a.length, 2000);
      assert.equal(a.byteOffset, 0);
      assert.equal(a.buffer.byteLength, 2000 * 8);
    }
    assert.notEqual(big.inputs.x.value.buffer, big.inputs.x.grad!.buffer);
    assert.equal(big.inputs.x.grad![0], 2 * x[0][0] + 1);
    assert.equal(big.output!.value.buffer.byteLength, 8);
  });

  it('and the CLI nests them as the JSON contract says', () => {
    const json = toCliJson(report);
    assert.deepEqual(json.inputs.x.value, [[1, 2, 3], [4, 5, 6]]);
    assert.equal((json.inputs.w.grad as number[][]).length, 3);
    assert.equal(typeof json.output!.value, 'number');
  });

  it('nestedValues follows C order for any rank', () => {
    assert.equal(nestedValues([7], []), 7);
    assert.deepEqual(nestedValues([1, 2, 3, 4, 5, 6], [2, 1, 3]), [[[1, 2, 3]], [[4, 5, 6]]]);
    assert.deepEqual(nestedValues([], [0]), []);
    assert.deepEqual(nestedValues([], [2, 0]), [[], []]);
  });
});
