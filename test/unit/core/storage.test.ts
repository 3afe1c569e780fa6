import { strict as assert } from 'node:assert';
import { allocate, allocateIndices, allPositions, copyOf } from '../../../src/core/storage';

describe('tensor storage', () => {
  it('hands out zeroed arrays that never overlap, across slab boundaries', () => {
    const arrays: Float64Array[] = [];
    // More than one slab's worth of small arrays.
    for (let k = 0; k < 200; k++) arrays.push(allocate(1 + (k % 1000)));
    for (const a of arrays) assert.ok(a.every((v) => v === 0));
    arrays.forEach((a, k) => a.fill(k + 1));
    arrays.forEach((a, k) => assert.ok(a.every((v) => v === k + 1), `array ${k} was overwritten by another`));
  });

  it('gives a large array a buffer of its own', () => {
    const big = allocate(5000);
    assert.equal(big.length, 5000);
    assert.equal(big.buffer.byteLength, 5000 * 8);
  });

  it('copies into new storage', () => {
    const source = Float64Array.of(1, 2, 3);
    const copy = copyOf(source);
    copy[0] = 9;
    assert.deepEqual([...source], [1, 2, 3]);
    assert.deepEqual([...copyOf([4, 5])], [4, 5]);
  });

  it('positions count up from 0 and index arrays do not overlap', () => {
    assert.deepEqual([...allPositions(4)], [0, 1, 2, 3]);
    const a = allocateIndices(3), b = allocateIndices(3);
    a.fill(7);
    assert.deepEqual([...b], [0, 0, 0]);
  });
});
