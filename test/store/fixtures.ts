import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createClient } from '@keyv/redis';
import { Interview } from '../../src/interview/engine.ts';
import type { InterviewEvent } from '../../src/interview/state.ts';
import { loadTests, ProblemSet } from '../../src/problems/load.ts';
import { ScriptedBrain } from '../../src/interview/scripted-brain.ts';
import { selectSandbox } from '../../src/sandbox/select.ts';
import type { SessionStore } from '../../src/store/sessions.ts';
import { tempDir } from '../helpers.ts';

export const PROBLEM = 'best-time-to-buy-and-sell-stock';
const WRONG = 'class Solution:\n    def maxProfit(self, prices):\n        return max(prices) - min(prices)\n';
const RIGHT =
  'class Solution:\n    def maxProfit(self, prices):\n        lowest, best = prices[0], 0\n        for p in prices:\n            lowest = min(lowest, p)\n            best = max(best, p - lowest)\n        return best\n';

/**
 * A whole interview with the offline interviewer and the real sandbox, every event appended to the
 * store as it happens (not awaited, as the engine's onEvent cannot wait). Returns the interview's
 * own final state and events, to compare with what the store gives back.
 */
export async function recordInterview(store: SessionStore, options: { finish?: boolean } = {}) {
  const problem = new ProblemSet({ env: {} }).get(PROBLEM)!;
  const sessionId = randomUUID();
  let virtualMs = 0;
  const events: InterviewEvent[] = [];
  const writes: Promise<void>[] = [];
  await store.create({ sessionId, problemId: problem.id, language: 'python', atMs: virtualMs });
  const interview = new Interview({
    problem,
    tests: loadTests(problem),
    language: 'python',
    brain: new ScriptedBrain(),
    sandbox: selectSandbox('auto'),
    sessionId,
    now: () => virtualMs,
    onEvent: (event) => {
      events.push(event);
      writes.push(store.append(sessionId, event));
    },
  });
  await interview.start();
  await interview.say('Can I sell before I buy?');
  await interview.say('I would take the maximum price minus the minimum price.');
  interview.codeSaved(WRONG);
  virtualMs += 60_000;
  await interview.runTests('run');
  await interview.askHint();
  virtualMs += 60_000;
  interview.codeSaved(RIGHT);
  await interview.runTests('run');
  if (options.finish !== false) {
    await interview.runTests('submit');
    await interview.say('Linear time and constant space.');
    await interview.say('I would add up every rise between consecutive days.');
    // The follow-ups would go on while time is left: the candidate ends it here.
    await interview.end();
  }
  await Promise.all(writes);
  return { sessionId, events, state: interview.state };
}

export const hasRedis = existsSync('/usr/bin/redis-server');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** redis-server on that port and folder, once it accepts connections. */
async function launchRedis(port: number, dir: string, persistent: boolean): Promise<ChildProcess> {
  // Persistent: every write is on disk before it is acknowledged, so a restart keeps what was written.
  const persistence = persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 30_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A throwaway redis-server on a free loopback port, in a temp dir; with no persistence unless
 * `persistent`, which lets a test stop it (`down`) and start it again on the same port (`up`)
 * with what it held.
 */
export async function startRedis(
  options: { persistent?: boolean } = {},
): Promise<{ url: string; keyCount: () => Promise<number>; down: () => Promise<void>; up: () => Promise<void>; stop: () => Promise<void> }> {
  const port = await freePort();
  const dir = tempDir('vetta-redis-');
  let child: ChildProcess | null = await launchRedis(port, dir, Boolean(options.persistent));
  const url = `redis://127.0.0.1:${port}`;
  const admin = createClient({ url });
  // While the server is down the client reconnects; its errors must not end the test process.
  admin.on('error', () => {});
  await admin.connect();
  return {
    url,
    keyCount: () => admin.dbSize(),
    down: async () => {
      if (child) await stopRedis(child);
      child = null;
    },
    up: async () => {
      child ??= await launchRedis(port, dir, Boolean(options.persistent));
    },
    stop: async () => {
      await admin.close();
      if (child) await stopRedis(child);
      child = null;
    },
  };
}
