/**
 * `npm run build:dashboard` (part of `npm run build`): bundles the dashboard's browser code
 * (`src/dashboard/client/main.ts`, Vega and Vega-Lite included, split so Vega loads on first use)
 * with esbuild and copies its page and style sheet, into `dist/dashboard/public/` where the server
 * looks for them. Nothing is fetched from a CDN: the page works offline.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The repository root (this file is in scripts/). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the built front end goes by default, relative to the repository root. */
export const DASHBOARD_PUBLIC_DIR = 'dist/dashboard/public';
const CLIENT = path.join(ROOT, 'src/dashboard/client');

/** Bundles the front end into `outDir` (replacing it) and resolves when every file is written. */
export async function buildDashboard(
  outDir: string = path.join(ROOT, DASHBOARD_PUBLIC_DIR),
  minify = true,
): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { app: path.join(CLIENT, 'main.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    outdir: outDir,
    chunkNames: 'chunk-[hash]',
    minify,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await Promise.all(
    ['index.html', 'dashboard.css'].map((f) => copyFile(path.join(CLIENT, f), path.join(outDir, f))),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await buildDashboard();
