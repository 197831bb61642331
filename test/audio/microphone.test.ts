import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Microphone } from '../../src/audio/microphone.ts';
import { concatPcm, rms } from '../../src/core/pcm.ts';
import type { MicrophoneBackend } from '../../src/audio/microphone.ts';
import { VettaError } from '../../src/core/errors.ts';
import { EspeakTts } from '../../src/providers/espeak/tts.ts';
import { audibleSeconds, pulseUnavailable, startPulse } from './pulse.ts';
import type { Pulse } from './pulse.ts';
import { tempDir } from '../helpers.ts';

const voice = EspeakTts.detect();

async function synthesize(text: string): Promise<Int16Array> {
  const parts: Int16Array[] = [];
  for await (const samples of (voice as EspeakTts).synthesize(text)) parts.push(samples);
  return concatPcm(parts);
}

/** Records from the microphone until the speech has been heard and a second of quiet follows it, or 20 s pass. */
async function hear(microphone: Microphone): Promise<Int16Array> {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 20_000);
  const frames: Int16Array[] = [];
  let loudSeen = 0;
  let quietAfter = 0;
  for await (const frame of microphone.frames(controller.signal)) {
    assert.equal(frame.length, 512, 'frames have the promised size');
    frames.push(frame);
    if (rms(frame) * 32768 > 300) {
      loudSeen++;
      quietAfter = 0;
    } else if (loudSeen > 0 && ++quietAfter > 40) controller.abort();
  }
  clearTimeout(deadline);
  const all = new Int16Array(frames.length * 512);
  for (const [i, f] of frames.entries()) all.set(f, i * 512);
  return all;
}

describe('the microphone on a real audio device (PulseAudio null sink as a virtual microphone)', {
  skip: pulseUnavailable() || (typeof voice === 'string' ? voice : false),
}, () => {
  let pulse: Pulse;
  let speech: Int16Array;
  before(async () => {
    pulse = await startPulse();
    speech = await synthesize('I would sort the intervals first, then merge the overlapping ones in a single pass.');
  });
  after(() => pulse?.close());

  for (const backend of ['portaudio', 'sox', 'parec'] satisfies MicrophoneBackend[]) {
    it(`hears speech played into the microphone, as long as it was said (${backend})`, async (t) => {
      let microphone: Microphone;
      try {
        microphone = await Microphone.open({ device: pulse.microphone, env: pulse.env, backends: [backend] });
      } catch (error) {
        // Only a backend that is not installed here is skipped; a device error is a failure.
        if (error instanceof VettaError && /no way to record found/.test(error.message)) return t.skip(error.message);
        throw error;
      }
      assert.equal(microphone.backend, backend);
      const heard = hear(microphone);
      await pulse.speak(speech);
      const recording = await heard;
      const said = audibleSeconds(speech);
      const got = audibleSeconds(recording);
      assert.ok(Math.abs(got - said) < 0.4, `${got.toFixed(2)} s audible through the microphone, ${said.toFixed(2)} s spoken`);
    });
  }

  it('says there is no microphone, in one line that points to "vetta devices"', async () => {
    await assert.rejects(Microphone.open({ device: 'no_such_microphone', env: pulse.env }), (error: unknown) => {
      assert.ok(error instanceof VettaError);
      assert.equal(error.code, 'not_found');
      assert.match(error.message, /^no microphone found .*run "vetta devices"/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });

  for (const backend of ['portaudio', 'parec'] satisfies MicrophoneBackend[]) {
    // PulseAudio moves a recording to another source when its source is removed, so the way a
    // device vanishes for good here is the sound server itself going away.
    it(`ends with an error the caller can answer with text mode when the sound server goes away (${backend})`, async () => {
      const doomed = await startPulse();
      const microphone = await Microphone.open({ device: doomed.microphone, env: doomed.env, backends: [backend] });
      let frames = 0;
      await assert.rejects(
        (async () => {
          for await (const _ of microphone.frames()) if (++frames === 10) doomed.close();
        })(),
        (error: unknown) => {
          assert.ok(error instanceof VettaError, String(error));
          assert.match(error.message, /^the microphone stopped .*going on in text mode$/);
          return true;
        },
      );
      assert.ok(frames >= 10);
    });
  }

  it('stops quietly when the caller aborts', async () => {
    const microphone = await Microphone.open({ device: pulse.microphone, env: pulse.env });
    const controller = new AbortController();
    let frames = 0;
    for await (const _ of microphone.frames(controller.signal)) if (++frames === 5) controller.abort();
    assert.equal(frames, 5);
  });

  it('says the microphone is busy, and what to do, when the recorder reports it so', async () => {
    // A device held by another program is refused by ALSA at open: sox reports it like this. PulseAudio
    // shares its sources, so the refusal is reproduced with sox's own words from a stand-in.
    const bin = tempDir('vetta-busy-');
    writeFileSync(join(bin, 'sox'), "#!/bin/sh\necho \"sox FAIL formats: can't open input device 'hw:1,0': Device or resource busy\" >&2\nexit 2\n");
    chmodSync(join(bin, 'sox'), 0o755);
    await assert.rejects(
      Microphone.open({ device: 'hw:1,0', env: { ...pulse.env, PATH: `${bin}:${process.env.PATH}` }, backends: ['sox'] }),
      (error: unknown) => {
        assert.ok(error instanceof VettaError);
        assert.match(error.message, /^the microphone is busy \(sox: .*Device or resource busy.*\): close the program using it/);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
  });
});
