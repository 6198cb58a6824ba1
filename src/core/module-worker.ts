/**
 * Worker threads on a module of the library, whether it runs compiled (`.js`) or from its
 * TypeScript sources (as under the test runner): TypeScript goes through tsx's ESM API,
 * registered inside the worker before its entry is imported (on Node 20, `--import tsx` in a
 * worker's execArgv does not apply to the worker's entry module).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { ArbiterError } from './errors.js';

/**
 * Starts a worker thread on `entry` (a file URL). With `useTsx`, the worker registers tsx first,
 * so that `entry` and what it imports may be TypeScript; throws an `ArbiterError` (`code`) when
 * tsx is not installed.
 */
export function startModuleWorker(
  entry: URL,
  useTsx: boolean,
  options: Omit<WorkerOptions, 'eval'> = {},
  code = 'worker',
): Worker {
  if (!useTsx) return new Worker(entry, options);
  const boot =
    `import(${JSON.stringify(tsxApiUrl(code))})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * The module beside `importMetaUrl` named `name` (no extension), as the caller runs: its `.ts`
 * source when the caller is a `.ts` file, else its compiled `.js`; `ts` says which.
 */
export function siblingModule(importMetaUrl: string, name: string): { url: URL; ts: boolean } {
  const ts = importMetaUrl.endsWith('.ts');
  return { url: new URL(`./${name}${ts ? '.ts' : '.js'}`, importMetaUrl), ts };
}

function tsxApiUrl(code: string): string {
  const require = createRequire(import.meta.url);
  let pkgPath: string;
  try {
    pkgPath = require.resolve('tsx/package.json');
  } catch {
    throw new ArbiterError(
      code,
      'loading TypeScript modules in worker threads needs tsx (npm i -D tsx), or build to JavaScript first',
    );
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } } | string>;
  };
  const api = pkg.exports?.['./esm/api'];
  const rel =
    typeof api === 'object' && api.import?.default ? api.import.default : './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}
