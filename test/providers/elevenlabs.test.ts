import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ProviderError } from '../../src/providers/errors.ts';
import { concatPcm } from '../../src/core/pcm.ts';
import { ElevenLabsTts } from '../../src/providers/elevenlabs/tts.ts';
import type { ElevenLabsTtsOptions } from '../../src/providers/elevenlabs/tts.ts';
import { FAKE_ELEVENLABS_KEY, fakeSpeech, startFakeElevenLabs } from '../fakes/elevenlabs-server.ts';
import type { FakeElevenLabs, FakeElevenLabsOptions } from '../fakes/elevenlabs-server.ts';

const fakes: FakeElevenLabs[] = [];
const voices: ElevenLabsTts[] = [];

async function setUp(
  fakeOptions: FakeElevenLabsOptions = {},
  voiceOptions: Partial<ElevenLabsTtsOptions> = {},
): Promise<{ fake: FakeElevenLabs; voice: ElevenLabsTts }> {
  const fake = await startFakeElevenLabs(fakeOptions);
  fakes.push(fake);
  // Generous timeouts: a loaded 2-core machine must not turn a slow answer into a failure.
  const voice = new ElevenLabsTts({ apiKey: FAKE_ELEVENLABS_KEY, baseUrl: fake.url, connectTimeoutMs: 15_000, audioTimeoutMs: 15_000, ...voiceOptions });
  voices.push(voice);
  return { fake, voice };
}

