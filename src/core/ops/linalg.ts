// Matrix products. 1-d operands are treated as rows or columns, as NumPy's dot does.
import { formatShape, shapeError, UserCodeError } from '../errors';
import { promote, Tensor } from '../tensor';
import { matmul2d, matmulTransA, matmulTransB } from './matmul';
import { Kernel, runKernel, tooManyToFollow, type Op } from './op';

/** NumPy's message for misaligned dot operands, naming the dims that disagree. */
function checkAligned(a: readonly number[], b: readonly number[]): void {
  const ka = a.length - 1;
  const kb = b.length === 1 ? 0 : b.length - 2;
  if (a[ka] !== b[kb]) {
    throw shapeError(`shapes ${formatShape(a)} and ${formatShape(b)} not aligned: ${a[ka]} (dim ${ka}) != ${b[kb]} (dim ${kb})`);
  }
}

/** Shapes of dot's operands as matrices, and of its result. */
function asMatrices(a: readonly number[], b: readonly number[]): { m: number; k: number; n: number; out: number[] } {
  if (a.length > 2 || b.length > 2) {
    throw new UserCodeError('unsupported', `dot of arrays with more than 2 dimensions (${formatShape(a)} and ${formatShape(b)}) is not supported`);
  }
  checkAligned(a, b);
  const m = a.length === 2 ? a[0] : 1;
  const k = a[a.length - 1];
  const n = b.length === 2 ? b[1] : 1;
  const out: number[] = [];
  if (a.length === 2) out.push(m);
  if (b.length === 2) out.push(n);
  return { m, k, n, out };
}

function dotKernel(a: Tensor, b: Tensor): Kernel {
  const { m, k, n } = asMatrices(a.shape, b.shape);
  return (ins, out) => { matmul2d(ins[0], ins[1], m, k, n, out); };
}

/** `dot(a, b)` for 1-d and 2-d operands (scalars are handled as multiply by the caller). */
export const dotOp: Op = {
  name: 'dot',
  pattern: "dot: each input's gradient is the upstream gradient times the other input, transposed",
  shape: ([a, b]) => {
    if (a.length === 0 || b.length === 0) throw new Error('internal: scalar dot must be lowered to multiply');
    return asMatrices(a, b).out;
  },
  forward: ([a, b]) => runKernel(dotKernel(a, b), [a, b], asMatrices(a.shape, b.shape).out, promote(a.dtype, b.dtype) === 'bool' ? 'int64' : promote(a.dtype, b.dtype)),
  kernel: ([a, b]) => dotKernel(a, b),
  vjp: (g, _ans, [a, b]) => {
    const { m, k, n } = asMatrices(a.shape, b.shape);
    // dA = G Bᵀ (m×n · n×k), dB = Aᵀ G (k×m · m×n)
    const ga = matmulTransB(g.data, b.data, m, n, k);
    const gb = matmulTransA(a.data, g.data, m, k, n);
    return [new Tensor(ga, a.shape), new Tensor(gb, b.shape)];
  },
  // The product is linear in each factor: a moved A[i, p] moves row i of the output by ΔA[i, p]·B[p, :],
  // a moved B[p, j] column j by A[:, p]·ΔB[p, j]; O(n) per moved element instead of O(k n). Not bit
  // for bit: the sum is rounded in another order (about one unit in the last place of the output,
  // far below what central differences resolve). A change from or to a non-finite value, or a row
  // that was not finite, cannot be undone by a difference: those run forward.
  propagate: ([a, b], [movedA, movedB], out, _attrs, [a0, b0]) => {
    if (movedA && movedB) return null;
    const { m, k, n } = asMatrices(a.shape, b.shape);
    const moved = (movedA ?? movedB)!;
    const [now, before] = movedA ? [a.data, a0.data] : [b.data, b0.data];
    const lines = new Set<number>();
    for (const flat of moved) {
      if (!Number.isFinite(now[flat]) || !Number.isFinite(before[flat])) return null;
      lines.add(movedA ? Math.floor(flat / k) : flat % n);
    }
    const positions: number[] = [];
    for (const line of lines) {
      if (movedA) for (let j = 0; j < n; j++) positions.push(line * n + j);
      else for (let i = 0; i < m; i++) positions.push(i * n + line);
    }
    if (tooManyToFollow(positions.length, out.length)) return null;
    for (const q of positions) if (!Number.isFinite(out[q])) return null;
    for (const flat of moved) {
      const delta = now[flat] - before[flat];
      if (movedA) {
        const i = Math.floor(flat / k), p = flat % k;
        for (let j = 0; j < n; j++) out[i * n + j] += delta * b.data[p * n + j];
      } else {
        const p = Math.floor(flat / n), j = flat % n;
        for (let i = 0; i < m; i++) out[i * n + j] += a.data[i * k + p] * delta;
      }
    }
    return positions;
  },
};

/** `outer(a, b)[i, j] = a[i] b[j]` over the flattened inputs. */
export const outerOp: Op = {
  name: 'outer',
  pattern: "outer: each input's gradient is the upstream gradient contracted with the other input",
  shape: ([a, b]) => [a.reduce((x, y) => x * y, 1), b.reduce((x, y) => x * y, 1)],
  // NumPy's outer is multiply.outer, so the dtype follows multiply's: int64 stays int64.
  forward: ([a, b]) => new Tensor(matmul2d(a.data, b.data, a.size, 1, b.size), [a.size, b.size], promote(a.dtype, b.dtype)),
  vjp: (g, _ans, [a, b]) => [
    new Tensor(matmul2d(g.data, b.data, a.size, b.size, 1), a.shape),
    new Tensor(matmulTransA(g.data, a.data, a.size, b.size, 1), b.shape),
  ],
};
