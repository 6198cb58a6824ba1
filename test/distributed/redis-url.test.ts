import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl } from '../../src/distributed/redis-url.js';
import { queueConnection } from '../../src/distributed/trial-queue.js';
import { REDIS_SERVER, startRedis, type TestRedis } from '../helpers/redis-server.js';

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

  it('blocking connections (workers, queue events) wait out a lost connection; the queue fails', () => {
    expect(queueConnection('redis://h:1', true)).toEqual({ host: 'h', port: 1, maxRetriesPerRequest: null });
    expect(queueConnection('redis://h:1')).toEqual({ host: 'h', port: 1 });
  });
});

describe.skipIf(REDIS_SERVER === undefined)(
  'queue connections through ioredis on a real redis-server',
  () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startRedis(['--requirepass', 'sesame']);
    });
    afterAll(() => redis?.stop());

    it('the URL password and database reach Redis: a job goes through database 1; a wrong password fails', async () => {
      const url = `redis://:sesame@127.0.0.1:${redis.port}/1`;
      const queue = new Queue('url-test', { connection: queueConnection(url) });
      const worker = new Worker('url-test', async (job) => (job.data as { n: number }).n + 1, {
        connection: queueConnection(url, true),
      });
      const raw = new Redis({ port: redis.port, password: 'sesame', db: 1, lazyConnect: true });
      try {
        const done = new Promise((resolve) => worker.once('completed', (_job, value) => resolve(value)));
        await queue.add('inc', { n: 41 }, { jobId: 'j1' });
        expect(await done).toBe(42);
        await raw.connect();
        expect(await raw.exists('bull:url-test:j1')).toBe(1);
        await raw.select(0);
        expect(await raw.keys('bull:*')).toEqual([]);
      } finally {
        await worker.close();
        await queue.close();
        raw.disconnect();
      }
      const denied = new Queue('url-test', {
        connection: {
          ...queueConnection(`redis://:wrong@127.0.0.1:${redis.port}`),
          retryStrategy: () => null,
        },
      });
      denied.on('error', () => undefined);
      await expect(denied.waitUntilReady().then(() => denied.getJobCounts())).rejects.toThrow(
        /WRONGPASS|invalid password|NOAUTH|closed/,
      );
      await denied.close();
    });
  },
);
