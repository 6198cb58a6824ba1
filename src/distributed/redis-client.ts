/**
 * A Redis client for BullMQ over Node's own sockets: BullMQ's `IRedisClient` contract (the
 * commands BullMQ issues, with ioredis's reply shapes) implemented on one RESP2 connection per
 * client, so that queues and workers need no Redis driver package besides BullMQ itself.
 * Commands are pipelined and answered in order; commands issued while the connection is down wait
 * for it (BullMQ's blocking connections want exactly that), and a lost connection is retried with
 * the caller's `retryStrategy`. Lua scripts run by SHA with a fallback to their source, as ioredis
 * does. TLS (`rediss://`), `AUTH` with a user, and `SELECT` of a database are supported.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { Readable } from 'node:stream';
import tls from 'node:tls';

/** Options of {@link RespRedisClient} (the subset of ioredis's that BullMQ passes on). */
export interface RespRedisOptions {
  /** Host (default 127.0.0.1). */
  host?: string;
  /** Port (default 6379). */
  port?: number;
  /** ACL user name (`AUTH user password`). */
  username?: string;
  /** Password (`AUTH`). */
  password?: string;
  /** Database index (`SELECT`). */
  db?: number;
  /** TLS options; present (even `{}`) means connect with TLS. */
  tls?: tls.ConnectionOptions;
  /** `CLIENT SETNAME` on every connect. */
  connectionName?: string;
  /** Do not connect before the first `connect()`. */
  lazyConnect?: boolean;
  /** Milliseconds before reconnect attempt `times` (1, 2, …), or null to give up. */
  retryStrategy?: (times: number) => number | void | null;
  /** Anything else BullMQ passes (ignored). */
  [key: string]: unknown;
}

/** A reply of Redis in RESP2, as ioredis returns it. */
export type RedisReply = string | number | null | Error | RedisReply[];

/** One argument of a command. */
export type RedisArg = string | number | Buffer;

interface Pending {
  resolve: (r: RedisReply) => void;
  reject: (e: Error) => void;
}

/** The message BullMQ recognises as a closed connection. */
const CLOSED = 'Connection is closed.';

/** What {@link parseReply} returns while a reply has not fully arrived. */
export const INCOMPLETE: unique symbol = Symbol('incomplete');

/**
 * Parses one RESP2 reply at `buf[pos]`: the reply and the offset after it, or
 * {@link INCOMPLETE} when the buffer ends before the reply does. Errors from the server are
 * returned as `Error` values, not thrown.
 */
export function parseReply(buf: Buffer, pos: number): [RedisReply, number] | typeof INCOMPLETE {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return INCOMPLETE;
  const type = buf[pos];
  const line = buf.toString('utf8', pos + 1, eol);
  const next = eol + 2;
  switch (type) {
    case 0x2b: // '+'
      return [line, next];
    case 0x2d: // '-'
      return [new Error(line), next];
    case 0x3a: // ':'
      return [Number(line), next];
    case 0x24: {
      // '$'
      const n = Number(line);
      if (n < 0) return [null, next];
      if (buf.length < next + n + 2) return INCOMPLETE;
      return [buf.toString('utf8', next, next + n), next + n + 2];
    }
    case 0x2a: {
      // '*'
      const n = Number(line);
      if (n < 0) return [null, next];
      const items: RedisReply[] = [];
      let at = next;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, at);
        if (r === INCOMPLETE) return INCOMPLETE;
        items.push(r[0]);
        at = r[1];
      }
      return [items, at];
    }
    default:
      throw new Error(`unexpected reply type '${String.fromCharCode(type ?? 0)}' from Redis`);
  }
}

/** A command in RESP2: an array of bulk strings (numbers as decimal text, Buffers as they are). */
export function encodeCommand(args: readonly RedisArg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** `[k1, v1, k2, v2, …]` as an object. */
function pairsToObject(reply: RedisReply): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(reply))
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

/** A script argument as ioredis sends it: Buffers as they are, null/undefined as ''. */
function scriptArg(a: unknown): RedisArg {
  if (Buffer.isBuffer(a)) return a;
  return a === undefined || a === null ? '' : String(a);
}

interface Script {
  sha: string;
  lua: string;
  numberOfKeys: number;
}

