/** Where and why a JSON text is malformed. */
export interface JsonSyntaxProblem {
  /** 0-based offset of the offending character (the text length for an early end). */
  offset: number;
  /** 1-based line of `offset`. */
  line: number;
  /** 1-based column of `offset`. */
  column: number;
  /** What was expected, e.g. `expected ',' or '}' after a property value`. */
  message: string;
}

/**
 * Finds the first syntax error of a JSON text (RFC 8259), or `undefined` when it is valid.
 * Used only after `JSON.parse` failed: V8's messages do not always carry a position.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const problem = (message: string, at = i): never => {
    throw new JsonScanError(at, message);
  };
  const describe = (at: number): string =>
    at >= text.length ? 'end of input' : `'${String.fromCodePoint(text.codePointAt(at)!)}'`;
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else problem(`unexpected ${describe(i)}, expected a value`);
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) problem('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) problem('control character in a string (use an escape such as \\n)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) problem('bad \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else problem(`bad escape '\\${e ?? ''}'`);
      } else i++;
    }
  };
  const number = (): void => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null || m[0] === '-') problem(`unexpected ${describe(i)}, expected a value`);
    i += m![0].length;
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') object();
    else if (c === '[') array();
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else problem(`unexpected ${describe(i)}, expected a value`);
  };
  const object = (): void => {
    i++;
    skipSpace();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[i] !== '"') problem(`unexpected ${describe(i)}, expected a double-quoted property name`);
      string();
      skipSpace();
      if (text[i] !== ':') problem(`unexpected ${describe(i)}, expected ':' after a property name`);
      i++;
      value();
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        return;
      } else problem(`unexpected ${describe(i)}, expected ',' or '}' after a property value`);
    }
  };
  const array = (): void => {
    i++;
    skipSpace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === ']') {
        i++;
        return;
      } else problem(`unexpected ${describe(i)}, expected ',' or ']' after an array element`);
    }
  };
  try {
    value();
    skipSpace();
    if (i < text.length) problem(`unexpected ${describe(i)} after the JSON value`);
    return undefined;
  } catch (e) {
    if (!(e instanceof JsonScanError)) throw e;
    return { offset: e.offset, ...lineAndColumn(text, e.offset), message: e.message };
  }
}

/** 1-based line and column of a 0-based offset (lines end at `\n`). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, text.length);
  for (let k = 0; k < end; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      start = k + 1;
    }
  }
  return { line, column: end - start + 1 };
}

class JsonScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}
