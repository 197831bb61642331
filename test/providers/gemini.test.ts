import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { initialState, reduce } from '../../src/interview/state.ts';
import { ProviderError } from '../../src/providers/errors.ts';
import { ModelBrain } from '../../src/interview/model-brain.ts';
import { GeminiModel } from '../../src/providers/gemini/model.ts';
import type { GeminiModelOptions } from '../../src/providers/gemini/model.ts';

/** The adapter as the interview uses it: behind the model brain. */
const gemini = (options: GeminiModelOptions) => new ModelBrain(new GeminiModel(options));
import type { InterviewContext } from '../../src/interview/brain.ts';
import { startFakeGemini } from '../fakes/gemini-server.ts';
import type { FakeGemini } from '../fakes/gemini-server.ts';

const state = [
  { type: 'candidate_said', text: 'Can the array be empty?', atMs: 1 },
  { type: 'interviewer_said', text: 'It has at least two numbers.', atMs: 2 },
].reduce(reduce, initialState({ sessionId: 's', problemId: 'two-sum', language: 'python', atMs: 0 }));
const context: InterviewContext = {
  problem: { id: 'two-sum', title: 'Two Sum', statement: 'Find two numbers that add up to target.', difficulty: 'easy' },
  state,
};

const servers: FakeGemini[] = [];
after(async () => {
  for (const s of servers) await s.close();
});
async function fake(...script: Parameters<typeof startFakeGemini>[0]) {
  const s = await startFakeGemini(script);
  servers.push(s);
  return s;
}

async function say(brain: ModelBrain): Promise<string> {
  let text = '';
  for await (const part of brain.stream({ kind: 'introduce' }, context)) if (part.type === 'text-delta') text += part.text;
  return text;
}

describe('Gemini brain, through the official SDK', () => {
  it('streams the answer with thinking off and the conversation as alternating turns', async () => {
    const server = await fake({ text: 'Right. Which data structure gives you constant-time lookups? Anything else?' });
    const text = await say(gemini({ apiKey: 'test-key', model: 'gemini-test', baseUrl: server.baseUrl }));
    assert.equal(text, 'Right. Which data structure gives you constant-time lookups?');
    const { path, apiKey, body } = server.requests[0]!;
    assert.match(path, /^\/v1(beta)?\/models\/gemini-test:streamGenerateContent\?alt=sse/);
    assert.equal(apiKey, 'test-key');
    assert.deepEqual(
      body.contents.map((c) => c.role),
      ['user', 'model', 'user'],
    );
    assert.deepEqual(body.generationConfig?.thinkingConfig, { thinkingBudget: 0 });
    assert.ok(body.systemInstruction, 'the persona goes in the system instruction');
  });

  it('retries 429 and 503 before the first token, and gives a clear error after', async () => {
    const flaky = await fake({ status: 429 }, { status: 503 }, { text: 'Hello.' });
    assert.equal(await say(gemini({ apiKey: 'k', baseUrl: flaky.baseUrl, backoffMs: 5 })), 'Hello.');
    assert.equal(flaky.requests.length, 3);
    const forbidden = await fake({ status: 403 });
    await assert.rejects(
      say(gemini({ apiKey: 'secret-key-value', baseUrl: forbidden.baseUrl, backoffMs: 5 })),
      (e: unknown) => e instanceof ProviderError && /HTTP 403; check GEMINI_API_KEY/.test(e.message) && !e.message.includes('secret-key-value'),
    );
    assert.equal(forbidden.requests.length, 1, 'a refused key is not retried');
  });

  it('times out a request that produces no first token', async () => {
    const slow = await fake({ text: 'Late.', firstTokenDelayMs: 2000 });
    await assert.rejects(say(gemini({ apiKey: 'k', baseUrl: slow.baseUrl, firstTokenTimeoutMs: 100, retries: 0 })), /gemini: no answer within 0.1 s/);
  });
});
