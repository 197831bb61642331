/**
 * How long reading one utterance takes: `npm run bench:understanding`. Every utterance of the
 * labelled table (test/interview/utterances.ts) is read and answered (understand + the conduct
 * policy) on House Robber, 20 rounds; p50/p95/max per turn, against the 5 ms goal.
 */
import { planReply } from '../src/interview/conduct.ts';
import { initialState } from '../src/interview/state.ts';
import { understand } from '../src/interview/understanding.ts';
import { parseConstraints } from '../src/problems/constraints.ts';
import { ProblemSet } from '../src/problems/load.ts';
import { UTTERANCES } from '../test/interview/utterances.ts';

const problem = new ProblemSet({ env: {} }).get('house-robber');
const facts = parseConstraints(problem.statement);
const state = { ...initialState({ sessionId: 'b', problemId: problem.id, language: 'python', atMs: 0 }), phase: 'approach' as const };
const timesMs: number[] = [];
for (let round = 0; round < 20; round++) {
  for (const u of UTTERANCES) {
    const start = performance.now();
    const reading = understand(u.text);
    if (reading.intent !== 'stuck' && reading.intent !== 'hint')
      planReply(reading, u.text, { problem, facts, state, nowMs: 0, budgetMs: 45 * 60_000, codeTime: null });
    timesMs.push(performance.now() - start);
  }
}
// The first round warms the regular expressions up; a live interview reads its first utterance cold.
const cold = timesMs.slice(0, UTTERANCES.length);
const warm = timesMs.slice(UTTERANCES.length).sort((a, b) => a - b);
const at = (q: number) => warm[Math.min(warm.length - 1, Math.floor(q * warm.length))]!;
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
console.log(`understanding: ${UTTERANCES.length} utterances x 19 warm rounds`);
console.log(`  per turn   p50 ${fmt(at(0.5))}  p95 ${fmt(at(0.95))}  max ${fmt(warm.at(-1)!)}  (goal: p95 under 5 ms)`);
console.log(`  cold round max ${fmt(Math.max(...cold))}`);
process.exitCode = at(0.95) < 5 ? 0 : 1;
