import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSessionStore } from '../../src/store/sessions.ts';
import type { Language } from '../../src/problems/load.ts';
import type { InterviewEvent } from '../../src/interview/state.ts';
import { runCli, tempDir } from '../helpers.ts';
import { hasRedis, PROBLEM, recordInterview, startRedis } from '../store/fixtures.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

const vetta = runCli;

describe('vetta sessions', () => {
  const dataHome = tempDir('vetta-sessions-cli-');
  const env = { XDG_DATA_HOME: dataHome };
  const file = join(dataHome, 'vetta', 'sessions.db');
  let interviewId = '';

  before(async () => {
    const store = await openSessionStore<InterviewEvent, Language>(undefined, { env });
    interviewId = (await recordInterview(store)).sessionId;
    // Two days idle: abandoned, with a failing run and a hint.
    const twoDaysAgo = Date.now() - 2 * DAY_MS;
    await store.create({ sessionId: 'abandoned-0001', problemId: 'jump-game', language: 'javascript', atMs: 0 }, twoDaysAgo);
    await store.append('abandoned-0001', { type: 'phase_changed', phase: 'clarify', atMs: 1000 }, twoDaysAgo);
    await store.append('abandoned-0001', { type: 'candidate_said', text: 'Can I jump backwards?', atMs: 2000 }, twoDaysAgo);
    await store.append('abandoned-0001', { type: 'hint_given', level: 'nudge', text: 'Think greedy.', reason: 'asked', atMs: 3000 }, twoDaysAgo);
    // Finished 100 days ago: past the 90-day retention.
    const longAgo = Date.now() - 100 * DAY_MS;
    await store.create({ sessionId: 'expired-0002', problemId: 'house-robber', language: 'python', atMs: 0 }, longAgo);
    await store.append('expired-0002', { type: 'interviewer_said', text: 'Hello.', atMs: 0 }, longAgo);
    await store.finish('expired-0002', longAgo);
    await store.close();
  });

  it('lists sessions newest first with problem, phase, status, hints and last verdict', async () => {
    const { code, stdout } = await vetta(['sessions', 'list'], env);
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0]!, /^id\s+problem\s+started\s+phase\s+status\s+hints\s+last verdict$/);
    assert.match(lines[1]!, new RegExp(`^${interviewId.slice(0, 8)}  ${PROBLEM}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  ended\\s+finished\\s+1  accepted$`));
    assert.match(lines[2]!, /^abandone {2}jump-game\s+\S+ \S+ {2}clarify\s+abandoned\s+1 {2}-$/);
    assert.match(lines[3]!, /^expired- {2}house-robber\s+\S+ \S+ {2}intro\s+finished\s+0 {2}-$/);

    const json = JSON.parse((await vetta(['sessions', 'list', '--json'], env)).stdout);
    assert.deepEqual(
      json.map((s: Record<string, unknown>) => [s.id, s.problem, s.phase, s.status, s.hints, s.lastVerdict]),
      [
        [interviewId, PROBLEM, 'ended', 'finished', 1, 'accepted'],
        ['abandoned-0001', 'jump-game', 'clarify', 'abandoned', 1, null],
        ['expired-0002', 'house-robber', 'intro', 'finished', 0, null],
      ],
    );
    assert.match(json[0].started, /^\d{4}-\d\d-\d\dT/);
  });

  it('shows a session by a prefix of its id: transcript, code, runs, scorecard, reply times', async () => {
    const { code, stdout } = await vetta(['sessions', 'show', interviewId.slice(0, 6)], env);
    assert.equal(code, 0);
    assert.match(
      stdout,
      new RegExp(`^session ${interviewId}\n${PROBLEM} in python; started .*; finished \\(phase ended\\); \\d+ events; kept until .* in ${file}\n`),
    );
    assert.match(
      stdout,
      /\n {2}00:00 {2}you: Can I sell before I buy\?\n {2}00:00 {2}interviewer: No\. The selling day must come after the buying day\. \(reply took \d+(\.\d)? m?s\)\n/,
    );
    assert.match(stdout, /\n {2}01:00 {2}\[run\] wrong_answer: passes 2 of 5 tests/);
    assert.match(stdout, /\n {2}\d\d:\d\d {2}\[hint: nudge, asked\]\n/);
    assert.match(
      stdout,
      /\ncode history\n {2}#1 at 00:00\n {4}\| class Solution:\n {4}\| {5}def maxProfit\(self, prices\):\n {4}\| {9}return max\(prices\) - min\(prices\)\n {2}#2 at 02:00\n/,
    );
    assert.match(
      stdout,
      /\ntest runs\n {2}01:00 {2}run {4}wrong_answer {3}2\/5 {5}passes 2 of 5 tests.*\n {2}02:00 {2}run {4}accepted {7}5\/5 {5}passes all 5 tests\n {2}02:00 {2}submit accepted {7}16\/16 {3}passes all 16 tests\n/,
    );
    assert.match(stdout, /\nscorecard\n {2}problem solving {2}3\/4 {2}reached a passing solution after 1 nudge\n/);
    assert.match(stdout, /\nlatency\n {2}\d+ answers to the candidate: median \S+ m?s, slowest \S+ m?s\n$/);

    const unfinished = await vetta(['sessions', 'show', 'abandoned'], env);
    assert.match(unfinished.stdout, /\nscorecard\n {2}none: the interview stopped in phase clarify\n/);
    assert.match(unfinished.stdout, /\ncode history\n {2}no code written\n/);
  });

  it('exports a session as versioned JSON and as Markdown', async () => {
    const json = JSON.parse((await vetta(['sessions', 'export', interviewId, '--format', 'json'], env)).stdout);
    assert.equal(json.format, 'vetta-session');
    assert.equal(json.version, 1);
    assert.equal(json.session.id, interviewId);
    assert.deepEqual(json.init, { sessionId: interviewId, problemId: PROBLEM, language: 'python', atMs: 0 });
    assert.deepEqual(
      json.events.map((e: { seq: number }) => e.seq),
      [...json.events.keys()],
    );
    assert.equal(json.events[0].event.type, 'interviewer_said');
    assert.equal(json.scorecard.problemSolving.grade, 3);

    const { code, stdout } = await vetta(['sessions', 'export', interviewId.slice(0, 8), '--format', 'md'], env);
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^# Interview: ${PROBLEM}\n\n- Session: \`${interviewId}\`\n`));
    assert.match(stdout, /\n- `00:00` \*\*you:\*\* Can I sell before I buy\?\n/);
    assert.match(stdout, /\n### #2 at 02:00\n\n```python\nclass Solution:\n/);
    assert.match(stdout, /\n\| 02:00 \| submit \| accepted \| 16\/16 \| passes all 16 tests \|\n/);
    assert.match(stdout, /\n\| problem solving \| 3\/4 \| reached a passing solution after 1 nudge \|\n/);
  });

  it('says which sessions an ambiguous prefix matches, and that an unknown one does not exist', async () => {
    const ambiguous = await vetta(['sessions', 'show', 'e'], { ...env });
    // "e" may or may not start the random interview id too; either way it matches "expired-0002".
    if (interviewId.startsWith('e')) assert.match(ambiguous.stderr, /"e" matches 2 sessions/);
    else assert.equal(ambiguous.code, 0);
    const missing = await vetta(['sessions', 'show', 'zz-nothing'], env);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `vetta: no session "zz-nothing" in ${file}; see "vetta sessions list"\n`);
  });

  it('gc removes what is past retention and says what it freed; rm removes one session', async () => {
    const gc = await vetta(['sessions', 'gc'], env);
    assert.equal(gc.code, 0);
    assert.match(gc.stdout, /^removed 1 session \(1 finished, 0 abandoned\), 2 keys; store \d+ KB -> \d+ KB; 1 abandoned session kept until they expire\n$/);
    const again = JSON.parse((await vetta(['sessions', 'gc', '--json'], env)).stdout);
    assert.deepEqual(again.removed, []);
    assert.equal(again.abandonedKept, 1);

    const rm = await vetta(['sessions', 'rm', 'abandoned'], env);
    assert.equal(rm.stdout, 'removed session abandoned-0001 (4 keys)\n');
    const ids = JSON.parse((await vetta(['sessions', 'list', '--json'], env)).stdout).map((s: { id: string }) => s.id);
    assert.deepEqual(ids, [interviewId]);
  });

  it('takes the store from --store or VETTA_STORE', async () => {
    const other = join(tempDir(), 'elsewhere.db');
    const empty = await vetta(['sessions', 'list', '--store', other], env);
    assert.equal(empty.stdout, `no sessions in ${other}\n`);
    const fromEnv = await vetta(['sessions', 'list'], { ...env, VETTA_STORE: other });
    assert.equal(fromEnv.stdout, `no sessions in ${other}\n`);
  });

  it('stops with one line naming a damaged store and how to move it aside', async () => {
    const damaged = join(tempDir(), 'sessions.db');
    writeFileSync(damaged, 'garbage '.repeat(1000));
    const { code, stdout, stderr } = await vetta(['sessions', 'list', '--store', damaged], env);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      `vetta: the session store ${damaged} is damaged (file is not a database); move it aside with "mv ${damaged} ${damaged}.bad" and Vetta starts a new one\n`,
    );
  });

  describe('on Redis', { skip: hasRedis ? false : 'redis-server is not installed' }, () => {
    let redis: Awaited<ReturnType<typeof startRedis>>;
    before(async () => {
      redis = await startRedis();
    });
    after(async () => {
      await redis?.stop();
    });

    it('lists, shows and removes sessions kept in Redis', async () => {
      const store = await openSessionStore<InterviewEvent, Language>(redis.url);
      const { sessionId } = await recordInterview(store);
      await store.close();
      const list = await vetta(['sessions', 'list', '--store', redis.url], env);
      assert.match(list.stdout, new RegExp(`\n${sessionId.slice(0, 8)}  ${PROBLEM} .* finished .* accepted\n$`));
      const show = await vetta(['sessions', 'show', sessionId.slice(0, 8)], { ...env, VETTA_STORE: redis.url });
      assert.match(show.stdout, /kept until .* in redis:\/\/127\.0\.0\.1:\d+/);
      const rm = await vetta(['sessions', 'rm', sessionId, '--store', redis.url], env);
      assert.equal(rm.code, 0);
      assert.equal(await redis.keyCount(), 0);
    });
  });
});
