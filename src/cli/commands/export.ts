/**
 * The `arbiter export` command: writes the decision network of a trained model as a standalone
 * artifact (JSON, binary, int8 or C source) for use outside Arbiter.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../../deploy/write-policy-export.js';
import { formatTable } from '../../report/table.js';
import { loadModelTarget } from '../../experiments/load-model-target.js';
import { writeJson } from '../output.js';

interface ExportOptions {
  format: ExportFormat;
  out: string;
  env?: string;
  envOptions?: string;
  name?: string;
  json?: boolean;
}

function parseFormat(v: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(v))
    throw new InvalidArgumentError(`expected one of ${EXPORT_FORMATS.join(', ')}`);
  return v as ExportFormat;
}

/**
 * `arbiter export MODEL --format json|bin|int8|c --out PATH [--env ENV]`: writes the decision
 * network of a trained model as a standalone artifact. `json`: Float32 weights as JSON; `bin`:
 * compact binary; `int8`: int8 weights (binary, or JSON when PATH ends in `.json`); `c`:
 * `PATH.c` and `PATH.h` (a `.c`/`.h` suffix on PATH is dropped) with `<name>_forward` and
 * `<name>_act`.
 */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a trained policy: standalone JSON/binary/int8 weights or C source + header')
    .argument(
      '<model>',
      'a run folder (its newest good checkpoint), its latest/ or checkpoints/step-N, or any checkpoint folder; non-finite weights are refused',
    )
    .requiredOption('-f, --format <format>', EXPORT_FORMATS.join(' | '), parseFormat)
    .requiredOption('-o, --out <path>', 'output file (for c: base path of the .c and .h files)')
    .option('-e, --env <id>', 'environment to rebuild the model on (default: the run’s)')
    .option('--env-options <json|file>', 'environment options, inline JSON or a file (default: the run’s)')
    .option('--name <identifier>', 'C function prefix (default: from --out)')
    .option('--json', 'print one JSON document {files, format, params, bytes, …}')
    .action(async (target: string, opts: ExportOptions) => {
      // Loaded here so that other commands never import TensorFlow.js.
      const { extractPolicyArtifact } = await import('../../deploy/extract-policy-artifact.js');
      const { artifactParamCount, assertArtifactFinite } = await import('../../deploy/policy-artifact.js');
      const { writePolicyExport } = await import('../../deploy/write-policy-export.js');
      const { algo, modelDir, env } = await loadModelTarget(target, opts);
      const artifact = extractPolicyArtifact(algo);
      // Refused before any file is written, naming the checkpoint (every format checks again).
      assertArtifactFinite(artifact, modelDir);

      const written = await writePolicyExport(artifact, opts.format, opts.out, opts.name);
      const params = artifactParamCount(artifact);
      const summary = {
        format: opts.format,
        files: written.map((w) => path.resolve(w.file)),
        bytes: written.reduce((s, w) => s + w.bytes, 0),
        params,
        inputDim: artifact.inputDim,
        outputDim: artifact.outputDim,
        layers: [
          ...(artifact.conv ?? []).map(
            (l) =>
              `conv ${l.filters}@${l.kernel}x${l.kernel}/${l.stride} on ${l.inputShape.join('x')} ${l.activation}`,
          ),
          ...artifact.layers.map((l) => `${l.inputDim}x${l.outputDim} ${l.activation}`),
        ],
        normalization: artifact.normalization !== undefined,
        algo: artifact.source?.algo,
        env,
        model: path.resolve(modelDir),
      };
      if (opts.json) {
        writeJson(summary);
        return;
      }
      process.stdout.write(
        formatTable(
          ['file', 'format', 'bytes', 'params', 'layers'],
          written.map((w) => [w.file, opts.format, w.bytes, params, summary.layers.join(' → ')]),
        ) + '\n',
      );
    });
}
