import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Microphone } from '../../src/audio/microphone.ts';
import { SubprocessPlayer } from '../../src/audio/player.ts';
import { loadVad } from '../../src/audio/vad.ts';
import { EchoCanceller } from '../../src/pipeline/echo.ts';
import { SpokenOutput } from '../../src/pipeline/spoken-output.ts';
import { VoiceTurnTaker } from '../../src/pipeline/turn-taker.ts';
import type { TurnEvent } from '../../src/pipeline/turn-taker.ts';
import { ElevenLabsTts } from '../../src/providers/elevenlabs/tts.ts';
import { materialUnavailable, recordedClip } from '../audio/material.ts';
import { pulseUnavailable, startPulse } from '../audio/pulse.ts';
import { BENCHMARK_PROFILE, FAKE_ELEVENLABS_KEY, startFakeElevenLabs } from '../fakes/elevenlabs-server.ts';
import { INTERVIEWER_TEXT } from './rig.ts';

/**
 * Barge-in at the device level, on a private PulseAudio server: Vetta's microphone is the monitor of
 * one null sink, into which a virtual candidate speaks; Vetta's voice plays through pacat into
 * another, whose monitor is recorded. The bound is generous; `vetta bench` has the figures.
 */
const SILENT_WITHIN_MS = 600;

describe('barge-in on real audio devices', { skip: pulseUnavailable() || materialUnavailable(), timeout: 120_000 }, () => {
  it("the interviewer's voice at the sink falls silent soon after the candidate starts speaking", async (t) => {
    const pulse = await startPulse();
    const fake = await startFakeElevenLabs(BENCHMARK_PROFILE);
    const voice = new ElevenLabsTts({ apiKey: FAKE_ELEVENLABS_KEY, baseUrl: fake.url, connectTimeoutMs: 15_000, audioTimeoutMs: 15_000 });
    const controller = new AbortController();
    try {
      const microphone = await Microphone.open({ device: pulse.microphone, env: pulse.env, backends: ['parec'] });
      const echo = new EchoCanceller();
      const output = new SpokenOutput(voice, () => SubprocessPlayer.open(pulse.env, pulse.sink), (e) => assert.fail(e), { onPlayed: (s, at) => echo.played(s, at) });
      const turnTaker = new VoiceTurnTaker({ detector: await loadVad(), output, echo });
      const recording = pulse.record();
      await recording.ready;
      const events: TurnEvent[] = [];
      const listening = (async () => {
        for await (const event of turnTaker.run(microphone.frames(controller.signal), controller.signal)) events.push(event);
      })();

      output.beginTurn();
      output.push(INTERVIEWER_TEXT);
      const spoken = output.endTurn();
      for (let waited = 0; output.marks?.firstSampleAt === undefined; waited += 20) {
        assert.ok(waited < 15_000, 'the interviewer started speaking');
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 1500));
      const clip = recordedClip('librivox/sense_and_sensibility_01_austen_64kb-0880.wav');
      const speakAt = performance.now();
      const speaking = pulse.speak(clip.samples);
      const outcome = await spoken;
      await speaking;
      controller.abort();
      await listening;
      const monitor = await recording.stop();

      assert.ok(events.some((e) => e.type === 'interrupted'), `interrupted (events: ${events.map((e) => e.type).join(', ')})`);
      assert.ok(outcome.interruptedAt?.spokenText.startsWith('Let me'), 'the interviewer knows what it had said');
      // The interviewer's audio at the sink, from its first to its last audible 10 ms.
      const loud: number[] = [];
      for (let i = 0; i + 160 <= monitor.length; i += 160) {
        let sum = 0;
        for (let j = i; j < i + 160; j++) sum += monitor[j]! * monitor[j]!;
        if (Math.sqrt(sum / 160) > 300) loud.push(i);
      }
      assert.ok(loud.length > 0, 'the interviewer was heard at the sink');
      const audibleMs = ((loud.at(-1)! + 160 - loud[0]!) * 1000) / 16_000;
      // Both pacat paths add their latency: the voice's start and the candidate's arrival are each a little late.
      const silentAt = outcome.marks.firstSampleAt! + audibleMs;
      const candidateOnsetAt = speakAt + (clip.onsetSample * 1000) / 16_000;
      const afterOnsetMs = silentAt - candidateOnsetAt;
      t.diagnostic(`interviewer silent at the sink ${Math.round(afterOnsetMs)} ms after the candidate's onset (both through null sinks)`);
      assert.ok(afterOnsetMs < SILENT_WITHIN_MS, `the interviewer was still heard ${Math.round(afterOnsetMs)} ms after the candidate's onset`);
    } finally {
      controller.abort();
      await voice.close();
      await fake.close();
      pulse.close();
    }
  });
});
