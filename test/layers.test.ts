import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The layer order is written once, in the README's "Project layout" block (lowest first); this
// test reads it from there, so the README and the check cannot drift apart.
function layerOrder(readme: string): string[] {
  const section = readme.split(/^## Project layout$/m)[1]?.split(/^## /m)[0] ?? '';
  const block = section.split('```')[1] ?? '';
  return [...block.matchAll(/^src\/([\w-]+)\/\s/gm)].map((m) => m[1]!);
}

// Relative module specifiers of a file: static imports and re-exports (type-only ones too: a type
// from a higher layer is still a dependency on it), side-effect imports and dynamic import().
function relativeSpecifiers(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*'([^']+)'/gm,
    /^\s*import\s*'([^']+)'/gm,
    /\bimport\s*\(\s*'([^']+)'\s*\)/g,
  ];
  return patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!)).filter((s) => s.startsWith('.'));
}

/** `layer/…` of a path relative to src/, or undefined for an entry file directly in src/. */
function layerOf(relative: string): string | undefined {
  const parts = relative.split(/[\\/]/);
  return parts.length > 1 ? parts[0] : undefined;
}

/** The imports of `file` (relative to src/) that reach a layer above its own, as `file → specifier`. */
function upwardImports(file: string, text: string, order: readonly string[]): string[] {
  const own = layerOf(file);
  if (own === undefined) return []; // entries (src/index.ts …) may import every layer
  const rank = order.indexOf(own);
  const out: string[] = [];
  for (const spec of relativeSpecifiers(text)) {
    const target = path.normalize(path.join(path.dirname(file), spec));
    const layer = layerOf(target);
    const targetRank = layer === undefined ? Infinity : order.indexOf(layer);
    if (targetRank > rank) out.push(`src/${file} (${own}) → ${spec} (${layer ?? 'entry'})`);
  }
  return out;
}

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name), path.join(prefix, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(prefix, e.name)]
        : [],
  );
}

describe('layers', () => {
  const order = layerOrder(readFileSync('README.md', 'utf8'));

  it('the README lists every folder of src/ as a layer, each once', () => {
    const folders = readdirSync('src', { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(order.length).toBeGreaterThan(5);
    expect(new Set(order).size).toBe(order.length);
    expect([...order].sort()).toEqual(folders);
  });

  it('no file under src/ imports from a layer above its own', () => {
    const files = sourceFiles('src');
    expect(files.length).toBeGreaterThan(100);
    const violations = files.flatMap((f) =>
      upwardImports(f, readFileSync(path.join('src', f), 'utf8'), order),
    );
    expect(violations).toEqual([]);
  });

  it('the check sees upward static, type-only, re-exported and dynamic imports, and allows downward ones', () => {
    const order = ['core', 'dag', 'report', 'cli'];
    const text = [
      "import { a } from '../../cli/run-cli.js';",
      "import type { B } from '../../report/table.js';",
      "export { c } from '../../report/table.js';",
      "const d = await import('../../cli/main.js');",
      "import { e } from '../../index.js';",
      "import { f } from '../../core/rng.js';",
      "import { g } from './sibling.js';",
      "import { h } from 'commander';",
    ].join('\n');
    expect(upwardImports('dag/io/read.ts', text, order)).toEqual([
      'src/dag/io/read.ts (dag) → ../../cli/run-cli.js (cli)',
      'src/dag/io/read.ts (dag) → ../../report/table.js (report)',
      'src/dag/io/read.ts (dag) → ../../report/table.js (report)',
      'src/dag/io/read.ts (dag) → ../../index.js (entry)',
      'src/dag/io/read.ts (dag) → ../../cli/main.js (cli)',
    ]);
    expect(upwardImports('index.ts', text, order)).toEqual([]);
  });
});
