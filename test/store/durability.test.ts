import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { openSessionStore } from '../../src/store/sessions.ts';
import type { Language } from '../../src/problems/load.ts';
import type { InterviewEvent } from '../../src/interview/state.ts';
import { tempDir } from '../helpers.ts';

const CHILD = join(import.meta.dirname, 'append-child.ts');

/** Starts the appending child; onAck sees each acknowledged event number. */
function appender(file: string, sessionId: string, count: number, onAck: (n: number, kill: () => void) => void = () => {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, sessionId, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let lastAck = -1;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const match = /^ack (\d+)$/.exec(line);
    if (!match) return;
    lastAck = Number(match[1]);
    onAck(lastAck, () => child.kill('SIGKILL'));
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; lastAck: number; stderr: string }>((resolve) =>
    // 'close' comes after stdout has been read to the end, so lastAck is final.
    child.on('close', (code, signal) => resolve({ code, signal, lastAck, stderr })),
  );
}

function integrity(file: string): string {
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  const db = new DatabaseSync(file);
  const row = db.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
  db.close();
  return row.integrity_check;
}

describe('the SQLite store under crashes and concurrency', () => {
  it('keeps every acknowledged event when the writer is killed with SIGKILL at any moment', async () => {
    const file = join(tempDir('vetta-kill-'), 'sessions.db');
    // Killed right after the first event, mid-run and late: each time the store reopens intact.
    for (const [round, killAfter] of [1, 150, 600].entries()) {
      const sessionId = `killed-${round}`;
      const result = await appender(file, sessionId, 100_000, (n, kill) => n >= killAfter && kill());
      assert.equal(result.signal, 'SIGKILL', result.stderr);
      assert.ok(result.lastAck >= killAfter);

      assert.equal(integrity(file), 'ok');
      const store = await openSessionStore<InterviewEvent, Language>(file);
      const { events } = await store.load(sessionId);
      await store.close();
      // Every acknowledged event is there, in order; at most the one in flight is extra.
      assert.ok(events.length >= result.lastAck + 1, `${events.length} events stored, ${result.lastAck + 1} acknowledged`);
      assert.ok(events.length <= result.lastAck + 2);
      for (const [i, event] of events.entries()) assert.deepEqual(event, { type: 'candidate_said', text: `event ${i}`, atMs: i });
    }
  });

  it('lets two vetta processes write to the same store at once', async () => {
    const file = join(tempDir('vetta-two-'), 'sessions.db');
    const [a, b] = await Promise.all([appender(file, 'first', 400), appender(file, 'second', 400)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const store = await openSessionStore<InterviewEvent, Language>(file);
    for (const id of ['first', 'second']) {
      const { events } = await store.load(id);
      assert.equal(events.length, 400);
      for (const [i, event] of events.entries()) assert.equal(event.type === 'candidate_said' && event.text, `event ${i}`);
    }
    assert.deepEqual((await store.list()).map((s) => s.id).sort(), ['first', 'second']);
    await store.close();
    assert.equal(integrity(file), 'ok');
  });
});
