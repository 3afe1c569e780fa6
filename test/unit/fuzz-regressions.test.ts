// Bugs the fuzzers found (test/fuzz/run.ts writes its counterexamples to test/fuzz/found/, kept out of git), each as the smallest program that
// shows it, with what real NumPy or CPython does with the same program (computed with python3).
import { strict as assert } from 'node:assert';
import { analyze, type AnalyzeOptions } from '../../src/analysis/analyze';
import type { Report } from '../../src/analysis/report';
import { HANG_MILLIS } from '../fuzz/verdict';

const fn = (name = 'f') => ({ kind: 'function' as const, name });
const budget: AnalyzeOptions['budget'] = { maxSteps: 200_000, maxMillis: 2_000 };

function run(source: string, inputs: Record<string, unknown> = {}, options: AnalyzeOptions = {}): Report {
  return analyze(source, fn(), inputs, { budget, ...options });
}

function noInternalError(r: Report): void {
  const internal = r.errors.filter((e) => e.kind === 'internal');
  assert.deepEqual(internal, [], 'GradLens itself failed');
  for (const e of r.errors) assert.ok(e.line >= 1 && e.column >= 1, `error at ${e.line}:${e.column}`);
}

function onlyError(r: Report): Report['errors'][number] {
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
  return r.errors[0];
}

function timed(f: () => Report): { report: Report; millis: number } {
  const started = Date.now();
  const report = f();
  return { report, millis: Date.now() - started };
}

