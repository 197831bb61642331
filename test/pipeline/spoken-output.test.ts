import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PcmPlayer } from '../../src/audio/player.ts';
import { SpokenOutput } from '../../src/pipeline/spoken-output.ts';
import type { SpeechSynthesizer } from '../../src/providers/spec.ts';

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
    const out = new SpokenOutput(voice, () => new RecordingPlayer(), (e) => assert.fail(e));
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
    const out = new SpokenOutput(voice, () => new RecordingPlayer(), (e) => assert.fail(e));
    out.push('One is spoken. Two is queued. Three is queued too. ');
    const turn = out.endTurn();
    await tick(8);
    out.interrupt();
    await turn;
    const [first] = RecordingPlayer.all;
    assert.ok(first!.stopped, 'the player was stopped');
    assert.ok(!voice.synthesized.includes('Three is queued too.'), 'queued speech was dropped');
    out.push('A new turn.');
    await out.endTurn();
    assert.equal(RecordingPlayer.all.length, 2);
    assert.deepEqual(voice.synthesized.at(-1), 'A new turn.');
    assert.ok(RecordingPlayer.all[1]!.ended);
  });
});