/** A batch of commands run by `MULTI … EXEC` (transaction) or back to back (pipeline). */
export class RespRedisBatch {
  private readonly commands: { args: RedisArg[]; map: (r: RedisReply) => unknown; sha?: string }[] = [];

  constructor(
    private readonly client: RespRedisClient,
    private readonly transaction: boolean,
  ) {}

  private add(args: RedisArg[], map: (r: RedisReply) => unknown = (r) => r, sha?: string): this {
    this.commands.push({ args, map, ...(sha !== undefined && { sha }) });
    return this;
  }

  /** `HGETALL` (an object). */
  hgetall(key: string): this {
    return this.add(['HGETALL', key], pairsToObject);
  }
  /** `HSET` of a field map. */
  hset(key: string, data: Record<string, string | number>): this {
    return this.add(['HSET', key, ...Object.entries(data).flat()]);
  }
  /** `HSCAN` (`[cursor, [field, value, …]]`). */
  hscan(key: string, cursor: string | number, options?: { COUNT?: number }): this {
    return this.add(['HSCAN', key, cursor, ...(options?.COUNT != null ? ['COUNT', options.COUNT] : [])]);
  }
  /** `SMEMBERS`. */
  smembers(key: string): this {
    return this.add(['SMEMBERS', key]);
  }
  /** `SSCAN` (`[cursor, members]`). */
  sscan(key: string, cursor: string | number, options?: { COUNT?: number }): this {
    return this.add(['SSCAN', key, cursor, ...(options?.COUNT != null ? ['COUNT', options.COUNT] : [])]);
  }
  /** `ZRANGE`. */
  zrange(key: string, start: number, end: number): this {
    return this.add(['ZRANGE', key, start, end]);
  }
  /** `LRANGE`. */
  lrange(key: string, start: number, end: number): this {
    return this.add(['LRANGE', key, start, end]);
  }
  /** `LLEN`. */
  llen(key: string): this {
    return this.add(['LLEN', key]);
  }
  /** `DEL` (nothing for no keys). */
  del(...keys: string[]): this {
    return keys.length > 0 ? this.add(['DEL', ...keys]) : this;
  }
  /** A script defined on the client, by SHA (loaded first if this connection has not). */
  runCommand(name: string, args: unknown[]): this {
    const s = this.client.script(name);
    const a = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    return this.add(['EVALSHA', s.sha, s.numberOfKeys, ...a.map(scriptArg)], (r) => r, s.sha);
  }

  /** Runs the batch: `[error, reply]` per command, or null when a transaction was discarded. */
  async exec(): Promise<[Error | null, unknown][] | null> {
    await this.client.loadScripts(this.commands.flatMap((c) => (c.sha !== undefined ? [c.sha] : [])));
    if (!this.transaction) {
      const replies = await Promise.all(this.commands.map((c) => this.client.call(c.args, false)));
      return replies.map((r, i) => (r instanceof Error ? [r, null] : [null, this.commands[i]!.map(r)]));
    }
    const queued = [this.client.call(['MULTI'], false)];
    for (const c of this.commands) queued.push(this.client.call(c.args, false));
    const exec = this.client.call(['EXEC'], false);
    const early = (await Promise.all(queued)).find((r) => r instanceof Error);
    const result = await exec;
    if (result instanceof Error) throw early instanceof Error ? early : result;
    if (result === null) return null;
    return (result as RedisReply[]).map((r, i) =>
      r instanceof Error ? [r, null] : [null, this.commands[i]!.map(r)],
    );
  }
}

/** BullMQ's Redis client contract on a raw RESP2 socket (see the module doc). */
export class RespRedisClient extends EventEmitter {
  /** `wait`, `connecting`, `ready`, `reconnecting` or `end` (the words BullMQ reads). */
  status = 'wait';
  /** Never a cluster. */
  readonly isCluster = false;
  /** The options this client was made with (BullMQ reads and copies them). */
  options: RespRedisOptions;
  private socket: net.Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private readonly offline: { args: RedisArg[]; pending: Pending }[] = [];
  private readonly scripts = new Map<string, Script>();
  private readonly loaded = new Set<string>();
  private attempts = 0;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(options: RespRedisOptions = {}) {
    super();
    this.options = { ...options };
    this.setMaxListeners(100);
    if (options.lazyConnect !== true) this.connect().catch(() => undefined); // errors go to 'error'
  }

