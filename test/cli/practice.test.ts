import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir, writeTree } from '../helpers.ts';

const PROBLEM = 'best-time-to-buy-and-sell-stock';
const dir = tempDir();
writeTree(dir, {
  'wrong.py': 'class Solution:\n    def maxProfit(self, prices):\n        return max(prices) - min(prices)\n',
  'right.py':
    'class Solution:\n    def maxProfit(self, prices):\n        lowest, best = prices[0], 0\n        for p in prices:\n            lowest = min(lowest, p)\n            best = max(best, p - lowest)\n        return best\n',
});
const env = { XDG_DATA_HOME: join(dir, 'data') };

function script(lines: string[]): string {
  const file = join(tempDir(), 'session.txt');
  writeFileSync(file, lines.join('\n'));
  return file;
}

const SESSION = [
  '# asks, codes a wrong idea, gets feedback and a hint, fixes it',
  'Can I sell before I buy?',
  'I would take the maximum price minus the minimum price.',
  `/edit ${join(dir, 'wrong.py')}`,
  `/edit ${join(dir, 'wrong.py')}`,
  `/edit ${join(dir, 'right.py')}`,
  '/submit',
  'Linear time and constant space.',
  'I would add up every rise between consecutive days.',
];

describe('vetta practice', () => {
  it('runs a whole interview from a script: clarification, failing tests, a hint, a pass, follow-ups, a scorecard', async () => {
    const { code, stdout } = await runCli(['practice', '--problem', PROBLEM, '--script', script(SESSION)], env);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /interviewer: Today's problem is Best Time to Buy and Sell Stock\./);
    assert.match(stdout, /you: Can I sell before I buy\?\ninterviewer: No\. The selling day must come after the buying day\./);
    assert.match(stdout, /\[run\] wrong_answer: passes 2 of 5 tests/);
    assert.match(stdout, /with \{"prices":\[7,1,5,3,6,4\]\} it returns 6 where 5 is expected/);
    assert.match(
      stdout,
      /you: I would take the maximum price minus the minimum price\.\ninterviewer: Walk me through it on the first example\. What does it return\?/,
    );
    assert.match(stdout, /\[hint: nudge\]\ninterviewer: Let me give you something to go on\. If you had to sell on a given day/);
    assert.match(stdout, /\[submit\] accepted: passes all 16 tests/);
    assert.match(stdout, /interviewer: What are the time and space complexity of your solution\?/);
    assert.match(stdout, /you: Linear time and constant space\.\ninterviewer: Right, O\(n\)/);
    assert.match(stdout, /interviewer: How would you solve it if you could make as many transactions as you like\?/);
    // The script ends before the time does: no "that's time".
    assert.match(stdout, /interviewer: That's all from me/);
    assert.match(stdout, /problem solving\s+3\/4 {2}reached a passing solution after 1 nudge/);
    // Judged on content: a clarifying question, an approach in words, a correct complexity.
    assert.match(stdout, /communication\s+4\/4 {2}asked 1 clarifying question, explained the approach, stated its complexity; answered 2 follow-ups/);
  });

  it('prints the interview as JSON events with --json, ending with the scorecard', async () => {
    const { stdout } = await runCli(['practice', '--problem', PROBLEM, '--script', script(SESSION), '--json'], env);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const phases = events.filter((e) => e.type === 'phase_changed').map((e) => e.phase);
    assert.deepEqual(phases, ['clarify', 'approach', 'code', 'test', 'follow_up', 'wrap_up', 'ended']);
    assert.deepEqual(
      events.filter((e) => e.type === 'hint_given').map((e) => [e.level, e.reason]),
      [['nudge', 'failing']],
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'tests_ran').map((e) => [e.run.kind, e.run.verdict]),
      [
        ['run', 'wrong_answer'],
        ['run', 'wrong_answer'],
        ['run', 'accepted'],
        ['submit', 'accepted'],
      ],
    );
    const card = events.at(-1);
    assert.equal(card.type, 'scorecard');
    assert.deepEqual(card.hintsUsed, { nudge: 1, hint: 0, reveal: 0 });
  });

  it('opens $EDITOR on the starter code, judges what it saves, and keeps the code when the editor fails', async () => {
    const bin = tempDir();
    const counter = join(bin, 'count');
    // An "editor" that writes the wrong solution the first time and the right one after; it checks
    // that it was handed the starter code.
    const editor = join(bin, 'editor.sh');
    writeFileSync(
      editor,
      `#!/bin/sh\ngrep -q 'def maxProfit' "$1" || exit 3\nn=$(cat ${counter} 2>/dev/null || echo 0)\necho $((n+1)) > ${counter}\nif [ "$n" = 0 ]; then cp ${join(dir, 'wrong.py')} "$1"; else cp ${join(dir, 'right.py')} "$1"; fi\n`,
    );
    chmodSync(editor, 0o755);
    const input = ['What if no trade makes money?', '/edit', '/hint', '/edit', '/submit', 'Linear.', 'Sum the rises.', ''].join('\n');
    const { code, stdout } = await runCli(['practice', '--problem', PROBLEM], { ...env, EDITOR: editor }, input);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /interviewer: Then return 0; you are allowed not to trade at all\./);
    assert.match(stdout, /\[run\] wrong_answer/);
    assert.match(stdout, /\[hint: nudge\]/);
    assert.match(stdout, /\[run\] accepted/);
    assert.match(stdout, /\[submit\] accepted: passes all 16 tests/);
    assert.match(stdout, /scorecard/);

    const failing = join(bin, 'fail.sh');
    writeFileSync(failing, '#!/bin/sh\nexit 1\n');
    chmodSync(failing, 0o755);
    const broken = await runCli(['practice', '--problem', PROBLEM], { ...env, EDITOR: failing }, '/edit\n/run\n/quit\n');
    assert.match(broken.stderr, /note: the editor exited with status 1; keeping your previous code/);
    assert.match(broken.stdout, /There's no code to run yet/);
  });

  it('/edit of a binary, empty or huge file is one line, the judge never sees it, and the interview goes on', async () => {
    const files = tempDir();
    writeFileSync(join(files, 'binary.py'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0]));
    writeFileSync(join(files, 'empty.py'), '  \n');
    writeFileSync(join(files, 'huge.py'), `# ${'x'.repeat(1024 * 1024 + 10)}\n`);
    const lines = [
      `/edit ${join(files, 'binary.py')}`,
      `/edit ${join(files, 'empty.py')}`,
      `/edit ${join(files, 'huge.py')}`,
      `/edit ${join(dir, 'right.py')}`,
      '/submit',
    ];
    const { code, stdout, stderr } = await runCli(['practice', '--problem', PROBLEM, '--script', script(lines)], env);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /binary\.py is not a text file; keeping your previous code/);
    assert.match(stderr, /empty\.py is empty; write a solution first; keeping your previous code/);
    assert.match(stderr, /huge\.py is 1\.0 MB; a solution may be at most 1 MB; keeping your previous code/);
    assert.doesNotMatch(stdout, /negative|single element/);
    assert.equal(stdout.match(/\[run\]/g)?.length, 1);
    assert.match(stdout, /\[submit\] accepted/);
  });

  it('refuses a bad script line with its file and line number', async () => {
    const file = script(['hello', '/dance']);
    const { code, stderr } = await runCli(['practice', '--problem', PROBLEM, '--script', file], env);
    assert.equal(code, 2);
    assert.match(stderr, /session\.txt:2: unknown command "\/dance"/);
    const noProblem = await runCli(['practice', '--script', file], env);
    assert.equal(noProblem.code, 2);
    assert.match(noProblem.stderr, /--script needs --problem/);
  });
  it("reads a script's /edit files from the script's folder, and a missing one stops it before any session", async () => {
    const folder = tempDir();
    writeTree(folder, { 'attempt.py': readFileSync(join(dir, 'right.py'), 'utf8'), 'session.txt': '/edit attempt.py\n/submit\n' });
    const data = tempDir();
    // Run from another folder: the script's own folder is where attempt.py is.
    const ran = await runCli(['practice', '--problem', PROBLEM, '--script', join(folder, 'session.txt')], { XDG_DATA_HOME: data });
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /\[submit\] accepted/);
    writeTree(folder, { 'broken.txt': 'Can I sell before I buy?\n/edit missing.py\n/submit\n' });
    const broken = await runCli(['practice', '--problem', PROBLEM, '--script', join(folder, 'broken.txt')], { XDG_DATA_HOME: data });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.txt:2: \/edit missing\.py: .*missing\.py does not exist/);
    const sessions = JSON.parse((await runCli(['sessions', 'list', '--json'], { XDG_DATA_HOME: data })).stdout) as { status: string }[];
    assert.deepEqual(
      sessions.map((s) => s.status),
      ['finished'],
      'only the first run left a session, and it is finished',
    );
  });
});

