import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sleep, untilAborted } from '../../src/core/abort.ts';

describe('sleep', () => {
  it('waits the time it is given', async () => {
    const started = performance.now();
    await sleep(50);
    assert.ok(performance.now() - started >= 45);
  });

  it('ends at once, quietly, when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    await sleep(5_000, controller.signal);
    assert.ok(performance.now() - started < 1_000);
  });
});

describe('untilAborted', () => {
  async function* ticks(stopped: () => boolean): AsyncGenerator<number> {
    for (let i = 0; !stopped(); i++) {
      yield i;
      await sleep(5);
    }
  }

  it('stops the body when the signal aborts, and ends without an error', async () => {
    const controller = new AbortController();
    let stops = 0;
    let stopped = false;
    const seen: number[] = [];
    for await (const tick of untilAborted(
      controller.signal,
      () => {
        stopped = true;
        stops++;
      },
      () => ticks(() => stopped),
    )) {
      seen.push(tick);
      if (tick === 2) controller.abort();
    }
    assert.deepEqual(seen, [0, 1, 2]);
    assert.equal(stops, 2, 'once on the abort, once as the body ends');
  });

  it('stops the body when the reader stops early', async () => {
    let stopped = false;
    for await (const tick of untilAborted(
      undefined,
      () => (stopped = true),
      () => ticks(() => stopped),
    ))
      if (tick === 1) break;
    assert.equal(stopped, true);
  });

  it('starts nothing when the signal has already aborted', async () => {
    let started = false;
    const items = [];
    for await (const item of untilAborted(
      AbortSignal.abort(),
      () => {},
      () => {
        started = true;
        return ticks(() => false);
      },
    ))
      items.push(item);
    assert.deepEqual([items, started], [[], false]);
  });
});
