import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Keyv } from 'keyv';
import { sqliteBackend } from '../../src/store/backend.ts';
import { openSessionStore } from '../../src/store/sessions.ts';
import { tempDir } from '../helpers.ts';

const CHILD = join(import.meta.dirname, 'open-child.ts');

/** Opens the store in a child process; as root, the child runs as nobody so file permissions apply. */
function openInChild(file: string, asNobody = false) {
  const asUser = asNobody && process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const result = spawnSync(process.execPath, ['--import', 'tsx', CHILD, file], { encoding: 'utf8', cwd: join(import.meta.dirname, '../..'), ...asUser });
  return { stdout: result.stdout, stderr: result.stderr };
}

const moveAside = (file: string) => `move it aside with "mv ${file} ${file}.bad"`;

describe('the SQLite keyv adapter', () => {
  it('works as a keyv store: get, set with TTL, many, has, delete, clear and iterate per namespace', async () => {
    const backend = sqliteBackend(join(tempDir(), 'kv.db'));
    const one = new Keyv({ store: backend.adapter('one'), namespace: 'one', useKeyPrefix: false, throwOnErrors: true });
    const two = new Keyv({ store: backend.adapter('two'), namespace: 'two', useKeyPrefix: false, throwOnErrors: true });
    await one.set('a', { n: 1 });
    await one.set('b', [1, 2]);
    await two.set('a', 'other namespace');
    await one.set('brief', 'gone soon', 1);
    await one.setMany([
      { key: 'c', value: 3 },
      { key: 'd', value: 4 },
    ]);
    assert.deepEqual(await one.get('a'), { n: 1 });
    assert.equal(await two.get('a'), 'other namespace');
    assert.deepEqual(await one.getMany(['b', 'missing', 'c']), [[1, 2], undefined, 3]);
    assert.equal(await one.has('d'), true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await one.get('brief'), undefined, 'past its TTL');
    assert.equal(await one.delete('d'), true);
    assert.equal(await one.deleteMany(['c', 'missing']), true);
    const entries: [string, unknown][] = [];
    for await (const entry of one.iterator!(undefined)) entries.push(entry);
    assert.deepEqual(entries, [
      ['a', { n: 1 }],
      ['b', [1, 2]],
    ]);
    await one.clear();
    assert.equal(await one.get('a'), undefined);
    assert.equal(await two.get('a'), 'other namespace', 'clear empties one namespace only');
    await backend.close();
  });

  it('loads node:sqlite without its ExperimentalWarning, and leaves other warnings alone', () => {
    const { stdout, stderr } = openInChild(join(tempDir(), 'fresh', 'sessions.db'));
    assert.equal(stdout, 'opened 0\n');
    assert.doesNotMatch(stderr, /SQLite/);
    assert.match(stderr, /ExperimentalWarning: a warning of its own/);
  });
});

describe('a damaged or unreadable store', () => {
  it('refuses a file of garbage, naming it and how to move it aside, and leaves it as it was', async () => {
    const file = join(tempDir(), 'sessions.db');
    const garbage = Buffer.alloc(64 * 1024, 'not a database, just bytes ');
    writeFileSync(file, garbage);
    await assert.rejects(openSessionStore(file), (error: Error) => {
      assert.equal(error.message, `the session store ${file} is damaged (file is not a database); ${moveAside(file)} and Vetta starts a new one`);
      return true;
    });
    assert.deepEqual(readFileSync(file), garbage, 'never replaced by an empty store');
  });

  it('refuses a directory where the file should be', async () => {
    const file = join(tempDir(), 'sessions.db');
    mkdirSync(file);
    await assert.rejects(
      openSessionStore(file),
      new RegExp(`the session store ${file} cannot be used \\(it is a directory\\); fix its permissions or ${moveAside(file)}`),
    );
  });

  it('refuses a file it may not read', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const file = join(dir, 'sessions.db');
    const store = await openSessionStore(file);
    await store.create({ sessionId: 'kept', problemId: 'two-sum', language: 'python', atMs: 0 });
    await store.close();
    chmodSync(file, 0o000);
    const { stdout } = openInChild(file, true);
    assert.equal(
      stdout,
      `error: the session store ${file} cannot be used (permission denied); fix its permissions or ${moveAside(file)} and Vetta starts a new one\n`,
    );
    chmodSync(file, 0o644);
    const reopened = await openSessionStore(file);
    assert.deepEqual(
      (await reopened.list()).map((s) => s.id),
      ['kept'],
    );
    await reopened.close();
  });
});
