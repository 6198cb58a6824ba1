/**
 * The committed set file of the issue-16 EGS benchmark (`bench/data/egs-sets-v1.json`): the
 * declaration it was made from, how D was found, every DAG in the canonical JSON form and every
 * set with its deadlines. Written atomically; read with a zod schema whose errors name the file,
 * the item and the rule; stale (a clear error) when the code's declaration or generators changed.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { canonicalJson } from '../core/canonical-json.js';
import { parseConfig } from '../core/config-schema.js';
import { ArbiterError, ValidationError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { buildDag } from '../dag/build-dag.js';
import {
  EGS_SET_GENERATORS,
  generateEgsSetDags,
  readEgsStgDags,
  type EgsHeldOutSets,
  type EgsSetDeclaration,
} from './egs-held-out-sets.js';

/** The `format` tag of a set file. */
export const EGS_SET_FILE_FORMAT = 'arbiter-egs-sets';

/** Default path of the set file. */
export const EGS_SET_FILE = 'bench/data/egs-sets-v1.json';

/** A set file: header plus {@link EgsHeldOutSets}. */
export interface EgsSetFile extends EgsHeldOutSets {
  /** {@link EGS_SET_FILE_FORMAT}. */
  format: string;
  /** The declaration the sets were made from. */
  declaration: EgsSetDeclaration;
  /** How D was found: the command and the makespan method. */
  generatedBy: { command: string; timeLimitS: number | null; makespanMethod: string };
}

const positiveInt = z.number().int().min(1);
const nodeId = z.union([z.string(), z.number().int()]);

const SPEC = z
  .object({
    name: z.string(),
    nodes: z.array(z.object({ id: nodeId, wcet: z.number().min(0) }).passthrough()).min(1),
    edges: z.array(z.tuple([nodeId, nodeId])),
  })
  .passthrough();

/** The zod schema of a set file (strict at every level but the DAG specs, which keep extras). */
export const EGS_SET_FILE_SCHEMA = z
  .object({
    format: z.literal(EGS_SET_FILE_FORMAT),
    declaration: z
      .object({
        version: positiveInt,
        seedBase: z.number().int().min(0),
        wcet: z.tuple([positiveInt, positiveInt]),
        sizes: z.array(
          z
            .object({ nodes: positiveInt, perGenerator: positiveInt, cores: z.array(positiveInt).min(1) })
            .strict(),
        ),
        stg: z.array(
          z
            .object({
              file: z.string().min(1),
              nodes: positiveInt,
              optimal: z.record(z.string(), z.number().positive()),
            })
            .strict(),
        ),
      })
      .strict(),
    generatedBy: z
      .object({
        command: z.string(),
        timeLimitS: z.number().positive().nullable(),
        makespanMethod: z.string(),
      })
      .strict(),
    dags: z.array(
      z
        .object({
          key: z.string().min(1),
          generator: z.enum([...EGS_SET_GENERATORS, 'stg']),
          seed: z.number().int().min(0).optional(),
          file: z.string().optional(),
          spec: SPEC,
        })
        .strict(),
    ),
    sets: z.array(
      z
        .object({
          name: z.string().min(1),
          nodes: positiveInt,
          m: positiveInt,
          items: z
            .array(
              z
                .object({
                  dag: z.string().min(1),
                  D: z.number().positive(),
                  proven: z.boolean(),
                  lowerBound: z.number().positive(),
                  by: z.string().min(1),
                })
                .strict(),
            )
            .min(1),
        })
        .strict(),
    ),
  })
  .strict();

/** The set file's text: canonical key order, one DAG and one set per line (diffs stay readable). */
export function formatEgsSetFile(file: EgsSetFile): string {
  const line = (v: unknown): string => canonicalJson(v);
  const { dags, sets, ...header } = file;
  const head = Object.entries(header).map(([k, v]) => `  ${JSON.stringify(k)}: ${line(v)}`);
  return (
    `{\n${head.join(',\n')},\n` +
    `  "dags": [\n${dags.map((d) => `    ${line(d)}`).join(',\n')}\n  ],\n` +
    `  "sets": [\n${sets.map((s) => `    ${line(s)}`).join(',\n')}\n  ]\n}\n`
  );
}

