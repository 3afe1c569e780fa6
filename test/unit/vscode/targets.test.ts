import { strict as assert } from 'node:assert';
import { analysisTargetFor, documentTargets, enclosingFunction, outlineOf, targetAtSelection, targetKey } from '../../../src/vscode/targets';
import { exampleSource } from './examples';

const at = (line: number, character = 4) => ({ startLine: line - 1, startCharacter: character, endLine: line - 1, endCharacter: character });

describe('what to analyze', () => {
  const layers = outlineOf(exampleSource('layers.py'));

  it('lists the top-level functions with their lines', () => {
    assert.deepEqual(layers.functions.map((f) => [f.name, f.line, f.lastLine]), [
      ['affine_forward', 4, 8], ['affine_backward', 11, 16], ['relu_forward', 19, 22],
      ['relu_backward', 25, 28], ['leaky_forward', 31, 35], ['leaky_backward', 38, 42],
    ]);
    assert.equal(layers.syntaxError, null);
  });

  it('takes the function around the cursor, and nothing between functions', () => {
    assert.deepEqual(targetAtSelection(layers, at(6)), { target: { kind: 'function', name: 'affine_forward' } });
    assert.equal(enclosingFunction(layers, 9), null);
    assert.match((targetAtSelection(layers, at(9, 0)) as { message: string }).message, /cursor inside a top-level function/);
  });

  it('checks a NAME_backward through its NAME_forward', () => {
    assert.deepEqual(targetAtSelection(layers, at(40)), { target: { kind: 'function', name: 'leaky_forward' } });
    assert.deepEqual(analysisTargetFor(outlineOf('def g_backward(dout, cache):\n    return dout\n'), 'g_backward'), { kind: 'function', name: 'g_backward' });
    assert.deepEqual(documentTargets(layers).map(targetKey), ['function:affine_forward', 'function:relu_forward', 'function:leaky_forward']);
  });

  it('takes the selected lines; a selection ending at column 0 stops at the line before', () => {
    // sigmoid_neuron.py: lines 16-20 selected as whole lines end at the start of line 21.
    assert.deepEqual(targetAtSelection(layers, { startLine: 15, startCharacter: 0, endLine: 20, endCharacter: 0 }), { target: { kind: 'lines', from: 16, to: 20 } });
    assert.deepEqual(targetAtSelection(layers, { startLine: 15, startCharacter: 0, endLine: 19, endCharacter: 7 }), { target: { kind: 'lines', from: 16, to: 20 } });
  });

  it('keeps finding functions in a file with a syntax error, and reports the error', () => {
    const outline = outlineOf('import numpy as np\n\ndef f(x):\n    y = (x +\n\n\ndef g(x):\n    return x\n');
    assert.deepEqual(outline.functions.map((f) => [f.name, f.line, f.lastLine]), [['f', 3, 4], ['g', 7, 8]]);
    assert.equal(outline.syntaxError?.kind, 'syntax');
  });
});
