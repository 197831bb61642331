import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { DeepgramStt } from '../../src/providers/deepgram/stt.ts';
import type { DeepgramSttOptions } from '../../src/providers/deepgram/stt.ts';
import { ProviderError } from '../../src/providers/errors.ts';
import { END_OF_SPEECH } from '../../src/providers/spec.ts';
import type { RecognizerInput, TranscriptEvent } from '../../src/providers/spec.ts';
import { speechAudio, startFakeDeepgram } from '../fakes/deepgram-server.ts';
import type { FakeDeepgram, FakeDeepgramOptions } from '../fakes/deepgram-server.ts';

const vocabulary = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
const FRAME = 320;

const servers: FakeDeepgram[] = [];
after(async () => {
  for (const s of servers) await s.close();
});
async function fake(options: Partial<FakeDeepgramOptions> = {}): Promise<FakeDeepgram> {
  const s = await startFakeDeepgram({ vocabulary, ...options });
  servers.push(s);
  return s;
}

function stt(server: FakeDeepgram, options: Partial<DeepgramSttOptions> = {}): DeepgramStt {
  return new DeepgramStt({ apiKey: 'test-key', baseUrl: server.url, reconnectDelayMs: 20, ...options });
}

/** 20 ms frames, as a microphone delivers them; yields to the event loop now and then. */
async function* frames(audio: Int16Array): AsyncGenerator<RecognizerInput> {
  for (let at = 0; at < audio.length; at += FRAME) {
    yield audio.subarray(at, at + FRAME);
    if ((at / FRAME) % 5 === 4) await sleep(1);
  }
}

