import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VettaError } from '../../src/core/errors.ts';
import { retryUntilFirst } from '../../src/core/retry.ts';

const passing = new VettaError('provider', 'the server failed (HTTP 503)', { retryable: true });
const lasting = new VettaError('provider', 'the key was refused (HTTP 401)');

/** A stream that fails with `failures[n]` on its n-th opening (after `before` items), then gives "ok". */
function flaky(failures: (VettaError | null)[], before: string[] = []) {
  let opened = 0;
  const open = async function* () {
    const failure = failures[opened++] ?? null;
    yield* before;
    if (failure) throw failure;
    yield 'ok';
  };
  return { open, opened: () => opened };
}

async function all(stream: AsyncIterable<string>): Promise<string[]> {
  const items: string[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe('retryUntilFirst', () => {
  it('opens the stream again after a passing failure before its first item', async () => {
    const stream = flaky([passing]);
    assert.deepEqual(await all(retryUntilFirst(stream.open, { retries: 1, backoffMs: 1 })), ['ok']);
    assert.equal(stream.opened(), 2);
  });

  it('gives up after its retries', async () => {
    const stream = flaky([passing, passing, passing]);
    await assert.rejects(all(retryUntilFirst(stream.open, { retries: 1, backoffMs: 1 })), passing);
    assert.equal(stream.opened(), 2);
  });

  it('never retries once an item was delivered: it would be delivered twice', async () => {
    const stream = flaky([passing], ['first words']);
    await assert.rejects(all(retryUntilFirst(stream.open, { retries: 3, backoffMs: 1 })), passing);
    assert.equal(stream.opened(), 1);
  });

  it('never retries what another try cannot mend', async () => {
    const stream = flaky([lasting]);
    await assert.rejects(all(retryUntilFirst(stream.open, { retries: 3, backoffMs: 1 })), lasting);
    assert.equal(stream.opened(), 1);
  });

  it('ends quietly when aborted during the wait before a retry', async () => {
    const controller = new AbortController();
    const stream = flaky([passing]);
    setTimeout(() => controller.abort(), 20);
    assert.deepEqual(await all(retryUntilFirst(stream.open, { retries: 1, backoffMs: 5_000 }, controller.signal)), []);
    assert.equal(stream.opened(), 1);
  });
});
