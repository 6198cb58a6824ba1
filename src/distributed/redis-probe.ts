/**
 * A bounded first contact with Redis: workers and queue coordinators wait out a lost connection
 * for as long as it takes (their clients reconnect forever), which is right once they have run,
 * but a Redis that cannot be reached at the start is almost always a wrong URL, a server not
 * started or a firewall — so that case fails after a bounded time with an error naming the URL.
 */
import { Redis } from 'ioredis';
import { ArbiterError } from '../core/errors.js';
import { parseRedisUrl, redactRedisUrl } from './redis-url.js';

/** How long {@link probeRedis} tries by default, in ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects to the Redis at `url` and pings it, retrying for up to `timeoutMs`; throws an
 * `ArbiterError` (`queue-unreachable`) naming the URL (password redacted) and the last reason, or
 * the `ValidationError` of a URL that is not one.
 */
export async function probeRedis(url: string, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<void> {
  const until = Date.now() + timeoutMs;
  let lastError = 'no answer';
  const client = new Redis({
    ...parseRedisUrl(url),
    lazyConnect: true,
    enableOfflineQueue: false,
    connectTimeout: Math.max(1, Math.min(timeoutMs, 5000)),
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => (Date.now() < until ? Math.min(50 * times, 500) : null),
  });
  client.on('error', (e: Error) => void (lastError = e.message || e.name));
  try {
    const answered = new Promise<void>((resolve, reject) => {
      client.once('ready', () => void client.ping().then(() => resolve(), reject));
      client.once('end', () => reject(new Error(lastError))); // retries exhausted
    });
    client.connect().catch(() => undefined); // failures arrive as 'error' and 'end'
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(lastError)), timeoutMs);
    });
    await Promise.race([answered, late]).finally(() => clearTimeout(timer));
  } catch (e) {
    throw new ArbiterError(
      'queue-unreachable',
      `cannot reach Redis at ${redactRedisUrl(url)} within ${(timeoutMs / 1000).toFixed(1)} s: ${
        e instanceof Error ? e.message : String(e)
      } (is redis-server running there, and the URL right?)`,
    );
  } finally {
    client.disconnect();
  }
}
