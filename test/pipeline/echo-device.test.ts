import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Microphone } from '../../src/audio/microphone.ts';
import { SubprocessPlayer } from '../../src/audio/player.ts';
import { loadVad } from '../../src/audio/vad.ts';
import { EchoCanceller } from '../../src/pipeline/echo.ts';
import { SpokenOutput } from '../../src/pipeline/spoken-output.ts';
import { VoiceTurnTaker } from '../../src/pipeline/turn-taker.ts';
import type { TurnEvent } from '../../src/pipeline/turn-taker.ts';
import { EspeakTts } from '../../src/providers/espeak/tts.ts';
import { findOnPath } from '../../src/core/find-on-path.ts';
import { pulseUnavailable, startPulse } from '../audio/pulse.ts';
import { INTERVIEWER_TEXT } from './rig.ts';

/**
 * No headphones, on real audio devices: PulseAudio loops what the interviewer plays back into the
 * microphone (module-loopback, attenuated). Its own voice must not count as the candidate.
 */
describe('echo on real audio devices', { skip: pulseUnavailable() || (!findOnPath('espeak-ng') && 'espeak-ng is not installed'), timeout: 120_000 }, () => {
  it("the interviewer's voice leaking back into the microphone does not interrupt it", async (t) => {
    const pulse = await startPulse();
    // A real voice: the VAD must hear speech in the leak, not a test tone.
    const voice = EspeakTts.detect(pulse.env) as EspeakTts;
    try {
      const loop = spawnSync('pactl', ['load-module', 'module-loopback', `source=${pulse.sink}.monitor`, 'sink=vetta_mic', 'latency_msec=40'], {
        env: pulse.env,
        encoding: 'utf8',
      });
      assert.equal(loop.status, 0, loop.stderr);
      // -12 dB: the leak a laptop's speakers put into its own microphone.
      const inputs = spawnSync('pactl', ['list', 'short', 'sink-inputs'], { env: pulse.env, encoding: 'utf8' }).stdout.trim().split('\n');
      for (const line of inputs) spawnSync('pactl', ['set-sink-input-volume', line.split('\t')[0]!, '25%'], { env: pulse.env });
      // Once without the echo canceller, to show the loop really reaches the microphone; then with it.
      const speak = async (withEcho: boolean) => {
        const controller = new AbortController();
        const microphone = await Microphone.open({ device: pulse.microphone, env: pulse.env, backends: ['parec'] });
        const echo = new EchoCanceller();
        const output = new SpokenOutput(
          voice,
          () => SubprocessPlayer.open(pulse.env, pulse.sink),
          (e) => assert.fail(e),
          { onPlayed: (s, at) => echo.played(s, at) },
        );
        const turnTaker = new VoiceTurnTaker({ detector: await loadVad(), output, echo: withEcho ? echo : null });
        const events: TurnEvent[] = [];
        const listening = (async () => {
          for await (const event of turnTaker.run(microphone.frames(controller.signal), controller.signal)) events.push(event);
        })();
        output.beginTurn();
        output.push(INTERVIEWER_TEXT);
        const outcome = await output.endTurn();
        controller.abort();
        await listening;
        return { outcome, events };
      };
      const bare = await speak(false);
      t.diagnostic(`without the canceller: ${bare.events.map((e) => e.type).join(', ') || 'nothing heard'}`);
      assert.ok(bare.events.length > 0, 'the interviewer leaking into the microphone is heard as a voice without the canceller');
      const cancelled = await speak(true);
      t.diagnostic(`with it: ${cancelled.events.map((e) => e.type).join(', ') || 'nothing heard'}`);
      assert.ok(cancelled.outcome.marks.firstSampleAt !== undefined, 'the interviewer spoke');
      assert.equal(cancelled.outcome.interruptedAt, null, 'the interviewer was not cut off by its own voice');
      assert.ok(!cancelled.events.some((e) => e.type === 'interrupted' || e.type === 'speech-started'), cancelled.events.map((e) => e.type).join(', '));
    } finally {
      pulse.close();
    }
  });
});
