import { describe, expect, it } from 'vitest';
import { heavyImports, isTensorFlow, staticImportGraph } from '../helpers/import-graph.js';

describe('sweep processes that do not train load no TensorFlow.js', () => {
  it('the coordinators (config checks included), the queue worker, env runners (threads, queue jobs) and a trial process before its first trial', () => {
    const roots = [
      'src/distributed/run-sweep.ts',
      'src/distributed/run-cell-sweep.ts',
      'src/distributed/expand-sweep.ts',
      'src/distributed/trial-worker.ts',
      'src/distributed/trial-child.ts',
      'src/distributed/run-bench-cell.ts',
      'src/distributed/env-runner-job.ts',
      'src/distributed/env-runner-thread.ts',
      'src/agents/algorithm-config.ts',
    ];
    const graph = staticImportGraph(roots);
    expect(graph.size).toBeGreaterThan(50);
    expect(heavyImports(graph, isTensorFlow)).toEqual([]);
    // The trainer itself does load it (the check sees through the chain).
    expect(
      heavyImports(staticImportGraph(['src/experiments/train-run.ts']), isTensorFlow).length,
    ).toBeGreaterThan(0);
  });
});
