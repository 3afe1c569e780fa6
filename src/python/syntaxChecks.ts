// What CPython rejects but the Lezer grammar, built to recover from errors while you type, lets
// through: an unmatched bracket, an unterminated string, a character no name may hold, an unindent
// to no outer level, `break`/`continue` outside a loop, `return` outside a function.
import { UserCodeError } from '../core/errors';
import type { Span, Stmt } from './ast';
import type { LineIndex } from './parse';

const opening: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Finds a closing bracket with no opening one before the grammar sees the text: on such input its
 * error recovery takes seconds. Strings and comments are skipped; nothing else is read.
 */
export function checkBrackets(source: string, lines: LineIndex): void {
  const stack: string[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = source.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      i += quote.length;
      while (i < source.length && !source.startsWith(quote, i) && (triple || source[i] !== '\n')) i += source[i] === '\\' ? 2 : 1;
      i += quote.length;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') stack.push(c);
    else if (opening[c]) {
      if (stack.pop() !== opening[c]) throw new UserCodeError('syntax', `unmatched '${c}'`, lines.span(i, i + 1));
    }
    i++;
  }
}

const identifier = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

export function checkName(name: string, span: Span): void {
  if (!identifier.test(name)) throw new UserCodeError('syntax', `invalid character in identifier '${name}'`, span);
}

export function checkStringLiteral(raw: string, span: Span): void {
  const body = raw.replace(/^[a-zA-Z]*/, '');
  const quote = body.startsWith('"""') || body.startsWith("'''") ? body.slice(0, 3) : body[0];
  if (body.length < 2 * quote.length || !body.endsWith(quote)) {
    throw new UserCodeError('syntax', `unterminated string literal (detected at line ${span.line})`, span);
  }
}

/** Statements of one block start in one column; a dedent must return to an enclosing block's. */
export function checkIndentation(body: readonly Stmt[], outer: readonly number[] = []): void {
  const column = body[0]?.span.column;
  for (const s of body) {
    if (s.span.column !== column) {
      const message = outer.includes(s.span.column) || s.span.column > column!
        ? 'unexpected indent' : 'unindent does not match any outer indentation level';
      throw new UserCodeError('syntax', message, s.span);
    }
    for (const inner of childBlocks(s)) checkIndentation(inner, [...outer, column!]);
  }
}

function childBlocks(s: Stmt): Stmt[][] {
  switch (s.type) {
    case 'If': return [s.body, s.orelse.length === 1 && s.orelse[0].type === 'If' && s.orelse[0].span.from === s.orelse[0].span.from ? [] : s.orelse].filter((b) => b.length > 0);
    case 'For': case 'While': return [s.body];
    case 'FunctionDef': return [s.def.body];
    default: return [];
  }
}

/** `break`/`continue` only inside loops, `return` only inside functions (of the same function). */
export function checkPlacement(body: readonly Stmt[], inLoop: boolean, inFunction: boolean): void {
  for (const s of body) {
    if ((s.type === 'Break' || s.type === 'Continue') && !inLoop) {
      throw new UserCodeError('syntax', `'${s.type.toLowerCase()}' ${s.type === 'Break' ? 'outside loop' : 'not properly in loop'}`, s.span);
    }
    if (s.type === 'Return' && !inFunction) throw new UserCodeError('syntax', "'return' outside function", s.span);
    if (s.type === 'If') { checkPlacement(s.body, inLoop, inFunction); checkPlacement(s.orelse, inLoop, inFunction); }
    if (s.type === 'For' || s.type === 'While') checkPlacement(s.body, true, inFunction);
    if (s.type === 'FunctionDef') checkPlacement(s.def.body, false, true);
  }
}

