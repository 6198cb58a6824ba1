/**
 * A block of a Markdown report that another benchmark owns, between two HTML comments: each
 * benchmark rewrites its own part of a shared results file and keeps the other's.
 */

const START = '<!-- od3-pixel:start -->';
const END = '<!-- od3-pixel:end -->';

/** The marked block of `text` (markers included), or '' when it has none. */
export function markedSection(text: string): string {
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  return a >= 0 && b > a ? text.slice(a, b + END.length) : '';
}

/** `text` without its marked block, with `body` (given without markers; '' for none) as the block at the end. */
export function withMarkedSection(text: string, body: string): string {
  const old = markedSection(text);
  const rest = (old ? text.replace(old, '') : text).trimEnd();
  const inner = body.startsWith(START)
    ? body.slice(START.length, body.length - END.length).trim()
    : body.trim();
  return inner ? `${rest}\n\n${START}\n${inner}\n${END}\n` : `${rest}\n`;
}
