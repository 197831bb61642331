import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { initialState, reduce } from '../../src/interview/state.ts';
import type { InterviewEvent } from '../../src/interview/state.ts';
import { openSessionStore } from '../../src/store/sessions.ts';
import type { Language } from '../../src/problems/load.ts';
import type { SessionStore } from '../../src/store/sessions.ts';
import { tempDir } from '../helpers.ts';
import { recordInterview } from './fixtures.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const storeFile = () => join(tempDir('vetta-store-'), 'sessions.db');
/** The database and its write-ahead log, which is gone after the last connection closes. */
const storeBytes = (file: string) => [file, `${file}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);

/** A few events that reduce accepts, as a short interview would produce them. */
function shortInterview(n: number): InterviewEvent[] {
  return [
    { type: 'interviewer_said', text: `Today's problem, number ${n}.`, atMs: 0 },
    { type: 'phase_changed', phase: 'clarify', atMs: 1 },
    { type: 'candidate_said', text: 'Can the input be empty?', atMs: 2 },
    { type: 'interviewer_said', text: 'No.', atMs: 3 },
  ];
}

async function addSessions(store: SessionStore, count: number, nowMs: number, finish: (i: number) => boolean): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const sessionId = `s${String(i).padStart(5, '0')}`;
    await store.create({ sessionId, problemId: 'two-sum', language: 'python', atMs: 0 }, nowMs);
    await Promise.all(shortInterview(i).map((e) => store.append(sessionId, e, nowMs)));
    if (finish(i)) await store.finish(sessionId, nowMs);
    ids.push(sessionId);
  }
  return ids;
}