async function speak(voice: ElevenLabsTts, text: string, signal?: AbortSignal): Promise<Int16Array> {
  const pieces: Int16Array[] = [];
  for await (const samples of voice.synthesize(text, signal)) pieces.push(samples);
  return concatPcm(pieces);
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${inspect(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

const messagesOf = (fake: FakeElevenLabs, contextId: string) => fake.received.map((r) => r.message).filter((m) => m.context_id === contextId);

describe('ElevenLabs voice', { timeout: 60_000 }, () => {
  afterEach(async () => {
    for (const voice of voices.splice(0)) await voice.close();
  });
  after(async () => {
    for (const fake of fakes.splice(0)) await fake.close();
  });

  it('speaks each chunk in order, as exactly the audio the service produced for it', async () => {
    const { fake, voice } = await setUp({ realTimeFactor: 20 });
    const chunks = ['Good start.', 'It runs in O of n log n.', 'What about empty input?'];
    for (const text of chunks) assert.deepEqual(await speak(voice, text), fakeSpeech(text));
    assert.deepEqual(
      fake.generated.map((g) => g.text),
      chunks,
    );
    const [connection] = fake.connections;
    assert.equal(connection?.query.model_id, 'eleven_flash_v2_5');
    assert.equal(connection?.query.output_format, 'pcm_16000');
    const contextId = fake.generated[0]!.contextId;
    assert.deepEqual(messagesOf(fake, contextId), [
      { text: ' ', context_id: contextId },
      { text: 'Good start. ', context_id: contextId, flush: true },
      { context_id: contextId, close_context: true },
    ]);
  });

  it('keeps one connection for consecutive sentences, and says goodbye with close_socket', async () => {
    const { fake, voice } = await setUp({ firstAudioMs: 50 });
    await speak(voice, 'First sentence.');
    await speak(voice, 'Second sentence.');
    assert.equal(fake.connections.length, 1);
    assert.equal(new Set(fake.generated.map((g) => g.contextId)).size, 2, 'one context per sentence');
    await voice.close();
    assert.deepEqual(fake.received.at(-1)?.message, { close_socket: true });
  });

  it('stops a sentence at once when aborted: close_context is sent, nothing more is yielded, and the next sentence is clean', async () => {
    // At real time this sentence lasts 8 s, so it is still streaming when the abort comes.
    const { fake, voice } = await setUp({ realTimeFactor: 1 });
    const long = 'word '.repeat(80);
    const controller = new AbortController();
    let afterAbort = 0;
    let pieces = 0;
    for await (const _ of voice.synthesize(long, controller.signal)) {
      if (controller.signal.aborted) afterAbort++;
      if (++pieces === 2) controller.abort();
    }
    assert.equal(afterAbort, 0);
    const cancelled = fake.generated[0]!.contextId;
    assert.ok(fake.received.some((r) => r.message.context_id === cancelled && r.message.close_context === true));
    // The cancelled sentence may still be flushing on the server; none of it reaches the next one.
    assert.deepEqual(await speak(voice, 'Next.'), fakeSpeech('Next.'));
    assert.equal(fake.connections.length, 1);
  });

  it('ends quietly when aborted before it starts', async () => {
    const { fake, voice } = await setUp();
    const controller = new AbortController();
    controller.abort();
    assert.equal((await speak(voice, 'Never said.', controller.signal)).length, 0);
    assert.equal(fake.generated.length, 0);
  });

  it('reconnects when the idle connection was dropped, and says the next sentence once', async () => {
    const { fake, voice } = await setUp();
    await speak(voice, 'Before the drop.');
    fake.disconnectAll();
    assert.deepEqual(await speak(voice, 'After the drop.'), fakeSpeech('After the drop.'));
    assert.equal(fake.connections.length, 2);
  });

  it('fails a sentence whose connection drops mid-way rather than repeat words, and recovers for the next', async () => {
    const { voice } = await setUp({ dropAfterPieces: 3 });
    const error = await failure(speak(voice, 'A sentence long enough to need several pieces of audio.'));
    assert.match(error.message, /^elevenlabs: the streaming connection closed/);
    assert.deepEqual(await speak(voice, 'Recovered.'), fakeSpeech('Recovered.'));
  });

  it('says once, naming ELEVENLABS_API_KEY, when the key is rejected, and does not fall back to HTTP', async () => {
    const { fake, voice } = await setUp({}, { apiKey: 'sk_wrong_key_42' });
    const error = await failure(speak(voice, 'Hello.'));
    assert.equal(error.message, 'elevenlabs: the API key was rejected (HTTP 401 from the WebSocket endpoint); check ELEVENLABS_API_KEY');
    assert.equal(fake.httpRequests.length, 0);
  });

  it('streams over HTTP when the WebSocket upgrade is refused, and stops trying the upgrade', async () => {
    const { fake, voice } = await setUp({ refuseUpgrade: true });
    assert.deepEqual(await speak(voice, 'Through the proxy.'), fakeSpeech('Through the proxy.'));
    assert.deepEqual(await speak(voice, 'Still through it.'), fakeSpeech('Still through it.'));
    assert.equal(fake.upgradesRefused, 1);
    assert.equal(fake.httpRequests.length, 2);
    assert.equal(fake.httpRequests[0]?.query.output_format, 'pcm_16000');
    assert.equal(fake.httpRequests[0]?.body.model_id, 'eleven_flash_v2_5');
  });

  it('says at once that nothing listens, instead of trying HTTP to the same closed port', async () => {
    const { fake } = await setUp();
    const url = fake.url;
    await fake.close();
    fakes.splice(fakes.indexOf(fake), 1);
    const voice = new ElevenLabsTts({ apiKey: FAKE_ELEVENLABS_KEY, baseUrl: url, connectTimeoutMs: 15_000, audioTimeoutMs: 15_000 });
    voices.push(voice);
    const error = await failure(speak(voice, 'Anyone there?'));
    assert.equal(error.message, `elevenlabs: cannot reach ${new URL(url).host} (ECONNREFUSED)`);
    // The HTTP fallback (and the SDK it loads) is for a proxy that refuses the upgrade, not for a closed port.
    assert.equal(error.retryable, true);
  });

  it('names the key over HTTP too when it is rejected there', async () => {
    const { voice } = await setUp({ refuseUpgrade: true }, { apiKey: 'sk_wrong_key_42' });
    const error = await failure(speak(voice, 'Hello.'));
    assert.equal(error.message, 'elevenlabs: the API key was rejected (HTTP 401 from the HTTP stream endpoint); check ELEVENLABS_API_KEY');
  });

  it('retries a server error once before the first audio', async () => {
    const { fake, voice } = await setUp({ refuseUpgrade: true, failStatus: 500, failTimes: 1 }, { backoffMs: 10 });
    assert.deepEqual(await speak(voice, 'Second time lucky.'), fakeSpeech('Second time lucky.'));
    assert.equal(fake.httpRequests.length, 1);
  });

  it('gives up after one retry when rate limited, saying what to do', async () => {
    const { voice } = await setUp({ refuseUpgrade: true, failStatus: 429 }, { backoffMs: 10 });
    const error = await failure(speak(voice, 'Hello.'));
    assert.match(error.message, /too many requests \(HTTP 429 .*\); wait a moment, or use --tts espeak$/);
  });

  it('never puts the key in an error, wherever it fails', async () => {
    const key = 'sk_secret_do_not_print_1234';
    const otherKey = key.replace('secret', 'other');
    const cases: FakeElevenLabsOptions[] = [
      { apiKey: otherKey },
      { apiKey: otherKey, refuseUpgrade: true },
      { apiKey: key, failStatus: 500 },
      { apiKey: key, refuseUpgrade: true, failStatus: 429 },
      { apiKey: key, dropAfterPieces: 1 },
    ];
    for (const fakeOptions of cases) {
      const { voice } = await setUp(fakeOptions, { apiKey: key, backoffMs: 10 });
      const error = await failure(speak(voice, 'Hello there, this is long enough.'));
      assert.ok(!inspect(error, { depth: 10 }).includes(key), `${JSON.stringify(fakeOptions)}: ${error.message}`);
    }
  });

  it('resamples another PCM rate to 16 kHz', async () => {
    const { fake, voice } = await setUp({}, { outputFormat: 'pcm_24000' });
    const samples = await speak(voice, 'Twenty four kilohertz.');
    assert.equal(fake.connections[0]?.query.output_format, 'pcm_24000');
    const expected = (fakeSpeech('Twenty four kilohertz.', 24_000).length * 16_000) / 24_000;
    assert.ok(Math.abs(samples.length - expected) <= 2, `${samples.length} samples, expected about ${expected}`);
  });
});
