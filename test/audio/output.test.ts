import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPlayer } from '../../src/audio/output.ts';
import type { PlayerChoice } from '../../src/audio/output.ts';
import { EspeakTts } from '../../src/providers/espeak/tts.ts';
import { audibleSeconds, pulseUnavailable, startPulse } from './pulse.ts';
import type { Pulse } from './pulse.ts';

const voice = EspeakTts.detect();

/** 50 ms RMS windows: the shape of the speech over time. */
function envelope(samples: Int16Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 800 <= samples.length; i += 800) {
    let sum = 0;
    for (let j = i; j < i + 800; j++) sum += samples[j]! * samples[j]!;
    out.push(Math.sqrt(sum / 800));
  }
  return out;
}

/** The best correlation of the sent envelope against the heard one, over every offset. */
function bestCorrelation(sent: number[], heard: number[]): number {
  let best = -1;
  for (let offset = 0; offset + sent.length <= heard.length; offset++) {
    const window = heard.slice(offset, offset + sent.length);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ms = mean(sent);
    const mw = mean(window);
    let num = 0;
    let ds = 0;
    let dw = 0;
    for (let i = 0; i < sent.length; i++) {
      num += (sent[i]! - ms) * (window[i]! - mw);
      ds += (sent[i]! - ms) ** 2;
      dw += (window[i]! - mw) ** 2;
    }
    best = Math.max(best, num / Math.sqrt(ds * dw || 1));
  }
  return best;
}

function tone(seconds: number): Int16Array {
  return Int16Array.from({ length: seconds * 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)));
}

describe('the speaker path on a real audio device (PulseAudio null sink)', { skip: pulseUnavailable() || (typeof voice === 'string' ? voice : false) }, () => {
  let pulse: Pulse;
  let speech: Int16Array[];
  before(async () => {
    pulse = await startPulse();
    // The speaker addon plays inside this process, so it must see the test's sound server.
    process.env.PULSE_SERVER = pulse.env.PULSE_SERVER;
    speech = [];
    for await (const samples of (voice as EspeakTts).synthesize('Good. Now tell me the time complexity of your solution, and why.')) speech.push(samples);
  });
  after(() => pulse?.close());

  for (const prefer of ['speaker', 'subprocess'] as const) {
    const open = async (t: { skip(reason: string): void }): Promise<PlayerChoice | undefined> => {
      const choice = await openPlayer({ device: pulse.sink, env: pulse.env, prefer });
      if (prefer === 'speaker' && choice.speakerUnavailable) {
        // Only an addon that is not there is a reason to skip; with a sound server running it must open.
        assert.match(choice.speakerUnavailable, /not installed|not built/, choice.speakerUnavailable);
        choice.player.stop();
        t.skip(`speaker addon: ${choice.speakerUnavailable}`);
        return undefined;
      }
      assert.match(choice.description, prefer === 'speaker' ? /^speaker \(ALSA pulse:vetta_test\)$/ : /^pacat$/);
      return choice;
    };

    it(`plays speech that arrives at the sink as it was sent (${prefer})`, async (t) => {
      const choice = await open(t);
      if (!choice) return;
      const recording = pulse.record();
      await recording.ready;
      for (const samples of speech) await choice.player.write(samples);
      await choice.player.end();
      await new Promise((r) => setTimeout(r, 300));
      const heard = await recording.stop();
      const sent = Int16Array.from(speech.flatMap((s) => [...s]));
      const said = audibleSeconds(sent);
      const got = audibleSeconds(heard);
      assert.ok(Math.abs(got - said) < 0.3, `${got.toFixed(2)} s audible at the monitor, ${said.toFixed(2)} s sent`);
      const correlation = bestCorrelation(envelope(sent), envelope(heard));
      // About 0.95 on a quiet machine; a loaded one adds short underruns. Silence or noise is near 0.
      assert.ok(correlation > 0.8, `envelope correlation ${correlation.toFixed(3)}`);
    });

    it(`falls silent at once when stopped (${prefer})`, async (t) => {
      const choice = await open(t);
      if (!choice) return;
      const recording = pulse.record();
      await recording.ready;
      const playing = choice.player.write(tone(4)).catch(() => {});
      await new Promise((r) => setTimeout(r, 1000));
      choice.player.stop();
      await playing;
      await new Promise((r) => setTimeout(r, 1500));
      const heard = await recording.stop();
      // A second was played before stop(); queued audio sounding on would add up to three more.
      assert.ok(audibleSeconds(heard) < 1.5, `${audibleSeconds(heard).toFixed(2)} s of a 4 s tone audible after stopping at 1 s`);
      assert.ok(audibleSeconds(heard) > 0.5, 'the tone played before the stop');
    });
  }
});
