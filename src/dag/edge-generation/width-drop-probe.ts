/**
 * "Would adding i → j lower the width W right away?" for a graph being extended by edge
 * generation, without copying the graph state: W is `n − |M|` for a maximum matching M of the
 * closure (Fulkerson), and adding a valid edge i → j only adds the pairs `(ancestors of i ∪ {i}) ×
 * (descendants of j ∪ {j})` to the closure, so W drops exactly when M, warm-started, can be
 * augmented once more in the grown closure. One bitset row copy and a few augmentations per
 * probe instead of a clone of the state and a matching from scratch.
 */
import { ClosureMatching, fillAll } from '../analysis/closure-matching.js';
import { BitMatrix } from '../bit-matrix.js';
import type { EdgeGenerationState } from './edge-generation-state.js';

/** See the module comment. Reuses its buffers across graphs of up to the largest n seen. */
export class WidthDropProbe {
  private matching = new ClosureMatching(0);
  private trial = new ClosureMatching(0);
  private trialReach = new BitMatrix(0);
  private all: Uint32Array = new Uint32Array(0);
  private state: EdgeGenerationState | undefined;

  /**
   * Takes `state`'s current closure and returns its width W. `grown`: the closure only gained
   * pairs since the last load of the same state, so the previous matching is augmented instead
   * of rebuilt.
   */
  load(state: EdgeGenerationState, grown = false): number {
    const n = state.dag.n;
    if (this.trialReach.n !== n) {
      if (n > this.matching.capacity) {
        this.matching = new ClosureMatching(n);
        this.trial = new ClosureMatching(n);
      }
      this.trialReach = new BitMatrix(n);
      this.all = fillAll(new Uint32Array(this.trialReach.words), n);
    }
    if (!grown || this.state !== state) this.matching.clear(n);
    this.state = state;
    return n - this.matching.maximize(state.reach);
  }

  /** One maximum antichain of the loaded closure, ascending, into `out` (König; see ClosureMatching). */
  antichain(out: number[]): number[] {
    return this.matching.antichain(this.loaded().reach, out);
  }

  /** Whether adding the valid edge i → j (no cycle, not implied) to the loaded state lowers W. */
  lowers(i: number, j: number): boolean {
    const state = this.loaded();
    const r = this.trialReach;
    r.data.set(state.reach.data);
    // i and its ancestors now reach j and j's descendants (row j itself is unchanged: j is not
    // an ancestor of i).
    for (const a of [i, ...state.ancestors.rowIndices(i)]) {
      r.orRowInto(a, j);
      r.set(a, j);
    }
    this.trial.restrictFrom(this.matching, state.dag.n, this.all);
    return this.trial.maximize(r) > this.matching.size;
  }

  private loaded(): EdgeGenerationState {
    if (!this.state) throw new RangeError('WidthDropProbe: load a state first');
    return this.state;
  }
}
