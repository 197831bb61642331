import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { audibleSeconds, pulseUnavailable, startPulse } from '../audio/pulse.ts';
import type { Pulse } from '../audio/pulse.ts';
import { FAKE_ELEVENLABS_KEY, startFakeElevenLabs } from '../fakes/elevenlabs-server.ts';
import type { FakeElevenLabs } from '../fakes/elevenlabs-server.ts';
import { startFakeOpenAiAudio } from '../fakes/openai-audio-server.ts';
import type { FakeOpenAiAudio } from '../fakes/openai-audio-server.ts';
import { runCli } from '../helpers.ts';

describe('vetta say', () => {
  it('prints the chunks a voice would speak, one JSON line each, with --chunks', async () => {
    const { code, stdout } = await runCli(['say', '--tts', 'none', '--chunks', 'Good start. It runs in O(n log n). What about **empty** input?']);
    assert.equal(code, 0);
    assert.deepEqual(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
      [{ text: 'Good start.' }, { text: 'It runs in O(n log n).' }, { text: 'What about empty input?' }],
    );
  });

  it('reads stdin when no text is given', async () => {
    const { stdout } = await runCli(['say', '--tts', 'none'], {}, 'One. Two.\n- a list item\n');
    assert.equal(stdout, 'One.\nTwo.\na list item\n');
  });

  it('emits a chunk while stdin is still open, as soon as the sentence is complete', async () => {
    const child = spawn(process.execPath, [resolve('bin/vetta.js'), 'say', '--tts', 'none', '--chunks'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const firstLine = new Promise<string>((done) => child.stdout.once('data', (d) => done(String(d))));
    child.stdin.write('The first sentence is done. The second one');
    assert.equal(await firstLine, '{"text":"The first sentence is done."}\n');
    child.stdin.end(' ends later.');
    const rest = await new Promise<string>((done) => {
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.on('close', () => done(text));
    });
    assert.equal(rest, '{"text":"The second one ends later."}\n');
  });

  it('offers only the voices that work', async () => {
    const { code, stderr } = await runCli(['say', '--tts', 'polly', 'hi']);
    assert.equal(code, 2);
    assert.match(stderr, /Allowed choices are auto, elevenlabs, openai, espeak, none/);
  });

  it('says in one line how to get the ElevenLabs voice when its key is missing', async () => {
    const { code, stderr } = await runCli(['say', '--tts', 'elevenlabs', 'hi']);
    assert.equal(code, 2);
    assert.equal(stderr, 'vetta: --tts elevenlabs needs a key: set ELEVENLABS_API_KEY, or use --tts espeak (offline, no key)\n');
  });
});

describe('vetta say --tts elevenlabs (loopback ElevenLabs, PulseAudio null sink)', { skip: pulseUnavailable(), timeout: 60_000 }, () => {
  let pulse: Pulse;
  let fake: FakeElevenLabs;
  before(async () => {
    pulse = await startPulse();
    // 60 ms of tone a character: the two sentences below are about 2.2 s of audio.
    fake = await startFakeElevenLabs({ firstAudioMs: 100, realTimeFactor: 4, msPerChar: 60 });
  });
  after(async () => {
    pulse?.close();
    await fake?.close();
  });

  it('speaks each sentence through the chosen device', async () => {
    const recording = pulse.record();
    const env = { ...pulse.env, ELEVENLABS_API_KEY: FAKE_ELEVENLABS_KEY, ELEVENLABS_BASE_URL: fake.url, ELEVENLABS_VOICE_ID: 'voice-under-test' };
    const { code, stderr } = await runCli(['say', '--tts', 'elevenlabs', '--output-device', pulse.sink, 'First sentence here. And a second one.'], env);
    await new Promise((r) => setTimeout(r, 300));
    const heard = await recording.stop();
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      fake.generated.map((g) => g.text),
      ['First sentence here.', 'And a second one.'],
    );
    assert.equal(fake.connections.length, 1);
    assert.equal(fake.connections[0]?.path, '/v1/text-to-speech/voice-under-test/multi-stream-input');
    assert.ok(audibleSeconds(heard) > 1.5, `${audibleSeconds(heard)} s audible at the monitor`);
  });

  it('stops with one line naming ELEVENLABS_API_KEY when the key is rejected, without printing it', async () => {
    const env = { ...pulse.env, ELEVENLABS_API_KEY: 'sk_wrong_key_for_cli', ELEVENLABS_BASE_URL: fake.url };
    const { code, stderr } = await runCli(['say', '--tts', 'elevenlabs', '--output-device', pulse.sink, 'Hello.'], env);
    assert.equal(code, 1);
    assert.equal(stderr, 'vetta: elevenlabs: the API key was rejected (HTTP 401 from the WebSocket endpoint); check ELEVENLABS_API_KEY\n');
  });
});

describe('vetta say --tts openai (loopback OpenAI-compatible speech server, PulseAudio null sink)', { skip: pulseUnavailable(), timeout: 60_000 }, () => {
  let pulse: Pulse;
  let fake: FakeOpenAiAudio;
  before(async () => {
    pulse = await startPulse();
    fake = await startFakeOpenAiAudio({ firstAudioMs: 50, realTimeFactor: 4, msPerChar: 60 });
  });
  after(async () => {
    pulse?.close();
    await fake?.close();
  });

  it('speaks each sentence, one request each, with the voice the environment names', async () => {
    const recording = pulse.record();
    const env = { ...pulse.env, OPENAI_TTS_BASE_URL: fake.baseUrl, OPENAI_TTS_VOICE: 'af_heart', OPENAI_TTS_MODEL: 'kokoro' };
    const { code, stderr } = await runCli(['say', '--tts', 'openai', '--output-device', pulse.sink, 'First sentence here. And a second one.'], env);
    await new Promise((r) => setTimeout(r, 300));
    const heard = await recording.stop();
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      fake.speech.map((r) => [r.body.input, r.body.voice, r.body.model]),
      [
        ['First sentence here.', 'af_heart', 'kokoro'],
        ['And a second one.', 'af_heart', 'kokoro'],
      ],
    );
    assert.ok(audibleSeconds(heard) > 1.5, `${audibleSeconds(heard)} s audible at the monitor`);
  });
});
