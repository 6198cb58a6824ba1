/**
 * What the summaries of every kind of sweep share: one result or one failure per item id (a
 * result replaces a failure, never the other way round), files rewritten one rewrite at a time
 * in the order asked, and the coordinator's loop that runs every unfinished item once and records
 * how it settled.
 */
import { existsSync } from 'node:fs';
import { ValidationError } from '../core/errors.js';
import { readJsonObjectFile } from '../core/read-json-object.js';

/** Results and failures by item id, and serialized rewrites of the summary files. */
export abstract class ResultLedger<R extends { id: string }, F extends { id: string }> {
  protected readonly results = new Map<string, R>();
  protected readonly failures = new Map<string, F>();
  private writing: Promise<void> = Promise.resolve();

  /** Records a finished item (replacing a failure of the same item). */
  addResult(result: R): void {
    this.failures.delete(result.id);
    this.results.set(result.id, result);
  }

  /** Records a failed item (unless it finished). */
  addFailure(failure: F): void {
    if (!this.results.has(failure.id)) this.failures.set(failure.id, failure);
  }

  /**
   * Results from before a restart, for the items `ids` of this sweep: those listed under
   * `listKey` in the last summary file (when there is one), then each item's own file on this
   * machine (`readItem`), which wins.
   */
  async loadEarlier(
    summaryFile: string,
    listKey: string,
    ids: readonly string[],
    readItem: (id: string) => Promise<R | undefined>,
  ): Promise<void> {
    if (existsSync(summaryFile)) {
      const earlier = (await readJsonObjectFile(summaryFile))[listKey];
      if (!Array.isArray(earlier))
        throw new ValidationError('sweep-summary', `has no ${listKey} list`, { file: summaryFile });
      const wanted = new Set(ids);
      for (const r of earlier as R[]) if (wanted.has(r.id)) this.addResult(r);
    }
    for (const id of ids) {
      const r = await readItem(id);
      if (r !== undefined) this.addResult(r);
    }
  }

  /** The result of item `id`, when it has one. */
  result(id: string): R | undefined {
    return this.results.get(id);
  }

  /** Rewrites the files after the writes already queued (resolves when they are on disk). */
  write(): Promise<void> {
    const next = this.writing.then(() => this.writeNow());
    this.writing = next.catch(() => undefined); // one failed write must not block the next ones
    return next;
  }

  /** Writes the files once. */
  protected abstract writeNow(): Promise<void>;
}

/** How {@link settleEach} runs and records one item. */
export interface SettleOptions<I, R> {
  /** Runs `item` (its result, and whether it was there already). */
  run(item: I): Promise<{ value: R; reused: boolean }>;
  /** The failure record of `item` from its error message. */
  failure(item: I, error: string): { id: string };
  /** Called after each item settled and the summary was rewritten. */
  report(item: I, settled: { result?: R; failure?: { id: string }; reused: boolean }): void;
}

/**
 * Reports the items of `items` that finished before (reused), then runs the others at once,
 * recording each result or failure in `ledger` and rewriting its files as each settles.
 */
export async function settleEach<
  I extends { id: string },
  R extends { id: string },
  F extends { id: string },
>(items: readonly I[], ledger: ResultLedger<R, F>, options: SettleOptions<I, R>): Promise<void> {
  for (const item of items) {
    const result = ledger.result(item.id);
    if (result !== undefined) options.report(item, { result, reused: true });
  }
  await Promise.all(
    items
      .filter((item) => ledger.result(item.id) === undefined)
      .map(async (item) => {
        try {
          const { value, reused } = await options.run(item);
          ledger.addResult(value);
          await ledger.write();
          options.report(item, { result: value, reused });
        } catch (e) {
          const failure = options.failure(item, e instanceof Error ? e.message : String(e)) as F;
          ledger.addFailure(failure);
          await ledger.write();
          options.report(item, { failure, reused: false });
        }
      }),
  );
}
