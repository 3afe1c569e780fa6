import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { documentProblems, problemsOf } from '../../../src/vscode/problems';
import { exampleReport, exampleSource, lineTextOf } from './examples';

describe('diagnostics of a Report', () => {
  it('puts a forward shape error at its span on line 7 of shape_error.py, as an error', () => {
    const source = exampleSource('shape_error.py');
    const problems = problemsOf(exampleReport('shape_error.py', 'scores_of'), { guessedInputs: [], lineText: lineTextOf(source) });
    assert.equal(problems.length, 1);
    const [p] = problems;
    assert.equal(p.severity, 'error');
    assert.equal(p.code, 'shape');
    // `    scores = hidden.dot(W)`: the call hidden.dot(W) spans columns 14..26 (end exclusive 27).
    assert.deepEqual([p.line, p.column, p.endLine, p.endColumn], [7, 14, 7, 27]);
    assert.match(p.message, /\(2, 3\) and \(4, 3\)/);
  });

  it('puts the leaky mismatches on the code of lines 40 and 41, as errors', () => {
    const source = exampleSource('layers.py');
    const problems = problemsOf(exampleReport('layers.py', 'leaky_forward'), { guessedInputs: ['x', 'alpha'], lineText: lineTextOf(source) });
    assert.deepEqual(problems.map((p) => [p.severity, p.line, p.column]), [['error', 40, 5], ['error', 41, 5]]);
    // `    dx = dout * (x > 0)` ends at column 24; the range covers the statement, not the indentation.
    assert.equal(problems[0].endColumn, '    dx = dout * (x > 0)'.length + 1);
    assert.match(problems[0].message, /^dx disagrees with autograd's ∂L\/∂x \(max rel err 1\)$/);
    assert.match(problems[1].message, /^dalpha has shape \(4, 5\) but alpha is \(\)/);
  });

  it('places a mismatch from its line\'s text when the Report has no span for it', () => {
    const source = exampleSource('layers.py');
    const report = exampleReport('layers.py', 'leaky_forward');
    const withoutSpans = { ...report, mismatches: report.mismatches.map((m) => ({ ...m, span: null })) };
    const problems = problemsOf(withoutSpans, { guessedInputs: [], lineText: lineTextOf(source) });
    assert.deepEqual(problems.map((p) => [p.line, p.column, p.endColumn]), [[40, 5, 24], [41, 5, 33]]);
  });

  it('shows nothing for a function whose inputs GradLens cannot infer', () => {
    // x is used as a matrix but nothing says its shape.
    const report = analyze('def gram(x):\n    return x.dot(x.T).sum()\n', { kind: 'function', name: 'gram' });
    assert.equal(report.errors[0]?.kind, 'input');
    assert.deepEqual(problemsOf(report, { guessedInputs: [], lineText: () => undefined }), []);
  });

  it('keeps quiet about a runtime error caused by inputs it guessed from usage', () => {
    // sigmoid(x) takes a float, but with nothing declared GradLens guesses an array for x.
    const report = exampleReport('sigmoid_neuron.py', 'sigmoid');
    assert.equal(report.errors[0]?.kind, 'type');
    assert.deepEqual(problemsOf(report, { guessedInputs: ['x'], lineText: () => undefined }), []);
  });

  it('warns about a borderline check and informs about a kink, at the parameter', () => {
    const source = exampleSource('layers.py');
    const borderline = exampleReport('layers.py', 'affine_forward', {}, { gradcheck: { passThreshold: 1e-14 } });
    const warnings = problemsOf(borderline, { guessedInputs: [], lineText: lineTextOf(source) });
    assert.deepEqual(warnings.map((p) => [p.severity, p.code, p.line]), [['warning', 'warn', 4], ['warning', 'warn', 4], ['warning', 'warn', 4]]);
    // relu at exactly 0 and at 3e-7 (within h = 1e-6): the check crosses the kink there.
    const kinked = exampleReport('layers.py', 'relu_forward', { x: [[0.0, 1.5], [-2.0, 3e-7]] });
    assert.equal(kinked.gradcheck.x.status, 'kink');
    const info = problemsOf(kinked, { guessedInputs: [], lineText: lineTextOf(source) }).filter((p) => p.code === 'kink');
    assert.equal(info.length, 1);
    assert.equal(info[0].severity, 'information');
    assert.equal(info[0].line, 19);
    assert.match(info[0].message, /x\[0, 0\], x\[1, 1\]/);
  });

  it('reports a problem found by two analyses once', () => {
    const source = exampleSource('layers.py');
    const report = exampleReport('layers.py', 'leaky_forward');
    const problems = documentProblems([{ report, guessedInputs: [] }, { report, guessedInputs: [] }], lineTextOf(source));
    assert.deepEqual(problems.map((p) => p.line), [40, 41]);
  });
});
