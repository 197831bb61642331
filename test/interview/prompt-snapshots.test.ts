import { test } from 'node:test';
import type { Brain, BrainPart, Instruction, InterviewContext } from '../../src/interview/brain.ts';
import { Interview } from '../../src/interview/engine.ts';
import { buildPrompt } from '../../src/interview/prompt.ts';
import { ScriptedBrain } from '../../src/interview/scripted-brain.ts';
import { loadTests, ProblemSet } from '../../src/problems/load.ts';
import { UnsafeSandbox } from '../../src/sandbox/unsafe.ts';

/**
 * What a model is told in ten typical situations, as snapshots (update them with
 * `node --import tsx --test --test-update-snapshots test/interview/prompt-snapshots.test.ts`
 * and read the diff: it is the change in what every model hears).
 */

/** The offline interviewer, keeping each request a model would have been sent. */
class CapturingBrain implements Brain {
  readonly name = 'capture';
  readonly asked: { instruction: Instruction; context: InterviewContext }[] = [];
  private readonly inner = new ScriptedBrain();

  stream(instruction: Instruction, context: InterviewContext): AsyncIterable<BrainPart> {
    this.asked.push({ instruction, context: structuredClone(context) });
    return this.inner.stream(instruction, context);
  }
}

const set = new ProblemSet({ env: {} });

async function situation(problemId: string, act: (interview: Interview, advance: (ms: number) => void) => Promise<void>) {
  const problem = set.get(problemId);
  const brain = new CapturingBrain();
  let now = 0;
  const interview = new Interview({
    problem,
    tests: loadTests(problem),
    language: 'python',
    brain,
    sandbox: new UnsafeSandbox(),
    sessionId: 'snapshot',
    now: () => now,
    minutes: 45,
  });
  await interview.start();
  await act(interview, (ms) => (now += ms));
  const { instruction, context } = brain.asked.at(-1)!;
  const prompt = buildPrompt(instruction, context);
  return { system: prompt.system, messages: prompt.messages };
}

const SITUATIONS: [string, string, (interview: Interview, advance: (ms: number) => void) => Promise<void>][] = [
  ['the introduction', 'house-robber', async () => {}],
  ['a clarifying question the constraints answer, asked two ways at once', 'house-robber', (i) => i.say('can the array be empty and can values be negative')],
  ['a question nothing settles', 'word-break', (i) => i.say('what if there is a tie')],
  ['an approach too slow for the bounds', 'best-time-to-buy-and-sell-stock', (i) => i.say('check every pair of days and take the max difference')],
  ['a sound approach', 'valid-anagram', (i) => i.say('count the letters with a hash map')],
  [
    'a wrong complexity claim',
    'house-robber',
    async (i) => {
      await i.say('dp array where dp of i is the best up to house i');
      await i.say('its o of n squared time');
    },
  ],
  ['a candidate who is stuck', 'house-robber', (i) => i.say("I'm stuck")],
  ['off-topic talk', 'house-robber', (i) => i.say("what's the weather like")],
  [
    'six silent minutes',
    'house-robber',
    async (i, advance) => {
      advance(6 * 60_000);
      await i.tick();
    },
  ],
  [
    'time is up',
    'house-robber',
    async (i, advance) => {
      advance(46 * 60_000);
      await i.tick();
    },
  ],
];

for (const [name, problemId, act] of SITUATIONS) {
  test(`what the model is told: ${name}`, async (t) => {
    t.assert.snapshot(await situation(problemId, act));
  });
}
