import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One module of a {@link staticImportGraph}. */
export interface ImportNode {
  /** Packages (non-relative specifiers) the module imports. */
  packages: string[];
  /** The module through which the walk first reached this one; none for a root. */
  via?: string;
}

/**
 * The static import graph of TypeScript sources: every module reachable from the roots, with the
 * packages it imports. Followed: value `import … from`, `export … from` (re-exports load their
 * module too) and side-effect `import '…'`. Not followed: `import type` / `export type` (erased)
 * and dynamic `await import()` (what commands use to load heavy packages on demand).
 * Relative `./x.js` specifiers are read as the `./x.ts` source beside them.
 */
export function staticImportGraph(roots: readonly string[]): Map<string, ImportNode> {
  const graph = new Map<string, ImportNode>();
  const pending: [file: string, via: string | undefined][] = roots.map((r) => [path.resolve(r), undefined]);
  // A work list, not recursion: import chains are as deep as the source tree makes them.
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [file, via] = next;
    if (graph.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    const specs = [
      ...[...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!),
      ...[...text.matchAll(/^import\s+'([^']+)'/gm)].map((m) => m[1]!),
    ];
    graph.set(file, {
      packages: [...new Set(specs.filter((s) => !s.startsWith('.')))],
      ...(via ? { via } : {}),
    });
    for (const s of specs)
      if (s.startsWith('.'))
        pending.push([path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')), file]);
  }
  return graph;
}

/**
 * Every import of a package that `heavy` picks, as the chain that reaches it from a root:
 * `src/a.ts → src/b.ts → pkg` (paths relative to cwd).
 */
export function heavyImports(graph: Map<string, ImportNode>, heavy: (pkg: string) => boolean): string[] {
  const found: string[] = [];
  for (const [file, node] of graph)
    for (const p of node.packages) {
      if (!heavy(p)) continue;
      const chain = [p];
      for (let f: string | undefined = file; f !== undefined; f = graph.get(f)?.via)
        chain.unshift(path.relative(process.cwd(), f));
      found.push(chain.join(' → '));
    }
  return found;
}

/** TensorFlow.js and its backends. */
export const isTensorFlow = (pkg: string): boolean => pkg.startsWith('@tensorflow/');

/** Vega and Vega-Lite (the plot renderers). */
export const isVega = (pkg: string): boolean => pkg === 'vega' || pkg === 'vega-lite';
