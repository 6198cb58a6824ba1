import { readFile } from 'node:fs/promises';
import { ValidationError } from '../core/errors.js';

/**
 * Reads a JSON object from a file given on the command line (e.g. `--config ppo.json`); errors
 * name the file and the rule.
 */
export async function readJsonObjectFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ValidationError('readable', `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, {
      file,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ValidationError('json-syntax', (e as Error).message, { file });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ValidationError('json-object', 'the file must hold one JSON object', { file });
  return value as Record<string, unknown>;
}
