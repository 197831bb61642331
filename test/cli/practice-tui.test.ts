import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findOnPath } from '../../src/core/find-on-path.ts';
import { packageRoot } from '../../src/core/paths.ts';
import { tempDir, writeTree } from '../helpers.ts';
import { TmuxTerminals } from './tmux.ts';

/**
 * The real `vetta practice` binary in a real pseudo-terminal (tmux, 80x24), driven by keys the way
 * a candidate drives it, with an EDITOR script standing in for the candidate's editor.
 */

const PROBLEM = 'best-time-to-buy-and-sell-stock';
const tmux = findOnPath('tmux');
const dir = tempDir('vetta-tui-');
writeTree(dir, {
  'wrong.py': 'class Solution:\n    def maxProfit(self, prices):\n        return max(prices) - min(prices)\n',
  'right.py':
    'class Solution:\n    def maxProfit(self, prices):\n        lowest, best = prices[0], 0\n        for p in prices:\n            lowest = min(lowest, p)\n            best = max(best, p - lowest)\n        return best\n',
});
const editor = join(dir, 'editor.sh');
const counter = join(dir, 'edits');
// The first save is wrong, every later one right; the editor checks it was handed the starter code.
writeFileSync(
  editor,
  `#!/bin/sh\ngrep -q 'def maxProfit' "$1" || exit 3\nn=$(cat ${counter} 2>/dev/null || echo 0)\necho $((n+1)) > ${counter}\nif [ "$n" = 0 ]; then cp ${join(dir, 'wrong.py')} "$1"; else cp ${join(dir, 'right.py')} "$1"; fi\n`,
);
chmodSync(editor, 0o755);

// Each test has its own terminal.
const terminals = new TmuxTerminals(tmux ?? 'tmux');
let current = '';
let started = 0;
const screen = () => terminals.screen(current);
const keys = (...k: string[]) => terminals.keys(current, ...k);
const waitFor = (pattern: RegExp, what: string, timeoutMs?: number) => terminals.waitFor(current, pattern, what, timeoutMs);

