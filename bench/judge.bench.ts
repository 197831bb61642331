/**
 * npm run bench:judge: what judging costs on top of starting the interpreter.
 *
 * For Python and JavaScript: the median wall time of judging a reference solution of a 20-test
 * problem in the default sandbox, the median of a bare `python3 -c pass` / `node -e 0`, and the
 * difference. Goal: the judge adds at most 150 ms. Then the same overhead for every built-in
 * problem (fewer runs each), because it grows with the volume of test data a problem moves.
 * `--json` prints the figures for scripts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judge } from '../src/problems/judge.ts';
import { loadTests, ProblemSet } from '../src/problems/load.ts';
import { runtimeFor } from '../src/sandbox/runtimes.ts';
import { selectSandbox } from '../src/sandbox/select.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const GOAL_MS = 150;
const json = process.argv.includes('--json');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeBare(argv: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed`);
    times.push(performance.now() - t);
  }
  return median(times);
}

const set = new ProblemSet();
const candidates = set.list().map((p) => ({ p, tests: loadTests(p) }));
// A 20-test problem, as the goal states; the nearest to 20 when none has exactly 20.
const { p: problem, tests } = candidates.sort((a, b) => Math.abs(a.tests.length - 20) - Math.abs(b.tests.length - 20))[0]!;
const sandbox = selectSandbox('auto');
const rows: Record<string, unknown>[] = [];

for (const language of ['python', 'javascript'] as const) {
  const source = readFileSync(join(problem.dir, language === 'python' ? 'solution.py' : 'solution.js'), 'utf8');
  const bareArgv = language === 'python' ? [runtimeFor('python').path, '-c', 'pass'] : [runtimeFor('node').path, '-e', '0'];
  const bare = timeBare(bareArgv);
  const times: number[] = [];
  const testTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const report = await judge(problem, tests, { source, language, sandbox });
    times.push(performance.now() - t);
    if (report.verdict !== 'accepted') throw new Error(`${problem.id} ${language} reference: ${report.summary}`);
    testTimes.push(report.tests.reduce((sum, o) => sum + (o.timeMs ?? 0), 0));
  }
  const judged = median(times);
  const inTests = median(testTimes);
  rows.push({
    language,
    problem: problem.id,
    tests: tests.length,
    runs: RUNS,
    judgeMedianMs: Math.round(judged * 10) / 10,
    bareInterpreterMedianMs: Math.round(bare * 10) / 10,
    addedMs: Math.round((judged - bare) * 10) / 10,
    solutionTimeMs: Math.round(inTests * 10) / 10,
    addedExcludingSolutionMs: Math.round((judged - bare - inTests) * 10) / 10,
    goalMs: GOAL_MS,
    withinGoal: judged - bare - inTests <= GOAL_MS,
  });
}

const SURVEY_RUNS = Number(process.env.BENCH_SURVEY_RUNS ?? 5);
const survey: Record<string, unknown>[] = [];
for (const { p, tests: ts } of candidates) {
  for (const language of ['python', 'javascript'] as const) {
    const source = readFileSync(join(p.dir, language === 'python' ? 'solution.py' : 'solution.js'), 'utf8');
    const bareArgv = language === 'python' ? [runtimeFor('python').path, '-c', 'pass'] : [runtimeFor('node').path, '-e', '0'];
    const bare = timeBare(bareArgv);
    const overheads: number[] = [];
    for (let i = 0; i < SURVEY_RUNS; i++) {
      const t = performance.now();
      const report = await judge(p, ts, { source, language, sandbox });
      const elapsed = performance.now() - t;
      overheads.push(elapsed - bare - report.tests.reduce((sum, o) => sum + (o.timeMs ?? 0), 0));
    }
    const dataBytes = JSON.stringify(ts.map((t) => t.args)).length;
    survey.push({ problem: p.id, language, tests: ts.length, testDataKB: Math.round(dataBytes / 1024), overheadMs: Math.round(median(overheads) * 10) / 10 });
  }
}
const surveySummary = (['python', 'javascript'] as const).map((language) => {
  const rowsFor = survey.filter((r) => r.language === language);
  const sorted = [...rowsFor].sort((a, b) => (a.overheadMs as number) - (b.overheadMs as number));
  const worst = sorted[sorted.length - 1]!;
  return {
    language,
    problems: rowsFor.length,
    medianOverheadMs: sorted[Math.floor(sorted.length / 2)]!.overheadMs,
    worst: { problem: worst.problem, overheadMs: worst.overheadMs, testDataKB: worst.testDataKB },
  };
});

const machine = {
  cpus: (await import('node:os')).cpus().length,
  node: process.version,
  sandbox: sandbox.name,
  python: execFileSync(runtimeFor('python').path, ['--version'], { encoding: 'utf8' }).trim(),
};
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, results: rows, allProblems: surveySummary, perProblem: survey }, null, 2)}\n`);
} else {
  process.stdout.write(`judge overhead (${RUNS} runs each, sandbox ${sandbox.name}, ${machine.cpus} cores, ${machine.python}, node ${machine.node})\n`);
  for (const r of rows) {
    process.stdout.write(
      `${String(r.language).padEnd(10)} ${r.problem} (${r.tests} tests): judge ${r.judgeMedianMs} ms, bare interpreter ${r.bareInterpreterMedianMs} ms, ` +
        `added ${r.addedMs} ms (of which the solution itself ${r.solutionTimeMs} ms; judge overhead ${r.addedExcludingSolutionMs} ms, goal <= ${GOAL_MS} ms: ${r.withinGoal ? 'met' : 'MISSED'})\n`,
    );
  }
  process.stdout.write(`every built-in problem (${SURVEY_RUNS} runs each): judge overhead beyond the bare interpreter and the solution's own time\n`);
  for (const s of surveySummary) {
    process.stdout.write(
      `${s.language.padEnd(10)} median ${s.medianOverheadMs} ms over ${s.problems} problems; worst ${s.worst.problem} ${s.worst.overheadMs} ms (${s.worst.testDataKB} KB of test input)\n`,
    );
  }
}