describe('the session store (SQLite)', () => {
  it('gives back every event of a real interview, in order, folding into the same state', async () => {
    const file = storeFile();
    const store = await openSessionStore<InterviewEvent, Language>(file);
    const run = await recordInterview(store);
    await store.close();

    const reopened = await openSessionStore<InterviewEvent, Language>(file);
    const loaded = await reopened.load(run.sessionId);
    assert.deepEqual(loaded.events, run.events);
    assert.deepEqual(loaded.events.reduce(reduce, initialState(loaded.meta.init)), run.state);
    assert.equal(loaded.meta.status, 'finished', 'reaching the ended phase finishes the session');
    assert.equal(loaded.meta.phase, 'ended');
    assert.equal(loaded.meta.hints, 1);
    assert.equal(loaded.meta.lastVerdict, 'accepted');
    assert.equal(loaded.recordedAtMs.length, run.events.length);
    await reopened.close();
  });

  it('resumes a session in another process: new events follow the old ones', async () => {
    const file = storeFile();
    const first = await openSessionStore<InterviewEvent, Language>(file);
    const run = await recordInterview(first, { finish: false });
    await first.close();

    const second = await openSessionStore<InterviewEvent, Language>(file);
    const resumed = await second.resume(run.sessionId);
    assert.deepEqual(resumed.events, run.events);
    assert.equal(resumed.meta.status, 'active');
    const more: InterviewEvent = { type: 'candidate_said', text: 'I am back.', atMs: 999_000 };
    await second.append(run.sessionId, more);
    const loaded = await second.load(run.sessionId);
    assert.deepEqual(loaded.events, [...run.events, more]);
    await second.close();
  });

  it('lists sessions with their phase, status, hints and verdict; finds one by a unique prefix', async () => {
    const store = await openSessionStore<InterviewEvent, Language>(storeFile());
    const now = Date.now();
    await store.create({ sessionId: 'aaaa-1', problemId: 'two-sum', language: 'python', atMs: 0 }, now - 2 * DAY_MS);
    await store.append('aaaa-1', { type: 'phase_changed', phase: 'clarify', atMs: 5 }, now - 2 * DAY_MS);
    await store.create({ sessionId: 'aaab-2', problemId: 'jump-game', language: 'typescript', atMs: 0 }, now - 1000);
    await store.append('aaab-2', { type: 'hint_given', level: 'nudge', text: 'n', reason: 'asked', atMs: 7 }, now - 500);
    await store.create({ sessionId: 'b-3', problemId: 'house-robber', language: 'javascript', atMs: 0 }, now - 100);
    await store.finish('b-3', now - 50);

    const list = await store.list(now);
    assert.deepEqual(
      list.map((s) => [s.id, s.init.problemId, s.phase, s.status, s.hints]),
      [
        ['b-3', 'house-robber', 'intro', 'finished', 0],
        ['aaab-2', 'jump-game', 'intro', 'active', 1],
        ['aaaa-1', 'two-sum', 'clarify', 'abandoned', 0],
      ],
    );
    assert.equal(await store.resolve('aaab'), 'aaab-2');
    assert.equal(await store.resolve('b-3'), 'b-3');
    await assert.rejects(store.resolve('aaa'), /"aaa" matches 2 sessions .*give more of the id/);
    await assert.rejects(store.resolve('zzz'), /no session "zzz" in .*sessions\.db; see "vetta sessions list"/);
    assert.equal(await store.remove('aaab-2'), 2, 'its record and its one event');
    assert.deepEqual(
      (await store.list(now)).map((s) => s.id),
      ['b-3', 'aaaa-1'],
    );
    await assert.rejects(store.load('aaab-2'), /no session aaab-2/);
    await store.close();
  });

  it('stays bounded: thousands of sessions, then gc after their retention leaves no keys and a small file', async () => {
    const file = storeFile();
    const store = await openSessionStore<InterviewEvent, Language>(file);
    const start = Date.now();
    await addSessions(store, 3000, start, (i) => i % 2 === 0);
    assert.equal((await store.list(start)).length, 3000);
    const grownBytes = storeBytes(file);

    // Two days on: half are abandoned (idle for 24 h), none is old enough to delete.
    const early = await store.gc(start + 2 * DAY_MS);
    assert.equal(early.removed.length, 0);
    assert.equal(early.abandonedKept, 1500);

    // 90 and a half days on, the finished ones are past retention; the abandoned ones (kept 90
    // days from the day they counted as abandoned) have half a day to go.
    const finished = await store.gc(start + 90.5 * DAY_MS);
    assert.equal(finished.removed.length, 1500);
    assert.ok(finished.removed.every((r) => r.status === 'finished'));
    assert.equal(finished.keysDeleted, 1500 * 5);

    const rest = await store.gc(start + 92 * DAY_MS);
    assert.equal(rest.removed.length, 1500);
    assert.ok(rest.removed.every((r) => r.status === 'abandoned'));
    assert.deepEqual(await store.list(start + 92 * DAY_MS), []);
    await store.close();

    const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
    const db = new DatabaseSync(file);
    assert.deepEqual({ ...db.prepare('SELECT count(*) AS n FROM kv').get() }, { n: 0 });
    db.close();
    const finalBytes = storeBytes(file);
    assert.ok(finalBytes < grownBytes / 10, `the file shrinks after gc: ${grownBytes} -> ${finalBytes} bytes`);
    assert.ok(finalBytes < 64 * 1024, `an empty store is small: ${finalBytes} bytes`);
  });

  it('gc sweeps keys whose TTL passed even when no session lists them any more', async () => {
    const file = storeFile();
    const store = await openSessionStore<InterviewEvent, Language>(file, { retentionMs: 1, abandonAfterMs: 1, eventGraceMs: 1 });
    await addSessions(store, 3, Date.now(), () => false);
    // Every key's TTL (a few ms) passes: the records no longer list, their events are orphans.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await store.list(), []);
    const report = await store.gc();
    assert.equal(report.removed.length, 0);
    assert.equal(report.expiredKeysSwept, 3 * 5);
    await store.close();
    const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
    const db = new DatabaseSync(file);
    assert.deepEqual({ ...db.prepare('SELECT count(*) AS n FROM kv').get() }, { n: 0 });
    db.close();
  });
});
