import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasRedis, startRedis } from '../store/fixtures.ts';
import { runCli, tempDir, writeTree } from '../helpers.ts';

const PROBLEM = 'best-time-to-buy-and-sell-stock';
const code = tempDir();
writeTree(code, { 'wrong.py': 'class Solution:\n    def maxProfit(self, prices):\n        return max(prices) - min(prices)\n' });

/** `vetta practice --plain` in a process of its own, typed into line by line. */
function practice(store: string, data: string) {
  const env = { ...process.env, XDG_DATA_HOME: data, XDG_CONFIG_HOME: join(data, 'config'), NO_COLOR: '1' };
  const child = spawn(process.execPath, [resolve('bin/vetta.js'), 'practice', '--problem', PROBLEM, '--plain', '--store', store], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const closed = new Promise<number | null>((r) => child.once('close', r));
  return {
    type: (line: string) => child.stdin.write(`${line}\n`),
    until: async (pattern: RegExp, where: 'out' | 'err' = 'out') => {
      for (let i = 0; i < 600 && !pattern.test(where === 'out' ? out : err); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(where === 'out' ? out : err, pattern, `stdout:\n${out}\nstderr:\n${err}`);
    },
    end: async () => {
      child.stdin.end('/quit\n');
      return { code: await closed, out, err };
    },
  };
}

describe('vetta practice when the session store goes away', { skip: hasRedis ? false : 'redis-server is not installed (.ci/run installs it)' }, () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  before(async () => {
    redis = await startRedis({ persistent: true });
  });
  after(async () => {
    await redis?.stop();
  });

  it('keeps every event while Redis is stopped, saves them in order once it is back, says so, and ends with the scorecard', { timeout: 90_000 }, async () => {
    const data = tempDir('vetta-outage-');
    const run = practice(redis.url, data);
    await run.until(/Take a moment, and ask me anything/);
    run.type('Can I sell before I buy?');
    await run.until(/The selling day must come after the buying day\./);
    await redis.down();
    run.type('I would take the maximum price minus the minimum price.');
    await run.until(
      /note: saving paused: the session store at redis:\/\/127\.0\.0\.1:\d+\/? is away \(.+\); the interview goes on, and is saved when it is back/,
      'err',
    );
    run.type(`/edit ${join(code, 'wrong.py')}`);
    await run.until(/What do you think happens there\?/);
    await redis.up();
    await run.until(/note: saving resumed: the session store is back after \d+ s, and everything said meanwhile is saved/, 'err');
    const { code: exit, out, err } = await run.end();
    assert.equal(exit, 0, err);
    assert.match(out, /scorecard/i);
    assert.doesNotMatch(err, /internal error|no longer being saved/);

    const list = JSON.parse((await runCli(['sessions', 'list', '--json', '--store', redis.url])).stdout) as { id: string; status: string }[];
    const session = list.find((s) => s.status === 'finished');
    assert.ok(session, JSON.stringify(list));
    const shown = (await runCli(['sessions', 'show', session.id, '--store', redis.url])).stdout;
    assert.match(
      shown,
      /you: Can I sell before I buy\?[\s\S]*you: I would take the maximum price minus the minimum price\.[\s\S]*interviewer: Walk me through it on the first example[\s\S]*\[run\] wrong_answer[\s\S]*What do you think happens there\?[\s\S]*That's all from me/,
    );
  });

  it('keeps the session in a local file when the store never comes back, and "vetta sessions import" puts it in the store', { timeout: 90_000 }, async () => {
    const data = tempDir('vetta-outage-');
    const run = practice(redis.url, data);
    await run.until(/Take a moment, and ask me anything/);
    await redis.down();
    run.type('Can I sell before I buy?');
    await run.until(/The selling day must come after the buying day\./);
    const { code: exit, out, err } = await run.end();
    assert.equal(exit, 0, err);
    assert.match(out, /scorecard/i);
    const kept = err.match(
      /the session store at \S+ did not come back; the whole session is in (\S+): once the store is back, "vetta sessions import \1" puts it there/,
    );
    assert.ok(kept, err);
    assert.ok(existsSync(kept[1]!));

    await redis.up();
    const imported = await runCli(['sessions', 'import', kept[1]!, '--store', redis.url]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /^imported session [0-9a-f]{8} into redis:\/\/\S+: \d+ events, \d+ of them new\n$/);
    const id = imported.stdout.match(/session ([0-9a-f]{8})/)![1]!;
    const shown = (await runCli(['sessions', 'show', id, '--store', redis.url])).stdout;
    assert.match(shown, /you: Can I sell before I buy\?[\s\S]*That's all from me/);
    const again = await runCli(['sessions', 'import', kept[1]!, '--store', redis.url]);
    assert.match(again.stdout, /0 of them new/);
  });
});
