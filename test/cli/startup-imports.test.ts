import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { heavyImports, isTensorFlow, isVega, staticImportGraph } from '../helpers/import-graph.js';

describe('CLI start-up', () => {
  it('loads neither TensorFlow.js nor Vega until a command needs them (dag commands start fast)', () => {
    const graph = staticImportGraph([path.resolve('src/cli/main.ts')]);
    expect(graph.size).toBeGreaterThan(20);
    expect(heavyImports(graph, (p) => isTensorFlow(p) || isVega(p))).toEqual([]);
  });
});
