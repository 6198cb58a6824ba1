import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeCommand,
  INCOMPLETE,
  parseReply,
  RespRedisClient,
  type RedisReply,
} from '../../src/distributed/redis-client.js';
import { parseRedisUrl, redactRedisUrl } from '../../src/distributed/redis-url.js';
import { REDIS_SERVER, startRedis, type TestRedis } from '../helpers/redis-server.js';

/** RESP2 text of a reply, as a server writes it (simple strings for short plain words). */
function encodeReply(r: RedisReply): string {
  if (r === null) return '$-1\r\n';
  if (r instanceof Error) return `-${r.message}\r\n`;
  if (typeof r === 'number') return `:${r}\r\n`;
  if (Array.isArray(r)) return `*${r.length}\r\n${r.map(encodeReply).join('')}`;
  return `$${Buffer.byteLength(r)}\r\n${r}\r\n`;
}

const reply: fc.Arbitrary<RedisReply> = fc.letrec<{ r: RedisReply }>((tie) => ({
  r: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.integer(),
    fc.constant(null),
    fc.array(tie('r'), { maxLength: 4 }),
  ),
})).r;

describe('RESP2 parsing', () => {
  it('property: a reply parses back whole, and every strict prefix of it is incomplete', () => {
    fc.assert(
      fc.property(reply, (r) => {
        const buf = Buffer.from(encodeReply(r));
        expect(parseReply(buf, 0)).toEqual([r, buf.length]);
        for (let n = 0; n < buf.length; n++) expect(parseReply(buf.subarray(0, n), 0)).toBe(INCOMPLETE);
      }),
    );
  });

  it('server errors are values; a command is an array of bulk strings, Buffers as they are', () => {
    expect(parseReply(Buffer.from('-NOSCRIPT No matching script\r\n+OK\r\n'), 0)).toEqual([
      new Error('NOSCRIPT No matching script'),
      30,
    ]);
    expect(encodeCommand(['SET', 'k', 12, Buffer.from([0, 255])]).toString('latin1')).toBe(
      '*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n12\r\n$2\r\n\u0000\u00ff\r\n',
    );
  });
});

describe('Redis URLs', () => {
  it('reads host, port, ACL user, password, database and TLS; redacts the password', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390')).toEqual({ host: '127.0.0.1', port: 6390 });
    expect(parseRedisUrl('rediss://sweeper:p%40ss@redis.lan/2')).toEqual({
      host: 'redis.lan',
      port: 6379,
      username: 'sweeper',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(parseRedisUrl('redis://:secret@[::1]:7000')).toEqual({
      host: '::1',
      port: 7000,
      password: 'secret',
    });
    expect(redactRedisUrl('redis://u:secret@h:1')).toBe('redis://u:***@h:1');
    expect(() => parseRedisUrl('http://h:1')).toThrow(/--queue: redis-url: the scheme must be redis/);
    expect(() => parseRedisUrl('localhost:6379')).toThrow(/redis-url/);
    expect(() => parseRedisUrl('redis://h/x')).toThrow(/database number/);
  });
});

describe.skipIf(REDIS_SERVER === undefined)('RespRedisClient on a real redis-server', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis(['--requirepass', 'sesame']);
  });
  afterAll(() => redis?.stop());

  it('authenticates, answers in ioredis shapes, runs scripts, transactions and pipelines', async () => {
    const c = new RespRedisClient({ port: redis.port, password: 'sesame', db: 1 });
    try {
      await c.connect();
      expect(c.status).toBe('ready');
      expect(await c.hset('h', { a: 1, b: 'x' })).toBe(2);
      expect(await c.hgetall('h')).toEqual({ a: '1', b: 'x' });
      expect(await c.hgetall('missing')).toEqual({});
      c.defineCommand('sum', { numberOfKeys: 1, lua: "return redis.call('HINCRBY', KEYS[1], 'a', ARGV[1])" });
      expect(await c.runCommand('sum', ['h', 4])).toBe(5);
      const tx = await c
        .multi()
        .hgetall('h')
        .runCommand('sum', [['h', 1]])
        .del('h')
        .exec();
      expect(tx).toEqual([
        [null, { a: '5', b: 'x' }],
        [null, 6],
        [null, 1],
      ]);
      const pipe = await c.pipeline().llen('l').lrange('l', 0, -1).exec();
      expect(pipe).toEqual([
        [null, 0],
        [null, []],
      ]);
      await expect(c.runCommand('sum', ['s', 'not-a-number'])).rejects.toThrow(/not an integer/);
      const denied = new RespRedisClient({ port: redis.port, password: 'wrong', retryStrategy: () => null });
      denied.on('error', () => undefined);
      await expect(denied.connect()).rejects.toThrow(/WRONGPASS|invalid password/);
      denied.disconnect();
    } finally {
      await c.quit();
    }
  });

  it('after the connection is lost, commands wait for the reconnection, then succeed', async () => {
    const c = new RespRedisClient({ port: redis.port, password: 'sesame', retryStrategy: () => 50 });
    c.on('error', () => undefined);
    try {
      await c.set('k', 'v');
      await redis.stop(true);
      while (c.status === 'ready') await new Promise((r) => setTimeout(r, 5));
      const pending = c.get('k'); // issued while the server is down
      await new Promise((r) => setTimeout(r, 200));
      await redis.restart();
      expect(await pending).toBeNull(); // the new server has no data: no persistence in tests
      expect(await c.set('k', 'w')).toBe('OK');
      expect(await c.get('k')).toBe('w');
    } finally {
      await c.quit();
    }
  });
});
