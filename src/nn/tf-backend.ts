/**
 * TensorFlow.js for the project: one place that picks and initialises the backend. The WASM
 * backend (`@tensorflow/tfjs-backend-wasm`) is the default: it ships its `.wasm` files in
 * node_modules, so it works offline, and it is several times faster than the pure-JS CPU backend
 * for the small dense networks of RL. `tfjs-node` is never required; it is used only when it
 * happens to be installed and the caller (or `ARBITER_TF_BACKEND`) asks for it.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ArbiterError } from '../core/errors.js';

export * as tf from '@tensorflow/tfjs';

/** Which backend {@link initTf} should select. `'auto'` = WASM, else CPU. */
export type TfBackendChoice = 'auto' | 'wasm' | 'cpu' | 'tensorflow';

/** Options of {@link initTf}. */
export interface InitTfOptions {
  /**
   * Backend to select. Default: the `ARBITER_TF_BACKEND` environment variable, else `'auto'`
   * (WASM, falling back to CPU). `'tensorflow'` loads `@tensorflow/tfjs-node` if installed and
   * falls back like `'auto'` otherwise.
   */
  backend?: TfBackendChoice;
  /** WASM threads (only used where the WASM build supports threads). Default: min(4, cores). */
  threads?: number;
}

let initialized: Promise<string> | undefined;
let readyBackend: string | undefined;

/**
 * Selects and initialises the TensorFlow.js backend; returns its name (`'wasm'`, `'cpu'` or
 * `'tensorflow'`). Idempotent: later calls return the first call's result without re-selecting.
 */
export function initTf(options: InitTfOptions = {}): Promise<string> {
  initialized ??= selectBackend(options).then((name) => (readyBackend = name));
  return initialized;
}

/** The backend chosen by a completed {@link initTf}, or undefined before it resolved. */
export function tfBackendName(): string | undefined {
  return readyBackend;
}

/**
 * Throws a `tf-not-initialized` error unless {@link initTf} has completed. Called by
 * constructors that create tensors synchronously, so the failure names the fix.
 */
export function assertTfReady(what: string): void {
  if (readyBackend === undefined)
    throw new ArbiterError(
      'tf-not-initialized',
      `${what}: TensorFlow.js is not initialised; call \`await initTf()\` (src/nn/tf-backend.ts) first`,
    );
}

async function selectBackend(options: InitTfOptions): Promise<string> {
  const fromEnv = process.env.ARBITER_TF_BACKEND as TfBackendChoice | undefined;
  const choice: TfBackendChoice = options.backend ?? fromEnv ?? 'auto';
  if (choice === 'tensorflow' && (await tryTfjsNode())) return tf.getBackend();
  if (choice !== 'cpu' && (await tryWasm(options.threads))) return 'wasm';
  await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}

async function tryWasm(threads: number | undefined): Promise<boolean> {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    // A directory path (with trailing separator) makes the backend read the .wasm files from disk.
    setWasmPaths(path.join(path.dirname(pkg), 'dist') + path.sep);
    setThreadsCount(Math.max(1, threads ?? Math.min(4, os.availableParallelism())));
    if (!(await tf.setBackend('wasm'))) return false;
    await tf.ready();
    return tf.getBackend() === 'wasm';
  } catch {
    return false;
  }
}

async function tryTfjsNode(): Promise<boolean> {
  // A computed specifier keeps TypeScript and bundlers from requiring the optional package.
  const name = ['@tensorflow', 'tfjs-node'].join('/');
  try {
    await import(name);
    if (!(await tf.setBackend('tensorflow'))) return false;
    await tf.ready();
    return tf.getBackend() === 'tensorflow';
  } catch {
    return false;
  }
}
