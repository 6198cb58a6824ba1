/**
 * The tokenizer of the DOT reader: splits Graphviz DOT text into tokens with their line numbers, so
 * syntax errors can name the line.
 */
import { ValidationError } from '../../core/errors.js';

/** One DOT token with the line it starts on. */
export interface DotToken {
  /** `id`: bare word or numeral; `string`: a quoted or HTML string; `punct`: an operator; `eof`. */
  kind: 'id' | 'string' | 'punct' | 'eof';
  /** The text: the unescaped string contents for `string`, the operator for `punct`. */
  text: string;
  /** 1-based line. */
  line: number;
  /** 1-based column of the token's first character (in UTF-16 code units). */
  column: number;
}

const PUNCT = new Set(['{', '}', '[', ']', ';', ',', '=', ':', '+']);

/**
 * Splits DOT text into tokens. Skips `//` and `#` line comments and `/* … *\/` blocks. In quoted
 * strings `\"` is a quote, `\\` a backslash and a backslash-newline is dropped; other escapes
 * (`\n`, `\l`, …) are kept as written. Throws a {@link ValidationError} (rule `dot-syntax`) with
 * the line of anything that is not DOT.
 */
export function tokenizeDot(text: string, source?: string): DotToken[] {
  const tokens: DotToken[] = [];
  const fail = (detail: string, line: number): never => {
    throw new ValidationError('dot-syntax', detail, { ...(source !== undefined && { file: source }), line });
  };
  let i = 0;
  let line = 1;
  let lineStart = 0; // index of the current line's first character
  const n = text.length;
  const newlineAt = (k: number): void => {
    line++;
    lineStart = k + 1;
  };
  while (i < n) {
    const c = text[i]!;
    const column = i - lineStart + 1;
    if (c === '\n') {
      newlineAt(i);
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF') {
      i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const start = line;
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail("unterminated comment '/*'", start);
      for (let k = i; k < end; k++) if (text[k] === '\n') newlineAt(k);
      i = end + 2;
    } else if (c === '"') {
      const start = line;
      let value = '';
      i++;
      for (;;) {
        if (i >= n) fail('unterminated quoted string', start);
        const d = text[i]!;
        if (d === '"') break;
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          value += text[i + 1];
          i += 2;
        } else if (d === '\\' && text[i + 1] === '\n') {
          newlineAt(i + 1);
          i += 2;
        } else if (d === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') {
          newlineAt(i + 2);
          i += 3;
        } else {
          if (d === '\n') newlineAt(i);
          value += d;
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'string', text: value, line: start, column });
    } else if (c === '<') {
      // HTML-like label: balanced angle brackets.
      const start = line;
      let depth = 0;
      let k = i;
      for (; k < n; k++) {
        const d = text[k];
        if (d === '<') depth++;
        else if (d === '>' && --depth === 0) break;
        else if (d === '\n') newlineAt(k);
      }
      if (k >= n) fail("unterminated HTML string '<'", start);
      tokens.push({ kind: 'string', text: text.slice(i + 1, k), line: start, column });
      i = k + 1;
    } else if (c === '-' && (text[i + 1] === '>' || text[i + 1] === '-')) {
      tokens.push({ kind: 'punct', text: text.slice(i, i + 2), line, column });
      i += 2;
    } else if (c === '-' || c === '.' || isDigit(c)) {
      const m = /^-?(?:\.\d+|\d+(?:\.\d*)?)/.exec(text.slice(i, i + 64));
      if (m === null) fail(`unexpected '${c}'`, line);
      const end = i + m![0].length;
      if (end < n && isWordChar(text[end]!)) {
        fail(`'${m![0]}${wordAt(text, end)}' is not a DOT id (quote it: "…")`, line);
      }
      tokens.push({ kind: 'id', text: m![0], line, column });
      i = end;
    } else if (isWordStart(c)) {
      const word = wordAt(text, i);
      tokens.push({ kind: 'id', text: word, line, column });
      i += word.length;
    } else if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', text: c, line, column });
      i++;
    } else {
      fail(`unexpected character '${c}'`, line);
    }
  }
  tokens.push({ kind: 'eof', text: '', line, column: i - lineStart + 1 });
  return tokens;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isWordStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c.charCodeAt(0) >= 0x80;
}

function isWordChar(c: string): boolean {
  return isWordStart(c) || isDigit(c);
}

function wordAt(text: string, start: number): string {
  let k = start;
  while (k < text.length && isWordChar(text[k]!)) k++;
  return text.slice(start, k);
}
