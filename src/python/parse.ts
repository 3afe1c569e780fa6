// Source text to our AST, through the Lezer Python grammar. Syntax errors carry a position;
// constructs outside the subset become `Unsupported` nodes that fail only if they run.
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { UserCodeError } from '../core/errors';
import type { Arg, Comment, Expr, FunctionDef, IndexItem, Module, Param, Span, Stmt } from './ast';
import { checkBrackets, checkIndentation, checkName, checkPlacement, checkStringLiteral } from './syntaxChecks';

const unsupportedStatements: Record<string, string> = {
  ClassDefinition: 'class definitions',
  TryStatement: 'try/except',
  WithStatement: 'with statements',
  RaiseStatement: 'raise',
  DeleteStatement: 'del',
  ScopeStatement: 'global/nonlocal',
  DecoratedStatement: 'decorators',
  PrintStatement: 'print statements',
  MatchStatement: 'match statements',
};

const binaryOps = new Set(['ArithOp', 'BitOp', 'CompareOp', 'and', 'or', 'in', 'not', 'is']);
const compareOps = new Set(['<', '>', '<=', '>=', '==', '!=', 'in', 'not in', 'is', 'is not']);

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly source: string) {
    for (let i = 0; i < source.length; i++) if (source[i] === '\n') this.starts.push(i + 1);
  }

  span(from: number, to: number): Span {
    const a = this.position(from);
    const b = this.position(to);
    return { from, to, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }

  /** Offset of the start of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line - 1, 0), this.starts.length - 1)];
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

const recentModules = new Map<string, Module>();
const recentLimit = 16;

/**
 * Parses a whole file; throws a UserCodeError('syntax') at the first syntax error. The hover, the
 * lenses and the gradient check analyze the same text again and again, so recent parses are kept.
 */
export function parseModule(text: string): Module {
  const cached = recentModules.get(text);
  if (cached) return cached;
  // Python reads \r\n and a lone \r as line ends, and a last line of only blanks as nothing.
  const module = parseFresh(text.replace(/\r\n?/g, '\n').replace(/\n[ \t]+$/, '\n'));
  if (recentModules.size >= recentLimit) recentModules.delete(recentModules.keys().next().value!);
  recentModules.set(text, module);
  return module;
}

function parseFresh(source: string): Module {
  const lines = new LineIndex(source);
  checkBrackets(source, lines);
  const builder = new AstBuilder(source, lines);
  let body: Stmt[];
  try {
    const tree = parser.parse(source);
    const firstError = findError(tree);
    if (firstError) {
      throw new UserCodeError('syntax', syntaxMessage(source, firstError), lines.span(firstError.from, Math.max(firstError.to, firstError.from + 1)));
    }
    body = builder.statements(tree.topNode);
  } catch (err) {
    if (err instanceof UserCodeError) throw err;
    // Trees thousands of levels deep exhaust the stack (CPython too stops with a RecursionError).
    throw new UserCodeError('syntax', 'the code nests too deeply to analyze (too many nested brackets, subscripts or blocks)', lines.span(0, Math.min(1, source.length)));
  }
  checkIndentation(body);
  checkPlacement(body, false, false);
  return { body, comments: builder.comments, source };
}

/** The first error node, walked with the tree's own cursor (deep trees would overflow a recursion). */
function findError(tree: Tree): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  tree.iterate({
    enter: (node) => {
      if (found) return false;
      if (node.type.isError) found = node.node;
      return undefined;
    },
  });
  return found;
}

function syntaxMessage(source: string, error: SyntaxNode): string {
  // The grammar reads `1.` as the start of an attribute: say how to write the float it means.
  const before = /(\d+)\.\s*$/.exec(source.slice(Math.max(0, error.from - 40), error.from));
  if (before) return `invalid syntax: GradLens reads the float ${before[1]}. only when written ${before[1]}.0`;
  const found = source.slice(error.from, error.to).trim();
  if (found) return `invalid syntax: unexpected '${found.length > 30 ? found.slice(0, 30) + '…' : found}'`;
  const parent = error.parent?.name;
  if (parent === 'Body') return 'invalid syntax: expected an indented block';
  if (error.from >= source.trimEnd().length) return 'invalid syntax: the code ends too early (an unclosed bracket or an unfinished statement)';
  return `invalid syntax: unexpected '${source.slice(error.from, error.from + 1).replace('\n', '\\n')}'`;
}

