/**
 * `redis://[user:password@]host[:port][/db]` and `rediss://…` (TLS) as ioredis connection
 * options. The password and user may be percent-encoded; an ACL user needs Redis 6 or later.
 * Parsed here rather than by ioredis so that a bad URL fails early with a message naming it.
 */
import { ValidationError } from '../core/errors.js';

/** What a Redis URL says, in the names of ioredis's connection options. */
export interface RedisUrlOptions {
  /** Host name or address (IPv6 without brackets). */
  host: string;
  /** Port (6379 when the URL names none). */
  port: number;
  /** ACL user name. */
  username?: string;
  /** Password (`requirepass` or the ACL user's). */
  password?: string;
  /** Database index. */
  db?: number;
  /** Present (empty) for `rediss://`: connect with TLS. */
  tls?: Record<string, never>;
}

/** The connection options of a Redis URL; a `ValidationError` naming `source` when it is not one. */
export function parseRedisUrl(url: string, source = '--queue'): RedisUrlOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ValidationError('redis-url', `not a URL: ${JSON.stringify(url)} (write redis://HOST:PORT)`, {
      item: source,
    });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new ValidationError(
      'redis-url',
      `the scheme must be redis:// or rediss:// (TLS), got ${u.protocol}//`,
      {
        item: source,
      },
    );
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new ValidationError('redis-url', `the path must be a database number, got /${db}`, {
      item: source,
    });
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literals come bracketed
  return {
    host: host === '' ? '127.0.0.1' : host,
    port: u.port === '' ? 6379 : Number(u.port),
    ...(u.username !== '' && { username: decodeURIComponent(u.username) }),
    ...(u.password !== '' && { password: decodeURIComponent(u.password) }),
    ...(db !== '' && { db: Number(db) }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
  };
}

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
