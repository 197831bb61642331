import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { ProviderError } from '../../src/providers/errors.ts';
import { OpenAiCompatibleTts } from '../../src/providers/openai/tts.ts';
import type { OpenAiTtsOptions } from '../../src/providers/openai/tts.ts';
import { OPENAI_PCM_RATE, startFakeOpenAiAudio } from '../fakes/openai-audio-server.ts';
import type { FakeOpenAiAudio, FakeOpenAiAudioOptions } from '../fakes/openai-audio-server.ts';

const servers: FakeOpenAiAudio[] = [];
after(async () => {
  for (const s of servers) await s.close();
});
async function fake(options: FakeOpenAiAudioOptions = {}): Promise<FakeOpenAiAudio> {
  const s = await startFakeOpenAiAudio(options);
  servers.push(s);
  return s;
}

const voiceOf = (server: FakeOpenAiAudio, options: Partial<OpenAiTtsOptions> = {}) =>
  new OpenAiCompatibleTts({ baseUrl: server.baseUrl, backoffMs: 10, ...options });

async function samplesOf(voice: OpenAiCompatibleTts, text: string, signal?: AbortSignal): Promise<Int16Array[]> {
  const pieces: Int16Array[] = [];
  for await (const piece of voice.synthesize(text, signal)) pieces.push(piece);
  return pieces;
}

const total = (pieces: Int16Array[]) => pieces.reduce((n, p) => n + p.length, 0);

describe('OpenAI-compatible speech', { timeout: 30_000 }, () => {
  it('asks for raw PCM with the model and voice, and plays it at 16 kHz', async () => {
    const server = await fake({ apiKey: 'sk-test', msPerChar: 20 });
    const pieces = await samplesOf(voiceOf(server, { apiKey: 'sk-test', model: 'kokoro', voice: 'af_heart' }), ' Hello there. ');
    assert.deepEqual(
      server.speech.map((r) => [r.body, r.authorization]),
      [[{ model: 'kokoro', voice: 'af_heart', input: 'Hello there.', response_format: 'pcm' }, 'Bearer sk-test']],
    );
    // 12 characters at 20 ms: 240 ms of 24 kHz audio, which is 3840 samples at 16 kHz.
    assert.equal(server.speech[0]!.sentSamples, 0.24 * OPENAI_PCM_RATE);
    assert.ok(Math.abs(total(pieces) - 3840) <= 2, `${total(pieces)} samples at 16 kHz`);
  });

  it('sends no key when none is set, as a local server wants', async () => {
    const server = await fake();
    await samplesOf(voiceOf(server), 'Hi.');
    assert.equal(server.speech[0]!.authorization, undefined);
  });

  it('gives the first audio while the rest is still being synthesised', async () => {
    const server = await fake({ firstAudioMs: 20, realTimeFactor: 1, msPerChar: 40 });
    const voice = voiceOf(server);
    for await (const _ of voice.synthesize('A sentence long enough to take a while to say.')) {
      assert.ok(server.speech[0]!.sentSamples < 0.5 * OPENAI_PCM_RATE, `${server.speech[0]!.sentSamples} samples sent before the first arrived`);
      break;
    }
  });

  it('stops the request at once on abort, quietly', async () => {
    const server = await fake({ realTimeFactor: 1, msPerChar: 60 });
    const controller = new AbortController();
    const pieces: Int16Array[] = [];
    for await (const piece of voiceOf(server).synthesize('A sentence that would take seconds to say out loud.', controller.signal)) {
      pieces.push(piece);
      controller.abort();
    }
    assert.equal(pieces.length, 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(server.speech[0]!.closedEarly, true);
  });

  it('says which variable to check when the key is refused, and does not retry it', async () => {
    const server = await fake({ apiKey: 'sk-right' });
    await assert.rejects(samplesOf(voiceOf(server, { apiKey: 'sk-wrong-value' }), 'Hi.'), (error: Error) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.message, `openai: the key was refused (HTTP 401 from ${server.baseUrl}/audio/speech); check OPENAI_API_KEY`);
      return true;
    });
    assert.equal(server.speech.length, 1);
  });

  it('says which variables to check when the server has no such model or voice', async () => {
    const server = await fake({ failStatus: 404 });
    await assert.rejects(
      samplesOf(voiceOf(server), 'Hi.'),
      new RegExp(`^VettaError: openai: nothing there \\(HTTP 404 from ${server.baseUrl}/audio/speech\\); check OPENAI_TTS_BASE_URL`),
    );
  });

  it('tries once more after a server error before any audio', async () => {
    const server = await fake({ failStatus: 503, failTimes: 1 });
    const pieces = await samplesOf(voiceOf(server), 'Hi there.');
    assert.equal(server.speech.length, 2);
    assert.ok(total(pieces) > 0);
  });

  it('says it cannot reach a server that is not there', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const voice = new OpenAiCompatibleTts({ baseUrl: `http://127.0.0.1:${port}/v1`, backoffMs: 10 });
    await assert.rejects(
      samplesOf(voice, 'Hi.'),
      new RegExp(`^VettaError: openai: cannot reach http://127\\.0\\.0\\.1:${port}/v1/audio/speech \\(.*ECONNREFUSED.*\\)$`),
    );
  });
});
