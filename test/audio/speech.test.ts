import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EspeakTts } from '../../src/providers/espeak/tts.ts';
import { audibleSeconds, pulseUnavailable, startPulse } from './pulse.ts';
import type { Pulse } from './pulse.ts';

const voice = EspeakTts.detect();

async function synthesize(text: string, signal?: AbortSignal): Promise<Int16Array> {
  const parts: number[] = [];
  for await (const samples of (voice as EspeakTts).synthesize(text, signal)) parts.push(...samples);
  return Int16Array.from(parts);
}

describe('espeak voice', { skip: typeof voice === 'string' ? voice : false }, () => {
  it('speaks a sentence as 16 kHz audio of a plausible length', async () => {
    const samples = await synthesize('Hello there. Tell me about your approach.');
    const seconds = samples.length / 16000;
    assert.ok(seconds > 1 && seconds < 5, `${seconds} s`);
    assert.ok(audibleSeconds(samples) > 1, 'mostly speech, not silence');
  });

  it('stops synthesising when aborted', async () => {
    const controller = new AbortController();
    let chunks = 0;
    for await (const _ of (voice as EspeakTts).synthesize('word '.repeat(400), controller.signal)) {
      chunks++;
      controller.abort();
    }
    assert.equal(chunks, 1);
  });
});

describe('speaking through a real audio device (PulseAudio null sink)', { skip: pulseUnavailable() || (typeof voice === 'string' ? voice : false) }, () => {
  let pulse: Pulse;
  before(async () => {
    pulse = await startPulse();
  });
  after(() => pulse?.close());

  it('vetta say plays the speech that arrives at the sink', async () => {
    const recording = pulse.record();
    const child = spawn(process.execPath, [resolve('bin/vetta.js'), 'say', '--output-device', pulse.sink, 'Hello there. This is your interviewer speaking.'], {
      env: pulse.env,
      stdio: 'ignore',
    });
    const code = await new Promise((r) => child.on('close', r));
    await new Promise((r) => setTimeout(r, 300));
    const heard = await recording.stop();
    assert.equal(code, 0);
    assert.ok(audibleSeconds(heard) > 1.5, `${audibleSeconds(heard)} s audible at the monitor`);
  });
});

describe('vetta practice --voice (PulseAudio null sink)', { skip: pulseUnavailable() || (typeof voice === 'string' ? voice : false) }, () => {
  let pulse: Pulse;
  before(async () => {
    pulse = await startPulse();
  });
  after(() => pulse?.close());

  it('speaks the interviewer while the transcript prints', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempDir } = await import('../helpers.ts');
    const dir = tempDir();
    writeFileSync(join(dir, 'session.txt'), 'Can n be zero?\n/quit\n');
    const recording = pulse.record();
    const child = spawn(
      process.execPath,
      [resolve('bin/vetta.js'), 'practice', '--problem', 'climbing-stairs', '--voice', '--output-device', pulse.sink, '--script', join(dir, 'session.txt')],
      {
        env: { ...pulse.env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.on('close', r));
    await new Promise((r) => setTimeout(r, 300));
    const heard = await recording.stop();
    assert.equal(code, 0, out);
    assert.match(out, /interviewer: No, n is at least 1\./);
    // The introduction alone is several sentences; the answer and the wrap-up add more.
    assert.ok(audibleSeconds(heard) > 5, `${audibleSeconds(heard)} s audible at the monitor`);
  });
});
