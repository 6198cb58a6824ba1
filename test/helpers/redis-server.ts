import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server binary on PATH, or undefined (tests that need it skip, or fail in CI). */
export const REDIS_SERVER: string | undefined = ((): string | undefined => {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
})();

/** True where CI insists on the system tools (`.ci/run` sets ARBITER_REQUIRE_SYSTEM_DEPS=1). */
export const REQUIRE_SYSTEM_DEPS = process.env.ARBITER_REQUIRE_SYSTEM_DEPS === '1';

/** A redis-server of a test's own, on 127.0.0.1 and a free port, without persistence. */
export interface TestRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  /** Its port. */
  port: number;
  /** Stops it (kill -9 with `hard`, as a crash), and waits for the process to end. */
  stop(hard?: boolean): Promise<void>;
  /** Starts it again on the same port (its data is gone: no persistence). */
  restart(): Promise<void>;
}

/** A free port on 127.0.0.1 (taken and released: nothing listens on it afterwards). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, until: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect({ host: '127.0.0.1', port }, () => (c.end(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts a redis-server (see {@link TestRedis}) with `extraArgs`; needs {@link REDIS_SERVER}. */
export async function startRedis(extraArgs: readonly string[] = []): Promise<TestRedis> {
  if (REDIS_SERVER === undefined)
    throw new Error('redis-server is not installed (apt-get install redis-server)');
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-redis-'));
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    proc = spawn(
      REDIS_SERVER!,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        ...extraArgs,
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(port, Date.now() + 10_000);
  };
  const stop = async (hard = false): Promise<void> => {
    const p = proc;
    proc = undefined;
    if (p === undefined || p.exitCode !== null) return;
    await new Promise((r) => {
      p.once('exit', r);
      p.kill(hard ? 'SIGKILL' : 'SIGTERM');
    });
  };
  // A test process that ends without its afterAll (a crash, a timeout) leaves no server behind.
  process.once('exit', () => proc?.kill('SIGKILL'));
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async (hard) => {
      await stop(hard);
      if (!hard) rmSync(dir, { recursive: true, force: true });
    },
    restart: start,
  };
}