/** Writes a set file atomically (temp file + rename). */
export async function writeEgsSetFile(path: string, file: EgsSetFile): Promise<void> {
  await writeFileAtomic(path, formatEgsSetFile(file));
}

/**
 * Parses and validates set-file text: JSON syntax, the schema (errors `file: key 'dags.3.spec':
 * rule: …`), every DAG through `buildDag` (the graph rules, naming the DAG), unique keys and set
 * names, known DAG keys, and `lowerBound ≤ D`.
 */
export function parseEgsSetFile(text: string, file: string): EgsSetFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ValidationError('json-syntax', (e as Error).message, { file });
  }
  const parsed = parseConfig(EGS_SET_FILE_SCHEMA, value, {
    source: file,
    what: 'EGS set file',
  }) as EgsSetFile;
  const keys = new Set<string>();
  parsed.dags.forEach((d, k) => {
    const item = `dags.${k} ('${d.key}')`;
    if (keys.has(d.key))
      throw new ValidationError('unique-key', `DAG key '${d.key}' appears twice`, { file, item });
    keys.add(d.key);
    try {
      buildDag(d.spec);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // The graph rule's own message, under the file and the DAG's place in it.
      const prefix = `${e.item !== undefined ? `${e.item}: ` : ''}${e.rule}: `;
      const detail = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
      throw new ValidationError(e.rule, detail, {
        file,
        item: `${item}${e.item !== undefined ? ` ${e.item}` : ''}`,
      });
    }
  });
  const names = new Set<string>();
  parsed.sets.forEach((s, k) => {
    if (names.has(s.name))
      throw new ValidationError('unique-set', `set name '${s.name}' appears twice`, {
        file,
        item: `sets.${k}`,
      });
    names.add(s.name);
    s.items.forEach((it, j) => {
      const item = `sets.${k}.items.${j} (set '${s.name}')`;
      if (!keys.has(it.dag))
        throw new ValidationError('unknown-dag', `names DAG '${it.dag}', which the file does not hold`, {
          file,
          item,
        });
      if (it.lowerBound > it.D)
        throw new ValidationError('bound', `lowerBound ${it.lowerBound} exceeds D ${it.D}`, { file, item });
    });
  });
  return parsed;
}

/**
 * Reads and validates a set file and checks it is current for `decl`: the same declaration, and
 * every generated DAG (and STG sample, read from `root`) identical to what the code makes now.
 * A missing file or a stale one is an {@link ArbiterError} (`egs-sets-missing`, `egs-sets-stale`)
 * that says to run `npm run bench -- egs-sets`. With `decl` null (a set of the user's own) only
 * the format and the DAGs are checked.
 */
export async function readEgsSetFile(
  path: string,
  decl: EgsSetDeclaration | null,
  root = '.',
): Promise<EgsSetFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const hint = decl === null ? '' : '; make it with `npm run bench -- egs-sets`';
    throw new ArbiterError(
      'egs-sets-missing',
      `${path}: cannot read the EGS set file (${(e as NodeJS.ErrnoException).code ?? String(e)})${hint}`,
    );
  }
  const file = parseEgsSetFile(text, path);
  if (decl === null) return file;
  const stale = (why: string): ArbiterError =>
    new ArbiterError(
      'egs-sets-stale',
      `${path}: stale EGS set file (${why}); regenerate it with \`npm run bench -- egs-sets\``,
    );
  if (canonicalJson(file.declaration) !== canonicalJson(decl))
    throw stale('its declaration differs from EGS_SET_DECLARATION in src/experiments/egs-held-out-sets.ts');
  const now = [
    ...decl.sizes.flatMap((s) => generateEgsSetDags(decl, s.nodes)),
    ...(await readEgsStgDags(decl, root)),
  ];
  const held = new Map(file.dags.map((d) => [d.key, d]));
  for (const d of now) {
    const h = held.get(d.key);
    if (!h) throw stale(`it lacks DAG '${d.key}'`);
    if (canonicalJson(h.spec) !== canonicalJson(d.spec))
      throw stale(`DAG '${d.key}' differs from what its generator makes now`);
  }
  if (file.dags.length !== now.length)
    throw stale(`it holds ${file.dags.length} DAGs, the declaration ${now.length}`);
  return file;
}
