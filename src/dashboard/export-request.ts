/**
 * The runs view's export buttons: a run's checkpoint (its newest good one, or a named
 * `checkpoints/step-N`) written by `arbiter export`'s own writer in one format, into a temporary
 * folder, and answered as the file to download. TensorFlow.js is loaded only when an export runs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ArbiterError } from '../core/errors.js';
import { EXPORT_FORMATS, type ExportFormat } from '../deploy/write-policy-export.js';
import { confinedPath } from './confined-path.js';

/** What an export request names: a run, optionally one of its checkpoints, a format and for C the part. */
export interface ExportRequest {
  /** The run's id (its folder relative to the dashboard folder). */
  run: string;
  /** A checkpoint folder name under `checkpoints/` (e.g. `step-4096`); default the run's newest good one. */
  checkpoint?: string;
  /** Export format (`json`, `bin`, `int8` or `c`). */
  format: string;
  /** For `c`: which file, the source `c` (default) or the header `h`. */
  part?: string;
}

/** An exported file to send. */
export interface ExportedFile {
  /** File name to offer (`<run>-<checkpoint>.<ext>`). */
  name: string;
  /** MIME type. */
  type: string;
  /** Contents. */
  data: Buffer;
}

/** Exports the request's checkpoint; errors are `ArbiterError`s (bad request, confinement, a refused model). */
export async function runExportRequest(root: string, request: ExportRequest): Promise<ExportedFile> {
  const format = request.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format))
    throw new ArbiterError(
      'bad-request',
      `unknown export format '${request.format}' (${EXPORT_FORMATS.join(', ')})`,
    );
  const part = request.part ?? 'c';
  if (format === 'c' && part !== 'c' && part !== 'h')
    throw new ArbiterError('bad-request', `the C export's part is c or h, got '${part}'`);
  const checkpoint = request.checkpoint;
  if (checkpoint !== undefined && !/^step-\d+$/.test(checkpoint))
    throw new ArbiterError('bad-request', `a checkpoint is named step-N, got '${checkpoint}'`);
  const runDir = await confinedPath(root, request.run);
  const target = checkpoint === undefined ? runDir : path.join(runDir, 'checkpoints', checkpoint);
  const [{ loadModelTarget }, { extractPolicyArtifact }, { assertArtifactFinite }, { writePolicyExport }] =
    await Promise.all([
      import('../experiments/load-model-target.js'),
      import('../deploy/extract-policy-artifact.js'),
      import('../deploy/policy-artifact.js'),
      import('../deploy/write-policy-export.js'),
    ]);
  const { algo, modelDir } = await loadModelTarget(target, {});
  const artifact = extractPolicyArtifact(algo);
  assertArtifactFinite(artifact, modelDir);
  const base = `${path.basename(runDir)}-${checkpoint ?? path.basename(modelDir)}`.replace(/[^\w.-]/g, '_');
  const ext = format === 'c' ? '' : format === 'json' ? '.json' : format === 'int8' ? '.int8.json' : '.bin';
  const dir = await mkdtemp(path.join(tmpdir(), 'arbiter-export-'));
  try {
    const written = await writePolicyExport(artifact, format, path.join(dir, base + ext));
    const file = format === 'c' ? written.find((w) => w.file.endsWith(`.${part}`))! : written[0]!;
    return {
      name: path.basename(file.file),
      type: file.file.endsWith('.json')
        ? 'application/json'
        : format === 'c'
          ? 'text/x-c'
          : 'application/octet-stream',
      data: await readFile(file.file),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
