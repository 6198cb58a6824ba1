import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { heavyImports, isTensorFlow, isVega, staticImportGraph } from '../helpers/import-graph.js';

interface ExportConditions {
  types: string;
  import: string;
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  name: string;
  exports: Record<string, ExportConditions>;
};

/** Which subpaths may load TensorFlow.js; every other entry must never reach it. */
const LOADS_TF: Record<string, boolean> = {
  '.': true,
  './core': false,
  './dag': false,
  './logic': false,
  './envs': false,
  './deploy': false,
  './rl': true,
  './dashboard': false,
};
/** Subpaths the everything entry leaves out: the dashboard would load its web server (Fastify) with it. */
const APART = new Set(['./dashboard']);
/** The web server's packages: only `arbiter/dashboard` may reach them. */
const isWebServer = (pkg: string): boolean => pkg === 'fastify' || pkg.startsWith('@fastify/');

// package.json points at dist/; the tests read the sources tsc builds it from.
const sourceOf = (distJs: string): string =>
  path.resolve(distJs.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
const subpaths = Object.keys(pkg.exports).filter((s) => s !== '.');

describe('library entries (package.json exports)', () => {
  it('maps every subpath to one src/entries file, types beside the JS tsc emits', () => {
    expect(Object.keys(pkg.exports).sort()).toEqual(Object.keys(LOADS_TF).sort());
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    for (const s of subpaths) {
      const name = s.slice(2);
      expect(pkg.exports[s]).toEqual({
        types: `./dist/entries/${name}.d.ts`,
        import: `./dist/entries/${name}.js`,
      });
    }
    const files = readdirSync('src/entries').map((f) => `./${f.replace(/\.ts$/, '')}`);
    expect(files.sort()).toEqual(subpaths.sort());
  });

  it.each(Object.entries(LOADS_TF))('%s: reaches TensorFlow.js through static imports: %s', (s, loadsTf) => {
    const graph = staticImportGraph([sourceOf(pkg.exports[s]!.import)]);
    expect(graph.size).toBeGreaterThan(3);
    const tf = heavyImports(graph, isTensorFlow);
    if (loadsTf) expect(tf.length).toBeGreaterThan(0);
    else expect(tf).toEqual([]);
    // The TF-free entries are the fast ones: no plot renderer either.
    if (!loadsTf) expect(heavyImports(graph, isVega)).toEqual([]);
    if (APART.has(s)) expect(heavyImports(graph, isWebServer).length).toBeGreaterThan(0);
    else expect(heavyImports(graph, isWebServer)).toEqual([]);
  });

  /** Imports the entries' sources in turn in a fresh node; per entry, the packages loaded so far. */
  const loadedPackages = (subs: readonly string[]): string[][] => {
    const sources = subs.map((s) => path.relative(process.cwd(), sourceOf(pkg.exports[s]!.import)));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arbiter-entries-'));
    try {
      const stdout = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'test/entries/fixtures/print-loaded-packages.ts',
          path.join(dir, 'log'),
          ...sources,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      const loaded = JSON.parse(stdout) as Record<string, string[]>;
      return sources.map((f) => loaded[f]!);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('loads TensorFlow.js at run time only where it may, and Fastify nowhere (TF-free entries first, in one process)', () => {
    const order = Object.keys(LOADS_TF)
      .filter((s) => !APART.has(s))
      .sort((a, b) => Number(LOADS_TF[a]) - Number(LOADS_TF[b]));
    const loaded = loadedPackages(order);
    order.forEach((s, i) => {
      const tf = loaded[i]!.filter(isTensorFlow);
      if (LOADS_TF[s]) expect(tf, s).toContain('@tensorflow/tfjs');
      else expect(tf, s).toEqual([]);
      expect(loaded[i]!.filter(isWebServer), s).toEqual([]);
    });
  });

  it.each([...APART])(
    '%s loads its web server, and TensorFlow.js only where it may (in a process of its own)',
    (s) => {
      const [loaded] = loadedPackages([s]);
      expect(loaded!).toContain('fastify');
      if (LOADS_TF[s]) expect(loaded!).toContain('@tensorflow/tfjs');
      else expect(loaded!.filter(isTensorFlow)).toEqual([]);
    },
  );

  it('says in its module comment whether it loads TensorFlow.js', () => {
    for (const s of Object.keys(LOADS_TF)) {
      const text = readFileSync(sourceOf(pkg.exports[s]!.import), 'utf8');
      const doc = /^\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
      expect(doc, s).toContain('@packageDocumentation');
      const says = /Does not load TensorFlow\.js/.test(doc) ? false : /Loads TensorFlow\.js/.test(doc);
      expect(says, `${s} module comment`).toBe(LOADS_TF[s]);
    }
  });

  it(`exports every subpath name from '${pkg.name}' too, as the same declaration (the dashboard's none)`, () => {
    const files = Object.values(pkg.exports).map((c) => sourceOf(c.import));
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    });
    const checker = program.getTypeChecker();
    const exportsOf = (file: string): Map<string, ts.Symbol> => {
      const source = program.getSourceFile(file)!;
      const moduleSymbol = checker.getSymbolAtLocation(source)!;
      const resolve = (s: ts.Symbol): ts.Symbol =>
        s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      return new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.getName(), resolve(s)]));
    };
    const everything = exportsOf(sourceOf(pkg.exports['.']!.import));
    // The full surface (values and types) as it stood when the entries were introduced.
    expect(everything.size).toBeGreaterThanOrEqual(643);
    for (const s of subpaths) {
      const names = exportsOf(sourceOf(pkg.exports[s]!.import));
      if (APART.has(s)) {
        expect(names.size, s).toBeGreaterThan(3);
        expect(
          [...names.keys()].filter((n) => everything.has(n)),
          `${s} names in '${pkg.name}'`,
        ).toEqual([]);
        continue;
      }
      expect(names.size, s).toBeGreaterThan(10);
      const missing = [...names].filter(([n, sym]) => everything.get(n) !== sym).map(([n]) => n);
      expect(missing, `${s} names not exported by '${pkg.name}'`).toEqual([]);
    }
  });

  it('is a façade: no library module imports an entry (entries sit above every layer)', () => {
    const entries = new Set(readdirSync('src/entries').map((f) => path.resolve('src/entries', f)));
    const index = path.resolve('src/index.ts');
    const graph = staticImportGraph([index]);
    const offenders: string[] = [];
    for (const file of graph.keys()) {
      if (file === index || entries.has(file)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from\s+'([^']+)'/g))
        if (
          m[1]!.startsWith('.') &&
          entries.has(path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')))
        )
          offenders.push(`${path.relative(process.cwd(), file)} → ${m[1]}`);
    }
    expect(graph.size).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });
});
