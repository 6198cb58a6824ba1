/**
 * Reading a JSON object given on the command line, as a file (`--config ppo.json`) or inline, with
 * errors that name the file or option and the rule broken.
 */
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
  return parseJsonObject(text, file);
}

/** A JSON object option and where it came from (the file, or the flag for inline JSON). */
export interface JsonObjectOption {
  /** The parsed object. */
  value: Record<string, unknown>;
  /** The file path, or the flag (e.g. `--config`) when the JSON was given inline. */
  source: string;
}

/**
 * Reads an option that is either inline JSON (`--config '{"learningRate":1e-3}'`, recognised by
 * its leading `{`) or the path of a JSON file; errors name the flag or the file.
 */
export async function readJsonObjectOption(arg: string, flag: string): Promise<JsonObjectOption> {
  if (arg.trimStart().startsWith('{')) return { value: parseJsonObject(arg, flag), source: flag };
  return { value: await readJsonObjectFile(arg), source: arg };
}

function parseJsonObject(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ValidationError('json-syntax', (e as Error).message, { file });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ValidationError('json-object', 'the option must be one JSON object', { file });
  return value as Record<string, unknown>;
}
