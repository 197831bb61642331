import { EventEmitter } from 'node:events';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { errorMessage, VettaError } from '../core/errors.js';

/**
 * The default session store: one SQLite file through Node's built-in node:sqlite, wrapped as keyv
 * store adapters (one per keyv namespace, all on one connection). Why node:sqlite and these
 * settings: docs/sessions.md.
 */

/** How long a write waits for another vetta process holding the write lock. */
const BUSY_TIMEOUT_MS = 5_000;
const PAGE_ROWS = 500;
const INSERT = 'INSERT OR REPLACE INTO kv (ns, key, value, expires) VALUES (?, ?, ?, ?)';
/** Session locks share the kv table; keyv never reads this namespace. */
const LOCKS_NAMESPACE = 'vetta-locks';

/**
 * node:sqlite prints an ExperimentalWarning when it loads on Node 22. Only that warning is
 * silenced, only while the module loads; every other warning still prints.
 */
function loadSqlite(): typeof import('node:sqlite') {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const message = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning' && message.startsWith('SQLite is an experimental feature')) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
}

interface SqliteError extends Error {
  errcode?: number;
  errstr?: string;
}

// Primary result codes (extended codes carry them in the low byte).
const SQLITE_PERM = 3;
const SQLITE_BUSY = 5;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

/** Why a path cannot be opened, in the words a user would check. */
function openProblem(path: string): string | null {
  try {
    if (statSync(path).isDirectory()) return 'it is a directory';
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code !== 'ENOENT') return code ?? null;
  }
  return null;
}

/** One line that names the file and says what to do; never a silent fresh start. */
export function storeError(path: string, error: unknown): VettaError {
  const sqlite = error as SqliteError;
  const primary = (sqlite.errcode ?? -1) & 0xff;
  const what = sqlite.errstr ?? errorMessage(error);
  const moveAside = `move it aside with "mv ${path} ${path}.bad" and Vetta starts a new one`;
  if (primary === SQLITE_NOTADB || primary === SQLITE_CORRUPT) {
    return new VettaError('io', `the session store ${path} is damaged (${what}); ${moveAside}`, { cause: error });
  }
  if (primary === SQLITE_BUSY) {
    return new VettaError('io', `the session store ${path} stayed locked by another vetta for ${BUSY_TIMEOUT_MS / 1000} s; try again`, {
      cause: error,
      retryable: true,
    });
  }
  if (primary === SQLITE_FULL) return new VettaError('io', `the disk holding the session store ${path} is full; free some space`, { cause: error });
  if (primary === SQLITE_CANTOPEN || primary === SQLITE_PERM || primary === SQLITE_READONLY || primary === SQLITE_IOERR || sqlite.errcode === undefined) {
    const problem = openProblem(path) ?? what;
    return new VettaError('io', `the session store ${path} cannot be used (${problem}); fix its permissions or ${moveAside}`, { cause: error });
  }
  return new VettaError('io', `the session store ${path} failed (${what}); if it keeps failing, ${moveAside}`, { cause: error });
}

export class SqliteSessionDb {
  private constructor(
    readonly path: string,
    private readonly db: DatabaseSync,
  ) {}

