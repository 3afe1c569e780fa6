// The backward pass written out as flat NumPy, the way the lecture writes it by hand:
// `grad_L = 1.0`, then one statement per recorded op in reverse order, broadcasting sums spelled out.
// A forward section recomputes the intermediates the backward statements read, so it runs as is.
import { lastWrites } from '../core/ops/structural';
import { ancestors, Tape, TapeNode } from '../core/tape';
import { Tensor } from '../core/tensor';

type Names = (id: number) => string;

/** NumPy for one op: its forward expression, and each input's gradient given the upstream `g`. */
interface CodeTemplate {
  forward: (x: string[], node: TapeNode, tape: Tape) => string;
  grads?: (g: string, y: string, x: string[], node: TapeNode, tape: Tape) => (string | null)[];
}

interface ReduceAttrs { axis: number | number[] | null; keepdims: boolean }

function axesOf(node: TapeNode): number[] {
  const { axis } = node.attrs as ReduceAttrs;
  return axis === null ? [] : Array.isArray(axis) ? axis : [axis];
}

function axisArg(node: TapeNode, inputShape: readonly number[]): string {
  const { axis } = node.attrs as ReduceAttrs;
  if (axis === null) return 'None';
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + inputShape.length : a));
  return list.length === 1 ? String(list[0]) : `(${list.join(', ')})`;
}

function keptShape(node: TapeNode, inputShape: readonly number[]): number[] {
  const all = (node.attrs as ReduceAttrs).axis === null;
  const axes = axesOf(node).map((a) => (a < 0 ? a + inputShape.length : a));
  return inputShape.map((d, i) => (all || axes.includes(i) ? 1 : d));
}