describe('vetta practice --llm openai', () => {
  it('is led by the model when it answers, through the output guard', async () => {
    const { startFakeOpenAi } = await import('../fakes/openai-server.ts');
    const server = await startFakeOpenAi([{ text: 'Excellent! Let us look at stock prices. What would you like to ask first? I have more to say.' }]);
    try {
      const { code, stdout } = await runCli(['practice', '--problem', PROBLEM, '--llm', 'openai', '--model', 'tiny', '--script', script(['/quit'])], {
        ...env,
        OPENAI_BASE_URL: server.baseUrl,
      });
      assert.equal(code, 0, stdout);
      assert.match(stdout, /interviewer: Let us look at stock prices\. What would you like to ask first\?\n/);
      assert.equal(server.requests[0]!.model, 'tiny');
    } finally {
      await server.close();
    }
  });

  it('apologises, retries once, then carries on with the offline interviewer when the model keeps failing', async () => {
    const { startFakeOpenAi } = await import('../fakes/openai-server.ts');
    const server = await startFakeOpenAi([{ status: 500 }]);
    try {
      const { code, stdout, stderr } = await runCli(['practice', '--problem', PROBLEM, '--llm', 'openai', '--script', script(SESSION)], {
        ...env,
        OPENAI_BASE_URL: server.baseUrl,
      });
      assert.equal(code, 0, stderr);
      assert.match(stderr, /note: openai: .*answered HTTP 500; trying once more/);
      assert.match(stderr, /note: openai: .*answered HTTP 500; the offline interviewer takes over for the rest of this interview/);
      assert.match(stdout, /interviewer: Today's problem is Best Time to Buy and Sell Stock\./);
      assert.match(stdout, /\[submit\] accepted/);
      assert.match(stdout, /scorecard/);
    } finally {
      await server.close();
    }
  });
});

describe('vetta practice: choosing the interviewer', () => {
  it('uses Gemini when a key is set, and says so when it falls back to the offline one', async () => {
    const { startFakeGemini } = await import('../fakes/gemini-server.ts');
    const server = await startFakeGemini([{ text: 'Welcome. Shall we look at the stock problem together?' }]);
    try {
      const withKey = await runCli(['practice', '--problem', PROBLEM, '--script', script(['/quit'])], {
        ...env,
        GEMINI_API_KEY: 'test-key',
        GEMINI_BASE_URL: server.baseUrl,
      });
      assert.equal(withKey.code, 0, withKey.stderr);
      assert.match(withKey.stdout, /interviewer: Welcome\. Shall we look at the stock problem together\?/);
      assert.equal(server.requests[0]!.apiKey, 'test-key');
      assert.ok(!withKey.stdout.includes('test-key') && !withKey.stderr.includes('test-key'), 'the key is never printed');
    } finally {
      await server.close();
    }
    const noKey = await runCli(['practice', '--problem', PROBLEM, '--script', script(['/quit'])], env);
    assert.match(noKey.stderr, /note: no GEMINI_API_KEY, so the offline interviewer leads/);
    assert.match(noKey.stdout, /interviewer: Today's problem is/);
    const insisted = await runCli(['practice', '--problem', PROBLEM, '--llm', 'gemini', '--script', script(['/quit'])], env);
    assert.equal(insisted.code, 2);
    assert.match(insisted.stderr, /--llm gemini needs a key: set GEMINI_API_KEY/);
  });
});

describe('vetta practice: the scorecard', () => {
  it('is written by the model when one leads, from the offline rubric, and falls back to it on a bad answer', async () => {
    const { startFakeGemini } = await import('../fakes/gemini-server.ts');
    const written = {
      problemSolving: { grade: 2, note: 'Stopped at max minus min and never tried the order of days.' },
      codeQuality: { grade: 1, note: 'No code was written.' },
      testing: { grade: 1, note: 'Nothing was run.' },
      communication: { grade: 2, note: 'Asked one good question about selling before buying.' },
    };
    const server = await startFakeGemini([
      { text: 'Welcome.' },
      { text: `Here you go:\n\`\`\`json\n${JSON.stringify(written)}\n\`\`\`` },
      { text: 'Thanks for your time.' },
    ]);
    try {
      const { code, stdout, stderr } = await runCli(['practice', '--problem', PROBLEM, '--script', script(['/quit']), '--json'], {
        ...env,
        GEMINI_API_KEY: 'k',
        GEMINI_BASE_URL: server.baseUrl,
      });
      assert.equal(code, 0, stderr);
      const card = JSON.parse(stdout.trim().split('\n').at(-1)!);
      assert.deepEqual(card.problemSolving, written.problemSolving);
      assert.deepEqual(card.communication, written.communication);
      assert.deepEqual(card.hintsUsed, { nudge: 0, hint: 0, reveal: 0 });
      const asked = JSON.stringify(server.requests[1]!.body);
      assert.match(asked, /Answer with JSON only/);
      assert.match(asked, /did not reach a working solution/, 'the rubric card is the starting point');
    } finally {
      await server.close();
    }
    const rambling = await startFakeGemini([{ text: 'Welcome.' }, { text: 'I think they did fine overall!' }, { text: 'Thanks.' }]);
    try {
      const { stdout, stderr } = await runCli(['practice', '--problem', PROBLEM, '--script', script(['/quit'])], {
        ...env,
        GEMINI_API_KEY: 'k',
        GEMINI_BASE_URL: rambling.baseUrl,
      });
      assert.match(stderr, /note: gemini did not write a usable scorecard; it is the offline rubric's/);
      assert.match(stdout, /problem solving\s+1\/4 {2}did not reach a working solution/);
    } finally {
      await rambling.close();
    }
  });
});

describe('vetta practice: secrets', () => {
  it('never saves a key with the session, even one the candidate pastes into the chat', async () => {
    const data = tempDir('vetta-secrets-');
    const key = 'planted-deepgram-key-0123456789';
    const { code, stderr } = await runCli(['practice', '--problem', PROBLEM, '--script', script([`My Deepgram key is ${key}, is that a problem?`, '/quit'])], {
      XDG_DATA_HOME: data,
      DEEPGRAM_API_KEY: key,
    });
    assert.equal(code, 0, stderr);
    const db = readFileSync(join(data, 'vetta', 'sessions.db'));
    assert.ok(db.length > 0);
    assert.equal(db.indexOf(key), -1, 'the key is not in the session store');
    const shown = await runCli(
      ['sessions', 'export', (await runCli(['sessions', 'list', '--json'], { XDG_DATA_HOME: data })).stdout.match(/"id":\s*"([^"]+)"/)![1]!, '--format', 'md'],
      { XDG_DATA_HOME: data },
    );
    assert.match(shown.stdout, /My Deepgram key is \[redacted\], is that a problem\?/);
  });
});

describe('vetta practice: voice', () => {
  it('--voice insists: without an audio output it says what is missing and what to do', async () => {
    const noSound = {
      PULSE_SERVER: 'unix:/nonexistent/native',
      HOME: '/nonexistent',
      XDG_RUNTIME_DIR: '/nonexistent',
      AUDIODEV: 'null-device-that-does-not-exist',
    };
    const { code, stderr } = await runCli(['practice', '--problem', PROBLEM, '--voice', '--tts', 'espeak', '--script', script(['/quit'])], {
      ...env,
      ...noSound,
    });
    assert.equal(code, 2);
    assert.match(
      stderr,
      /^vetta: --voice: the interviewer cannot speak: no audio output \(.+\); run "vetta doctor", or leave out --voice to practise in text\n$/,
    );
    const both = await runCli(['practice', '--problem', PROBLEM, '--voice', '--text', '--script', script(['/quit'])], env);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--voice and --text contradict each other/);
  });
});

describe('vetta practice: one writer a session', () => {
  it('refuses a second process on the same session in one line naming the first, exit 2', { timeout: 60_000 }, async () => {
    const { spawn } = await import('node:child_process');
    const { resolve } = await import('node:path');
    const { hostname } = await import('node:os');
    const data = tempDir('vetta-two-');
    const childEnv = { ...process.env, XDG_DATA_HOME: data, XDG_CONFIG_HOME: join(data, 'config'), NO_COLOR: '1' };
    const child = spawn(process.execPath, [resolve('bin/vetta.js'), 'practice', '--problem', PROBLEM, '--plain'], {
      env: childEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    for (let i = 0; i < 600 && !/Take a moment/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    const [session] = JSON.parse((await runCli(['sessions', 'list', '--json'], { XDG_DATA_HOME: data })).stdout) as { id: string }[];
    const second = await runCli(['practice', '--resume', session!.id.slice(0, 8), '--plain'], { XDG_DATA_HOME: data }, '/quit\n');
    assert.equal(second.code, 2, second.stdout + second.stderr);
    assert.match(
      second.stderr,
      new RegExp(
        `^vetta: session ${session!.id.slice(0, 8)} is open in another vetta \\(pid ${child.pid} on ${hostname()}, since \\d\\d:\\d\\d\\); carry on there, or stop that process and resume again\n$`,
      ),
    );
    const closed = new Promise((r) => child.once('close', r));
    child.stdin.end('/quit\n');
    assert.equal(await closed, 0);
    const shown = (await runCli(['sessions', 'show', session!.id], { XDG_DATA_HOME: data })).stdout;
    assert.doesNotMatch(shown, /Welcome back/, 'the refused process wrote nothing into the session');
  });
});

describe('vetta practice: a killed interview', () => {
  it('loses nothing that was said when the process is killed with SIGKILL, and --resume carries on', { timeout: 120_000 }, async () => {
    const { spawn } = await import('node:child_process');
    const { resolve } = await import('node:path');
    const data = tempDir('vetta-kill-');
    const childEnv = { ...process.env, XDG_DATA_HOME: data, XDG_CONFIG_HOME: join(data, 'config'), NO_COLOR: '1', EDITOR: 'false' };
    const child = spawn(process.execPath, [resolve('bin/vetta.js'), 'practice', '--problem', PROBLEM, '--plain'], {
      env: childEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const until = async (pattern: RegExp) => {
      for (let i = 0; i < 600 && !pattern.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, pattern);
    };
    await until(/Take a moment, and ask me anything/);
    child.stdin.write('Can I sell before I buy?\n');
    await until(/The selling day must come after the buying day\./);
    child.stdin.write(`/edit ${join(dir, 'wrong.py')}\n`);
    await until(/What do you think happens there\?/);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));

    const resumed = await runCli(['practice', '--resume', '--plain'], { XDG_DATA_HOME: data }, '/quit\n');
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /interviewer: Welcome back\. Where we left off, I had said: It passes 2 of 5 tests/);
    const list = JSON.parse((await runCli(['sessions', 'list', '--json'], { XDG_DATA_HOME: data })).stdout) as { id: string; status: string }[];
    assert.equal(list.length, 1);
    const shown = (await runCli(['sessions', 'show', list[0]!.id], { XDG_DATA_HOME: data })).stdout;
    // Everything said before the kill is there, in order, and the run of the code.
    assert.match(shown, /you: Can I sell before I buy\?[\s\S]*interviewer: No\. The selling day[\s\S]*\[run\] wrong_answer[\s\S]*Welcome back/);
  });
});