class AstBuilder {
  readonly comments: Comment[] = [];

  constructor(private readonly source: string, private readonly lines: LineIndex) {}

  private span(node: SyntaxNode): Span {
    return this.lines.span(node.from, node.to);
  }

  private text(node: SyntaxNode): string {
    return this.source.slice(node.from, node.to);
  }

  /** Children, with comments moved aside. */
  private children(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'Comment') this.comments.push({ text: this.text(child), span: this.span(child) });
      else out.push(child);
    }
    return out;
  }

  statements(node: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const child of this.children(node)) {
      if (child.name === ':' || child.name === 'Comment') continue;
      const stmt = this.statement(child);
      if (stmt) out.push(stmt);
    }
    return out;
  }

  private statement(node: SyntaxNode): Stmt | null {
    const span = this.span(node);
    const kids = this.children(node);
    switch (node.name) {
      case 'AssignStatement': {
        const groups = splitBy(kids.filter((k) => k.name !== 'TypeDef'), 'AssignOp');
        if (groups.length < 2) return { type: 'Pass', span };
        const exprs = groups.map((g) => this.tupleOrSingle(g, node));
        return { type: 'Assign', targets: exprs.slice(0, -1), value: exprs[exprs.length - 1], span };
      }
      case 'UpdateStatement': {
        const opIndex = kids.findIndex((k) => k.name === 'UpdateOp');
        return {
          type: 'AugAssign',
          target: this.tupleOrSingle(kids.slice(0, opIndex), node),
          op: this.text(kids[opIndex]).slice(0, -1),
          value: this.tupleOrSingle(kids.slice(opIndex + 1), node),
          span,
        };
      }
      case 'ExpressionStatement':
        return { type: 'Expr', value: this.tupleOrSingle(kids, node), span };
      case 'ReturnStatement': {
        const rest = kids.slice(1);
        return { type: 'Return', value: rest.length ? this.tupleOrSingle(rest, node) : null, span };
      }
      case 'IfStatement':
        return this.ifStatement(kids, 0, span);
      case 'ForStatement': {
        const inIndex = kids.findIndex((k) => k.name === 'in');
        const bodies = kids.filter((k) => k.name === 'Body');
        if (bodies.length > 1) return { type: 'Unsupported', what: 'for/else', span };
        const iterNodes = kids.slice(inIndex + 1).filter((k) => k.name !== 'Body');
        return { type: 'For', target: this.tupleOrSingle(kids.slice(1, inIndex), node), iter: this.tupleOrSingle(iterNodes, node), body: this.statements(bodies[0]), span };
      }
      case 'WhileStatement': {
        const bodies = kids.filter((k) => k.name === 'Body');
        if (bodies.length > 1) return { type: 'Unsupported', what: 'while/else', span };
        return { type: 'While', test: this.expr(kids[1]), body: this.statements(bodies[0]), span };
      }
      case 'FunctionDefinition':
        return { type: 'FunctionDef', def: this.functionDef(node, kids), span };
      case 'ImportStatement':
        return this.importStatement(kids, span);
      case 'PassStatement':
        return { type: 'Pass', span };
      case 'BreakStatement':
        return { type: 'Break', span };
      case 'ContinueStatement':
        return { type: 'Continue', span };
      case 'AssertStatement': {
        const parts = splitBy(kids.slice(1), ',');
        return { type: 'Assert', test: this.expr(parts[0][0]), message: parts[1] ? this.expr(parts[1][0]) : null, span };
      }
      default:
        return { type: 'Unsupported', what: unsupportedStatements[node.name] ?? `the statement '${this.text(node).split('\n')[0].slice(0, 40)}'`, span };
    }
  }

  private ifStatement(kids: SyntaxNode[], start: number, span: Span): Stmt {
    // kids: if test Body (elif test Body)* (else Body)?
    const test = this.expr(kids[start + 1]);
    const body = this.statements(kids[start + 2]);
    const next = kids[start + 3];
    let orelse: Stmt[] = [];
    if (next?.name === 'elif') {
      const nestedSpan = this.lines.span(next.from, span.to);
      orelse = [this.ifStatement(kids, start + 3, nestedSpan)];
    } else if (next?.name === 'else') {
      orelse = this.statements(kids[start + 4]);
    }
    return { type: 'If', test, body, orelse, span };
  }

  private functionDef(node: SyntaxNode, kids: SyntaxNode[]): FunctionDef {
    const name = this.text(kids.find((k) => k.name === 'VariableName')!);
    const paramList = kids.find((k) => k.name === 'ParamList')!;
    const bodyNode = kids.find((k) => k.name === 'Body')!;
    const body = this.statements(bodyNode);
    const first = body[0];
    const docstring = first?.type === 'Expr' && first.value.type === 'Str' ? first.value.value : null;
    return { name, params: this.params(paramList), body, docstring, span: this.span(node), headerSpan: this.lines.span(node.from, paramList.to) };
  }

  private params(list: SyntaxNode): Param[] {
    const out: Param[] = [];
    for (const group of splitBy(this.children(list).filter((k) => k.name !== '(' && k.name !== ')'), ',')) {
      if (group.length === 0) continue;
      let i = 0;
      let star: Param['star'] = '';
      if (group[i].name === '*' || group[i].name === '**') star = group[i++].name as Param['star'];
      const nameNode = group[i++];
      if (!nameNode || nameNode.name !== 'VariableName') continue; // a bare `*` or `/` marker
      let annotation: Expr | null = null;
      if (group[i]?.name === 'TypeDef') {
        const typeKids = this.children(group[i++]).filter((k) => k.name !== ':');
        annotation = typeKids.length ? this.expr(typeKids[0]) : null;
      }
      const defaultValue = group[i]?.name === 'AssignOp' ? this.expr(group[i + 1]) : null;
      out.push({ name: this.text(nameNode), defaultValue, annotation, star, span: this.lines.span(nameNode.from, group[group.length - 1].to) });
    }
    return out;
  }

  private importStatement(kids: SyntaxNode[], span: Span): Stmt {
    if (kids[0].name === 'from') {
      const importIndex = kids.findIndex((k) => k.name === 'import');
      const module = kids.slice(1, importIndex).map((k) => this.text(k)).join('');
      const names = splitBy(kids.slice(importIndex + 1).filter((k) => k.name !== '(' && k.name !== ')'), ',')
        .filter((g) => g.length > 0)
        .map((g) => ({ name: this.text(g[0]), alias: this.text(g[g.length - 1]) }));
      return { type: 'ImportFrom', module, names, span };
    }
    const groups = splitBy(kids.slice(1), ',');
    if (groups.length !== 1) return { type: 'Unsupported', what: 'importing several modules in one statement', span };
    const g = groups[0];
    const asIndex = g.findIndex((k) => k.name === 'as');
    const module = (asIndex < 0 ? g : g.slice(0, asIndex)).map((k) => this.text(k)).join('');
    const alias = asIndex < 0 ? module.split('.')[0] : this.text(g[asIndex + 1]);
    return { type: 'Import', module, alias, span };
  }

  /** A comma-separated run of expressions: a tuple if there is a comma, else the one expression. */
  private tupleOrSingle(nodes: SyntaxNode[], parent: SyntaxNode): Expr {
    const groups = splitBy(nodes, ',');
    if (groups.length === 1 && groups[0].length === 1) return this.expr(groups[0][0]);
    const elts = groups.filter((g) => g.length > 0).map((g) => this.expr(g[0]));
    const from = nodes[0]?.from ?? parent.from;
    const to = nodes[nodes.length - 1]?.to ?? parent.to;
    return { type: 'Tuple', elts, span: this.lines.span(from, to) };
  }

  expr(node: SyntaxNode): Expr {
    const span = this.span(node);
    const kids = (): SyntaxNode[] => this.children(node);
    switch (node.name) {
      case 'VariableName':
        checkName(this.text(node), span);
        return { type: 'Name', id: this.text(node), span };
      case 'Number':
        return this.number(node, span);
      case 'String':
        checkStringLiteral(this.text(node), span);
        return { type: 'Str', value: stringValue(this.text(node)), span };
      case 'ContinuedString':
        return { type: 'Str', value: kids().map((k) => stringValue(this.text(k))).join(''), span };
      case 'FormatString':
        return { type: 'Str', value: this.text(node), span };
      case 'Boolean':
        return { type: 'Bool', value: this.text(node) === 'True', span };
      case 'None':
        return { type: 'None', span };
      case 'Ellipsis':
        return { type: 'Ellipsis', span };
      case 'ParenthesizedExpression': {
        const inner = kids().filter((k) => k.name !== '(' && k.name !== ')');
        return inner.length === 1 ? this.expr(inner[0]) : { type: 'Unsupported', what: 'this parenthesized expression', span };
      }
      case 'TupleExpression': {
        const elts = splitBy(kids().filter((k) => k.name !== '(' && k.name !== ')'), ',').filter((g) => g.length > 0).map((g) => this.expr(g[0]));
        return { type: 'Tuple', elts, span };
      }
      case 'ArrayExpression': {
        const elts = splitBy(kids().filter((k) => k.name !== '[' && k.name !== ']'), ',').filter((g) => g.length > 0).map((g) => this.starredOrExpr(g));
        return { type: 'List', elts, span };
      }
      case 'DictionaryExpression': {
        const keys: Expr[] = [], values: Expr[] = [];
        for (const g of splitBy(kids().filter((k) => k.name !== '{' && k.name !== '}'), ',')) {
          if (g.length === 0) continue;
          if (g.length !== 3 || g[1].name !== ':') return { type: 'Unsupported', what: 'this dictionary form', span };
          keys.push(this.expr(g[0]));
          values.push(this.expr(g[2]));
        }
        return { type: 'Dict', keys, values, span };
      }
      case 'MemberExpression':
        return this.member(kids(), span);
      case 'CallExpression': {
        const k = kids();
        return { type: 'Call', func: this.expr(k[0]), args: this.args(k[1]), span };
      }
      case 'BinaryExpression':
        return this.binary(kids(), span);
      case 'UnaryExpression': {
        const k = kids();
        return { type: 'UnaryOp', op: this.text(k[0]), operand: this.expr(k[k.length - 1]), span };
      }
      case 'ConditionalExpression': {
        const k = kids();
        const ifIndex = k.findIndex((c) => c.name === 'if');
        const elseIndex = k.findIndex((c) => c.name === 'else');
        return { type: 'IfExp', body: this.expr(k[0]), test: this.expr(k[ifIndex + 1]), orelse: this.expr(k[elseIndex + 1]), span };
      }
      case 'LambdaExpression': {
        const k = kids();
        const paramList = k.find((c) => c.name === 'ParamList');
        return { type: 'Lambda', params: paramList ? this.params(paramList) : [], body: this.expr(k[k.length - 1]), span };
      }
      case 'ArrayComprehensionExpression': {
        const k = kids().filter((c) => c.name !== '[' && c.name !== ']');
        const forIndex = k.findIndex((c) => c.name === 'for');
        const inIndex = k.findIndex((c) => c.name === 'in');
        if (k.filter((c) => c.name === 'for').length > 1) return { type: 'Unsupported', what: 'nested comprehensions', span };
        const ifIndices = k.map((c, i) => (c.name === 'if' ? i : -1)).filter((i) => i >= 0);
        return {
          type: 'ListComp',
          elt: this.expr(k[0]),
          target: this.tupleOrSingle(k.slice(forIndex + 1, inIndex), node),
          iter: this.expr(k[inIndex + 1]),
          conditions: ifIndices.map((i) => this.expr(k[i + 1])),
          span,
        };
      }
      default:
        return { type: 'Unsupported', what: describeUnsupported(node.name, this.text(node)), span };
    }
  }

  private starredOrExpr(group: SyntaxNode[]): Expr {
    if (group[0].name === '*' && group[1]) return { type: 'Starred', value: this.expr(group[1]), span: this.lines.span(group[0].from, group[1].to) };
    return this.expr(group[0]);
  }

  private number(node: SyntaxNode, span: Span): Expr {
    const raw = this.text(node).replace(/_/g, '');
    if (/[jJ]$/.test(raw)) return { type: 'Unsupported', what: 'complex numbers', span };
    if (/^0[xX]/.test(raw)) return { type: 'Num', value: parseInt(raw.slice(2), 16), isInt: true, span };
    if (/^0[oO]/.test(raw)) return { type: 'Num', value: parseInt(raw.slice(2), 8), isInt: true, span };
    if (/^0[bB]/.test(raw)) return { type: 'Num', value: parseInt(raw.slice(2), 2), isInt: true, span };
    const isInt = /^\d+$/.test(raw);
    const value = Number(raw);
    // An int literal past 2**53 keeps its exact value, as Python's ints do.
    return isInt && !Number.isSafeInteger(value) ? { type: 'Num', value, isInt, exact: BigInt(raw), span } : { type: 'Num', value, isInt, span };
  }

  private member(k: SyntaxNode[], span: Span): Expr {
    const obj = this.expr(k[0]);
    if (k[1]?.name === '.') return { type: 'Attribute', obj, name: this.text(k[2]), span };
    const inside = k.slice(2, k.length - 1);
    const groups = splitBy(inside, ',');
    const isTuple = groups.length > 1;
    const index: IndexItem[] = [];
    for (const g of groups) {
      if (g.length === 0) continue;
      if (!g.some((c) => c.name === ':')) {
        index.push(this.expr(g[0]));
        continue;
      }
      const parts = splitBy(g, ':');
      const part = (i: number): Expr | null => (parts[i] && parts[i].length ? this.expr(parts[i][0]) : null);
      index.push({ type: 'Slice', lower: part(0), upper: part(1), step: part(2), span: this.lines.span(g[0].from, g[g.length - 1].to) });
    }
    if (index.length === 1 && !isTuple && index[0].type === 'Tuple') {
      return { type: 'Subscript', obj, index: index[0].elts, isTuple: true, span };
    }
    return { type: 'Subscript', obj, index, isTuple, span };
  }

  private args(argList: SyntaxNode): Arg[] {
    const out: Arg[] = [];
    for (const g of splitBy(this.children(argList).filter((k) => k.name !== '(' && k.name !== ')'), ',')) {
      if (g.length === 0) continue;
      if (g[0].name === '*' || g[0].name === '**') {
        out.push({ name: g[0].name === '**' ? '**' : null, value: this.expr(g[1]), star: true });
      } else if (g.length >= 3 && g[1].name === 'AssignOp') {
        out.push({ name: this.text(g[0]), value: this.expr(g[2]), star: false });
      } else if (g.some((c) => c.name === 'for')) {
        out.push({ name: null, value: { type: 'Unsupported', what: 'generator expressions', span: this.lines.span(g[0].from, g[g.length - 1].to) }, star: false });
      } else {
        out.push({ name: null, value: this.expr(g[0]), star: false });
      }
    }
    return out;
  }

  private binary(k: SyntaxNode[], span: Span): Expr {
    const opStart = k.findIndex((c, i) => i > 0 && binaryOps.has(c.name));
    const left = k[0];
    const right = k[k.length - 1];
    const op = k.slice(opStart, k.length - 1).map((c) => this.text(c)).join(' ');
    if (op === 'and' || op === 'or') return { type: 'BoolOp', op, left: this.expr(left), right: this.expr(right), span };
    if (compareOps.has(op)) {
      // Lezer nests `a < b <= c` to the left; Python reads it as one chain.
      const leftExpr = this.expr(left);
      if (left.name === 'BinaryExpression' && leftExpr.type === 'Compare') {
        return { type: 'Compare', left: leftExpr.left, ops: [...leftExpr.ops, op], comparators: [...leftExpr.comparators, this.expr(right)], span };
      }
      return { type: 'Compare', left: leftExpr, ops: [op], comparators: [this.expr(right)], span };
    }
    return { type: 'BinOp', op, left: this.expr(left), right: this.expr(right), span };
  }
}

function splitBy(nodes: SyntaxNode[], separator: string): SyntaxNode[][] {
  const groups: SyntaxNode[][] = [[]];
  for (const n of nodes) {
    if (n.name === separator) groups.push([]);
    else groups[groups.length - 1].push(n);
  }
  return groups;
}

function stringValue(raw: string): string {
  const prefix = /^[a-zA-Z]*/.exec(raw)![0];
  let body = raw.slice(prefix.length);
  const quote = body.startsWith('"""') || body.startsWith("'''") ? body.slice(0, 3) : body[0];
  body = body.slice(quote.length, body.length - quote.length);
  if (/r/i.test(prefix)) return body;
  return body.replace(/\\(n|t|\\|'|"|\n)/g, (_m, c: string) => ({ n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"', '\n': '' })[c] ?? c);
}

function describeUnsupported(nodeName: string, text: string): string {
  const names: Record<string, string> = {
    SetExpression: 'sets',
    ComprehensionExpression: 'generator expressions',
    DictionaryComprehensionExpression: 'dict comprehensions',
    SetComprehensionExpression: 'set comprehensions',
    AwaitExpression: 'await',
    YieldExpression: 'yield',
  };
  return names[nodeName] ?? `the expression '${text.slice(0, 40)}'`;
}
