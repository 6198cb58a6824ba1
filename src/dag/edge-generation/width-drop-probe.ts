/**
 * "Would adding i → j lower the width W right away?" for a graph being extended by edge
 * generation, without copying the graph state: W is `n − |M|` for a maximum matching M of the
 * closure (Fulkerson), and adding a valid edge i → j only adds the pairs `(ancestors of i ∪ {i}) ×
 * (descendants of j ∪ {j})` to the closure, so W drops exactly when M can be augmented once more
 * in the grown closure. The grown rows are written in place and restored, and one search from the
 * new pairs answers ({@link ClosureMatching.growsWith}), instead of a clone of the state and a
 * matching from scratch.
 */
import { ClosureMatching } from '../analysis/closure-matching.js';
import type { EdgeGenerationState } from './edge-generation-state.js';

/** See the module comment. Reuses its buffers across graphs of up to the largest n seen. */
export class WidthDropProbe {
  private matching = new ClosureMatching(0);
  private saved: Uint32Array = new Uint32Array(0);
  private state: EdgeGenerationState | undefined;

  /**
   * Takes `state`'s current closure and returns its width W. `grown`: the closure only gained
   * pairs since the last load of the same state, so the previous matching is augmented instead
   * of rebuilt.
   */
  load(state: EdgeGenerationState, grown = false): number {
    const n = state.dag.n;
    if (n > this.matching.capacity) this.matching = new ClosureMatching(n);
    if (!grown || this.state !== state) this.matching.clear(n);
    this.state = state;
    return n - this.matching.maximize(state.reach);
  }

  /** One maximum antichain of the loaded closure, ascending, into `out` (König; see ClosureMatching). */
  antichain(out: number[]): number[] {
    return this.matching.antichain(this.loaded().reach, out);
  }

  /** A minimum chain cover of the loaded closure, from its maximum matching (allocates). */
  chains(): number[][] {
    return this.matching.chains(this.loaded().dag.n);
  }

  /** Whether adding the valid edge i → j (no cycle, not implied) to the loaded state lowers W. */
  lowers(i: number, j: number): boolean {
    const state = this.loaded();
    const reach = state.reach;
    const words = reach.words;
    this.matching.prepareGrowth(reach);
    // i and its ancestors now reach j and j's descendants (row j itself is unchanged: j is not
    // an ancestor of i). Only those rows change: grown in place, restored after.
    const srcs = state.ancestors.rowIndices(i);
    srcs.push(i);
    const dsts = reach.rowIndices(j);
    dsts.push(j);
    if (this.saved.length < srcs.length * words) this.saved = new Uint32Array(srcs.length * words);
    const saved = this.saved;
    srcs.forEach((a, k) => saved.set(reach.data.subarray(a * words, (a + 1) * words), k * words));
    for (const a of srcs) {
      reach.orRowInto(a, j);
      reach.set(a, j);
    }
    try {
      return this.matching.growsWith(reach, srcs, dsts);
    } finally {
      srcs.forEach((a, k) => reach.data.set(saved.subarray(k * words, (k + 1) * words), a * words));
    }
  }

  private loaded(): EdgeGenerationState {
    if (!this.state) throw new RangeError('WidthDropProbe: load a state first');
    return this.state;
  }
}