const shapeLiteral = (s: readonly number[]): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`);

export function pyNumber(v: number): string {
  if (Number.isNaN(v)) return 'np.nan';
  if (!Number.isFinite(v)) return v > 0 ? 'np.inf' : '-np.inf';
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

function indexList(positions: ArrayLike<number>): string {
  const n = positions.length;
  if (n > 1) {
    const step = positions[1] - positions[0];
    let progression = step !== 0;
    for (let i = 2; i < n && progression; i++) progression = positions[i] - positions[i - 1] === step;
    if (progression) return `np.arange(${positions[0]}, ${positions[0] + step * n}, ${step})`;
  }
  return `np.array([${Array.from(positions).join(', ')}], dtype=np.int64)`;
}

const inShape = (tape: Tape, node: TapeNode, i: number): readonly number[] => tape.nodes[node.inputs[i]].value.shape;

const sh = (tape: Tape, node: TapeNode, i: number): string => shapeLiteral(inShape(tape, node, i));

// One table for every program: the templates read what they need of the tape from their arguments.
const table: Record<string, CodeTemplate> = templates();

function templates(): Record<string, CodeTemplate> {
  const unary = (f: (x: string) => string, d: (g: string, y: string, x: string) => string): CodeTemplate => ({ forward: ([x]) => f(x), grads: (g, y, [x]) => [d(g, y, x)] });
  const tie = (cmp: string): CodeTemplate['grads'] => (g, _y, [a, b]) => [`${g} * ((${a} ${cmp} ${b}) + 0.5 * (${a} == ${b}))`, `${g} * ((${b} ${cmp} ${a}) + 0.5 * (${a} == ${b}))`];
  const discrete = (op: string): CodeTemplate => ({ forward: ([a, b]) => `${a} ${op} ${b}` });
  return {
    add: { forward: ([a, b]) => `${a} + ${b}`, grads: (g) => [g, g] },
    subtract: { forward: ([a, b]) => `${a} - ${b}`, grads: (g) => [g, `-${g}`] },
    multiply: { forward: ([a, b]) => `${a} * ${b}`, grads: (g, _y, [a, b]) => [`${g} * ${b}`, `${g} * ${a}`] },
    divide: { forward: ([a, b]) => `${a} / ${b}`, grads: (g, y, [, b]) => [`${g} / ${b}`, `-${g} * ${y} / ${b}`] },
    power: { forward: ([a, b]) => `${a} ** ${b}`, grads: (g, y, [a, b]) => [`${g} * ${b} * ${a} ** (${b} - 1)`, `${g} * np.log(np.where(${a} > 0, ${a}, 1)) * ${y}`] },
    maximum: { forward: ([a, b]) => `np.maximum(${a}, ${b})`, grads: tie('>') },
    minimum: { forward: ([a, b]) => `np.minimum(${a}, ${b})`, grads: tie('<') },
    mod: { forward: ([a, b]) => `${a} % ${b}`, grads: (g, _y, [a, b]) => [g, `-${g} * np.floor(${a} / ${b})`] },
    negative: unary((x) => `-${x}`, (g) => `-${g}`),
    exp: unary((x) => `np.exp(${x})`, (g, y) => `${g} * ${y}`),
    log: unary((x) => `np.log(${x})`, (g, _y, x) => `${g} / ${x}`),
    sqrt: unary((x) => `np.sqrt(${x})`, (g, y) => `${g} * 0.5 / ${y}`),
    tanh: unary((x) => `np.tanh(${x})`, (g, y) => `${g} * (1 - ${y} ** 2)`),
    sin: unary((x) => `np.sin(${x})`, (g, _y, x) => `${g} * np.cos(${x})`),
    cos: unary((x) => `np.cos(${x})`, (g, _y, x) => `-${g} * np.sin(${x})`),
    square: unary((x) => `np.square(${x})`, (g, _y, x) => `${g} * 2 * ${x}`),
    reciprocal: unary((x) => `1.0 / ${x}`, (g, _y, x) => `-${g} / ${x} ** 2`),
    abs: unary((x) => `np.abs(${x})`, (g, _y, x) => `${g} * np.sign(${x})`),
    sign: { forward: ([x]) => `np.sign(${x})` },
    floor: { forward: ([x]) => `np.floor(${x})` },
    log1p: unary((x) => `np.log1p(${x})`, (g, _y, x) => `${g} / (1 + ${x})`),
    expm1: unary((x) => `np.expm1(${x})`, (g, y) => `${g} * (${y} + 1)`),
    sigmoid: unary((x) => `1 / (1 + np.exp(-${x}))`, (g, y) => `${g} * (1 - ${y}) * ${y}`),
    less: discrete('<'), less_equal: discrete('<='), greater: discrete('>'), greater_equal: discrete('>='),
    equal: discrete('=='), not_equal: discrete('!='),
    logical_and: { forward: ([a, b]) => `np.logical_and(${a}, ${b})` },
    logical_or: { forward: ([a, b]) => `np.logical_or(${a}, ${b})` },
    logical_xor: { forward: ([a, b]) => `np.logical_xor(${a}, ${b})` },
    logical_not: { forward: ([x]) => `np.logical_not(${x})` },
    floor_divide: discrete('//'),
    where: { forward: ([c, a, b]) => `np.where(${c}, ${a}, ${b})`, grads: (g, _y, [c]) => [null, `np.where(${c}, ${g}, 0.0)`, `np.where(${c}, 0.0, ${g})`] },
    clip: {
      forward: ([x], n) => { const { lo, hi } = n.attrs as { lo: number; hi: number }; return `np.clip(${x}, ${pyNumber(lo)}, ${pyNumber(hi)})`; },
      grads: (g, _y, [x], n) => { const { lo, hi } = n.attrs as { lo: number; hi: number }; return [`${g} * ((${x} > ${pyNumber(lo)}) & (${x} < ${pyNumber(hi)}))`]; },
    },
    copy: { forward: ([x]) => `np.copy(${x})`, grads: (g) => [g] },
    astype: { forward: ([x], n) => `np.asarray(${x}).astype(np.${(n.attrs as { dtype: string }).dtype === 'bool' ? 'bool_' : (n.attrs as { dtype: string }).dtype})`, grads: (g) => [g] },
    sum: {
      forward: ([x], n, tape) => `np.sum(${x}, axis=${axisArg(n, inShape(tape, n, 0))}, keepdims=${(n.attrs as ReduceAttrs).keepdims ? 'True' : 'False'})`,
      grads: (g, _y, [x], n, tape) => [`np.broadcast_to(np.reshape(${g}, ${shapeLiteral(keptShape(n, inShape(tape, n, 0)))}), np.shape(${x}))`],
    },
    mean: {
      forward: ([x], n, tape) => `np.mean(${x}, axis=${axisArg(n, inShape(tape, n, 0))}, keepdims=${(n.attrs as ReduceAttrs).keepdims ? 'True' : 'False'})`,
      grads: (g, _y, [x], n, tape) => {
        const s = inShape(tape, n, 0), kept = keptShape(n, s);
        const count = s.reduce((c, d) => c * d, 1) / kept.reduce((c, d) => c * d, 1);
        return [`np.broadcast_to(np.reshape(${g}, ${shapeLiteral(kept)}), np.shape(${x})) / ${count}`];
      },
    },
    max: extremum('max'), min: extremum('min'),
    argmax: { forward: ([x], n) => `np.argmax(${x}${(n.attrs as { axis: number | null }).axis === null ? '' : `, axis=${(n.attrs as { axis: number }).axis}`})` },
    argmin: { forward: ([x], n) => `np.argmin(${x}${(n.attrs as { axis: number | null }).axis === null ? '' : `, axis=${(n.attrs as { axis: number }).axis}`})` },
    dot: {
      forward: ([a, b]) => `np.dot(${a}, ${b})`,
      grads: (g, _y, [a, b], n, tape) => {
        const [sa, sb] = [inShape(tape, n, 0), inShape(tape, n, 1)];
        if (sa.length === 2 && sb.length === 2) return [`${g}.dot(${b}.T)`, `${a}.T.dot(${g})`];
        const m = sa.length === 2 ? sa[0] : 1, k = sa[sa.length - 1], nn = sb.length === 2 ? sb[1] : 1;
        return [
          `np.reshape(np.reshape(${g}, (${m}, ${nn})).dot(np.reshape(${b}, (${k}, ${nn})).T), ${sh(tape, n, 0)})`,
          `np.reshape(np.reshape(${a}, (${m}, ${k})).T.dot(np.reshape(${g}, (${m}, ${nn}))), ${sh(tape, n, 1)})`,
        ];
      },
    },
    outer: { forward: ([a, b]) => `np.outer(${a}, ${b})`, grads: (g, _y, [a, b], n, tape) => [`np.reshape(${g}.dot(np.ravel(${b})), ${sh(tape, n, 0)})`, `np.reshape(${g}.T.dot(np.ravel(${a})), ${sh(tape, n, 1)})`] },
    reshape: { forward: ([x], n) => `np.reshape(${x}, ${shapeLiteral(n.value.shape)})`, grads: (g, _y, _x, n, tape) => [`np.reshape(${g}, ${sh(tape, n, 0)})`] },
    transpose: {
      forward: ([x], n) => `np.transpose(${x}, ${shapeLiteral((n.attrs as { axes: number[] }).axes)})`,
      grads: (g, _y, _x, n) => {
        const axes = (n.attrs as { axes: number[] }).axes;
        const inverse = axes.map((_, i) => axes.indexOf(i));
        return [`np.transpose(${g}, ${shapeLiteral(inverse)})`];
      },
    },
    index: {
      forward: ([x], n) => `np.reshape(np.ravel(${x})[${indexList((n.attrs as { sources: Int32Array }).sources)}], ${shapeLiteral(n.value.shape)})`,
      grads: (g, _y, [x], n, tape) => [`scatter_add(np.zeros(np.size(${x})), ${indexList((n.attrs as { sources: Int32Array }).sources)}, ${g}, ${sh(tape, n, 0)})`],
    },
    setitem: {
      forward: ([base, v], n) => `put(${base}, ${indexList((n.attrs as { targets: Int32Array }).targets)}, ${v}, ${shapeLiteral((n.attrs as { regionShape: number[] }).regionShape)})`,
      grads: (g, _y, _x, n) => {
        const { targets, regionShape } = n.attrs as { targets: Int32Array; regionShape: number[] };
        const written = `np.ravel(${g})[${indexList(targets)}]`;
        const last = lastWrites(targets);
        // With repeated targets only the last write is kept, so only it receives the gradient.
        const kept = last.every((k) => k === 1) ? written : `${written} * np.array([${Array.from(last).join(', ')}])`;
        return [`put(${g}, ${indexList(targets)}, 0.0, ${shapeLiteral(regionShape)})`, `np.reshape(${kept}, ${shapeLiteral(regionShape)})`];
      },
    },
    concatenate: {
      forward: (xs, n) => `np.concatenate([${xs.join(', ')}], axis=${(n.attrs as { axis: number }).axis})`,
      grads: (g, _y, xs, n, tape) => {
        const axis = (n.attrs as { axis: number }).axis;
        let offset = 0;
        return xs.map((_, i) => {
          const len = inShape(tape, n, i)[axis];
          const slices = inShape(tape, n, i).map((_d, k) => (k === axis ? `${offset}:${offset + len}` : ':')).join(', ');
          offset += len;
          return `${g}[${slices}]`;
        });
      },
    },
  };
}

function extremum(kind: 'max' | 'min'): CodeTemplate {
  return {
    forward: ([x], n, tape) => `np.${kind}(${x}, axis=${axisArg(n, inShape(tape, n, 0))}, keepdims=${(n.attrs as ReduceAttrs).keepdims ? 'True' : 'False'})`,
    grads: (g, y, [x], n, tape) => {
      const kept = shapeLiteral(keptShape(n, inShape(tape, n, 0)));
      const axis = axisArg(n, inShape(tape, n, 0));
      return [`route_to_winners(${x}, np.reshape(${y}, ${kept}), np.reshape(${g}, ${kept}), ${axis})`];
    },
  };
}

/** Sums a gradient over the axes its operand was broadcast along, written out. */
export function unbroadcastCode(expr: string, from: readonly number[], to: readonly number[]): string {
  if (from.length === to.length && from.every((d, i) => d === to[i])) return expr;
  if (to.length === 0) return `np.sum(${expr})`;
  const lead = from.length - to.length;
  let out = expr;
  if (lead > 0) out = `np.sum(${out}, axis=${lead === 1 ? '0' : `(${[...Array(lead).keys()].join(', ')})`})`;
  const ones = to.map((d, i) => (d === 1 && from[lead + i] !== 1 ? i : -1)).filter((i) => i >= 0);
  if (ones.length) out = `np.sum(${out}, axis=${ones.length === 1 ? ones[0] : `(${ones.join(', ')})`}, keepdims=True)`;
  return out;
}

const helpers = [
  'import numpy as np',
  '',
  'def scatter_add(flat, positions, g, shape):',
  '    np.add.at(flat, positions, np.ravel(g))',
  '    return np.reshape(flat, shape)',
  '',
  'def put(base, positions, value, region):',
  '    out = np.array(base, dtype=float)',
  '    out.flat[positions] = np.ravel(np.broadcast_to(value, region))',
  '    return out',
  '',
  'def route_to_winners(x, best, g, axis):',
  '    winners = (x == best)',
  '    return winners * g / np.sum(winners, axis=axis, keepdims=True)',
];

/** The helpers and the blank line after them, joined once. */
const helpersText = `${helpers.join('\n')}\n\n`;

const maxCodeLength = 200_000;

/**
 * The flat backward pass for the output `loss`, or null when the program is too large to print.
 * `inputs` names the leaves; constants appear as literals.
 */
export function generateBackwardCode(tape: Tape, loss: number, inputs: ReadonlyMap<string, number>): string | null {
  const ids = ancestors(tape, loss);
  const names = new Map<number, string>();
  const used = new Set<string>();
  for (const [name, id] of inputs) { names.set(id, name); used.add(name); }
  const literal = (t: Tensor): string => (t.ndim === 0 ? (t.dtype === 'float64' ? pyNumber(t.data[0]) : t.dtype === 'bool' ? (t.data[0] ? 'True' : 'False') : String(t.data[0])) : `np.array(${JSON.stringify(t.toNested())}${t.dtype === 'float64' ? ', dtype=float' : t.dtype === 'bool' ? ', dtype=bool' : ''})`);
  const nameOf: Names = (id) => {
    const existing = names.get(id);
    if (existing) return existing;
    const node = tape.nodes[id];
    if (node.kind === 'constant' || node.kind === 'leaf') {
      const lit = literal(node.value);
      names.set(id, lit);
      return lit;
    }
    let name = node.name && /^[A-Za-z_]\w*$/.test(node.name) ? node.name : `t${id}`;
    if (used.has(name)) name = `${name}_${id}`;
    used.add(name);
    names.set(id, name);
    return name;
  };
  const lines: string[] = ['# forward, recomputed'];
  let length = helpersText.length;
  for (const id of ids) {
    const node = tape.nodes[id];
    if (node.kind !== 'op') continue;
    const t = table[node.op!.name];
    if (!t) return null;
    const line = `${nameOf(id)} = ${t.forward(node.inputs.map(nameOf), node, tape)}`;
    lines.push(line);
    length += line.length;
  }
  const gradNames = new Map<number, string>();
  const gradName = (id: number): string => {
    let name = gradNames.get(id);
    if (name === undefined) gradNames.set(id, (name = `grad_${nameOf(id).replace(/[^\w]/g, '_')}`));
    return name;
  };
  lines.push('', '# backward, one statement per op in reverse order', `${gradName(loss)} = 1.0`);
  const hasGrad = new Set<number>([loss]);
  for (let k = ids.length - 1; k >= 0; k--) {
    const id = ids[k];
    const node = tape.nodes[id];
    if (node.kind !== 'op' || !node.requiresGrad || !hasGrad.has(id)) continue;
    const t = table[node.op!.name];
    const exprs = t.grads ? t.grads(gradName(id), nameOf(id), node.inputs.map(nameOf), node, tape) : [];
    node.inputs.forEach((input, i) => {
      const e = exprs[i];
      const target = tape.nodes[input];
      if (!e || !target.requiresGrad) return;
      const full = unbroadcastCode(e, gradientShapeOf(node, tape, i), target.value.shape);
      const line = hasGrad.has(input) ? `${gradName(input)} = ${gradName(input)} + ${full}` : `${gradName(input)} = ${full}`;
      lines.push(line);
      length += line.length;
      hasGrad.add(input);
    });
    if (length > maxCodeLength) return null;
  }
  for (const [name, id] of inputs) if (!hasGrad.has(id)) lines.push(`grad_${name} = np.zeros_like(np.asarray(${name}, dtype=float))`);
  return `${helpersText}${lines.join('\n')}\n`;
}

/** The shape of a gradient expression before its broadcast is undone: the output's, for elementwise ops. */
function gradientShapeOf(node: TapeNode, tape: Tape, i: number): readonly number[] {
  const elementwise = ['add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum', 'mod', 'where'];
  if (elementwise.includes(node.op!.name)) return node.value.shape;
  // An index write's value was broadcast to the written region.
  if (node.op!.name === 'setitem' && i === 1) return (node.attrs as { regionShape: number[] }).regionShape;
  return tape.nodes[node.inputs[i]].value.shape;
}
