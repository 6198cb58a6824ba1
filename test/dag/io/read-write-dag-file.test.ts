import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dagToSpec } from '../../../src/dag/build-dag.js';
import { DAG_FORMATS, detectFormat, isDagFormat } from '../../../src/dag/io/dag-format.js';
import { parseDag, readDagFile } from '../../../src/dag/io/read-dag-file.js';
import { formatDag, writeDagFile } from '../../../src/dag/io/write-dag-file.js';
import { egsExample } from '../../helpers/random-dag.js';
import { dataDir, hasData, validationErrorOf, validationErrorOfAsync } from './io-test-helpers.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'arbiter-dag-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('detectFormat', () => {
  it('maps .json, .stg, .dot and .gv (any case)', () => {
    expect(detectFormat('a/b.json')).toBe('json');
    expect(detectFormat('x.STG')).toBe('stg');
    expect(detectFormat('x.dot')).toBe('dot');
    expect(detectFormat('x.gv')).toBe('dot');
    expect(DAG_FORMATS.every(isDagFormat)).toBe(true);
    expect(isDagFormat('xml')).toBe(false);
  });

  it('rejects other extensions with a clear message', () => {
    expect(validationErrorOf(() => detectFormat('task.txt')).message).toBe(
      "task.txt: file-format: cannot tell the format from the extension '.txt'; use .json, .stg, .dot or .gv, or name the format explicitly",
    );
    expect(validationErrorOf(() => detectFormat('Makefile')).message).toContain('extension (none)');
  });
});

describe('readDagFile / writeDagFile', () => {
  it('writes and reads back every format (format from the extension)', async () => {
    const dag = egsExample();
    for (const format of DAG_FORMATS) {
      const file = path.join(dir, `ex.${format}`);
      await writeDagFile(file, dag);
      const back = await readDagFile(file);
      expect(back.source).toBe(file);
      expect([...back.wcet]).toEqual([...dag.wcet]);
      expect(back.edges).toEqual(dag.edges);
      expect(back.deadline).toBe(8);
    }
  });

  it('an explicit format overrides the extension', async () => {
    const file = path.join(dir, 'task.txt');
    await writeDagFile(file, egsExample(), 'stg');
    expect((await readFile(file, 'utf8')).includes('# deadline: 8')).toBe(true);
    expect((await readDagFile(file, { format: 'stg' })).n).toBe(7);
  });

  it('replaces an existing file, leaves no temporary file, creates missing folders', async () => {
    const file = path.join(dir, 'sub', 'deeper', 'task.json');
    await writeDagFile(file, egsExample());
    await writeDagFile(file, egsExample());
    expect(await readdir(path.dirname(file))).toEqual(['task.json']);
    expect(dagToSpec(await readDagFile(file))).toEqual(dagToSpec(egsExample()));
  });

  it('a missing file is a ValidationError naming the path (rule file)', async () => {
    const file = path.join(dir, 'nope.json');
    const e = await validationErrorOfAsync(() => readDagFile(file));
    expect(e.rule).toBe('file');
    expect(e.file).toBe(file);
    expect(e.message).toBe(`${file}: file: no such file '${file}'`);
  });

  it('a folder is not a file', async () => {
    const sub = path.join(dir, 'folder.json');
    await writeDagFile(path.join(sub, 'x.json'), egsExample());
    expect((await validationErrorOfAsync(() => readDagFile(sub))).message).toContain('is a folder');
  });

  it('errors inside a file name the file and the line', async () => {
    const file = path.join(dir, 'bad.stg');
    await writeFile(file, '1\n0 0 0\n1 xx\n2 0 1 1\n');
    const e = await validationErrorOfAsync(() => readDagFile(file));
    expect(e.message).toBe(`${file}:3: task 1: stg-syntax: expected \`id wcet npred preds…\`, got '1 xx'`);
  });

  it('parseDag dispatches on the format and formatDag ends with a newline', () => {
    for (const format of DAG_FORMATS) {
      const text = formatDag(egsExample(), format);
      expect(text.endsWith('\n')).toBe(true);
      expect(parseDag(text, format, '<mem>').n).toBe(7);
    }
  });
});

describe.skipIf(!hasData)('readDagFile on the shared samples', () => {
  it('reads all three sample task graphs', async () => {
    expect((await readDagFile(path.join(dataDir, 'egs-ex1.dot'))).n).toBe(7);
    expect((await readDagFile(path.join(dataDir, 'stg-50-rand0007.stg'))).n).toBe(52);
    expect((await readDagFile(path.join(dataDir, 'stg-100-rand0001.stg'))).n).toBe(102);
  });
});
