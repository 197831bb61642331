/**
 * The interviewer's conduct, judged on whole conversations: `npm run eval:interviewer` plays every
 * conversation in eval/interviewer.yaml against the offline interviewer and prints which replies an
 * expert would not have given, and a score. `--llm openai` plays them through the model brain
 * against the loopback OpenAI-compatible fake instead and shows what the model was told each turn
 * (`--show-prompts`): the reading, the decision and the facts it gets are the policy's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Brain } from '../src/interview/brain.ts';
import { Interview } from '../src/interview/engine.ts';
import { ModelBrain } from '../src/interview/model-brain.ts';
import { ScriptedBrain } from '../src/interview/scripted-brain.ts';
import type { InterviewEvent } from '../src/interview/state.ts';
import { loadProblem, loadTests, ProblemSet } from '../src/problems/load.ts';
import type { Language, Problem } from '../src/problems/load.ts';
import { OpenAiCompatibleModel } from '../src/providers/openai/model.ts';
import { UnsafeSandbox } from '../src/sandbox/unsafe.ts';
import { startFakeOpenAi } from '../test/fakes/openai-server.ts';

interface Turn {
  say?: string;
  wait?: number;
  /** Code the candidate saves (not run). */
  code?: string;
  hint?: true;
  says?: string;
  not?: string;
  move?: string;
  intent?: string;
  /** The hint level the turn should bring. */
  hintLevel?: string;
}

interface Conversation {
  name: string;
  problem: string;
  /** The candidate's language (python unless said). */
  language?: Language;
  turns: (Turn & { hint?: string | true })[];
}

export interface EvalResult {
  name: string;
  problem: string;
  ok: boolean;
  failures: string[];
  /** What the model was told each turn, with --llm openai. */
  told: string[];
}

const here = import.meta.dirname;

export function loadConversations(file = join(here, 'interviewer.yaml')): Conversation[] {
  return parse(readFileSync(file, 'utf8')) as Conversation[];
}

function problemOf(id: string, builtin: ProblemSet): Problem {
  return builtin.list().some((p) => p.id === id) ? builtin.get(id) : loadProblem(join(here, 'problems', id));
}

export async function runEval(options: { llm?: 'openai' } = {}): Promise<EvalResult[]> {
  const builtin = new ProblemSet({ env: {} });
  const fake = options.llm === 'openai' ? await startFakeOpenAi([{ text: 'Okay.' }]) : null;
  const results: EvalResult[] = [];
  try {
    for (const conversation of loadConversations()) {
      const problem = problemOf(conversation.problem, builtin);
      let now = 0;
      const events: InterviewEvent[] = [];
      const brain: Brain = fake ? new ModelBrain(new OpenAiCompatibleModel({ baseUrl: fake.baseUrl, model: 'fake', retries: 0 })) : new ScriptedBrain();
      const interview = new Interview({
        problem,
        tests: loadTests(problem),
        language: conversation.language ?? 'python',
        brain,
        sandbox: new UnsafeSandbox(),
        sessionId: 'eval',
        now: () => now,
        onEvent: (e) => events.push(e),
      });
      await interview.start();
      const failures: string[] = [];
      const told: string[] = [];
      for (const [i, turn] of conversation.turns.entries()) {
        const from = events.length;
        const requestsBefore = fake?.requests.length ?? 0;
        if (turn.code !== undefined) interview.codeSaved(turn.code);
        if (turn.say !== undefined) await interview.say(turn.say);
        else if (turn.wait !== undefined) {
          now += turn.wait * 1000;
          await interview.tick();
        }
        const happened = events.slice(from);
        const said = happened
          .filter((e) => e.type === 'interviewer_said')
          .map((e) => e.text)
          .join(' ');
        const understood = happened.find((e) => e.type === 'candidate_understood');
        const hint = happened.find((e) => e.type === 'hint_given');
        const where = `turn ${i + 1} "${turn.say ?? (turn.wait !== undefined ? `wait ${turn.wait}s` : 'code')}"`;
        // The model's words are the fake's: what is judged is what it was told.
        const lastTold = fake?.requests.slice(requestsBefore).at(0)?.messages.at(-1)?.content ?? '';
        if (fake) told.push(lastTold);
        // What the policy suggested the model say, or the whole instruction for a turn without one (a hint).
        const suggested = /Suggested reply[^"]*"([\s\S]*)"$/.exec(lastTold)?.[1];
        const judged = fake ? (suggested ?? lastTold) : said;
        if (turn.says && !new RegExp(turn.says, 'i').test(judged)) failures.push(`${where}: expected /${turn.says}/, got "${judged}"`);
        if (turn.not && new RegExp(turn.not, 'i').test(fake ? (suggested ?? '') : said)) failures.push(`${where}: must not say /${turn.not}/: "${judged}"`);
        if (turn.move && understood?.type === 'candidate_understood' && understood.move !== turn.move)
          failures.push(`${where}: expected the move ${turn.move}, got ${understood.move} ("${said}")`);
        if (turn.move && !understood) failures.push(`${where}: expected the move ${turn.move}, nothing was read`);
        if (turn.intent && understood?.type === 'candidate_understood' && understood.intent !== turn.intent)
          failures.push(`${where}: expected the intent ${turn.intent}, got ${understood.intent}`);
        const level = typeof turn.hint === 'string' ? turn.hint : undefined;
        if (level && (hint?.type !== 'hint_given' || hint.level !== level))
          failures.push(`${where}: expected a ${level}, got ${hint?.type === 'hint_given' ? hint.level : 'no hint'} ("${said}")`);
      }
      results.push({ name: conversation.name, problem: conversation.problem, ok: failures.length === 0, failures, told });
    }
  } finally {
    await fake?.close();
  }
  return results;
}

export function score(results: EvalResult[]): number {
  return results.filter((r) => r.ok).length / Math.max(1, results.length);
}

if (import.meta.main) {
  const llm = process.argv.includes('--llm') ? (process.argv[process.argv.indexOf('--llm') + 1] as 'openai') : undefined;
  const results = await runEval(llm ? { llm } : {});
  for (const r of results) {
    if (!r.ok) console.log(`✗ ${r.name} (${r.problem})\n  ${r.failures.join('\n  ')}`);
    if (process.argv.includes('--show-prompts')) for (const [i, t] of r.told.entries()) console.log(`--- ${r.name}, turn ${i + 1}: the model was told\n${t}`);
  }
  const problems = new Set(results.map((r) => r.problem)).size;
  console.log(
    `${results.filter((r) => r.ok).length} of ${results.length} conversations as an expert would have them, across ${problems} problems (${llm ?? 'offline interviewer'}): ${(score(results) * 100).toFixed(1)}%`,
  );
  process.exitCode = score(results) >= 0.95 ? 0 : 1;
}
