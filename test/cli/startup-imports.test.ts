import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every module reachable from `file` through static value imports (type-only imports are erased;
// dynamic `await import()` is what commands use to load heavy packages on demand).
function staticImports(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
  const packages = specs.filter((s) => !s.startsWith('.'));
  seen.set(file, packages);
  for (const s of specs.filter((x) => x.startsWith('.')))
    staticImports(path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')), seen);
  return seen;
}

describe('CLI start-up', () => {
  it('loads neither TensorFlow.js nor Vega until a command needs them (dag commands start fast)', () => {
    const graph = staticImports(path.resolve('src/cli/main.ts'));
    const heavy: string[] = [];
    for (const [file, packages] of graph)
      for (const p of packages)
        if (p.startsWith('@tensorflow/') || p === 'vega' || p === 'vega-lite')
          heavy.push(`${path.relative(process.cwd(), file)} → ${p}`);
    expect(graph.size).toBeGreaterThan(20);
    expect(heavy).toEqual([]);
  });
});
