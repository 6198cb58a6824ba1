/** A decimal numeral as the text formats (STG, DOT) accept it: `3`, `-2.5`, `.5`, `1e-3`. */
export const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * `, which is not a finite number (…)` for a numeral that overflows a double (`1e309` reads as
 * Infinity), else `''`: appended to "must be a finite number" messages so they say why.
 */
export function notFiniteNote(text: string): string {
  return NUMBER.test(text.trim()) && !Number.isFinite(Number(text))
    ? ', which is not a finite number (numbers beyond ±1.8e308 read as Infinity)'
    : '';
}
