/**
 * LP-format text helpers shared by the MILP writers of the `optimal` method.
 */

/**
 * Splits long lines at term boundaries; LP readers may limit line length. Linear in the line
 * length: an objective over 10⁵ variables is one line of megabytes.
 */
export function wrapLpLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let pos = 0;
    let prefix = '';
    while (prefix.length + line.length - pos > 200) {
      // Search the window only: a backward search from the limit may scan the whole line.
      const window = line.slice(pos, pos + 203 - prefix.length);
      const cut = pos + Math.max(window.lastIndexOf(' + '), window.lastIndexOf(' - '));
      if (cut <= pos) break;
      out.push(prefix + line.slice(pos, cut));
      pos = cut + 1;
      prefix = '   ';
    }
    out.push(pos === 0 ? line : prefix + line.slice(pos));
  }
  return out;
}

/** The `Binaries` section of an LP file for `names`, 20 names a line (no lines when empty). */
export function binariesSection(names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const lines = ['Binaries'];
  for (let k = 0; k < names.length; k += 20) lines.push(` ${names.slice(k, k + 20).join(' ')}`);
  return lines;
}
