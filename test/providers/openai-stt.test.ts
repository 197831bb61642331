import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { ProviderError } from '../../src/providers/errors.ts';
import { OpenAiCompatibleStt } from '../../src/providers/openai/stt.ts';
import type { OpenAiSttOptions } from '../../src/providers/openai/stt.ts';
import { END_OF_SPEECH } from '../../src/providers/spec.ts';
import type { RecognizerInput, TranscriptEvent } from '../../src/providers/spec.ts';
import { speechAudio } from '../fakes/deepgram-server.ts';
import { startFakeOpenAiAudio } from '../fakes/openai-audio-server.ts';
import type { FakeOpenAiAudio, FakeOpenAiAudioOptions } from '../fakes/openai-audio-server.ts';

const vocabulary = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
const FRAME = 320;

const servers: FakeOpenAiAudio[] = [];
after(async () => {
  for (const s of servers) await s.close();
});
async function fake(options: FakeOpenAiAudioOptions = {}): Promise<FakeOpenAiAudio> {
  const s = await startFakeOpenAiAudio({ vocabulary, ...options });
  servers.push(s);
  return s;
}

const earOf = (server: FakeOpenAiAudio, options: Partial<OpenAiSttOptions> = {}) =>
  new OpenAiCompatibleStt({ baseUrl: server.baseUrl, backoffMs: 10, ...options });

/** 20 ms frames as a microphone gives them, with END_OF_SPEECH where local VAD saw an utterance end. */
async function* frames(...parts: (Int16Array | typeof END_OF_SPEECH)[]): AsyncGenerator<RecognizerInput> {
  for (const part of parts) {
    if (part === END_OF_SPEECH) {
      yield END_OF_SPEECH;
      continue;
    }
    for (let at = 0; at < part.length; at += FRAME) {
      yield part.subarray(at, at + FRAME);
      if ((at / FRAME) % 10 === 9) await sleep(1);
    }
  }
}

async function collect(events: AsyncIterable<TranscriptEvent>): Promise<TranscriptEvent[]> {
  const seen: TranscriptEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const said = (words: (string | number)[]) => speechAudio(vocabulary, words);

describe('OpenAI-compatible transcription', { timeout: 30_000 }, () => {
  it('sends each utterance as a 16 kHz WAV file and says its words, then its end, in order', async () => {
    const server = await fake({ apiKey: 'sk-test' });
    const ear = earOf(server, { apiKey: 'sk-test', model: 'Systran/faster-whisper-small', language: 'en' });
    const events = await collect(ear.transcribe(frames(said([200, 'alpha', 80, 'bravo', 300]), END_OF_SPEECH, said([100, 'echo', 300]), END_OF_SPEECH)));
    assert.deepEqual(
      events.map((e) => (e.type === 'transcript-final' ? [e.type, e.text, e.speechFinal] : [e.type])),
      [['transcript-final', 'alpha bravo', true], ['utterance-end'], ['transcript-final', 'echo', true], ['utterance-end']],
    );
    assert.deepEqual(
      server.transcriptions.map((r) => [r.model, r.language, r.responseFormat, r.authorization, r.format]),
      Array(2).fill(['Systran/faster-whisper-small', 'en', 'json', 'Bearer sk-test', { sampleRate: 16_000, channels: 1, bitsPerSample: 16 }]),
    );
    // Times on the stream's clock: the second utterance ends where the whole stream does.
    const ends = events.filter((e) => e.type === 'utterance-end').map((e) => e.atMs);
    assert.deepEqual(ends, [1060, 1700]);
  });

  it('trims the quiet before the words, keeping a moment before them', async () => {
    const server = await fake();
    const events = await collect(earOf(server).transcribe(frames(said([3000, 'charlie', 200]), END_OF_SPEECH)));
    assert.equal(server.transcriptions[0]!.durationMs, 300 + 240 + 200);
    const final = events.find((e) => e.type === 'transcript-final');
    assert.deepEqual(final && [final.text, final.startMs, final.endMs], ['charlie', 2700, 3440]);
  });

  it('sends no key when none is set, and says nothing for an utterance with no words', async () => {
    const server = await fake();
    const events = await collect(earOf(server).transcribe(frames(new Int16Array(8000), END_OF_SPEECH)));
    assert.deepEqual(events, [{ type: 'utterance-end', atMs: 500 }]);
    assert.equal(server.transcriptions[0]!.authorization, undefined);
  });

  it('transcribes what the stream ended in the middle of', async () => {
    const server = await fake();
    const events = await collect(earOf(server).transcribe(frames(said([100, 'delta', 100]))));
    assert.deepEqual(
      events.map((e) => e.type === 'transcript-final' && e.text),
      ['delta'],
    );
  });

  it('keeps audio in flight while an earlier utterance is transcribed', async () => {
    const server = await fake({ transcribeMs: 300 });
    const events = await collect(earOf(server).transcribe(frames(said(['alpha', 100]), END_OF_SPEECH, said(['bravo', 100]), END_OF_SPEECH)));
    assert.deepEqual(
      events.flatMap((e) => (e.type === 'transcript-final' ? [e.text] : [])),
      ['alpha', 'bravo'],
    );
    const [first, second] = server.transcriptions;
    assert.ok(second!.receivedAt < first!.answeredAt!, 'the second utterance was sent while the first was still being transcribed');
  });

  it('fails with the variable to check when the key is refused', async () => {
    const server = await fake({ apiKey: 'sk-right' });
    await assert.rejects(collect(earOf(server, { apiKey: 'sk-wrong-value' }).transcribe(frames(said(['alpha', 100]), END_OF_SPEECH))), (error: Error) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.message, `openai: the key was refused (HTTP 401 from ${server.baseUrl}/audio/transcriptions); check OPENAI_API_KEY`);
      assert.ok(!error.message.includes('sk-wrong-value'));
      return true;
    });
  });

  it('tries once more after a server error', async () => {
    const server = await fake({ failStatus: 500, failTimes: 1 });
    const events = await collect(earOf(server).transcribe(frames(said(['foxtrot', 100]), END_OF_SPEECH)));
    assert.equal(server.transcriptions.length, 2);
    assert.deepEqual(
      events.flatMap((e) => (e.type === 'transcript-final' ? [e.text] : [])),
      ['foxtrot'],
    );
  });

  it('ends quietly on abort, even with a request in flight', async () => {
    const server = await fake({ transcribeMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = performance.now();
    const events = await collect(earOf(server).transcribe(frames(said(['alpha', 100]), END_OF_SPEECH, new Int16Array(16_000 * 5)), controller.signal));
    assert.deepEqual(events, []);
    assert.ok(performance.now() - started < 1500);
  });
});
