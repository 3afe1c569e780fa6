// The interpreter gives the numbers NumPy and CPython give (expected values below were printed by
// python3 with NumPy 2.4).
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/analysis/analyze';
import { nestedValues, type NestedNumbers } from '../../src/analysis/report';

/** Runs `body` (which assigns `out`) as a selection and returns out's value. */
function run(body: string): NestedNumbers {
  const src = `import numpy as np\n${body}\n`;
  const r = analyze(src, { kind: 'lines', from: 2, to: src.split('\n').length }, {}, { check: false });
  assert.deepEqual(r.errors, [], body);
  return nestedValues(r.output!.value, r.output!.shape);
}

describe('the interpreter follows NumPy and CPython', () => {
  it('np.random with a seed draws NumPy\'s legacy RandomState numbers', () => {
    // randn goes through log and sqrt, which V8 may round an ulp away from glibc.
    const normals = (run('np.random.seed(3)\nout = np.random.randn(2, 3)') as number[][]).flat();
    const numpy = [1.7886284734303186, 0.43650985051198943, 0.09649746807200862, -1.8634927033644908, -0.27738820251439905, -0.35475897926898675];
    normals.forEach((v, i) => assert.ok(Math.abs(v - numpy[i]) <= 4 * Number.EPSILON * Math.abs(numpy[i]), `${v} vs NumPy ${numpy[i]}`));
    assert.deepEqual(run('np.random.seed(3)\na = np.random.randn(2, 3)\nout = np.random.rand(2)'), [0.05146720330082988, 0.44080984365063647]);
    assert.deepEqual(run('np.random.seed(3)\na = np.random.randn(2, 3)\nb = np.random.rand(2)\nout = np.random.randint(0, 10, size=4) * 1.0'), [7, 8, 1, 6]);
  });

  it('runs of one parse share its compiled code but none of their values', () => {
    // The parse and its compiled closures are cached; each run must still bind its own names,
    // loop variables, defaults and recursion frames.
    const src = [
      'import numpy as np',
      '',
      'def f(x, k=2):',
      '    total = 0.0',
      '    for i in range(k):',
      '        total = total + np.sum(x) * (i + 1)',
      '    return total if total > 0 else -total',
      '',
      'def g(x):',
      '    return f(x) + f(x, 3) + (lambda v, w=10: v * w)(np.sum(x))',
    ].join('\n');
    const value = (x: number[]): number => {
      const r = analyze(src, { kind: 'function', name: 'g' }, { x }, { check: false });
      assert.deepEqual(r.errors, []);
      return r.output!.value[0];
    };
    // sum(x) = s: f(x) = 3|s|, f(x, 3) = 6|s|, the lambda 10 s.
    assert.equal(value([1, 2]), 9 + 18 + 30);
    assert.equal(value([-1, -3]), 12 + 24 - 40);
    assert.equal(value([1, 2]), 9 + 18 + 30);
  });

  it('Python ints divide like Python: floor division and modulo round toward -inf', () => {
    assert.deepEqual(run('out = np.array([7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 / 2, 2 ** -1])'), [3, -4, 1, 2, 3.5, 0.5]);
  });

  it('a basic slice is a view: writing it writes the array', () => {
    assert.deepEqual(run('x = np.arange(6.0).reshape(2, 3)\nv = x[:, 1]\nv += 10\nout = x'), [[0, 11, 2], [3, 14, 5]]);
  });

  it('fancy indexing copies: writing the copy leaves the array alone', () => {
    assert.deepEqual(run('y = np.arange(6.0).reshape(2, 3)\nf = y[[0, 1], [1, 2]]\nf += 10\nout = y'), [[0, 1, 2], [3, 4, 5]]);
  });

  it('a NumPy scalar is immutable: += rebinds it and leaves other names alone', () => {
    assert.deepEqual(run('s = np.sum(np.ones(3))\nt = s\ns += 1\nout = np.array([t, s])'), [3, 4]);
  });

  it('an np.float64 divided by zero is inf, as in NumPy', () => {
    assert.equal(run('out = np.float64(1.0) / 0'), Infinity);
  });

  it('integer arrays stay integer and index; a mask selects', () => {
    assert.deepEqual(run('x = np.array([[1.0, -2.0], [3.0, -4.0]])\ni = np.arange(2) + 0\nout = x[i, i[::-1]] + x[x > 0].sum()'), [-2 + 4, 3 + 4]);
  });

  it('a builtin binds positional and keyword arguments as Python does, and says which ones do not fit', () => {
    assert.deepEqual(run('x = np.arange(6.0).reshape(2, 3)\nout = np.sum(x, keepdims=True, axis=0)'), [[3, 5, 7]]);
    assert.deepEqual(run('x = np.arange(6.0).reshape(2, 3)\nout = np.sum(x, 1) + x.sum(axis=1) + x.max(1)'), [3 + 3 + 2, 12 + 12 + 5]);
    assert.equal(run('out = np.linalg.norm(np.array([3.0, 4.0]))'), 5);
    const errorOf = (line: string): string => {
      const src = `import numpy as np\nx = np.ones(3)\n${line}\n`;
      const r = analyze(src, { kind: 'lines', from: 2, to: 3 }, {}, { check: false });
      assert.equal(r.errors.length, 1, line);
      assert.equal(r.errors[0].line, 3, line);
      return r.errors[0].message;
    };
    assert.match(errorOf('out = np.sum(x, wrong=1)'), /sum\(\) got an unexpected keyword argument 'wrong'/);
    assert.match(errorOf('out = np.sum(x, 0, axis=0)'), /sum\(\) got multiple values for argument 'axis'/);
    assert.match(errorOf('out = np.sum(axis=0)'), /sum\(\) missing required argument 'a'/);
    assert.match(errorOf('out = np.exp(x, x, x, x)'), /exp\(\) takes at most \d arguments \(4 given\)/);
  });
});