/** Waits until the screen's last row is the key bar and the rows pass `check`. */
async function waitForLayout(rows: number, check: (lines: string[]) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let lines: string[] = [];
  while (Date.now() < deadline) {
    lines = screen().split('\n');
    if (/\^E edit/.test(lines[rows - 1] ?? '') && check(lines)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.fail(`timed out waiting for ${what}; the screen shows:\n${lines.join('\n')}`);
}

function start(dataHome: string, args: string[]): void {
  rmSync(counter, { force: true });
  const bin = join(packageRoot(), 'bin', 'vetta.js');
  const env = [
    `PATH=${process.env.PATH}`,
    `EDITOR=${editor}`,
    `XDG_DATA_HOME=${dataHome}`,
    `XDG_CONFIG_HOME=${join(dir, 'config')}`,
    'TERM=xterm-256color',
    'NO_COLOR=1',
  ];
  // The shell stays after vetta exits, so what vetta printed last can still be read.
  const command = `env ${env.map((e) => `'${e}'`).join(' ')} ${process.execPath} ${bin} ${args.join(' ')}; echo "[exit $?]"; sleep 600`;
  current = `vetta-${++started}`;
  terminals.open(current, 80, 24, command);
}

describe('vetta practice in a terminal', { skip: tmux ? false : 'tmux is not installed (apt-get install tmux)' }, () => {
  after(() => terminals.close());

  it('runs a whole interview by keys at 80x24: clarification, failing run, hint, pass, follow-ups, scorecard', { timeout: 120_000 }, async () => {
    const dataHome = join(dir, 'data-full');
    start(dataHome, ['practice', '--problem', PROBLEM, '--text']);
    await waitFor(/clarify · [\s\S]*Today's problem is Best Time/, 'the introduction');
    const lines = screen().replace(/\n$/, '').split('\n');
    assert.equal(lines.length, 24, lines.join('\n'));
    // At 80 columns the title gives way to the status, not the other way round.
    assert.match(lines[0]!, /^ Best Time to Buy and Sell Stock +clarify/);
    assert.match(lines[0]!, /clarify · \d\d:\d\d · hints 0 · no runs yet/);
    assert.match(lines[23]!, /\^E edit {2}\^R run {2}\^S submit {2}\^N hint {2}\^P problem {2}\^L latency/);
    assert.ok(lines.every((l) => l.length <= 80));

    // It follows the terminal's size: at 120 columns the problem gets its own pane beside the talk.
    terminals.run(['resize-window', '-t', current, '-x', '120', '-y', '30']);
    await waitForLayout(30, (l) => /conversation .*││ problem/.test(l[2]!), 'the problem pane beside the conversation');
    terminals.run(['resize-window', '-t', current, '-x', '80', '-y', '24']);
    await waitForLayout(24, (l) => !l[2]!.includes('││'), 'the conversation alone again');

    keys('-l', 'Can I sell before I buy?');
    keys('Enter');
    await waitFor(/No\. The selling day must come after the buying day/, 'the prepared answer');

    keys('C-e');
    let shown = await waitFor(/What do you think happens there\?/, 'the reaction to the failing run');
    assert.match(shown, /\[run\] wrong answer: passes 2 of 5 tests/);
    assert.match(screen().split('\n')[0]!, /run 2\/5/);

    keys('C-n');
    await waitFor(/\[hint: nudge\]/, 'a nudge');

    keys('C-e');
    await waitFor(/\[run\] accepted: passes all 5 tests/, 'the passing run');
    keys('C-s');
    shown = await waitFor(/What are the time and space complexity of your solution\?/, 'a follow-up');
    assert.match(shown, /\[submit\] accepted: passes all 16 tests/);

    keys('-l', 'Linear time and constant space.');
    keys('Enter');
    await waitFor(/as many transactions as you like\?/, 'the second follow-up');
    keys('-l', 'I would add up every rise.');
    keys('Enter');
    // Follow-ups go on while the 45 minutes last: the candidate ends it, and confirms.
    await waitFor(/a fixed fee\?/, 'the third follow-up');
    keys('C-q');
    await waitFor(/End the interview now\?/, 'the quit question');
    keys('y');

    // The terminal is restored and the scorecard stays on screen.
    shown = await waitFor(/\[exit 0\]/, 'vetta to exit');
    assert.match(shown, /scorecard/);
    assert.match(shown, /problem solving 3\/4 reached a passing solution after 1 nudge/);
    assert.doesNotMatch(shown, /\^E edit/);

    const sessions = JSON.parse(
      execFileSync(process.execPath, [join(packageRoot(), 'bin', 'vetta.js'), 'sessions', 'list', '--json'], {
        encoding: 'utf8',
        env: { ...process.env, XDG_DATA_HOME: dataHome },
      }),
    ) as { status: string; phase: string; hints: number }[];
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]!.status, 'finished');
    assert.equal(sessions[0]!.hints, 1);
  });

  it('asks before quitting, restores the terminal on SIGTERM, and --resume picks up the thread', { timeout: 120_000 }, async () => {
    const dataHome = join(dir, 'data-resume');
    start(dataHome, ['practice', '--problem', PROBLEM]);
    await waitFor(/Today's problem is Best Time/, 'the introduction');
    keys('C-q');
    await waitFor(/End the interview now\?/, 'the quit question');
    keys('n');
    await waitFor(/type to talk to the interviewer/, 'the question to go away');
    keys('C-e');
    await waitFor(/What do you think happens there\?/, 'the reaction to the failing run');

    // vetta is the child of this window's shell.
    const shell = terminals.run(['display-message', '-p', '-t', current, '#{pane_pid}']).trim();
    const pid = execFileSync('pgrep', ['-P', shell, '-f', 'vetta.js practice'], { encoding: 'utf8' }).trim().split('\n')[0]!;
    process.kill(Number(pid), 'SIGTERM');
    const shown = await waitFor(/\[exit 143\]/, 'vetta to stop');
    assert.match(shown, /vetta: stopped by SIGTERM; the session is saved: vetta practice --resume/);
    // The full-screen view is gone: the shell's own screen is back.
    assert.doesNotMatch(shown, /\^E edit/);

    const resumed = execFileSync(process.execPath, [join(packageRoot(), 'bin', 'vetta.js'), 'practice', '--resume', '--plain'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_DATA_HOME: dataHome, XDG_CONFIG_HOME: join(dir, 'config'), EDITOR: editor, NO_COLOR: '1' },
      input: '/submit\n/quit\n',
    });
    assert.match(resumed, /interviewer: Welcome back\. Where we left off, I had said: It passes 2 of 5 tests/);
    // The code written before the kill is still there: the submission judges it.
    assert.match(resumed, /\[submit\] wrong_answer/);
    assert.match(
      readFileSync(
        join(
          dataHome,
          'vetta',
          'work',
          JSON.parse(
            execFileSync(process.execPath, [join(packageRoot(), 'bin', 'vetta.js'), 'sessions', 'list', '--json'], {
              encoding: 'utf8',
              env: { ...process.env, XDG_DATA_HOME: dataHome },
            }),
          )[0].id,
          'solution.py',
        ),
        'utf8',
      ),
      /max\(prices\) - min\(prices\)/,
    );
  });
});
