/**
 * One line describing the machine a benchmark ran on (CPU, cores, memory, OS, Node), for the
 * result files that must say where their figures come from.
 */
import os from 'node:os';

/** One line describing the machine a benchmark ran on. */
export function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} logical cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}
