import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { initialState } from '../../src/interview/state.ts';
import { ProviderError } from '../../src/providers/errors.ts';
import { ModelBrain } from '../../src/interview/model-brain.ts';
import { OpenAiCompatibleModel } from '../../src/providers/openai/model.ts';
import type { OpenAiModelOptions } from '../../src/providers/openai/model.ts';

/** The adapter as the interview uses it: behind the model brain. */
const openai = (options: OpenAiModelOptions) => new ModelBrain(new OpenAiCompatibleModel(options));
import type { InterviewContext } from '../../src/interview/brain.ts';
import { startFakeOpenAi } from '../fakes/openai-server.ts';
import type { FakeOpenAi } from '../fakes/openai-server.ts';

const context: InterviewContext = {
  problem: { id: 'two-sum', title: 'Two Sum', statement: 'Find two numbers that add up to target.', difficulty: 'easy' },
  state: initialState({ sessionId: 's', problemId: 'two-sum', language: 'python', atMs: 0 }),
};

const fakes: FakeOpenAi[] = [];
after(async () => {
  for (const f of fakes) await f.close();
});
async function fake(...script: Parameters<typeof startFakeOpenAi>[0]) {
  const f = await startFakeOpenAi(script);
  fakes.push(f);
  return f;
}

async function say(brain: ModelBrain, signal?: AbortSignal): Promise<string> {
  let text = '';
  for await (const part of brain.stream({ kind: 'introduce' }, context, signal)) if (part.type === 'text-delta') text += part.text;
  return text;
}

describe('OpenAI-compatible brain', () => {
  it('streams the answer, sends the built prompt, and stops the model after its first question', async () => {
    const server = await fake({
      text: 'Great question! Today we solve Two Sum. Can you restate it in your own words? And what about the input size? I could go on.',
      tokenDelayMs: 5,
    });
    const brain = openai({ baseUrl: server.baseUrl, model: 'tiny', apiKey: 'sk-test' });
    assert.equal(await say(brain), 'Today we solve Two Sum. Can you restate it in your own words?');
    const request = server.requests[0]!;
    assert.equal(request.model, 'tiny');
    assert.equal(request.messages[0]!.role, 'system');
    assert.match(request.messages.at(-1)!.content, /^\[Your turn\] Introduce the problem/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.closedEarly(), 1, 'the rambling rest was not waited for');
  });

  it('retries rate limits and server errors before the first token', async () => {
    const server = await fake({ status: 429 }, { status: 503 }, { text: 'Hello there.' });
    const brain = openai({ baseUrl: server.baseUrl, model: 'tiny', backoffMs: 5 });
    assert.equal(await say(brain), 'Hello there.');
    assert.equal(server.requests.length, 3);
  });

  it('gives up with a clear error: HTTP status, no first token in time, no server', async () => {
    const failing = await fake({ status: 500 });
    await assert.rejects(
      say(openai({ baseUrl: failing.baseUrl, model: 'tiny', retries: 1, backoffMs: 5 })),
      (e: unknown) => e instanceof ProviderError && /answered HTTP 500/.test(e.message),
    );
    assert.equal(failing.requests.length, 2);
    const unauthorised = await fake({ status: 401 });
    await assert.rejects(
      say(openai({ baseUrl: unauthorised.baseUrl, model: 'tiny', apiKey: 'sk-secret-value' })),
      (e: unknown) => e instanceof ProviderError && /HTTP 401; check OPENAI_API_KEY/.test(e.message) && !e.message.includes('sk-secret-value'),
    );
    assert.equal(unauthorised.requests.length, 1, '401 is not retried');
    const slow = await fake({ text: 'Too late.', firstTokenDelayMs: 2000 });
    await assert.rejects(say(openai({ baseUrl: slow.baseUrl, model: 'tiny', firstTokenTimeoutMs: 100, retries: 0 })), /no answer within 0.1 s/);
    await assert.rejects(
      say(openai({ baseUrl: 'http://127.0.0.1:9/v1', model: 'tiny', retries: 0 })),
      /cannot reach http:\/\/127\.0\.0\.1:9\/v1 .*is the server running\?/,
    );
  });

  it('stops quietly when aborted', async () => {
    const server = await fake({ text: 'One two three four five six seven eight nine ten.', tokenDelayMs: 30 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 60);
    const text = await say(openai({ baseUrl: server.baseUrl, model: 'tiny' }), controller.signal);
    assert.equal(text, '');
  });
});
