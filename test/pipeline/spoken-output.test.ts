import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PcmPlayer } from '../../src/audio/player.ts';
import { SpokenOutput } from '../../src/pipeline/spoken-output.ts';
import { ElevenLabsTts } from '../../src/providers/elevenlabs/tts.ts';
import type { SpeechSynthesizer } from '../../src/providers/spec.ts';
import { BENCHMARK_PROFILE, FAKE_ELEVENLABS_KEY, fakeSpeech, startFakeElevenLabs } from '../fakes/elevenlabs-server.ts';
import { RATE, Room } from './room.ts';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** A voice that "synthesises" each chunk as two frames tagged with the chunk's text, a bit slowly. */
class TaggingVoice implements SpeechSynthesizer {
  readonly name = 'tagging';
  readonly synthesized: string[] = [];
  async *synthesize(text: string, signal?: AbortSignal): AsyncGenerator<Int16Array> {
    this.synthesized.push(text);
    for (let i = 0; i < 2; i++) {
      await tick();
      if (signal?.aborted) return;
      yield Int16Array.of(text.length, i);
    }
  }
}

class RecordingPlayer implements PcmPlayer {
  static all: RecordingPlayer[] = [];
  frames: number[][] = [];
  stopped = false;
  ended = false;
  constructor() {
    RecordingPlayer.all.push(this);
  }
  async write(samples: Int16Array) {
    this.frames.push([...samples]);
  }
  async end() {
    this.ended = true;
  }
  stop() {
    this.stopped = true;
  }
}

describe('SpokenOutput', () => {
  it('speaks each sentence as soon as it is complete, in order, before the turn ends', async () => {
    RecordingPlayer.all = [];
    const voice = new TaggingVoice();
    const out = new SpokenOutput(
      voice,
      () => new RecordingPlayer(),
      (e) => assert.fail(e),
    );
    out.push('First sentence here. Sec');
    await tick(30);
    assert.deepEqual(voice.synthesized, ['First sentence here.'], 'the first sentence is spoken while the second is still arriving');
    out.push('ond one. Third');
    await out.endTurn();
    assert.deepEqual(voice.synthesized, ['First sentence here.', 'Second one.', 'Third']);
    const [player] = RecordingPlayer.all;
    assert.equal(RecordingPlayer.all.length, 1, 'one player for the turn');
    assert.equal(player!.frames.length, 6);
    assert.ok(player!.ended && !player!.stopped);
  });

  it('interrupt silences the player at once, drops the queue, and the next turn speaks normally', async () => {
    RecordingPlayer.all = [];
    const voice = new TaggingVoice();
    const out = new SpokenOutput(
      voice,
      () => new RecordingPlayer(),
      (e) => assert.fail(e),
    );
    out.push('One is spoken. Two is queued. Three is queued too. ');
    const turn = out.endTurn();
    await tick(8);
    out.interrupt();
    const [first] = RecordingPlayer.all;
    const framesAtInterrupt = first!.frames.length;
    await turn;
    await tick(30);
    assert.ok(first!.stopped, 'the player was stopped');
    assert.equal(first!.frames.length, framesAtInterrupt, 'nothing was written after the interruption');
    assert.ok(!voice.synthesized.includes('Three is queued too.'), 'only the chunk playing and the next are synthesised ahead');
    out.push('A new turn.');
    await out.endTurn();
    assert.equal(RecordingPlayer.all.length, 2);
    assert.deepEqual(voice.synthesized.at(-1), 'A new turn.');
    assert.ok(RecordingPlayer.all[1]!.ended);
  });

  it('a pause silences the interviewer at once and resume says the rest from where it was heard: nothing lost, nothing said twice', async () => {
    // One second of speech whose every sample is different and not zero, so the room's track shows what was heard.
    const speech = Int16Array.from({ length: RATE }, (_, i) => 1 + i);
    const voice: SpeechSynthesizer = {
      name: 'numbered',
      async *synthesize() {
        for (let at = 0; at < speech.length; at += 1600) yield speech.slice(at, at + 1600);
      },
    };
    const room = new Room(4);
    let players = 0;
    const out = new SpokenOutput(
      voice,
      () => {
        players++;
        return room.openPlayer();
      },
      (e) => assert.fail(e),
    );
    out.pushSentence('One long sentence.');
    const spoken = out.endTurn();
    await tick(400);
    // The room sample at which the output says it fell silent: taken inside pause(), so a busy
    // machine that delays this test's own code between two calls does not count against it.
    const pausedAt = Math.floor(((out.pause() - room.startedAt) * RATE) / 1000);
    await tick(300);
    const resumedAt = room.nowSample();
    out.resume();
    const outcome = await spoken;
    assert.equal(outcome.interruptedAt, null, 'the turn finished');
    assert.equal(room.silentFrom(pausedAt + 16, resumedAt - pausedAt - 16), pausedAt + 16, 'silent from the pause (within 1 ms) until resume');
    const heard = Array.from(room.track.filter((v) => v !== 0));
    assert.equal(heard[0], 1);
    assert.equal(heard.at(-1), speech.length, 'to the end');
    // The room's sample clock and the output's millisecond one drift apart by rounding: at the cut
    // a few samples (under half a millisecond) may be lost or heard twice.
    const jumps = heard
      .slice(1)
      .map((v, i) => v - heard[i]!)
      .filter((step) => step !== 1);
    assert.ok(
      jumps.length <= 1 && jumps.every((step) => Math.abs(step - 1) <= 8),
      `in order, picking up where the pause cut in (steps other than +1: ${jumps.join(', ')})`,
    );
    assert.equal(players, 2, 'the player was stopped at the pause and a new one carried on');
  });

  it('overlaps every stage: the next chunk is synthesised while this one plays, and the audio comes out whole and in order', async () => {
    const fake = await startFakeElevenLabs(BENCHMARK_PROFILE);
    const voice = new ElevenLabsTts({ apiKey: FAKE_ELEVENLABS_KEY, baseUrl: fake.url, connectTimeoutMs: 15_000, audioTimeoutMs: 15_000 });
    try {
      const synthesisStarted: Record<string, number> = {};
      const watched: SpeechSynthesizer = {
        name: voice.name,
        synthesize(text, signal) {
          synthesisStarted[text] = performance.now();
          return voice.synthesize(text, signal);
        },
      };
      const room = new Room(10);
      const out = new SpokenOutput(watched, room.openPlayer, (e) => assert.fail(e));
      const chunks = ['Good start, that works.', 'Now, what is the time complexity of the sort?', 'And the space?'];
      out.beginTurn();
      for (const word of chunks.join(' ').split(/(?<= )/)) out.push(word);
      const { marks } = await out.endTurn();
      const firstChunkMs = (fakeSpeech(chunks[0]!).length * 1000) / 16_000;
      const firstChunkPlayedUntil = marks.firstSampleAt! + firstChunkMs;
      assert.ok(synthesisStarted[chunks[1]!]! < firstChunkPlayedUntil, 'chunk 2 was being synthesised before chunk 1 finished playing');
      const heard = room.track.subarray(room.writes[0]!.heardFrom);
      const expected = chunks.flatMap((c) => [...fakeSpeech(c)]);
      assert.deepEqual(Array.from(heard.subarray(0, expected.length), Math.round), expected, 'the three chunks, in order, without a gap');
    } finally {
      await voice.close();
      await fake.close();
    }
  });
});
