// Our own Python AST: only what the interpreter runs, each node with its source span.
import type { SourceSpan } from '../core/span';

export type Span = SourceSpan;

export type Expr =
  | { type: 'Name'; id: string; span: Span }
  | { type: 'Num'; value: number; isInt: boolean; exact?: bigint; span: Span }
  | { type: 'Str'; value: string; span: Span }
  | { type: 'Bool'; value: boolean; span: Span }
  | { type: 'None'; span: Span }
  | { type: 'Ellipsis'; span: Span }
  | { type: 'Tuple'; elts: Expr[]; span: Span }
  | { type: 'List'; elts: Expr[]; span: Span }
  | { type: 'Dict'; keys: Expr[]; values: Expr[]; span: Span }
  | { type: 'Attribute'; obj: Expr; name: string; span: Span }
  | { type: 'Subscript'; obj: Expr; index: IndexItem[]; isTuple: boolean; span: Span }
  | { type: 'Call'; func: Expr; args: Arg[]; span: Span }
  | { type: 'BinOp'; op: string; left: Expr; right: Expr; span: Span }
  | { type: 'UnaryOp'; op: string; operand: Expr; span: Span }
  | { type: 'BoolOp'; op: 'and' | 'or'; left: Expr; right: Expr; span: Span }
  | { type: 'Compare'; left: Expr; ops: string[]; comparators: Expr[]; span: Span }
  | { type: 'IfExp'; test: Expr; body: Expr; orelse: Expr; span: Span }
  | { type: 'Lambda'; params: Param[]; body: Expr; span: Span }
  | { type: 'ListComp'; elt: Expr; target: Expr; iter: Expr; conditions: Expr[]; span: Span }
  | { type: 'Starred'; value: Expr; span: Span }
  | { type: 'Unsupported'; what: string; span: Span };

export type IndexItem = Expr | { type: 'Slice'; lower: Expr | null; upper: Expr | null; step: Expr | null; span: Span };

export interface Arg {
  /** Keyword name, or null for a positional argument. */
  name: string | null;
  value: Expr;
  star: boolean;
}

export interface Param {
  name: string;
  defaultValue: Expr | null;
  /** The annotation's source expression (`"N D"`, `Float[np.ndarray, "N D"]`). */
  annotation: Expr | null;
  star: '' | '*' | '**';
  span: Span;
}

export type Stmt =
  | { type: 'Assign'; targets: Expr[]; value: Expr; span: Span }
  | { type: 'AugAssign'; target: Expr; op: string; value: Expr; span: Span }
  | { type: 'Expr'; value: Expr; span: Span }
  | { type: 'Return'; value: Expr | null; span: Span }
  | { type: 'If'; test: Expr; body: Stmt[]; orelse: Stmt[]; span: Span }
  | { type: 'For'; target: Expr; iter: Expr; body: Stmt[]; span: Span }
  | { type: 'While'; test: Expr; body: Stmt[]; span: Span }
  | { type: 'Break'; span: Span }
  | { type: 'Continue'; span: Span }
  | { type: 'Pass'; span: Span }
  | { type: 'FunctionDef'; def: FunctionDef; span: Span }
  | { type: 'Import'; module: string; alias: string; span: Span }
  | { type: 'ImportFrom'; module: string; names: { name: string; alias: string }[]; span: Span }
  | { type: 'Assert'; test: Expr; message: Expr | null; span: Span }
  | { type: 'Unsupported'; what: string; span: Span };

export interface FunctionDef {
  name: string;
  params: Param[];
  body: Stmt[];
  docstring: string | null;
  span: Span;
  /** Span of the `def NAME(...)` header line, for code lenses and errors. */
  headerSpan: Span;
}

export interface Comment {
  text: string;
  span: Span;
}

export interface Module {
  body: Stmt[];
  comments: Comment[];
  source: string;
}