  /** Opens (creating when missing) the store file; a damaged or unreadable one is a VettaError. */
  static open(path: string): SqliteSessionDb {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw new VettaError(
        'io',
        `cannot create ${dirname(path)} for the session store (${(e as NodeJS.ErrnoException).code}); fix its permissions or choose another place with --store`,
        { cause: e },
      );
    }
    const { DatabaseSync } = loadSqlite();
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(path);
      // busy_timeout first: the statements below may already wait for another process.
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // auto_vacuum takes effect only on an empty file: set before the table exists.
      db.exec('PRAGMA auto_vacuum = INCREMENTAL');
      db.exec('PRAGMA journal_mode = WAL');
      // FULL: every commit is fsynced, so an acknowledged event survives a power cut too, not
      // only kill -9 (which NORMAL already survives in WAL mode). Events come at human pace; an
      // fsync costs well under a millisecond to a few (docs/sessions.md).
      db.exec('PRAGMA synchronous = FULL');
      db.exec(`CREATE TABLE IF NOT EXISTS kv (
        ns TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        expires INTEGER,
        PRIMARY KEY (ns, key)
      ) WITHOUT ROWID`);
      db.exec('CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires) WHERE expires IS NOT NULL');
      // Reads the schema, so a file that is damaged past its header fails here, not mid-interview.
      db.prepare('SELECT count(*) FROM kv WHERE ns = ?').get('');
    } catch (e) {
      try {
        db?.close();
      } catch {
        // The open already failed; that error is the one to report.
      }
      throw storeError(path, e);
    }
    return new SqliteSessionDb(path, db);
  }

  /** Runs a statement, turning SQLite's failures into the store's one-line errors. */
  run<T>(work: (db: DatabaseSync) => T): T {
    try {
      return work(this.db);
    } catch (e) {
      throw e instanceof VettaError ? e : storeError(this.path, e);
    }
  }

  private readonly statements = new Map<string, StatementSync>();
  /** A prepared statement, kept for reuse; call it inside run() so its failures read well. */
  statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  transaction<T>(work: () => T): T {
    return this.run((db) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        db.exec('COMMIT');
        return result;
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  adapter(namespace: string): SqliteKeyvAdapter {
    return new SqliteKeyvAdapter(this, namespace);
  }

  /** See LockTable in backend.ts: a compare-and-set in one write transaction, so two processes cannot both win. */
  claimLock(key: string, value: string, ttlMs: number, expected: string | null, nowMs = Date.now()): boolean {
    return this.transaction(() => {
      const held = this.liveLock(key, nowMs);
      if (held !== null && held !== expected) return false;
      this.statement(INSERT).run(LOCKS_NAMESPACE, key, value, nowMs + ttlMs);
      return true;
    });
  }

  /** The lock's value while it has not expired. */
  liveLock(key: string, nowMs = Date.now()): string | null {
    const row = this.run(() =>
      this.statement('SELECT value FROM kv WHERE ns = ? AND key = ? AND (expires IS NULL OR expires > ?)').get(LOCKS_NAMESPACE, key, nowMs),
    ) as { value: string } | undefined;
    return row?.value ?? null;
  }

  releaseLock(key: string, value: string): void {
    this.run(() => this.statement('DELETE FROM kv WHERE ns = ? AND key = ? AND value = ?').run(LOCKS_NAMESPACE, key, value));
  }

  /** Deletes every row whose keyv TTL has passed; SQLite has no expiry of its own. */
  sweepExpired(nowMs: number): number {
    return this.run(() => Number(this.statement('DELETE FROM kv WHERE expires IS NOT NULL AND expires <= ?').run(nowMs).changes));
  }

  /** Returns freed pages to the file system and empties the WAL; the store's size before and after. */
  compact(): { beforeBytes: number; afterBytes: number } {
    const beforeBytes = this.sizeBytes();
    this.run((db) => {
      db.exec('PRAGMA incremental_vacuum');
      // TRUNCATE waits for readers in other processes; when one is reading, the WAL shrinks next time.
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    });
    return { beforeBytes, afterBytes: this.sizeBytes() };
  }

  /** The database file plus its WAL. */
  sizeBytes(): number {
    const size = (file: string) => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    return size(this.path) + size(`${this.path}-wal`);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * One keyv namespace in the SQLite file. Keyv is used with useKeyPrefix off, so the namespace is a
 * column here and keys arrive bare. Rows past their TTL are invisible; sweepExpired deletes them.
 */
export class SqliteKeyvAdapter extends EventEmitter implements KeyvStoreAdapter {
  namespace: string | undefined;
  readonly opts: { dialect: 'sqlite'; url: string };

  constructor(
    private readonly store: SqliteSessionDb,
    namespace: string,
  ) {
    super();
    this.namespace = namespace;
    this.opts = { dialect: 'sqlite', url: `sqlite://${store.path}` };
  }

  private get ns(): string {
    return this.namespace ?? '';
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.store.run(() => {
      const row = this.store.statement('SELECT value FROM kv WHERE ns = ? AND key = ? AND (expires IS NULL OR expires > ?)').get(this.ns, key, Date.now()) as
        | { value: string }
        | undefined;
      return row?.value as StoredData<Value> | undefined;
    });
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    return this.store.run(() => {
      const found = new Map<string, string>();
      for (let i = 0; i < keys.length; i += PAGE_ROWS) {
        const page = keys.slice(i, i + PAGE_ROWS);
        const rows = this.store
          .statement(`SELECT key, value FROM kv WHERE ns = ? AND (expires IS NULL OR expires > ?) AND key IN (${page.map(() => '?').join(',')})`)
          .all(this.ns, Date.now(), ...page) as { key: string; value: string }[];
        for (const row of rows) found.set(row.key, row.value);
      }
      return keys.map((key) => found.get(key) as StoredData<Value | undefined>);
    });
  }

  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    this.store.run(() => this.store.statement(INSERT).run(this.ns, key, value, ttl ? Date.now() + ttl : null));
    return true;
  }

  async setMany(entries: { key: string; value: string; ttl?: number }[]): Promise<void> {
    const now = Date.now();
    this.store.transaction(() => {
      const insert = this.store.statement(INSERT);
      for (const { key, value, ttl } of entries) insert.run(this.ns, key, value, ttl ? now + ttl : null);
    });
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async delete(key: string): Promise<boolean> {
    return this.store.run(() => Number(this.store.statement('DELETE FROM kv WHERE ns = ? AND key = ?').run(this.ns, key).changes) > 0);
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return this.store.transaction(() => {
      const remove = this.store.statement('DELETE FROM kv WHERE ns = ? AND key = ?');
      return keys.reduce((any, key) => Number(remove.run(this.ns, key).changes) > 0 || any, false);
    });
  }

  async clear(): Promise<void> {
    this.store.run(() => this.store.statement('DELETE FROM kv WHERE ns = ?').run(this.ns));
  }

  /** Every live entry of the namespace, a page at a time, so writes may happen between pages. */
  async *iterator<Value>(namespace?: string): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
    const ns = namespace ?? this.ns;
    let after = '';
    for (;;) {
      const rows = this.store.run(
        () =>
          this.store
            .statement('SELECT key, value FROM kv WHERE ns = ? AND key > ? AND (expires IS NULL OR expires > ?) ORDER BY key LIMIT ?')
            .all(ns, after, Date.now(), PAGE_ROWS) as { key: string; value: string }[],
      );
      for (const row of rows) yield [row.key, row.value as Awaited<Value>];
      if (rows.length < PAGE_ROWS) return;
      after = rows.at(-1)!.key;
    }
  }
}
