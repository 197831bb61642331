import { Keyv } from 'keyv';
import type { KeyvStoreAdapter } from 'keyv';
import { errorMessage, VettaError } from '../core/errors.js';
import { openBackend } from './backend.js';
import type { StoreBackend } from './backend.js';
import { SessionLock } from './lock.js';

/**
 * Interview sessions, persisted event by event behind keyv. Key layout and retention rules:
 * docs/sessions.md. The store never folds events into an interview state (that is the reducer's
 * job); it keeps only what listing needs: the phase, the hints, the last verdict.
 */

/**
 * What the store reads of an event, for listing; every other field is kept as it came. The
 * interview's events fit it, so the store knows their shape without depending on the interview.
 */
export interface StoredEvent {
  type: string;
  phase?: string;
  run?: { verdict: string };
}

export type SessionStatus = 'active' | 'finished' | 'abandoned';

/** What initialState takes: the interview's own clock may be virtual (scripted sessions). */
export interface SessionInit<L extends string = string> {
  sessionId: string;
  problemId: string;
  language: L;
  atMs: number;
}

export interface SessionMeta<L extends string = string> {
  id: string;
  init: SessionInit<L>;
  /** Wall-clock times, whatever clock the interview runs on. */
  startedAtMs: number;
  lastActivityAtMs: number;
  finishedAtMs: number | null;
  /** Events known to be stored; a crash between an event and this record leaves it one short. */
  eventCount: number;
  phase: string;
  hints: number;
  lastVerdict: string | null;
}

export interface SessionSummary<L extends string = string> extends SessionMeta<L> {
  status: SessionStatus;
  /** When gc deletes it (and, for Redis, when its keys expire) unless it sees activity first. */
  expiresAtMs: number;
}

export interface LoadedSession<E extends StoredEvent = StoredEvent, L extends string = string> {
  meta: SessionSummary<L>;
  /** In order; the interview state is events.reduce(reduce, initialState(meta.init)). */
  events: E[];
  /** When each event was stored, wall clock. */
  recordedAtMs: number[];
}

export interface GcReport {
  removed: { id: string; problemId: string; status: SessionStatus }[];
  keysDeleted: number;
  /** Entries past their TTL that the backend does not expire itself (SQLite). */
  expiredKeysSwept: number;
  /** Sessions idle for longer than abandonAfterMs, kept until they expire. */
  abandonedKept: number;
  /** The store file before and after compaction, when the backend is a file. */
  sizeBytes?: { before: number; after: number };
}