async function collect(events: AsyncIterable<TranscriptEvent>): Promise<TranscriptEvent[]> {
  const seen: TranscriptEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const finals = (events: TranscriptEvent[]) => events.filter((e) => e.type === 'transcript-final');
const words = (events: TranscriptEvent[]) => finals(events).flatMap((e) => e.text.split(' ').filter(Boolean));
const controls = (server: FakeDeepgram, connection = 0) => server.received.connections[connection]!.log.flatMap((m) => ('control' in m ? [m.control] : []));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('Deepgram speech-to-text, through the official SDK', { timeout: 30_000 }, () => {
  it('asks for nova-3 linear16 16 kHz mono with interim results, endpointing, utterance ends and VAD events', async () => {
    const server = await fake();
    await collect(stt(server, { endpointingMs: 250, utteranceEndMs: 1200 }).transcribe(frames(speechAudio(vocabulary, ['alpha', 100]))));
    const { query, authorization } = server.received.connections[0]!;
    assert.deepEqual(query, {
      model: 'nova-3',
      encoding: 'linear16',
      sample_rate: '16000',
      channels: '1',
      interim_results: 'true',
      endpointing: '250',
      utterance_end_ms: '1200',
      vad_events: 'true',
      smart_format: 'true',
    });
    assert.equal(authorization, 'Token test-key');
  });

  it('turns speech into speech-started, partial and final events timed in ms of audio, and closes the stream at the end', async () => {
    const server = await fake();
    const audio = speechAudio(vocabulary, [500, 'alpha', 100, 'bravo', 100, 'charlie', 1400, 'delta', 200]);
    const events = await collect(stt(server).transcribe(frames(audio)));

    assert.deepEqual(
      events.filter((e) => e.type === 'speech-started'),
      [
        { type: 'speech-started', atMs: 500 },
        { type: 'speech-started', atMs: 2820 },
      ],
    );
    const partials = events.filter((e) => e.type === 'transcript-partial');
    const firstUtterance = partials.filter((p) => p.startMs === 0);
    assert.ok(firstUtterance.length > 0, 'partials arrive while the words do');
    assert.ok(
      firstUtterance.every((p) => 'alpha bravo charlie'.startsWith(p.text)),
      JSON.stringify(partials),
    );
    // Words end at 1420 ms; 300 ms of silence later the default endpointing finalises.
    assert.deepEqual(finals(events)[0], { type: 'transcript-final', text: 'alpha bravo charlie', startMs: 0, endMs: 1720, speechFinal: true });
    assert.deepEqual(
      events.find((e) => e.type === 'utterance-end'),
      { type: 'utterance-end', atMs: 1420 },
    );
    // The last word has no endpoint before the audio ends: CloseStream brings its final.
    assert.deepEqual(finals(events).at(-1), { type: 'transcript-final', text: 'delta', startMs: 1720, endMs: 3260, speechFinal: false });
    assert.equal(events.indexOf(finals(events)[0]!) > events.indexOf(partials[0]!), true);
    assert.deepEqual(controls(server), ['CloseStream']);
    assert.equal(server.received.connections[0]!.audioBytes, audio.length * 2);
    assert.deepEqual(server.received.connections[0]!.closed, { by: 'server', code: 1000 });
  });

  it('sends Finalize when local VAD sees the end of speech, and the final it brings ends the utterance', async () => {
    const server = await fake();
    let finalised!: () => void;
    const finalArrived = new Promise<void>((r) => (finalised = r));
    async function* input(): AsyncGenerator<RecognizerInput> {
      yield* frames(speechAudio(vocabulary, [200, 'echo', 100, 'foxtrot']));
      yield END_OF_SPEECH;
      // Without an answer to Finalize the stream ends anyway, and the assertions say what was missing.
      await Promise.race([finalArrived, sleep(5000)]);
    }
    const events: TranscriptEvent[] = [];
    for await (const event of stt(server).transcribe(input())) {
      events.push(event);
      if (event.type === 'transcript-final') finalised();
    }
    assert.deepEqual(finals(events), [{ type: 'transcript-final', text: 'echo foxtrot', startMs: 0, endMs: 780, speechFinal: true }]);
    assert.deepEqual(controls(server), ['Finalize', 'CloseStream']);
    const log = server.received.connections[0]!.log;
    assert.ok(
      log.findIndex((m) => 'control' in m) > 0 &&
        log
          .slice(
            0,
            log.findIndex((m) => 'control' in m),
          )
          .every((m) => 'audio' in m),
      'Finalize follows the audio',
    );
    assert.equal(server.received.connections[0]!.sent.find((m) => m.type === 'Results' && m.is_final)?.from_finalize, true);
  });

  it('keeps an idle connection open with KeepAlive while no audio flows', async () => {
    const server = await fake({ idleTimeoutMs: 600 });
    async function* input(): AsyncGenerator<RecognizerInput> {
      yield* frames(speechAudio(vocabulary, ['golf', 400]));
      await sleep(1500);
      yield* frames(speechAudio(vocabulary, ['hotel', 100]));
    }
    const events = await collect(stt(server, { keepAliveMs: 150 }).transcribe(input()));
    assert.deepEqual(words(events), ['golf', 'hotel']);
    assert.equal(server.received.connections.length, 1, 'the server never closed the idle connection');
    const sent = controls(server);
    assert.ok(sent.filter((c) => c === 'KeepAlive').length >= 2, sent.join());
    assert.equal(sent.at(-1), 'CloseStream');
  });

  it('reconnects after a dropped connection and re-sends the audio not yet final: no word lost, none repeated', async () => {
    const parts = ['alpha', 100, 'bravo', 500, 'charlie', 100, 'delta', 100, 'echo', 500, 'foxtrot', 100, 'golf', 300];
    const audio = speechAudio(vocabulary, parts);
    // Drop in the middle of "delta": alpha bravo is final by then, charlie is not.
    const dropAfterBytes = Math.round(1.5 * 16_000) * 2;
    const server = await fake({ dropAfterBytes, latencyMs: 5 });
    const events = await collect(stt(server).transcribe(frames(audio)));

    assert.deepEqual(words(events), ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf']);
    assert.equal(server.received.connections.length, 2);
    assert.ok(server.received.connections[0]!.closed?.by === 'server');
    // The finals tile the audio on the original clock: the second connection's times were shifted.
    const tiles = finals(events).map((f) => [f.startMs, f.endMs]);
    for (let i = 1; i < tiles.length; i++) assert.equal(tiles[i]![0], tiles[i - 1]![1], JSON.stringify(tiles));
    assert.equal(tiles.at(-1)![1], (audio.length / 16_000) * 1000);
    const replayed = server.received.connections[1]!.audioBytes + server.received.connections[0]!.audioBytes - audio.length * 2;
    assert.ok(replayed > 0, 'the audio after the last final was sent again');
    assert.equal(events.filter((e) => e.type === 'speech-started').length, 3, 'one speech-started per utterance');
  });

  it('gives up after a bounded number of reconnects with one clear line', async () => {
    const server = await fake({ dropAfterBytes: 3200, dropConnections: Infinity });
    await assert.rejects(collect(stt(server, { reconnectAttempts: 2 }).transcribe(frames(speechAudio(vocabulary, ['alpha', 'bravo'])))), (e: unknown) => {
      assert.ok(e instanceof ProviderError);
      assert.match(e.message, /^deepgram: lost the connection to 127\.0\.0\.1:\d+ and 2 reconnects failed \(.+\): check the network and try again$/);
      return true;
    });
    assert.equal(server.received.connections.length, 3);
  });

  it('says it cannot reach a server that is not there, after the same bounded attempts', async () => {
    const gone = await startFakeDeepgram({ vocabulary });
    await gone.close();
    await assert.rejects(collect(stt(gone, { reconnectAttempts: 1 }).transcribe(frames(speechAudio(vocabulary, ['alpha'])))), (e: unknown) => {
      assert.ok(e instanceof ProviderError);
      assert.match(e.message, /^deepgram: cannot reach 127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\): check the network and try again$/);
      return true;
    });
  });

  it('refuses a bad key with one line naming DEEPGRAM_API_KEY, without retrying or showing the key', async () => {
    const server = await fake({ apiKey: 'the-right-key' });
    await assert.rejects(collect(stt(server, { apiKey: 'secret-wrong-key' }).transcribe(frames(speechAudio(vocabulary, ['alpha'])))), (e: unknown) => {
      assert.ok(e instanceof ProviderError);
      assert.match(e.message, /^deepgram: 127\.0\.0\.1:\d+ refused the API key \(HTTP 401\): check DEEPGRAM_API_KEY$/);
      assert.ok(!e.message.includes('secret-wrong-key'));
      return true;
    });
    assert.equal(server.received.connections.length, 1, 'a refused key is not retried');
  });

  it('ends quietly and closes the socket when aborted', async () => {
    const server = await fake();
    const controller = new AbortController();
    async function* endless(): AsyncGenerator<RecognizerInput> {
      const word = speechAudio(vocabulary, ['bravo', 100]);
      while (!controller.signal.aborted) yield* frames(word);
    }
    const events: TranscriptEvent[] = [];
    for await (const event of stt(server).transcribe(endless(), controller.signal)) {
      events.push(event);
      if (event.type === 'transcript-partial') controller.abort();
    }
    assert.equal(events.at(-1)!.type, 'transcript-partial');
    await until(() => server.received.connections[0]!.closed !== undefined, 'the server to see the close');
    assert.deepEqual(server.received.connections[0]!.closed, { by: 'client', code: 1000 });
    assert.ok(!controls(server).includes('CloseStream'), 'an abort discards the stream rather than finishing it');
  });
});