describe('fuzz regressions', () => {
  describe('Python ints are exact at any size, as in CPython', () => {
    // python3 -c "print((3**40+7)%1000, (2**53+1)-2**53, (10**18+1)%97, float(1<<64), 5^(1<<33), 10**400//10**399, 99999999999999999999%7)"
    // → 808 1 90 1.8446744073709552e+19 8589934597 10 1
    const cases: [string, number][] = [
      ['(3 ** 40 + 7) % 1000', 808],
      ['(2 ** 53 + 1) - 2 ** 53', 1],
      ['(10 ** 18 + 1) % 97', 90],
      ['1 << 64', 18446744073709551616],
      ['5 ^ (1 << 33)', 8589934597],
      ['10 ** 400 // 10 ** 399', 10],
      ['99999999999999999999 % 7', 1],
    ];
    for (const [expr, expected] of cases) {
      it(`${expr} is ${expected}`, () => {
        const r = run(`def f(x):\n    k = ${expr}\n    return x * k\n`, { x: 1.0 }, { check: false });
        assert.deepEqual(r.errors, []);
        assert.equal(r.output!.value[0], expected);
      });
    }
  });

  it('a 401-digit int literal is an int, not a crash', () => {
    // python3: k = 10**400 (as a literal); k // 10**399 → 10. GradLens: "The number Infinity cannot
    // be converted to a BigInt" (internal).
    const r = run(`def f(x):\n    k = 1${'0'.repeat(400)}\n    return x * (k // 10 ** 399)\n`, { x: 1.0 }, { check: false });
    noInternalError(r);
    assert.equal(r.output?.value[0], 10);
  });

  describe('reshape and ravel copy a non-contiguous array, as NumPy does', () => {
    // NumPy: c.T and c[:, ::2] are not contiguous, so reshape/ravel return copies and writing the
    // result leaves c alone: f(x) = sum(x) = 24.0 and df/dx is all ones.
    const x = [[1.5, 2.5, 3.5], [4.5, 5.5, 6.5]];
    for (const view of ['c.T.reshape(-1)', 'c.T.ravel()', 'c[:, ::2].reshape(-1)', 'c[::-1].ravel()']) {
      it(`writing ${view} does not write c`, () => {
        const r = run(`import numpy as np\n\ndef f(x):\n    c = x.copy()\n    r = ${view}\n    r[1] = 100.0\n    return np.sum(c)\n`, { x });
        assert.deepEqual(r.errors, []);
        assert.equal(r.output!.value[0], 24.0);
        assert.deepEqual([...r.inputs.x.grad!], [1, 1, 1, 1, 1, 1]);
      });
    }
    it('writing c[::2].reshape(-1) writes c: a 1-D strided array reshapes to itself as a view (seed 1677756993, case 4511)', () => {
      // python3: c = x.copy(); c[::2].reshape(-1)[0] += 0.5 changes c → np.sum(c) = 1.26 + 0.5 = 1.76.
      const r = run('import numpy as np\n\ndef f(x):\n    c = x.copy()\n    flat = c[::2].reshape(-1)\n    flat[0] += 0.5\n    return np.sum(c)\n', { x: [-0.546, 0.807, 0.999] }, { check: false });
      assert.ok(Math.abs(r.output!.value[0] - 1.76) < 1e-12, String(r.output!.value[0]));
    });
    it('writing c.T.reshape(3, 2) writes c: the same shape needs no copy', () => {
      // python3: c = np.arange(6.).reshape(2, 3); c.T.reshape(3, 2)[0, 0] += 100 → c.sum() = 115.0.
      const r = run('import numpy as np\n\ndef f(x):\n    c = x.copy()\n    t = c.T.reshape(3, 2)\n    t[0, 0] += 100.0\n    return np.sum(c)\n', { x: [[0, 1, 2], [3, 4, 5]] }, { check: false });
      assert.equal(r.output!.value[0], 115);
    });
    it('writing c.reshape(-1) of a contiguous c still writes c (a view)', () => {
      // NumPy: 21 + 100 - 1.5 + ... : c[0, 0] becomes 100 → sum 122.5.
      const r = run('import numpy as np\n\ndef f(x):\n    c = x.copy()\n    r = c.reshape(-1)\n    r[0] = 100.0\n    return np.sum(c)\n', { x });
      assert.equal(r.output!.value[0], 122.5);
    });
  });

  describe('a gradient that is 0 everywhere is not a failed check', () => {
    // The true gradient is exactly 0; NumPy's own central differences give rounding noise
    // (~1e-10: python3 shows [0, -1.1e-10, 0] for the softmax), which the check must not call 'fail'.
    it('sum of a softmax', () => {
      const r = run('import numpy as np\n\ndef f(x):\n    e = np.exp(x - np.max(x, axis=0, keepdims=True))\n    return np.sum(e / np.sum(e, axis=0, keepdims=True))\n', { x: [[-0.546], [0.807], [0.999]] });
      assert.deepEqual(r.errors, []);
      assert.notEqual(r.gradcheck.x.status, 'fail', JSON.stringify(r.gradcheck.x.worst));
    });
    it('log(exp(w)) - w', () => {
      const r = run('import numpy as np\n\ndef f(w):\n    return np.sum(np.log(np.exp(w)) - w)\n', { w: [[-1.346, 1.019, -0.376], [-0.664, -0.328, -0.756]] });
      assert.notEqual(r.gradcheck.w.status, 'fail', JSON.stringify(r.gradcheck.w.worst));
    });
    it('a write that cancels a row (found with seed 1053529396, case 4733)', () => {
      const r = run('import numpy as np\n\ndef f(x):\n    c0 = x.copy()\n    alias1 = c0[...]\n    alias1[0] *= np.mean(x) * 0.5\n    c2 = c0.copy()\n    c2[1] -= np.sum(c2)\n    return np.sum(c2 * 0.1)\n', { x: [[-0.546], [0.807]] });
      assert.notEqual(r.gradcheck.x.status, 'fail', JSON.stringify(r.gradcheck.x.worst));
    });
    it('a write that cancels the sum', () => {
      const r = run('import numpy as np\n\ndef f(x):\n    c = np.copy(x)\n    flat = c.reshape(-1)\n    flat[0] -= np.sum(c)\n    return np.sum(c * 0.1)\n', { x: [[-0.382], [-0.612], [0.837], [1.163]] });
      assert.notEqual(r.gradcheck.x.status, 'fail', JSON.stringify(r.gradcheck.x.worst));
    });
  });

  describe('errors of index writes are at the write', () => {
    it('a region that does not fit: NumPy raises ValueError at line 5', () => {
      const e = onlyError(run('import numpy as np\n\ndef f(x, w):\n    a = x.copy()\n    a[0, :] = w\n    return np.sum(a)\n', { x: [[1.5, 2.5, 3.5]], w: [0.5, 1.5] }));
      assert.equal(e.line, 5);
    });
    it('an integer-array write out of bounds: NumPy raises IndexError at line 7', () => {
      const e = onlyError(run('import math\nimport numpy as np\n\n\ndef f(b):\n    c1 = b.copy()\n    c1[[4]] = 1.0\n    return np.sum(b)\n', { b: [[-0.398, 1.104], [0.921, 0.239], [0.624, 1.174], [1.237, -0.513]] }));
      assert.equal(e.kind, 'index');
      assert.equal(e.line, 7);
    });
    it('an array of one element written into one element: NumPy 2 raises ValueError at line 5', () => {
      // python3: a = np.zeros(3); a[0] = np.array([0.5]) → ValueError: setting an array element with a sequence.
      const e = onlyError(run('import numpy as np\n\ndef f(x, w):\n    a = x.copy()\n    a[0] = w\n    return np.sum(a)\n', { x: [1.5, 2.5, 3.5], w: [0.5] }));
      assert.equal(e.line, 5);
    });
  });

  describe('files that stress the parser end in a Report', () => {
    it('a dimension of 10**20 in a docstring is an input error, not an internal one', () => {
      const r = run('import numpy as np\n\n\ndef f(X, W):\n    """X: (N, D) with N=99999999999999999999, D=3; W: (C, D) with C=4."""\n    return np.sum(np.tanh(X).dot(W.T))\n');
      noInternalError(r);
      assert.equal(r.errors.length, 1);
    });
    it('a dimension of 10**400 in a docstring is an input error, not an internal one', () => {
      const r = run(`import numpy as np\n\n\ndef f(X, W):\n    """X: (N, D) with N=1${'0'.repeat(400)}, D=3; W: (C, D) with C=4."""\n    return np.sum(np.tanh(X).dot(W.T))\n`);
      noInternalError(r);
      assert.equal(r.errors.length, 1);
    });
    it('60 nested ifs and a 3,000-deep subscript chain elsewhere in the file', () => {
      // CPython: RecursionError during compilation. GradLens crashed with "Cannot read properties of
      // undefined (reading 'isError')" in parse.ts.
      const lines = ['def f(x):'];
      for (let k = 0; k < 60; k++) lines.push(`${' '.repeat(4 * (k + 1))}if True:`);
      lines.push(`${' '.repeat(4 * 61)}pass`, '    return x', '', 'def g(x):', `    return x${'[0]'.repeat(3000)}`);
      const r = run(`${lines.join('\n')}\n`, { x: 1.5 });
      noInternalError(r);
    });
    it('a sum of 600 terms is valid Python, not a syntax error', () => {
      // python3: f(np.array([1.5, 2.5])) → 2400.0
      const r = run(`import numpy as np\n\ndef f(x):\n    y = ${Array(600).fill('x').join(' + ')}\n    return np.sum(y)\n`, { x: [1.5, 2.5] }, { check: false });
      assert.deepEqual(r.errors, []);
      assert.equal(r.output!.value[0], 2400);
    });
    it('past the grammar\'s depth (about 650 chained operators) a long sum is an error at its line, never a crash', () => {
      // A known limit of the Lezer parser's stack; CPython parses 1,000 terms (4000.0).
      const r = run(`import numpy as np\n\ndef f(x):\n    y = ${Array(1000).fill('x').join(' + ')}\n    return np.sum(y)\n`, { x: [1.5, 2.5] }, { check: false });
      noInternalError(r);
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].line, 4);
    });
  });

  describe('the budget bounds the whole analysis', () => {
    it('a 300-step loop over 1,000 elements with maxMillis 500 ends within 5 s', function () {
      // Each forward run stops at 0.5 s, but the full check's 2,000 replays are not counted: 12 s.
      this.timeout(120_000);
      const x = Array.from({ length: 1000 }, (_, i) => 0.5 + i / 1000);
      const { report, millis } = timed(() => analyze('import numpy as np\n\n\ndef f(x):\n    y = x\n    for i in range(300):\n        y = y * 1.0000001\n    return np.sum(y)\n', fn(), { x }, { budget: { maxSteps: 1e9, maxMillis: 500 } }));
      noInternalError(report);
      assert.ok(millis < HANG_MILLIS, `analyze() took ${millis} ms with maxMillis 500`);
    });
    it('a 200,000-character line of closing brackets ends within 5 s', function () {
      // Parsing is outside the budget; Lezer's error recovery on this line takes ~7 s.
      this.timeout(120_000);
      const { report, millis } = timed(() => run(`import numpy as np\n\ndef f(x):\n    y = x${')'.repeat(200_000)}\n    return np.sum(x)\n`, { x: [1.5, 2.5] }));
      noInternalError(report);
      assert.ok(report.errors.length > 0, 'CPython: SyntaxError: unmatched \')\'');
      assert.ok(millis < HANG_MILLIS, `analyze() took ${millis} ms`);
    });
  });

  it('a function whose name a later top-level assignment rebinds is analyzed, not an internal error', () => {
    // From examples/sigmoid_neuron.py with `def sigmoid` renamed `def w0` (seed 1677756993, case 1037):
    // "internal: w0 was not defined by the prelude". The same file with the assignment first analyzes fine (3.0).
    const r = analyze('def w0(x):\n    return x * 2.0\n\n\nw0, x0 = 2.0, 1.0\n', fn('w0'), { x: 1.5 }, { budget });
    noInternalError(r);
  });

  it('old Mac line endings (\\r alone) are newlines, as in CPython', () => {
    // CPython compiles this file and f(np.array([1.5, 2.5])) → 8.0.
    const r = run('import numpy as np\r\rdef f(x):\r    y = x * 2.0\r    return np.sum(y)\r', { x: [1.5, 2.5] }, { check: false });
    assert.deepEqual(r.errors, []);
    assert.equal(r.output!.value[0], 8);
  });

  it('a last line of spaces without a newline ends the file, as in CPython', () => {
    // CPython compiles it; f(np.array([1.5, 2.5])) → 8.0. GradLens: "expected an indented block" at line 7.
    const r = run('import numpy as np\n\ndef f(x):\n    if True:\n        y = x * 2.0\n    return np.sum(y)\n       ', { x: [1.5, 2.5] }, { check: false });
    assert.deepEqual(r.errors, []);
    assert.equal(r.output!.value[0], 8);
  });

  it('`1.` (a float CPython reads) is an error at its line that says to write 1.0', () => {
    // A known limit of the Lezer grammar; CPython: np.sum(x * 1.) with x = [1.5, 2.5] is 4.0.
    const r = run('import numpy as np\n\ndef f(x):\n    return np.sum(x * 1.)\n', { x: [1.5, 2.5] }, { check: false });
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].line, 4);
    assert.match(r.errors[0].message, /written 1\.0/);
  });

  describe('syntax CPython rejects is a syntax error at its line', () => {
    it('an unterminated string literal (CPython: SyntaxError at line 4)', () => {
      const e = onlyError(run("import numpy as np\n\ndef f(x):\n    y = 'abc\n    return np.sum(x)\n", { x: [1.5, 2.5] }));
      assert.equal(e.kind, 'syntax');
      assert.equal(e.line, 4);
    });
    it('an unindent that matches no outer level (CPython: IndentationError at line 5)', () => {
      const e = onlyError(run('import numpy as np\n\ndef f(x):\n     y = np.maximum(0.0, x)\n    z = y * 2.0\n    return np.sum(z)\n', { x: [1.5, -2.5] }));
      assert.equal(e.kind, 'syntax');
      assert.equal(e.line, 5);
    });
    it("'continue' outside a loop (CPython: SyntaxError at line 5)", () => {
      const e = onlyError(run('import numpy as np\n\ndef f(x):\n    if np.sum(x) > 0.0:\n        continue\n    return np.sum(x)\n', { x: [1.5, 2.5] }));
      assert.equal(e.kind, 'syntax');
      assert.equal(e.line, 5);
    });
    it("'return' outside a function (CPython: SyntaxError at line 6)", () => {
      const e = onlyError(run('import numpy as np\n\ndef f(x):\n    return np.sum(x)\n\nreturn 1\n', { x: [1.5, 2.5] }));
      assert.equal(e.kind, 'syntax');
      assert.equal(e.line, 6);
    });
    it('a replacement character in a name (CPython: SyntaxError: invalid character at line 4)', () => {
      const e = onlyError(run('import numpy as np\n\ndef f(x):\n    y\uFFFD = x * 2.0\n    return np.sum(y\uFFFD)\n', { x: [1.5, 2.5] }));
      assert.equal(e.kind, 'syntax');
      assert.equal(e.line, 4);
    });
  });
});
