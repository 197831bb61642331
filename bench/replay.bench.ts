/**
 * node --import tsx bench/replay.bench.ts: how long `vetta replay --check` takes on a 60-minute
 * interview. Goal: under 10 s, judge runs aside.
 *
 * The recording is made by the real `vetta practice --script ... --record` (offline interviewer):
 * 40 rounds over a 60-minute virtual clock, each a question, a remark and 18 five-second waits
 * (as a live session's idle ticks), an edit judged every fourth round, then a fix, a submission
 * and the follow-ups. The check runs in the default sandbox; the judge's share is the wall time
 * spent inside the sandbox's runs, measured by wrapping the sandbox, and is subtracted. `--json`
 * prints the figures.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../src/cli/main.ts';
import { PracticeSession } from '../src/cli/practice-session.ts';
import { checkRecording } from '../src/replay/check.ts';
import { loadTests, ProblemSet } from '../src/problems/load.ts';
import { readRecording } from '../src/replay/recording.ts';
import { selectSandbox } from '../src/sandbox/select.ts';
import type { Sandbox } from '../src/core/sandbox.ts';

const GOAL_MS = 10_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PROBLEM = 'best-time-to-buy-and-sell-stock';
const json = process.argv.includes('--json');
const dir = mkdtempSync(join(tmpdir(), 'vetta-replay-bench-'));

function script(): string {
  writeFileSync(join(dir, 'wrong.py'), 'class Solution:\n    def maxProfit(self, prices):\n        return max(prices) - min(prices)\n');
  writeFileSync(
    join(dir, 'right.py'),
    'class Solution:\n    def maxProfit(self, prices):\n        lowest, best = prices[0], 0\n        for p in prices:\n            lowest = min(lowest, p)\n            best = max(best, p - lowest)\n        return best\n',
  );
  const lines: string[] = [];
  for (let round = 0; round < 40; round++) {
    lines.push(`Can the prices list be empty in case ${round}?`, `I am thinking about keeping the minimum so far, attempt ${round}.`);
    if (round % 4 === 3) lines.push(`/edit ${join(dir, 'wrong.py')}`);
    for (let i = 0; i < 18; i++) lines.push('/wait 5');
  }
  lines.push(`/edit ${join(dir, 'right.py')}`, '/submit', 'Linear time and constant space.', 'Add up every rise between consecutive days.');
  writeFileSync(join(dir, 'script.txt'), lines.join('\n'));
  return join(dir, 'script.txt');
}

async function record(file: string): Promise<void> {
  const sink = new PassThrough().resume();
  const code = await main(['node', 'vetta', 'practice', '--problem', PROBLEM, '--llm', 'scripted', '--script', script(), '--record', file], {
    stdout: sink as unknown as NodeJS.WriteStream,
    stderr: sink as unknown as NodeJS.WriteStream,
    env: { ...process.env, XDG_DATA_HOME: join(dir, 'data') },
  });
  if (code !== 0) throw new Error('recording the long interview failed');
}

/** The sandbox, with the wall time of its runs added up: the judge's share of a check. */
function timed(sandbox: Sandbox): { sandbox: Sandbox; spentMs: () => number; runs: () => number } {
  let spent = 0;
  let runs = 0;
  return {
    sandbox: {
      name: sandbox.name,
      gaps: sandbox.gaps,
      explainStartFailure: (r) => sandbox.explainStartFailure(r),
      run: async (request) => {
        const started = performance.now();
        try {
          return await sandbox.run(request);
        } finally {
          spent += performance.now() - started;
          runs++;
        }
      },
    },
    spentMs: () => spent,
    runs: () => runs,
  };
}

try {
  const file = join(dir, 'long.jsonl');
  await record(file);
  const recording = readRecording(file);
  const clockMinutes = (recording.lines.at(-1)!.clock - recording.header.clock.startMs) / 60_000;
  const problem = new ProblemSet().get(PROBLEM);
  const tests = loadTests(problem);
  const base = selectSandbox('auto', process.env);
  const samples: { totalMs: number; judgeMs: number; judgeRuns: number; ok: boolean }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const sandbox = timed(base);
    const work = mkdtempSync(join(dir, 'work-'));
    const started = performance.now();
    const result = await checkRecording(recording, { problem, tests, sandbox: sandbox.sandbox, makeSession: (o) => new PracticeSession(o), workDir: work });
    samples.push({ totalMs: performance.now() - started, judgeMs: sandbox.spentMs(), judgeRuns: sandbox.runs(), ok: result.ok });
  }
  const median = <T>(xs: T[], key: (x: T) => number) => xs.map(key).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const figures = {
    sandbox: base.name,
    recording: {
      lines: recording.lines.length,
      bytes: readFileSync(file).length,
      actions: recording.lines.filter((l) => l.type === 'action').length,
      interviewerTurns: recording.lines.filter((l) => l.type === 'llm_request').length,
      clockMinutes: Math.round(clockMinutes),
    },
    checkMs: Math.round(median(samples, (s) => s.totalMs)),
    judgeMs: Math.round(median(samples, (s) => s.judgeMs)),
    judgeRuns: samples[0]!.judgeRuns,
    checkWithoutJudgeMs: Math.round(median(samples, (s) => s.totalMs - s.judgeMs)),
    allOk: samples.every((s) => s.ok),
    goalMs: GOAL_MS,
  };
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else {
    const r = figures.recording;
    process.stdout.write(
      `recording: ${r.clockMinutes} minutes on the interview clock, ${r.actions} actions, ${r.interviewerTurns} interviewer turns, ${r.lines} lines, ${Math.round(r.bytes / 1024)} KB\n`,
    );
    process.stdout.write(
      `check (median of ${RUNS}, sandbox ${figures.sandbox}): ${figures.checkMs} ms in all; judge ${figures.judgeMs} ms in ${figures.judgeRuns} sandbox runs; without the judge ${figures.checkWithoutJudgeMs} ms (goal < ${GOAL_MS} ms: ${figures.checkWithoutJudgeMs < GOAL_MS ? 'met' : 'missed'}); ${figures.allOk ? 'no divergence' : 'DIVERGED'}\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
