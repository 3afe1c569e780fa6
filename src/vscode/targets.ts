// What to analyze: the top-level functions of a document (for lenses, hover and the background
// pass), the function around the cursor, or the selected lines.
import type { Target } from '../analysis/analyze';
import { toReportError } from '../analysis/errors';
import type { ReportError } from '../analysis/report';
import { parseModule } from '../python/parse';

export interface TopLevelFunction {
  name: string;
  /** 1-based line of `def`, and the function's last line. */
  line: number;
  lastLine: number;
}

export interface DocumentOutline {
  functions: TopLevelFunction[];
  /** The first syntax error; the functions then come from a line scan, so lenses stay put while typing. */
  syntaxError: ReportError | null;
}

export function outlineOf(source: string): DocumentOutline {
  try {
    const module = parseModule(source);
    const functions = module.body.flatMap((s) => (s.type === 'FunctionDef'
      ? [{ name: s.def.name, line: s.def.span.line, lastLine: s.def.span.endColumn === 1 && s.def.span.endLine > s.def.span.line ? s.def.span.endLine - 1 : s.def.span.endLine }]
      : []));
    return { functions, syntaxError: null };
  } catch (err) {
    return { functions: scanFunctions(source), syntaxError: toReportError(err, null) };
  }
}

/** `def NAME` at column 0, each running to the last non-blank line before the next top-level code. */
function scanFunctions(source: string): TopLevelFunction[] {
  const lines = source.split(/\r?\n/);
  const out: TopLevelFunction[] = [];
  let current: TopLevelFunction | null = null;
  lines.forEach((text, i) => {
    const def = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(text);
    const topLevel = /^[^\s#]/.test(text);
    if (topLevel && current) current = null;
    if (def) out.push(current = { name: def[1], line: i + 1, lastLine: i + 1 });
    else if (current && text.trim() !== '') current.lastLine = i + 1;
  });
  return out;
}

export function targetKey(target: Target): string {
  return target.kind === 'function' ? `function:${target.name}` : `lines:${target.from}-${target.to}`;
}

/** The words the views use for a target: "softmax_loss()", "lines 16-20". */
export function targetLabel(target: Target): string {
  return target.kind === 'function' ? `${target.name}()` : `lines ${target.from}-${target.to}`;
}

export function enclosingFunction(outline: DocumentOutline, line: number): TopLevelFunction | null {
  return outline.functions.find((f) => f.line <= line && line <= f.lastLine) ?? null;
}

/**
 * The analysis that checks a function. A `NAME_backward` is checked through its `NAME_forward`
 * (the engine compares the pair with a seeded `dout`); alone, its `cache` can only be guessed.
 */
export function analysisTargetFor(outline: DocumentOutline, functionName: string): Target {
  const pair = /^(.+)_backward$/.exec(functionName);
  const forward = pair ? `${pair[1]}_forward` : null;
  if (forward && outline.functions.some((f) => f.name === forward)) return { kind: 'function', name: forward };
  return { kind: 'function', name: functionName };
}

/** The targets the background pass analyzes: one per function, backward halves through their pair. */
export function documentTargets(outline: DocumentOutline): Target[] {
  const byKey = new Map<string, Target>();
  for (const f of outline.functions) {
    const target = analysisTargetFor(outline, f.name);
    byKey.set(targetKey(target), target);
  }
  return [...byKey.values()];
}

/** An editor selection, 0-based as VS Code gives it. */
export interface EditorSelection {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export type TargetChoice = { target: Target } | { message: string };

/** "Show Gradients" and "Run Gradient Check": the selected lines if any, else the function at the cursor. */
export function targetAtSelection(outline: DocumentOutline, selection: EditorSelection): TargetChoice {
  const empty = selection.startLine === selection.endLine && selection.startCharacter === selection.endCharacter;
  if (!empty) {
    const from = selection.startLine + 1;
    // A selection that ends at the start of a line (whole lines selected) does not include that line.
    const to = selection.endCharacter === 0 && selection.endLine > selection.startLine ? selection.endLine : selection.endLine + 1;
    return { target: { kind: 'lines', from, to } };
  }
  const fn = enclosingFunction(outline, selection.startLine + 1);
  if (fn) return { target: analysisTargetFor(outline, fn.name) };
  return { message: 'GradLens: put the cursor inside a top-level function, or select the lines to analyze.' };
}
