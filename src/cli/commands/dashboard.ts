/**
 * `arbiter dashboard [DIR]`: serves the run folders, DAG files, knowledge bases and HSoC workloads
 * under DIR in the browser (runs with live learning curves, schedules with Gantt charts, logic
 * inferences, HSoC episodes, benchmarks) until interrupted.
 */
import type { Command } from 'commander';
import { parseInteger } from '../parse-number.js';

interface DashboardCliOptions {
  port: number;
  host: string;
  token?: string;
}

/** `arbiter dashboard [DIR] [--port 8080] [--host 127.0.0.1] [--token SECRET]`. */
export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description(
      'serve a local web dashboard of the runs, DAG files and HSoC workloads under DIR (live curves, Gantt charts)',
    )
    .argument('[dir]', 'folder of run folders, DAG files, knowledge bases and HSoC workloads', 'runs')
    .option('-p, --port <port>', 'port (0 = any free one)', parseInteger, 8080)
    .option('--host <host>', 'interface to bind; anything but 127.0.0.1/localhost needs --token', '127.0.0.1')
    .option('--token <secret>', 'secret every request must carry (open the printed URL, which includes it)')
    .action(async (dir: string, opts: DashboardCliOptions) => {
      // Loaded here: the server's modules are not needed by any other command's start-up.
      const { startDashboardServer } = await import('../../dashboard/dashboard-server.js');
      const server = await startDashboardServer({
        root: dir,
        host: opts.host,
        port: opts.port,
        ...(opts.token !== undefined && { token: opts.token }),
      });
      process.stdout.write(`Arbiter dashboard of ${dir}: ${server.url}  (Ctrl+C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
