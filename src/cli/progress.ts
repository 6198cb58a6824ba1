/**
 * Progress bars for long CLI commands, shown only on a terminal so that pipes, CI logs and `--json`
 * output stay clean.
 */
import cliProgress from 'cli-progress';

/** A progress reporter: a bar on a TTY, silence otherwise (pipes, CI, `--json`). */
export interface Progress {
  /** Advances by one. */
  tick(label?: string): void;
  /** Sets the absolute position. */
  update(value: number, label?: string): void;
  /** Removes the bar. */
  stop(): void;
}

/** Starts a progress bar over `total` steps on stderr when it is a terminal. */
export function startProgress(total: number, title: string, enabled = true): Progress {
  if (!enabled || !process.stderr.isTTY || total <= 1)
    return { tick: () => {}, update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${title} [{bar}] {value}/{total} {label}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    tick: (label = '') => bar.increment(1, { label }),
    update: (value, label = '') => bar.update(Math.min(value, total), { label }),
    stop: () => bar.stop(),
  };
}
