import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@keyv/redis';
import { redisBackend } from '../../src/store/backend.ts';
import { SessionLock } from '../../src/store/lock.ts';
import { openSessionStore } from '../../src/store/sessions.ts';
import { tempDir } from '../helpers.ts';
import { hasRedis, startRedis } from './fixtures.ts';

/** A process holding the session's lock, as a vetta that is then killed. */
async function holder(url: string, sessionId: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lock-child.ts'), url, sessionId], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  for (let i = 0; i < 400 && !out.includes('locked'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(out, /locked/);
  return {
    pid: child.pid!,
    kill: async () => {
      const closed = new Promise((r) => child.once('close', r));
      child.kill('SIGKILL');
      await closed;
    },
  };
}

function lockBehaviour(url: () => string) {
  it("lets one process write a session: a second is refused with the holder's pid and host, and may go once it lets go", async () => {
    const first = await openSessionStore(url());
    const second = await openSessionStore(url());
    await first.lock('s1');
    await assert.rejects(second.lock('s1'), (e: Error & { exitCode?: number }) => {
      assert.match(
        e.message,
        new RegExp(
          `^session s1 is open in another vetta \\(pid ${process.pid} on ${hostname()}, since \\d\\d:\\d\\d\\); carry on there, or stop that process and resume again$`,
        ),
      );
      assert.equal(e.exitCode, 2);
      return true;
    });
    await second.lock('s2');
    await first.close();
    await second.lock('s1');
    await second.close();
  });

  it('takes over at once the lock of a process that was killed, and only one of two takers wins it', async () => {
    const killed = await holder(url(), 's3');
    const refused = await openSessionStore(url());
    await assert.rejects(refused.lock('s3'), new RegExp(`pid ${killed.pid} on ${hostname()}`));
    await refused.close();
    await killed.kill();
    const [a, b] = [await openSessionStore(url()), await openSessionStore(url())];
    const outcomes = await Promise.allSettled([a.lock('s3'), b.lock('s3')]);
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
    await a.close();
    await b.close();
  });
}

describe('one writer a session: SQLite', () => {
  const file = join(tempDir(), 'sessions.db');
  lockBehaviour(() => file);
});

describe('one writer a session: Redis', { skip: hasRedis ? false : 'redis-server is not installed (.ci/run installs it)' }, () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });
  lockBehaviour(() => redis.url);

  it('is a key set with NX and an expiry, kept alive while the holder runs and gone when it lets go', async () => {
    const store = await openSessionStore(redis.url);
    await store.lock('s4');
    const admin = createClient({ url: redis.url });
    await admin.connect();
    const ttl = await admin.pTTL('vetta-locks::s4');
    assert.ok(ttl > 20_000 && ttl <= 30_000, `the lock expires by itself (pttl ${ttl})`);
    assert.match((await admin.get('vetta-locks::s4'))!, new RegExp(`"pid":${process.pid}`));
    await store.close();
    assert.equal(await admin.exists('vetta-locks::s4'), 0);
    await admin.close();
  });

  it('renews the lock while the holder runs, past the expiry it was set with', async () => {
    const backend = await redisBackend(redis.url);
    const lock = await SessionLock.acquire(backend.locks, 's5', 300);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.match((await backend.locks.peek('s5'))!, new RegExp(`"pid":${process.pid}`));
    await lock.release();
    await backend.close();
  });
});
