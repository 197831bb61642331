import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { initialState, reduce } from '../../src/interview/state.ts';
import { openSessionStore } from '../../src/store/sessions.ts';
import type { Language } from '../../src/problems/load.ts';
import type { InterviewEvent } from '../../src/interview/state.ts';
import type { SessionStore } from '../../src/store/sessions.ts';
import { hasRedis, recordInterview, startRedis } from './fixtures.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

async function addSessions(store: SessionStore<InterviewEvent, Language>, count: number, nowMs = Date.now()): Promise<void> {
  // Sessions in parallel, events of each in order: the way many interviews share one server.
  const one = async (i: number) => {
    const sessionId = `r${i}`;
    await store.create({ sessionId, problemId: 'two-sum', language: 'python', atMs: 0 }, nowMs);
    await Promise.all([
      store.append(sessionId, { type: 'interviewer_said', text: 'Hello.', atMs: 0 }, nowMs),
      store.append(sessionId, { type: 'phase_changed', phase: 'clarify', atMs: 1 }, nowMs),
      store.append(sessionId, { type: 'candidate_said', text: 'Hi.', atMs: 2 }, nowMs),
    ]);
    if (i % 2 === 0) await store.finish(sessionId, nowMs);
  };
  for (let i = 0; i < count; i += 100) await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, k) => one(i + k)));
}

describe('the session store on Redis', { skip: hasRedis ? false : 'redis-server is not installed (.ci/run installs it)' }, () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  it('round-trips a real interview: events in order, the same state, listed, removed', async () => {
    const store = await openSessionStore<InterviewEvent, Language>(redis.url);
    const run = await recordInterview(store);
    await store.close();

    const other = await openSessionStore<InterviewEvent, Language>(redis.url);
    const loaded = await other.load(run.sessionId);
    assert.deepEqual(loaded.events, run.events);
    assert.deepEqual(loaded.events.reduce(reduce, initialState(loaded.meta.init)), run.state);
    assert.equal(loaded.meta.status, 'finished');
    assert.deepEqual(
      (await other.list()).map((s) => [s.id, s.lastVerdict]),
      [[run.sessionId, 'accepted']],
    );
    assert.equal(await other.remove(run.sessionId), run.events.length + 1);
    assert.equal(await redis.keyCount(), 0);
    await other.close();
  });

  it('stays bounded: thousands of sessions expire by TTL alone, and gc deletes what is past retention', async () => {
    // Short lifetimes, so the server's own expiry can be watched: nothing calls gc here.
    const short = await openSessionStore<InterviewEvent, Language>(redis.url, { retentionMs: 1000, abandonAfterMs: 500, eventGraceMs: 500 });
    await addSessions(short, 3000);
    assert.ok((await redis.keyCount()) > 0);
    const deadline = Date.now() + 60_000;
    while ((await redis.keyCount()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await redis.keyCount(), 0, 'every key expired on its own');
    await short.close();

    // Default lifetimes: gc, told it is 92 days later, deletes them all.
    const store = await openSessionStore<InterviewEvent, Language>(redis.url);
    const start = Date.now();
    await addSessions(store, 3000, start);
    assert.equal(await redis.keyCount(), 3000 * 4);
    const report = await store.gc(start + 92 * DAY_MS);
    assert.equal(report.removed.length, 3000);
    assert.equal(report.keysDeleted, 3000 * 4);
    assert.equal(await redis.keyCount(), 0);
    await store.close();
  });

  it('says so in one line when Redis cannot be reached', async () => {
    await assert.rejects(
      openSessionStore<InterviewEvent, Language>('redis://127.0.0.1:1'),
      /^VettaError: cannot reach the session store at redis:\/\/127\.0\.0\.1:1 \(.*\); start Redis there or choose another store with --store$/,
    );
  });
});