export interface RetentionOptions {
  /** How long a finished or abandoned session is kept. */
  retentionMs?: number;
  /** Idle time after which an unfinished session counts as abandoned. */
  abandonAfterMs?: number;
  /**
   * How much longer event keys live than their session record, so an interview that runs on (or
   * is resumed) for days never finds its first events expired before the record that lists them.
   */
  eventGraceMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RETENTION_MS = 90 * DAY_MS;
export const DEFAULT_ABANDON_AFTER_MS = DAY_MS;
export const DEFAULT_EVENT_GRACE_MS = 7 * DAY_MS;
const BATCH = 500;

const SESSIONS_NAMESPACE = 'vetta-sessions';
const EVENTS_NAMESPACE = 'vetta-events';

export interface EventRecord<E extends StoredEvent = StoredEvent> {
  atMs: number;
  event: E;
}

const eventKey = (id: string, seq: number) => `${id}:${seq}`;

/** The listing fields after one more event. */
function summarize<L extends string>(meta: SessionMeta<L>, record: EventRecord): SessionMeta<L> {
  const { event, atMs } = record;
  const next: SessionMeta<L> = { ...meta, eventCount: meta.eventCount + 1, lastActivityAtMs: Math.max(meta.lastActivityAtMs, atMs) };
  if (event.type === 'phase_changed' && event.phase) {
    next.phase = event.phase;
    if (event.phase === 'ended') next.finishedAtMs ??= atMs;
  } else if (event.type === 'hint_given') next.hints += 1;
  else if (event.type === 'tests_ran' && event.run) next.lastVerdict = event.run.verdict;
  return next;
}

function bare<L extends string>(summary: SessionSummary<L>): SessionMeta<L> {
  const { status: _status, expiresAtMs: _expiresAtMs, ...meta } = summary;
  return meta;
}

interface Writer<L extends string> {
  meta: SessionMeta<L> | null;
  /** Appends of one session run one after another, in the order they were called. */
  tail: Promise<void>;
  /** After a failed write nothing more is written, so the stored events never have a hole. */
  failure: unknown;
  /** Every event this process loaded or appended, stored or not: what a local copy holds if the store never comes back. */
  known: EventRecord<StoredEvent>[];
}

/** Saving stopped because the store went away, or started again once it came back. */
export type SavingChange = { saving: false; reason: string } | { saving: true; pausedMs: number };

/** Waits between tries while the store is away: short at first, then at most RETRY_MAX_MS. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 2_000;

export class SessionStore<E extends StoredEvent = StoredEvent, L extends string = string> {
  private readonly metas: Keyv<SessionMeta<L>>;
  private readonly metaAdapter: KeyvStoreAdapter;
  private readonly events: Keyv<EventRecord<E>>;
  private readonly writers = new Map<string, Writer<L>>();
  private readonly locks: SessionLock[] = [];
  private readonly savingListeners = new Set<(change: SavingChange) => void>();
  /** When the store went away, while it is; null while writes go through. */
  private pausedSinceMs: number | null = null;
  /** Set by giveUp(): writes waiting for the store fail instead of waiting on. */
  private gaveUp: Error | null = null;
  readonly retentionMs: number;
  readonly abandonAfterMs: number;
  private readonly eventGraceMs: number;

  constructor(
    private readonly backend: StoreBackend,
    options: RetentionOptions = {},
  ) {
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.abandonAfterMs = options.abandonAfterMs ?? DEFAULT_ABANDON_AFTER_MS;
    this.eventGraceMs = options.eventGraceMs ?? DEFAULT_EVENT_GRACE_MS;
    const keyv = <V>(adapter: KeyvStoreAdapter, namespace: string) =>
      new Keyv<V>(adapter, { namespace, useKeyPrefix: false, throwOnErrors: true, emitErrors: false });
    this.metaAdapter = backend.adapter(SESSIONS_NAMESPACE);
    this.metas = keyv<SessionMeta<L>>(this.metaAdapter, SESSIONS_NAMESPACE);
    this.events = keyv<EventRecord<E>>(backend.adapter(EVENTS_NAMESPACE), EVENTS_NAMESPACE);
  }

  /** The file or URL the sessions live in, for messages. */
  get location(): string {
    return this.backend.location;
  }

  private metaTtlMs(meta: SessionMeta<L>): number {
    return meta.finishedAtMs !== null ? this.retentionMs : this.abandonAfterMs + this.retentionMs;
  }

  private get eventTtlMs(): number {
    return this.abandonAfterMs + this.retentionMs + this.eventGraceMs;
  }

  private summary(meta: SessionMeta<L>, nowMs: number): SessionSummary<L> {
    const finished = meta.finishedAtMs !== null;
    const status: SessionStatus = finished ? 'finished' : nowMs - meta.lastActivityAtMs >= this.abandonAfterMs ? 'abandoned' : 'active';
    const expiresAtMs = finished ? meta.finishedAtMs! + this.retentionMs : meta.lastActivityAtMs + this.abandonAfterMs + this.retentionMs;
    return { ...meta, status, expiresAtMs };
  }

  private writer(id: string): Writer<L> {
    let writer = this.writers.get(id);
    if (!writer) {
      writer = { meta: null, tail: Promise.resolve(), failure: undefined, known: [] };
      this.writers.set(id, writer);
    }
    return writer;
  }

