import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Interview } from '../../src/interview/engine.ts';
import { PreemptiveBrain } from '../../src/interview/preemptive-brain.ts';
import { loadTests, ProblemSet } from '../../src/problems/load.ts';
import { ModelBrain } from '../../src/interview/model-brain.ts';
import { OpenAiCompatibleModel } from '../../src/providers/openai/model.ts';
import { UnsafeSandbox } from '../../src/sandbox/unsafe.ts';
import { startFakeOpenAi } from '../fakes/openai-server.ts';
import type { FakeOpenAi } from '../fakes/openai-server.ts';

/**
 * Preemptive generation through the interview: the OpenAI-compatible brain (its real HTTP client)
 * against the loopback fake, behind PreemptiveBrain, in a real Interview.
 */
const REPLY = 'Sorting works. What does it cost in time? ';

async function interviewWith(fake: FakeOpenAi) {
  const problem = new ProblemSet({ env: {} }).get('valid-anagram');
  const brain = new PreemptiveBrain(new ModelBrain(new OpenAiCompatibleModel({ baseUrl: fake.baseUrl, model: 'fake', retries: 0 })));
  const interview = new Interview({
    problem,
    tests: loadTests(problem),
    language: 'python',
    brain,
    sandbox: new UnsafeSandbox(),
    sessionId: 's',
    now: () => Date.now(),
  });
  await interview.start();
  return { interview, brain };
}

/** Waits (up to 5 s) for something that happens on its own, such as a request reaching the fake. */
async function until(done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !done() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
}

const lastUserMessage = (fake: FakeOpenAi, request: number) => fake.requests[request]!.messages.filter((m) => m.role === 'user').at(-1)!.content;

describe('preemptive generation', () => {
  it('starts the reply before the turn is decided; when the words stand, the interview takes it over instead of asking again', async () => {
    const fake = await startFakeOpenAi([{ text: 'Hello. Tell me your approach. ' }, { text: REPLY, firstTokenDelayMs: 300 }]);
    try {
      const { interview, brain } = await interviewWith(fake);
      const said = 'I would sort both strings and compare them.';
      interview.anticipate(said);
      // The request is on its way at once; a loaded machine may take a while to deliver it over loopback.
      await until(() => fake.requests.length >= 2);
      assert.equal(fake.requests.length, 2, 'the model was asked while the turn was still undecided');
      await interview.say(said);
      assert.equal(fake.requests.length, 2, 'and not asked again when the candidate had said just that');
      assert.ok(lastUserMessage(fake, 1).includes(said));
      assert.deepEqual(brain.taken, { anticipated: 1, fresh: 1 });
      const [candidate, interviewer] = interview.state.conversation.slice(-2);
      assert.equal(candidate!.text, said);
      assert.equal(interviewer!.text, REPLY.trim());
    } finally {
      await fake.close();
    }
  });

  it('words that changed drop the anticipated reply (its request is closed) and the model is asked with what was said', async () => {
    const fake = await startFakeOpenAi([
      { text: 'Hello. Tell me your approach. ' },
      { text: 'An answer to half a thought. ', firstTokenDelayMs: 300 },
      { text: REPLY },
    ]);
    try {
      const { interview, brain } = await interviewWith(fake);
      interview.anticipate('I would sort both strings.');
      await until(() => fake.requests.length >= 2);
      const said = 'I would sort both strings, or count the letters in a map.';
      await interview.say(said);
      assert.equal(fake.requests.length, 3);
      assert.ok(lastUserMessage(fake, 2).includes(said), 'the reply was asked for with the final words');
      assert.equal(interview.state.conversation.at(-1)!.text, REPLY.trim(), 'and it is the reply the interview kept');
      assert.deepEqual(brain.taken, { anticipated: 0, fresh: 2 });
      for (let i = 0; i < 100 && fake.closedEarly() === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(fake.closedEarly(), 1, 'the anticipated request was closed, not left to run');
    } finally {
      await fake.close();
    }
  });

  it('an interview that moved on meanwhile (code saved) asks afresh: the reply is never built on a stale state', async () => {
    const fake = await startFakeOpenAi([{ text: 'Hello. Tell me your approach. ' }, { text: 'Stale. ', firstTokenDelayMs: 200 }, { text: REPLY }]);
    try {
      const { interview, brain } = await interviewWith(fake);
      const said = 'Done, I think it works.';
      interview.anticipate(said);
      await until(() => fake.requests.length >= 2);
      interview.codeSaved('def is_anagram(s, t):\n    return sorted(s) == sorted(t)\n');
      await interview.say(said);
      assert.equal(interview.state.conversation.at(-1)!.text, REPLY.trim());
      assert.deepEqual(brain.taken, { anticipated: 0, fresh: 2 });
    } finally {
      await fake.close();
    }
  });
});
