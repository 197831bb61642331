import { join } from 'node:path';
import type { KeyvStoreAdapter } from 'keyv';
import { errorMessage, VettaError } from '../core/errors.js';
import { dataDir } from '../core/paths.js';
import { SqliteSessionDb } from './sqlite.js';

/**
 * Keys that expire and change only by compare-and-set: a session's one-writer lock (src/store/lock.ts).
 * Keyv has no conditional write, so each backend does it natively.
 */
export interface LockTable {
  /** Sets `key` to `value` for ttlMs if it is free (absent or expired) or still holds `expected`; whether it did. */
  claim(key: string, value: string, ttlMs: number, expected: string | null): Promise<boolean>;
  /** The value, while it has not expired. */
  peek(key: string): Promise<string | null>;
  /** Deletes `key` if it still holds `value`. */
  release(key: string, value: string): Promise<void>;
}

/** Where sessions live: keyv adapters over one connection, plus what a backend without TTL needs. */
export interface StoreBackend {
  /** For messages: the file, or the Redis URL without its password. */
  readonly location: string;
  /** A keyv adapter for one namespace; every namespace shares the backend's connection. */
  adapter(namespace: string): KeyvStoreAdapter;
  readonly locks: LockTable;
  /** The store is away (a server that stopped answering), so a failed write may be retried once it is back. */
  unavailable?(): boolean;
  /** Deletes entries whose TTL passed, for a backend that does not expire keys itself. */
  sweepExpired?(nowMs: number): Promise<number>;
  /** Gives freed space back; the store's size before and after. */
  compact?(): Promise<{ beforeBytes: number; afterBytes: number }>;
  close(): Promise<void>;
}

export const SESSIONS_FILE = 'sessions.db';

export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), SESSIONS_FILE);
}

export function sqliteBackend(path: string): StoreBackend {
  const db = SqliteSessionDb.open(path);
  return {
    location: path,
    adapter: (namespace) => db.adapter(namespace),
    locks: {
      claim: async (key, value, ttlMs, expected) => db.claimLock(key, value, ttlMs, expected),
      peek: async (key) => db.liveLock(key),
      release: async (key, value) => db.releaseLock(key, value),
    },
    sweepExpired: async (nowMs) => db.sweepExpired(nowMs),
    compact: async () => db.compact(),
    close: async () => db.close(),
  };
}

/** The URL as it may be printed: no password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** How long to wait for Redis before saying it cannot be reached. */
const REDIS_CONNECT_TIMEOUT_MS = 5_000;
/** Once connected, reconnecting goes on for as long as the process runs, at most this far apart. */
const REDIS_RECONNECT_MAX_MS = 2_000;

const LOCK_PREFIX = 'vetta-locks::';
// Compare-and-set and compare-and-delete: the value is read and written in one step on the server.
const CLAIM_HELD =
  "local held = redis.call('GET', KEYS[1]) if held == false or held == ARGV[2] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3]) return 1 end return 0";
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export async function redisBackend(url: string): Promise<StoreBackend> {
  const location = redactUrl(url);
  // Loaded only for Redis: most users keep sessions in the local file.
  const { default: KeyvRedis, createClient } = await import('@keyv/redis');
  let connected = false;
  const client = createClient({
    url,
    // A command sent while Redis is away fails at once, so the session store can say saving paused and retry it.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      // Before the first connection a few quick tries, then a clear error; after it, an outage is ridden out.
      reconnectStrategy: (retries: number) =>
        connected ? Math.min(200 * (retries + 1), REDIS_RECONNECT_MAX_MS) : retries >= 3 ? new Error(`gave up connecting to ${location}`) : 200 * (retries + 1),
    },
  });
  // Errors surface through the commands that fail; the client must not crash the process with them.
  let socketError: unknown;
  client.on('error', (e: unknown) => (socketError = e));
  try {
    await client.connect();
    connected = true;
  } catch (e) {
    throw new VettaError(
      'io',
      `cannot reach the session store at ${location} (${errorMessage(socketError ?? e)}); start Redis there or choose another store with --store`,
      { cause: e },
    );
  }
  return {
    location,
    adapter: (namespace) => new KeyvRedis(client, { namespace, throwOnErrors: true }) as unknown as KeyvStoreAdapter,
    locks: {
      claim: async (key, value, ttlMs, expected) => {
        if (expected === null) return (await client.set(LOCK_PREFIX + key, value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
        return (await client.eval(CLAIM_HELD, { keys: [LOCK_PREFIX + key], arguments: [value, expected, String(ttlMs)] })) === 1;
      },
      peek: async (key) => client.get(LOCK_PREFIX + key),
      release: async (key, value) => {
        await client.eval(RELEASE, { keys: [LOCK_PREFIX + key], arguments: [value] });
      },
    },
    unavailable: () => !client.isReady,
    close: async () => {
      if (client.isReady) await client.close();
      // Reconnecting to a server that went away: nothing more can be sent, so stop at once.
      else if (client.isOpen) client.destroy();
    },
  };
}

/**
 * The backend a store URL names: redis:// or rediss:// for Redis, sqlite:PATH or a path for a
 * SQLite file, nothing for the default file in the data directory.
 */
export async function openBackend(url: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<StoreBackend> {
  if (!url) return sqliteBackend(defaultStorePath(env));
  if (/^rediss?:\/\//.test(url)) return redisBackend(url);
  if (url.startsWith('sqlite:')) return sqliteBackend(url.replace(/^sqlite:(\/\/)?/, ''));
  if (url.startsWith('/') || url.startsWith('.')) return sqliteBackend(url);
  throw new VettaError('usage', `unknown session store "${redactUrl(url)}": use redis://HOST:PORT, sqlite:PATH or a file path`);
}