  /** Starts a session; its id is init.sessionId. */
  async create(init: SessionInit<L>, nowMs = Date.now()): Promise<SessionMeta<L>> {
    const id = init.sessionId;
    if (await this.metas.has(id)) throw new VettaError('invalid_input', `a session with id ${id} already exists in ${this.location}`);
    const meta: SessionMeta<L> = {
      id,
      init,
      startedAtMs: nowMs,
      lastActivityAtMs: nowMs,
      finishedAtMs: null,
      eventCount: 0,
      phase: 'intro',
      hints: 0,
      lastVerdict: null,
    };
    await this.metas.set(id, meta, this.metaTtlMs(meta));
    this.writer(id).meta = meta;
    return meta;
  }

  /**
   * Takes the session's one-writer lock for this process (src/store/lock.ts), or throws naming the
   * process that holds it. Released by close().
   */
  async lock(id: string): Promise<void> {
    this.locks.push(await SessionLock.acquire(this.backend.locks, id));
  }

  /** Told when saving pauses (the store went away) and resumes (it came back; the waiting events were written). */
  onSavingChange(listener: (change: SavingChange) => void): () => void {
    this.savingListeners.add(listener);
    return () => this.savingListeners.delete(listener);
  }

  private savingChanged(change: SavingChange): void {
    for (const listener of this.savingListeners) listener(change);
  }