  /** Connects (idempotent): resolves when the connection is ready. */
  connect(): Promise<void> {
    if (this.status === 'ready') return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private open(): Promise<void> {
    this.status = this.attempts > 0 ? 'reconnecting' : 'connecting';
    clearTimeout(this.retryTimer);
    return new Promise<void>((resolve, reject) => {
      const host = this.options.host ?? '127.0.0.1';
      const port = this.options.port ?? 6379;
      const socket =
        this.options.tls !== undefined
          ? tls.connect({ host, port, servername: host, ...this.options.tls })
          : net.connect({ host, port });
      socket.setNoDelay(true);
      socket.setKeepAlive(true);
      this.socket = socket;
      this.buffer = Buffer.alloc(0);
      this.loaded.clear(); // a new server process may not have our scripts
      let settled = false;
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.once(this.options.tls !== undefined ? 'secureConnect' : 'connect', () => {
        void this.handshake().then(
          () => {
            settled = true;
            this.attempts = 0;
            this.status = 'ready';
            for (const o of this.offline.splice(0)) this.write(o.args, o.pending);
            this.emit('ready');
            resolve();
          },
          (e: Error) => {
            settled = true;
            socket.destroy();
            reject(e);
          },
        );
      });
      socket.on('error', (e) => {
        if (this.listenerCount('error') > 0) this.emit('error', e);
        if (!settled) {
          settled = true;
          reject(e);
        }
      });
      socket.on('close', () => this.onClose(socket));
    });
  }

  /** AUTH, SELECT and CLIENT SETNAME, sent ahead of anything waiting. */
  private async handshake(): Promise<void> {
    const o = this.options;
    const steps: RedisArg[][] = [];
    if (o.password !== undefined && o.password !== '')
      steps.push(o.username ? ['AUTH', o.username, o.password] : ['AUTH', o.password]);
    if (o.db !== undefined && o.db !== 0) steps.push(['SELECT', o.db]);
    if (o.connectionName) steps.push(['CLIENT', 'SETNAME', o.connectionName]);
    for (const s of steps) {
      const r = await new Promise<RedisReply>((resolve, reject) => this.write(s, { resolve, reject }));
      if (r instanceof Error) throw r;
    }
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let pos = 0;
    for (;;) {
      const r = parseReply(this.buffer, pos);
      if (r === INCOMPLETE) break;
      pos = r[1];
      this.pending.shift()?.resolve(r[0]);
    }
    this.buffer = pos === this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(pos);
  }

  private onClose(socket: net.Socket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    for (const p of this.pending.splice(0)) p.reject(new Error(CLOSED));
    const wasEnded = this.status === 'end';
    this.emit('close');
    if (wasEnded) {
      this.emit('end');
      return;
    }
    const delay = this.options.retryStrategy?.(++this.attempts) ?? Math.min(this.attempts * 100, 2000);
    if (typeof delay !== 'number') {
      this.status = 'end';
      for (const o of this.offline.splice(0)) o.pending.reject(new Error(CLOSED));
      this.emit('end');
      return;
    }
    this.status = 'reconnecting';
    this.emit('reconnecting', delay);
    this.retryTimer = setTimeout(() => void this.connect().catch(() => undefined), delay);
  }

  private write(args: RedisArg[], pending: Pending): void {
    this.pending.push(pending);
    this.socket!.write(encodeCommand(args));
  }

  /**
   * Sends one command: its reply, with a server error rejected (or, with `rejectErrors` false,
   * returned as an `Error` value, as batches need). Waits while the connection is down.
   */
  call(args: RedisArg[], rejectErrors = true): Promise<RedisReply> {
    if (this.status === 'end') return Promise.reject(new Error(CLOSED));
    return new Promise<RedisReply>((resolve, reject) => {
      const pending: Pending = {
        resolve: (r) => (rejectErrors && r instanceof Error ? reject(r) : resolve(r)),
        reject,
      };
      if (this.status === 'ready' && this.socket !== undefined) this.write(args, pending);
      else {
        this.offline.push({ args, pending });
        if (this.status === 'wait') this.connect().catch(() => undefined);
      }
    });
  }

  /** Closes now: pending and waiting commands fail; with `reconnect`, connects again. */
  disconnect(reconnect = false): void {
    clearTimeout(this.retryTimer);
    if (reconnect) {
      this.socket?.destroy(); // onClose schedules the reconnect
      return;
    }
    this.status = 'end';
    for (const o of this.offline.splice(0)) o.pending.reject(new Error(CLOSED));
    if (this.socket !== undefined) this.socket.destroy();
    else setImmediate(() => (this.emit('close'), this.emit('end')));
  }

  /** `QUIT`, then the connection ends. */
  async quit(): Promise<string> {
    clearTimeout(this.retryTimer);
    if (this.status !== 'ready') {
      this.disconnect();
      return 'OK';
    }
    const bye = this.call(['QUIT']).catch(() => 'OK');
    this.status = 'end';
    await bye;
    this.socket?.destroy();
    return 'OK';
  }

  /** A new client with the same options (and `overrides`) and the same scripts. */
  duplicate(overrides: Partial<RespRedisOptions> = {}): RespRedisClient {
    const dup = new RespRedisClient({ ...this.options, ...overrides });
    for (const [name, s] of this.scripts)
      dup.defineCommand(name, { numberOfKeys: s.numberOfKeys, lua: s.lua });
    return dup;
  }

  /** Registers a Lua script under `name`, callable through {@link runCommand}. */
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void {
    const sha = createHash('sha1').update(definition.lua).digest('hex');
    this.scripts.set(name, { sha, lua: definition.lua, numberOfKeys: definition.numberOfKeys });
    // BullMQ checks for the property to know the command is defined (as ioredis adds one).
    (this as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => this.runCommand(name, args);
  }

  /** The script registered as `name`. */
  script(name: string): Script {
    const s = this.scripts.get(name);
    if (s === undefined) throw new Error(`BullMQ: unknown command "${name}"`);
    return s;
  }

  /** Makes sure this connection's server knows the scripts `shas` (for batches, where EVALSHA cannot fall back). */
  async loadScripts(shas: readonly string[]): Promise<void> {
    for (const sha of new Set(shas)) {
      if (this.loaded.has(sha)) continue;
      const s = [...this.scripts.values()].find((x) => x.sha === sha)!;
      await this.call(['SCRIPT', 'LOAD', s.lua]);
      this.loaded.add(sha);
    }
  }

  /** Runs the script `name` (KEYS first, then ARGV): EVALSHA, then EVAL when the server lacks it. */
  async runCommand(name: string, args: unknown[]): Promise<unknown> {
    const s = this.script(name);
    const a = (args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args).map(scriptArg);
    const r = await this.call(['EVALSHA', s.sha, s.numberOfKeys, ...a], false);
    if (r instanceof Error && r.message.startsWith('NOSCRIPT')) {
      this.loaded.delete(s.sha);
      return this.call(['EVAL', s.lua, s.numberOfKeys, ...a]);
    }
    if (r instanceof Error) throw r;
    return r;
  }

  /** A `MULTI … EXEC` transaction. */
  multi(): RespRedisBatch {
    return new RespRedisBatch(this, true);
  }
  /** A pipeline (commands back to back, no transaction). */
  pipeline(): RespRedisBatch {
    return new RespRedisBatch(this, false);
  }

  // The commands BullMQ issues, with ioredis's reply shapes (RESP2 replies as they come, except
  // HGETALL, which ioredis turns into an object).
  /** `HGETALL` as an object. */
  async hgetall(key: string): Promise<Record<string, string>> {
    return pairsToObject(await this.call(['HGETALL', key]));
  }
  /** `HGET`. */
  hget(key: string, field: string): Promise<string | null> {
    return this.call(['HGET', key, field]) as Promise<string | null>;
  }
  /** `HMGET`. */
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]> {
    return this.call(['HMGET', key, ...fields]) as Promise<(string | null)[]>;
  }
  /** `HSET` of a field map, or of `field, value, …` pairs. */
  hset(
    key: string,
    data: Record<string, string | number> | string,
    ...rest: (string | number)[]
  ): Promise<number> {
    const pairs = typeof data === 'object' ? Object.entries(data).flat() : [data, ...rest];
    return this.call(['HSET', key, ...pairs]) as Promise<number>;
  }
  /** `HDEL`. */
  hdel(key: string, ...fields: string[]): Promise<number> {
    return this.call(['HDEL', key, ...fields]) as Promise<number>;
  }
  /** `HEXISTS` (0 or 1). */
  hexists(key: string, field: string): Promise<number> {
    return this.call(['HEXISTS', key, field]) as Promise<number>;
  }
  /** `GET`. */
  get(key: string): Promise<string | null> {
    return this.call(['GET', key]) as Promise<string | null>;
  }
  /** `SET` with an optional expiry. */
  set(key: string, value: string | number, options?: { PX?: number; EX?: number }): Promise<string | null> {
    const ttl = options?.PX != null ? ['PX', options.PX] : options?.EX != null ? ['EX', options.EX] : [];
    return this.call(['SET', key, value, ...ttl]) as Promise<string | null>;
  }
  /** `DEL` (0 for no keys). */
  async del(...keys: string[]): Promise<number> {
    return keys.length === 0 ? 0 : ((await this.call(['DEL', ...keys])) as number);
  }
  /** `ZRANGE` (members, or `[member, score, …]` with WITHSCORES). */
  zrange(key: string, start: number, end: number, options?: { WITHSCORES?: boolean }): Promise<string[]> {
    return this.call(['ZRANGE', key, start, end, ...(options?.WITHSCORES ? ['WITHSCORES'] : [])]) as Promise<
      string[]
    >;
  }
  /** `ZREVRANGE`. */
  zrevrange(key: string, start: number, end: number, options?: { WITHSCORES?: boolean }): Promise<string[]> {
    return this.call([
      'ZREVRANGE',
      key,
      start,
      end,
      ...(options?.WITHSCORES ? ['WITHSCORES'] : []),
    ]) as Promise<string[]>;
  }
  /** `ZCARD`. */
  zcard(key: string): Promise<number> {
    return this.call(['ZCARD', key]) as Promise<number>;
  }
  /** `ZSCORE`. */
  zscore(key: string, member: string): Promise<string | null> {
    return this.call(['ZSCORE', key, member]) as Promise<string | null>;
  }
  /** `ZADD score member …`. */
  zadd(key: string, ...args: (string | number)[]): Promise<number> {
    return this.call(['ZADD', key, ...args]) as Promise<number>;
  }
  /** `ZREM`. */
  zrem(key: string, ...members: string[]): Promise<number> {
    return this.call(['ZREM', key, ...members]) as Promise<number>;
  }
  /** `LRANGE`. */
  lrange(key: string, start: number, end: number): Promise<string[]> {
    return this.call(['LRANGE', key, start, end]) as Promise<string[]>;
  }
  /** `LLEN`. */
  llen(key: string): Promise<number> {
    return this.call(['LLEN', key]) as Promise<number>;
  }
  /** `LTRIM`. */
  ltrim(key: string, start: number, end: number): Promise<string> {
    return this.call(['LTRIM', key, start, end]) as Promise<string>;
  }
  /** `LPOS`. */
  lpos(key: string, value: string): Promise<number | null> {
    return this.call(['LPOS', key, value]) as Promise<number | null>;
  }
  /** `LPUSH`. */
  lpush(key: string, ...values: (string | number)[]): Promise<number> {
    return this.call(['LPUSH', key, ...values]) as Promise<number>;
  }
  /** `RPOP`. */
  rpop(key: string): Promise<string | null> {
    return this.call(['RPOP', key]) as Promise<string | null>;
  }
  /** `SMEMBERS`. */
  smembers(key: string): Promise<string[]> {
    return this.call(['SMEMBERS', key]) as Promise<string[]>;
  }
  /** `SADD`. */
  sadd(key: string, ...members: (string | number)[]): Promise<number> {
    return this.call(['SADD', key, ...members]) as Promise<number>;
  }
  /** `SCARD`. */
  scard(key: string): Promise<number> {
    return this.call(['SCARD', key]) as Promise<number>;
  }
  /** `INCR`. */
  incr(key: string): Promise<number> {
    return this.call(['INCR', key]) as Promise<number>;
  }
  /** `INCRBY`. */
  incrby(key: string, increment: number): Promise<number> {
    return this.call(['INCRBY', key, increment]) as Promise<number>;
  }
  /** `KEYS`. */
  keys(pattern: string): Promise<string[]> {
    return this.call(['KEYS', pattern]) as Promise<string[]>;
  }
  /** `EXISTS` (0 for no keys). */
  async exists(...keys: string[]): Promise<number> {
    return keys.length === 0 ? 0 : ((await this.call(['EXISTS', ...keys])) as number);
  }
  /** `XADD key [MAXLEN ~ n] id field value …`. */
  xadd(
    key: string,
    id: string,
    fields: Record<string, string | number>,
    options?: { MAXLEN?: number; approximate?: boolean },
  ): Promise<string> {
    const trim =
      options?.MAXLEN != null
        ? ['MAXLEN', ...(options.approximate === false ? [] : ['~']), options.MAXLEN]
        : [];
    return this.call(['XADD', key, ...trim, id, ...Object.entries(fields).flat()]) as Promise<string>;
  }
  /** `XREAD [COUNT n] [BLOCK ms] STREAMS …` (ioredis's nested arrays, or null). */
  xread(
    streams: { key: string; id: string }[],
    options?: { BLOCK?: number; COUNT?: number },
  ): Promise<unknown> {
    return this.call([
      'XREAD',
      ...(options?.COUNT != null ? ['COUNT', options.COUNT] : []),
      ...(options?.BLOCK != null ? ['BLOCK', options.BLOCK] : []),
      'STREAMS',
      ...streams.map((s) => s.key),
      ...streams.map((s) => s.id),
    ]);
  }
  /** `XTRIM key MAXLEN [~] n`. */
  xtrim(
    key: string,
    strategy: 'MAXLEN',
    threshold: number,
    options?: { approximate?: boolean },
  ): Promise<number> {
    return this.call([
      'XTRIM',
      key,
      strategy,
      ...(options?.approximate === false ? [] : ['~']),
      threshold,
    ]) as Promise<number>;
  }
  /** `XLEN`. */
  xlen(key: string): Promise<number> {
    return this.call(['XLEN', key]) as Promise<number>;
  }
  /** `XREVRANGE key end start [COUNT n]`. */
  xrevrange(key: string, end: string, start: string, ...rest: (string | number)[]): Promise<unknown> {
    return this.call(['XREVRANGE', key, end, start, ...rest]);
  }
  /** `BZPOPMIN key timeout` (`[key, member, score]`, or null on timeout). */
  bzpopmin(key: string, timeout: number): Promise<[string, string, string] | null> {
    return this.call(['BZPOPMIN', key, timeout]) as Promise<[string, string, string] | null>;
  }
  /** `INFO`. */
  info(): Promise<string> {
    return this.call(['INFO']) as Promise<string>;
  }
  /** `CLIENT SETNAME` (and again on every reconnect). */
  clientSetName(name: string): Promise<unknown> {
    this.options.connectionName = name;
    return this.call(['CLIENT', 'SETNAME', name]);
  }
  /** `CLIENT LIST`. */
  clientList(): Promise<string> {
    return this.call(['CLIENT', 'LIST']) as Promise<string>;
  }
  /** `CLIENT INFO`. */
  clientInfo(): Promise<string> {
    return this.call(['CLIENT', 'INFO']) as Promise<string>;
  }
  /** `CLIENT …` (as ioredis's `client(subcommand, …)`). */
  client(...args: (string | number)[]): Promise<unknown> {
    return this.call(['CLIENT', ...args]);
  }
  /** `FLUSHALL`. */
  flushall(): Promise<string> {
    return this.call(['FLUSHALL']) as Promise<string>;
  }
  /** `SCAN cursor [MATCH p] [COUNT n]` (`[cursor, keys]`). */
  async scan(
    cursor: string | number,
    options: { MATCH?: string; COUNT?: number },
  ): Promise<[string, string[]]> {
    const r = (await this.call([
      'SCAN',
      cursor,
      ...(options.MATCH ? ['MATCH', options.MATCH] : []),
      ...(options.COUNT ? ['COUNT', options.COUNT] : []),
    ])) as [string, string[]];
    return [String(r[0]), r[1]];
  }
  /** The keys matching `match`, as a stream of key arrays (one per SCAN step). */
  scanStream(options: { match: string; count?: number }): Readable {
    let cursor = '0';
    let done = false;
    const stream: Readable = new Readable({
      objectMode: true,
      read: (): void => {
        if (done) return;
        const step = { MATCH: options.match, ...(options.count !== undefined && { COUNT: options.count }) };
        this.scan(cursor, step).then(
          ([next, keys]) => {
            cursor = next;
            done = next === '0';
            stream.push(keys);
            if (done) stream.push(null);
          },
          (e: Error) => stream.destroy(e),
        );
      },
    });
    return stream;
  }
}
