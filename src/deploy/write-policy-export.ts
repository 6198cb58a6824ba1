/**
 * Writes a policy artifact as the files of one export format (what `arbiter export` produces):
 * Float32 JSON, compact binary, int8 (binary, or JSON when the path ends in `.json`), or C source
 * and header. Every file is written atomically.
 */
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { generatePolicyC, toCIdentifier } from './c-codegen.js';
import { encodePolicyArtifact, policyArtifactToJson, type FloatPolicyArtifact } from './policy-artifact.js';
import { quantizeInt8 } from './quantize-int8.js';

/** Output formats of `arbiter export`. */
export const EXPORT_FORMATS = ['json', 'bin', 'int8', 'c'] as const;
/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A file {@link writePolicyExport} wrote. */
export interface WrittenExportFile {
  /** Its path, as given (for `c`: `out` without a `.c`/`.h` suffix, plus `.h` and `.c`). */
  file: string;
  /** Bytes written. */
  bytes: number;
}

/**
 * Writes `artifact` in `format` to `out` (for `c`: `out.h` and `out.c`, a `.c`/`.h` suffix on
 * `out` dropped, functions prefixed `name`, default from the file name) and lists the files.
 */
export async function writePolicyExport(
  artifact: FloatPolicyArtifact,
  format: ExportFormat,
  out: string,
  name?: string,
): Promise<WrittenExportFile[]> {
  const written: WrittenExportFile[] = [];
  const write = async (file: string, data: string | Uint8Array): Promise<void> => {
    await writeFileAtomic(file, data);
    written.push({ file, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length });
  };
  switch (format) {
    case 'json':
      await write(out, policyArtifactToJson(artifact));
      break;
    case 'bin':
      await write(out, encodePolicyArtifact(artifact));
      break;
    case 'int8': {
      const q = quantizeInt8(artifact);
      await write(out, out.endsWith('.json') ? policyArtifactToJson(q) : encodePolicyArtifact(q));
      break;
    }
    case 'c': {
      const base = out.replace(/\.[ch]$/, '');
      const cName = name ?? toCIdentifier(path.basename(base));
      const c = generatePolicyC(artifact, cName);
      await write(`${base}.h`, c.header);
      // The source includes the header by its file name, which may differ from the C name.
      await write(
        `${base}.c`,
        c.source.replace(`#include "${cName}.h"`, `#include "${path.basename(base)}.h"`),
      );
      break;
    }
  }
  return written;
}
