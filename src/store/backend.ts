import { join } from 'node:path';
import type { KeyvStoreAdapter } from 'keyv';
import { errorMessage, VettaError } from '../core/errors.js';
import { dataDir } from '../core/paths.js';
import { SqliteSessionDb } from './sqlite.js';

/** Where sessions live: keyv adapters over one connection, plus what a backend without TTL needs. */
export interface StoreBackend {
  /** For messages: the file, or the Redis URL without its password. */
  readonly location: string;
  /** A keyv adapter for one namespace; every namespace shares the backend's connection. */
  adapter(namespace: string): KeyvStoreAdapter;
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

export async function redisBackend(url: string): Promise<StoreBackend> {
  const location = redactUrl(url);
  // Loaded only for Redis: most users keep sessions in the local file.
  const { default: KeyvRedis, createClient } = await import('@keyv/redis');
  const client = createClient({
    url,
    socket: {
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      // A few quick retries ride out a restart; after that, writes fail and the user is told.
      reconnectStrategy: (retries: number) => (retries >= 3 ? new Error(`gave up reconnecting to ${location}`) : 200 * (retries + 1)),
    },
  });
  // Errors surface through the commands that fail; the client must not crash the process with them.
  let socketError: unknown;
  client.on('error', (e: unknown) => (socketError = e));
  try {
    await client.connect();
  } catch (e) {
    throw new VettaError('io', `cannot reach the session store at ${location} (${errorMessage(socketError ?? e)}); start Redis there or choose another store with --store`, { cause: e });
  }
  return {
    location,
    adapter: (namespace) => new KeyvRedis(client, { namespace, throwOnErrors: true }) as unknown as KeyvStoreAdapter,
    close: async () => {
      if (client.isOpen) await client.close();
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