  /**
   * Runs work after every earlier write to the session; a failed write stops all later ones. While
   * the store is away (a Redis server that stopped) the write is tried again, with a growing wait,
   * and the writes behind it wait their turn, so they reach the store in order once it is back.
   */
  private enqueue(id: string, work: (writer: Writer<L>) => Promise<void>): Promise<void> {
    const writer = this.writer(id);
    const written = writer.tail.then(async () => {
      if (writer.failure !== undefined) throw writer.failure;
      for (let attempt = 0; ; attempt++) {
        try {
          await work(writer);
          break;
        } catch (error) {
          if (this.gaveUp === null && this.backend.unavailable?.()) {
            if (this.pausedSinceMs === null) {
              this.pausedSinceMs = Date.now();
              this.savingChanged({ saving: false, reason: errorMessage(error) });
            }
            await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_FIRST_MS * 2 ** attempt, RETRY_MAX_MS)));
            continue;
          }
          writer.failure = this.gaveUp ?? error;
          throw writer.failure;
        }
      }
      if (this.pausedSinceMs !== null) {
        const pausedMs = Date.now() - this.pausedSinceMs;
        this.pausedSinceMs = null;
        this.savingChanged({ saving: true, pausedMs });
      }
    });
    writer.tail = written.catch(() => {});
    return written;
  }

  /** Stops waiting for a store that is away: the writes still waiting fail, and later ones too. */
  giveUp(reason: string): void {
    this.gaveUp = new VettaError('io', reason);
  }

  /**
   * The session as this process knows it, stored or not: the events it loaded or appended, for a
   * local copy when the store never came back (`vetta sessions import` reads it back).
   */
  known(id: string, nowMs = Date.now()): LoadedSession<E, L> {
    const writer = this.writers.get(id);
    if (!writer?.meta) throw new VettaError('internal', `session ${id} was neither created nor resumed in this process`);
    const base: SessionMeta<L> = { ...writer.meta, eventCount: 0, phase: 'intro', hints: 0, lastVerdict: null, finishedAtMs: null };
    const meta = writer.known.reduce(summarize, base);
    return { meta: this.summary(meta, nowMs), events: writer.known.map((r) => r.event as E), recordedAtMs: writer.known.map((r) => r.atMs) };
  }

  /**
   * Stores one event after the ones before it. The promise resolves once the event is durable;
   * call it for every event as it happens, without waiting, and order is kept.
   */
  append(id: string, event: E, nowMs = Date.now()): Promise<void> {
    const record: EventRecord<E> = { atMs: nowMs, event };
    this.writer(id).known.push(record);
    return this.enqueue(id, async (writer) => {
      const meta = writer.meta ?? bare((await this.read(id, nowMs)).meta);
      await this.events.set(eventKey(id, meta.eventCount), record, this.eventTtlMs);
      const next = summarize(meta, record);
      await this.metas.set(id, next, this.metaTtlMs(next));
      writer.meta = next;
    });
  }

  /** Marks the session finished: it is kept for retentionMs from now. */
  finish(id: string, nowMs = Date.now()): Promise<void> {
    return this.enqueue(id, async (writer) => {
      const meta = writer.meta ?? bare((await this.read(id, nowMs)).meta);
      const next: SessionMeta<L> = { ...meta, finishedAtMs: meta.finishedAtMs ?? nowMs };
      await this.metas.set(id, next, this.metaTtlMs(next));
      writer.meta = next;
    });
  }

  private async record(id: string): Promise<SessionMeta<L>> {
    const meta = await this.metas.get(id);
    if (!meta) throw new VettaError('not_found', `no session ${id} in ${this.location}; see "vetta sessions list"`);
    return meta;
  }

  /** Reads events from `from` until the first missing one. */
  private async readEvents(id: string, from: number): Promise<EventRecord<E>[]> {
    const records: EventRecord<E>[] = [];
    for (let start = from; ; start += BATCH) {
      const page = await this.events.getMany(Array.from({ length: BATCH }, (_, i) => eventKey(id, start + i)));
      for (const record of page) {
        if (!record) return records;
        records.push(record);
      }
    }
  }

  /** The session and its events in order, after this process's pending appends. */
  async load(id: string, nowMs = Date.now()): Promise<LoadedSession<E, L>> {
    await this.writers.get(id)?.tail;
    return this.read(id, nowMs);
  }

  private async read(id: string, nowMs: number): Promise<LoadedSession<E, L>> {
    const stored = await this.record(id);
    const records = await this.readEvents(id, 0);
    if (records.length < stored.eventCount) {
      throw new VettaError(
        'io',
        `session ${id} in ${this.location} has lost events (${records.length} of ${stored.eventCount} remain, the rest expired); remove it with "vetta sessions rm ${id}"`,
      );
    }
    // Listing fields from the events themselves: the record may lag one event behind after a crash.
    const meta = records.reduce<SessionMeta<L>>(summarize, { ...stored, eventCount: 0, phase: 'intro', hints: 0, lastVerdict: null });
    return { meta: this.summary(meta, nowMs), events: records.map((r) => r.event), recordedAtMs: records.map((r) => r.atMs) };
  }

  /**
   * Loads a session to carry on with it in this process: later appends follow its last event, and
   * its keys get a fresh lifetime.
   */
  async resume(id: string, nowMs = Date.now()): Promise<LoadedSession<E, L>> {
    const loaded = await this.load(id, nowMs);
    const records = loaded.events.map((event, i) => ({ key: eventKey(id, i), value: { atMs: loaded.recordedAtMs[i]!, event }, ttl: this.eventTtlMs }));
    for (let i = 0; i < records.length; i += BATCH) await this.events.setMany(records.slice(i, i + BATCH));
    const next: SessionMeta<L> = { ...bare(loaded.meta), lastActivityAtMs: nowMs };
    await this.metas.set(id, next, this.metaTtlMs(next));
    const writer = this.writer(id);
    writer.meta = next;
    writer.failure = undefined;
    writer.known = loaded.events.map((event, i) => ({ atMs: loaded.recordedAtMs[i]!, event }));
    return { ...loaded, meta: this.summary(next, nowMs) };
  }

  /**
   * Writes a session kept elsewhere (a local copy made while the store was away) into the store. A
   * session the store already has must hold the first of its events, and only the rest are added.
   * Returns how many events were added.
   */
  async import(session: { init: SessionInit<L>; startedAtMs: number; finishedAtMs: number | null; events: EventRecord<E>[] }): Promise<number> {
    const id = session.init.sessionId;
    let stored: EventRecord<E>[] = [];
    if (await this.metas.has(id)) {
      const loaded = await this.resume(id);
      stored = loaded.events.map((event, i) => ({ event, atMs: loaded.recordedAtMs[i]! }));
      const differs = stored.findIndex((r, i) => JSON.stringify(r.event) !== JSON.stringify(session.events[i]?.event));
      if (differs !== -1)
        throw new VettaError(
          'invalid_input',
          `session ${id.slice(0, 8)} in ${this.location} differs from the file at event ${differs}; remove it first with "vetta sessions rm ${id.slice(0, 8)}" to import the file's version`,
        );
    } else await this.create(session.init, session.startedAtMs);
    const added = session.events.slice(stored.length);
    for (const record of added) await this.append(id, record.event, record.atMs);
    if (session.finishedAtMs !== null) await this.finish(id, session.finishedAtMs);
    return added.length;
  }

  /** Every session, newest first. */
  async list(nowMs = Date.now()): Promise<SessionSummary<L>[]> {
    const sessions: SessionSummary<L>[] = [];
    // The adapter's iterator, not keyv's: keyv 5.6 throws on a key that expires between Redis's
    // SCAN and MGET (its value comes back empty), and on a shared server some key always may.
    for await (const [, raw] of this.metaAdapter.iterator!(SESSIONS_NAMESPACE)) {
      if (typeof raw !== 'string') continue;
      const meta = (await this.metas.deserializeData<SessionMeta<L>>(raw))?.value;
      if (meta) sessions.push(this.summary(meta, nowMs));
    }
    return sessions.sort((a, b) => b.startedAtMs - a.startedAtMs || a.id.localeCompare(b.id));
  }

  /** The full id of the one session whose id is or starts with `prefix`. */
  async resolve(prefix: string): Promise<string> {
    if (await this.metas.has(prefix)) return prefix;
    const matches = (await this.list()).filter((s) => s.id.startsWith(prefix));
    if (matches.length === 1) return matches[0]!.id;
    if (matches.length === 0) throw new VettaError('not_found', `no session "${prefix}" in ${this.location}; see "vetta sessions list"`);
    throw new VettaError(
      'usage',
      `"${prefix}" matches ${matches.length} sessions (${matches
        .slice(0, 3)
        .map((s) => s.id.slice(0, 12))
        .join(', ')}${matches.length > 3 ? ', ...' : ''}); give more of the id`,
    );
  }

  /** Deletes the session and its events; the number of keys deleted, 0 when there was none. */
  async remove(id: string): Promise<number> {
    const writer = this.writers.get(id);
    if (writer) await writer.tail;
    this.writers.delete(id);
    const meta = await this.metas.get(id);
    if (!meta) return 0;
    // The record first: a crash midway leaves unlisted events, which expire, not a listed session without them.
    await this.metas.delete(id);
    const count = meta.eventCount + (await this.readEvents(id, meta.eventCount)).length;
    for (let start = 0; start < count; start += BATCH) {
      await this.events.deleteMany(Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => eventKey(id, start + i)));
    }
    return count + 1;
  }

  /** Deletes expired sessions (finished or abandoned longer than retentionMs) and what they held. */
  async gc(nowMs = Date.now()): Promise<GcReport> {
    const report: GcReport = { removed: [], keysDeleted: 0, expiredKeysSwept: 0, abandonedKept: 0 };
    for (const session of await this.list(nowMs)) {
      if (session.expiresAtMs <= nowMs) {
        report.keysDeleted += await this.remove(session.id);
        report.removed.push({ id: session.id, problemId: session.init.problemId, status: session.status });
      } else if (session.status === 'abandoned') report.abandonedKept++;
    }
    report.expiredKeysSwept = (await this.backend.sweepExpired?.(nowMs)) ?? 0;
    const size = await this.backend.compact?.();
    if (size) report.sizeBytes = { before: size.beforeBytes, after: size.afterBytes };
    return report;
  }

  /** Waits for pending appends, lets go of the sessions this process locked, then closes the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.tail));
    await Promise.all(this.locks.map((lock) => lock.release()));
    await this.backend.close();
  }
}

/** The store a URL names (docs/sessions.md); the default file when there is none. */
export async function openSessionStore<E extends StoredEvent = StoredEvent, L extends string = string>(
  url: string | undefined,
  options: RetentionOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<SessionStore<E, L>> {
  return new SessionStore<E, L>(await openBackend(url, options.env), options);
}
