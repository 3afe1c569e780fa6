// Bad code never crashes the engine: each problem is an error with a line, a column and a sentence.
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/analysis/analyze';
import type { Report } from '../../src/analysis/report';

const fn = (name: string) => ({ kind: 'function' as const, name });

function onlyError(r: Report): Report['errors'][number] {
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
  assert.equal(r.ok, false);
  return r.errors[0];
}

describe('errors in the user\'s code', () => {
  it('a syntax error names what was unexpected, at its line', () => {
    const e = onlyError(analyze('import numpy as np\ndef f(x):\n    y = x +* 2\n    return y\n', fn('f'), { x: 1 }));
    assert.equal(e.kind, 'syntax');
    assert.equal(e.line, 3);
  });

  it('an unclosed bracket is a syntax error, not a crash', () => {
    const e = onlyError(analyze('def f(x):\n    return (x + 1\n', fn('f'), { x: 1 }));
    assert.equal(e.kind, 'syntax');
  });

  it('an unknown name is a NameError at its column', () => {
    const e = onlyError(analyze('def f(x):\n    return x * scale\n', fn('f'), { x: 1 }));
    assert.equal(e.kind, 'name');
    assert.match(e.message, /name 'scale' is not defined/);
    assert.deepEqual([e.line, e.column], [2, 16]);
  });

  it('an unsupported function is named in the message', () => {
    const e = onlyError(analyze('import numpy as np\ndef f(x):\n    u, s, vt = np.linalg.svd(x)\n    return np.sum(s)\n', fn('f'), { x: [[1, 2], [3, 4]] }));
    assert.equal(e.kind, 'unsupported');
    assert.match(e.message, /np\.linalg\.svd is not supported/);
    assert.equal(e.line, 3);
  });

  it('a broadcasting error names both shapes and the expression', () => {
    const e = onlyError(analyze('import numpy as np\ndef f(a, b):\n    return np.sum(a + b)\n', fn('f'), { a: [[1, 2, 3], [4, 5, 6]], b: [1, 2] }));
    assert.equal(e.kind, 'shape');
    assert.match(e.message, /a \+ b: operands could not be broadcast together with shapes \(2, 3\) \(2,\)/);
    assert.deepEqual([e.line, e.column], [3, 19]);
  });

  it('a matmul error names both shapes, the dims and the expression', () => {
    const e = onlyError(analyze('import numpy as np\ndef f(h, W):\n    return np.sum(h @ W)\n', fn('f'), { h: [[1, 2, 3], [4, 5, 6]], W: [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]] }));
    assert.match(e.message, /h @ W: shapes \(2, 3\) and \(4, 3\) not aligned: 3 \(dim 1\) != 4 \(dim 0\)/);
  });

  it('an index out of range says which axis and size', () => {
    const e = onlyError(analyze('def f(x):\n    return x[5]\n', fn('f'), { x: [1, 2, 3] }));
    assert.equal(e.kind, 'index');
    assert.match(e.message, /index 5 is out of bounds for axis 0 with size 3/);
  });

  it('a division of a Python float by zero is a ZeroDivisionError; a NumPy one gives inf', () => {
    assert.equal(onlyError(analyze('def f(x):\n    return x / 0.0\n', fn('f'), { x: 1 })).kind, 'zero-division');
    const r = analyze('import numpy as np\ndef f(x):\n    return np.sum(x / 0.0)\n', fn('f'), { x: [1, 2] }, { check: false });
    assert.deepEqual(r.errors, []);
    assert.equal(r.output!.value[0], Infinity);
  });

  it('unpacking the wrong number of values is a ValueError', () => {
    const e = onlyError(analyze('def f(x):\n    a, b = x, x, x\n    return a\n', fn('f'), { x: 1 }));
    assert.match(e.message, /too many values to unpack \(expected 2\)/);
  });

  it('while True: pass stops at the step budget with an error, not a hang', () => {
    const e = onlyError(analyze('def f(x):\n    while True:\n        pass\n    return x\n', fn('f'), { x: 1 }, { budget: { maxSteps: 100_000 } }));
    assert.equal(e.kind, 'budget');
    assert.ok(e.line === 2 || e.line === 3, 'at the loop');
  });

  it('a slow loop stops at the wall-time budget', () => {
    const started = Date.now();
    const e = onlyError(analyze('import numpy as np\ndef f(x):\n    while True:\n        x = x + np.zeros(1000)\n    return x\n', fn('f'), { x: 1 }, { budget: { maxSteps: 1e12, maxMillis: 300 } }));
    assert.equal(e.kind, 'budget');
    assert.match(e.message, /longer than 0.3 s/);
    assert.ok(Date.now() - started < 5000);
  });

  describe('a negative or undefined size is NumPy\'s ValueError, and the analyses after it are unaffected', () => {
    // Array storage is carved from shared slabs; a negative size once moved their cursor back, so
    // later, unrelated analyses read each other's arrays.
    const after = 'import numpy as np\n\ndef g(x, w):\n    return np.sum(np.dot(x, w)[0:2] * 2.0)\n';
    const inputs = { x: [[1, 2], [3, 4], [5, 6]], w: [[0.5, 1], [1, 0.5]] };
    const expected = analyze(after, fn('g'), inputs);
    const cases: [string, RegExp][] = [
      ['np.linspace(0.0, 1.0, -1000)', /Number of samples, -1000, must be non-negative/],
      ['np.arange(np.nan)', /arange: cannot compute length/],
      ['np.eye(-2)', /negative dimensions are not allowed/],
      ['np.random.randn(-2, -3)', /negative dimensions are not allowed/],
      ['np.zeros((-2, -3))', /negative dimensions are not allowed/],
    ];
    for (const [call, message] of cases) {
      it(call, () => {
        const e = onlyError(analyze(`import numpy as np\n\ndef f(x):\n    a = ${call}\n    return x * 2.0\n`, fn('f'), { x: 1.0 }));
        assert.equal(e.kind, 'value');
        assert.match(e.message, message);
        assert.equal(e.line, 4);
        const again = analyze(after, fn('g'), inputs);
        assert.deepEqual([...again.output!.value], [...expected.output!.value]);
        assert.deepEqual([...again.inputs.x.grad!], [...expected.inputs.x.grad!]);
        assert.equal(again.gradcheck.x.status, 'pass');
      });
    }
  });

  it('an array over the element budget is an error, not an out-of-memory crash', () => {
    const e = onlyError(analyze('import numpy as np\ndef f(x):\n    return np.sum(np.zeros((100000, 100000))) + x\n', fn('f'), { x: 1 }));
    assert.equal(e.kind, 'budget');
    assert.equal(e.line, 3);
  });

  it('1,000 nested parentheses end in a Report, not a stack overflow', () => {
    const src = `def f(x):\n    return ${'('.repeat(1000)}x${')'.repeat(1000)}\n`;
    const r = analyze(src, fn('f'), { x: 1 });
    assert.ok(r.errors.length === 0 || r.errors[0].line >= 1);
  });

  it('a parameter whose value cannot be inferred is an error that names it and shows how to declare it', () => {
    const e = onlyError(analyze('def f(x):\n    return x.dot(x)\n', fn('f')));
    assert.equal(e.kind, 'input');
    assert.match(e.message, /'x'/);
    assert.match(e.message, /of shape \(N, D\)/);
  });

  it('a function that is not there is an error naming it', () => {
    const e = onlyError(analyze('def f(x):\n    return x\n', fn('g')));
    assert.match(e.message, /no function named 'g'/);
  });

  it('returning an int is an error that says a float is needed', () => {
    const e = onlyError(analyze('def f(x):\n    return 3\n', fn('f'), { x: 1 }));
    assert.match(e.message, /needs a float/);
  });
});
