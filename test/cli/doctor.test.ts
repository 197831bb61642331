import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { CheckResult } from '../../src/cli/doctor-check.ts';
import { pulseUnavailable, startPulse } from '../audio/pulse.ts';
import type { Pulse } from '../audio/pulse.ts';
import { startFakeDeepgram } from '../fakes/deepgram-server.ts';
import type { FakeDeepgram } from '../fakes/deepgram-server.ts';
import { FAKE_ELEVENLABS_KEY, startFakeElevenLabs } from '../fakes/elevenlabs-server.ts';
import type { FakeElevenLabs } from '../fakes/elevenlabs-server.ts';
import { startFakeGemini } from '../fakes/gemini-server.ts';
import type { FakeGemini } from '../fakes/gemini-server.ts';
import { startFakeOpenAi } from '../fakes/openai-server.ts';
import type { FakeOpenAi } from '../fakes/openai-server.ts';
import { findOnPath } from '../../src/core/find-on-path.ts';
import { startFakeOpenAiAudio } from '../fakes/openai-audio-server.ts';
import type { FakeOpenAiAudio } from '../fakes/openai-audio-server.ts';
import { runCli, tempDir } from '../helpers.ts';

const CHECKS = ['node', 'sandbox', 'espeak-ng', 'audio addons', 'microphone', 'speaker', 'vad', 'keys', 'llm', 'stt', 'tts', 'store'];

/** No sound server: PulseAudio clients find nothing to connect to. */
const NO_SOUND = { HOME: '/nonexistent', XDG_RUNTIME_DIR: '/nonexistent', PULSE_SERVER: 'unix:/nonexistent/native' };

/** `vetta doctor ARGS` in this process; the environment is only what is given. */
function doctor(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(['doctor', ...args], { XDG_DATA_HOME: tempDir('vetta-doctor-data-'), ...env });
}

async function doctorJson(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; results: CheckResult[]; byName: Map<string, CheckResult> }> {
  const { code, stdout, stderr } = await doctor(['--json', ...args], env);
  assert.equal(stderr, '');
  const results = JSON.parse(stdout) as CheckResult[];
  for (const r of results) {
    assert.deepEqual(
      Object.keys(r).filter((k) => !['check', 'status', 'detail', 'hint'].includes(k)),
      [],
      JSON.stringify(r),
    );
    assert.ok(['ok', 'warn', 'fail'].includes(r.status));
  }
  // The exit code is 1 exactly when a check failed.
  assert.equal(code, results.some((r) => r.status === 'fail') ? 1 : 0, stdout);
  return { code, results, byName: new Map(results.map((r) => [r.check, r])) };
}

/** A 440 Hz tone at about -16 dBFS. */
function toneOf(seconds: number): Int16Array {
  const samples = new Int16Array(16_000 * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(5000 * Math.sin((2 * Math.PI * 440 * i) / 16_000));
  return samples;
}

describe('vetta doctor (PulseAudio null sinks)', { skip: pulseUnavailable(), timeout: 120_000 }, () => {
  let pulse: Pulse;
  let speaking: ChildProcess;
  before(async () => {
    pulse = await startPulse();
    // Someone speaking into the virtual microphone for as long as the tests run.
    const tone = toneOf(60);
    speaking = spawn(
      'pacat',
      ['--playback', '--raw', '--format=s16le', '--rate=16000', '--channels=1', `--device=${pulse.microphone.replace(/\.monitor$/, '')}`],
      { env: pulse.env, stdio: ['pipe', 'ignore', 'ignore'] },
    );
    speaking.stdin!.on('error', () => {});
    speaking.stdin!.end(Buffer.from(tone.buffer));
  });
  after(() => {
    speaking?.kill('SIGKILL');
    pulse?.close();
  });

  it('reports every check in a stable order, and hears the microphone and opens the speaker', async () => {
    const { results, byName } = await doctorJson(['--input-device', pulse.microphone], pulse.env);
    assert.deepEqual(
      results.map((r) => r.check),
      CHECKS,
    );
    const microphone = byName.get('microphone')!;
    assert.equal(microphone.status, 'ok', microphone.detail);
    assert.match(microphone.detail, new RegExp(`^input ${pulse.microphone} \\((portaudio|sox|parec)\\) works: level -\\d+ dBFS over 0.5 s$`));
    const speaker = byName.get('speaker')!;
    assert.equal(speaker.status, 'ok', speaker.detail);
    assert.match(speaker.detail, /^the default output plays through /);
    assert.deepEqual(
      [byName.get('keys')?.detail, byName.get('llm')?.detail, byName.get('stt')?.detail],
      [
        'no keys set',
        'scripted: the offline interviewer (no GEMINI_API_KEY)',
        findOnPath('pocketsphinx_continuous')
          ? 'pocketsphinx, offline (no DEEPGRAM_API_KEY or OPENAI_STT_BASE_URL)'
          : 'none: no DEEPGRAM_API_KEY or OPENAI_STT_BASE_URL and pocketsphinx is not installed; you type',
      ],
    );
    assert.match(byName.get('store')!.detail, /^sessions are saved in .*sessions\.db$/);
  });

  it('warns, without failing, when the microphone hears nothing', async () => {
    const { byName } = await doctorJson(['--input-device', `${pulse.sink}.monitor`, '--output-device', pulse.sink], pulse.env);
    const microphone = byName.get('microphone')!;
    assert.equal(microphone.status, 'warn');
    assert.match(microphone.detail, /works but heard no sound in 0.5 s \(digital silence\)$/);
    assert.match(microphone.hint ?? '', /not muted.*--input-device/);
    assert.equal(byName.get('speaker')?.status, 'ok');
    assert.match(byName.get('speaker')!.detail, new RegExp(`^output ${pulse.sink} plays through `));
  });

  it('prints one line per check, with what to do next', async () => {
    const { stdout } = await doctor(['--input-device', `${pulse.sink}.monitor`], pulse.env);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, CHECKS.length + 1);
    assert.match(
      lines[4]!,
      /^warn {2}microphone +input vetta_test\.monitor \(.+\) works but heard no sound in 0\.5 s \(digital silence\); check it is not muted/,
    );
    assert.match(lines[5]!, /^ok {4}speaker +the default output plays through /);
    assert.match(lines.at(-1)!, /^(\d+ failed, \d+ with warnings|ready: every check passed)/);
  });
});

describe('vetta doctor with no sound server', { timeout: 120_000 }, () => {
  it('warns about the microphone and the speaker instead of crashing', async () => {
    const { results, byName } = await doctorJson([], NO_SOUND);
    assert.deepEqual(
      results.map((r) => r.check),
      CHECKS,
    );
    for (const name of ['microphone', 'speaker']) {
      const r = byName.get(name)!;
      assert.equal(r.status, 'warn', `${name}: ${r.detail}`);
      assert.ok(r.hint, `${name} says what it means for practice`);
    }
    assert.match(byName.get('speaker')!.detail, /no audio output/);
  });

  it('names the keys it finds and never prints their values', async () => {
    const secrets = {
      GEMINI_API_KEY: 'gm-secret-1111',
      OPENAI_API_KEY: 'sk-secret-2222',
      DEEPGRAM_API_KEY: 'dg-secret-3333',
      ELEVENLABS_API_KEY: 'el-secret-4444',
    };
    const json = await doctorJson([], { ...NO_SOUND, ...secrets });
    assert.equal(json.byName.get('keys')?.detail, 'set: GEMINI_API_KEY, OPENAI_API_KEY, DEEPGRAM_API_KEY, ELEVENLABS_API_KEY; not set: GOOGLE_API_KEY');
    assert.match(json.byName.get('llm')!.detail, /^gemini gemini-2\.5-flash \(GEMINI_API_KEY set\)$/);
    assert.equal(json.byName.get('stt')?.detail, 'deepgram nova-3 (DEEPGRAM_API_KEY set)');
    assert.match(json.byName.get('tts')!.detail, /^elevenlabs voice \S+ \(ELEVENLABS_API_KEY set\)$/);
    const text = await doctor([], { ...NO_SOUND, ...secrets });
    for (const output of [JSON.stringify(json.results), text.stdout, text.stderr]) {
      for (const value of Object.values(secrets)) assert.ok(!output.includes(value), `a key's value was printed: ${output}`);
    }
  });

  it('fails the choice, and exits 1, when a provider is asked for without its key', async () => {
    const { code, byName } = await doctorJson([], { ...NO_SOUND, VETTA_STT: 'deepgram' });
    assert.equal(code, 1);
    assert.deepEqual(byName.get('stt'), {
      check: 'stt',
      status: 'fail',
      detail: 'VETTA_STT=deepgram needs a key: set DEEPGRAM_API_KEY, or use --stt none and type',
    });
  });
});

describe('vetta doctor --online', { timeout: 120_000 }, () => {
  let gemini: FakeGemini;
  let openai: FakeOpenAi;
  let deepgram: FakeDeepgram;
  let elevenlabs: FakeElevenLabs;
  let openaiAudio: FakeOpenAiAudio;
  before(async () => {
    [gemini, openai, deepgram, elevenlabs, openaiAudio] = await Promise.all([
      startFakeGemini([{ text: 'ok' }]),
      startFakeOpenAi([{ text: 'ok' }]),
      startFakeDeepgram({ vocabulary: [], apiKey: 'dg-fake-key' }),
      startFakeElevenLabs(),
      startFakeOpenAiAudio({ apiKey: 'sk-fake-key' }),
    ]);
  });
  after(async () => {
    await Promise.all([gemini?.close(), openai?.close(), deepgram?.close(), elevenlabs?.close(), openaiAudio?.close()]);
  });

  it('reaches each configured provider through its real client and says how fast it answered', async () => {
    const env = {
      ...NO_SOUND,
      GEMINI_API_KEY: 'gm-fake-key',
      GEMINI_BASE_URL: gemini.baseUrl,
      VETTA_LLM: 'openai',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_API_KEY: 'sk-fake-key',
      OPENAI_STT_BASE_URL: openaiAudio.baseUrl,
      OPENAI_TTS_BASE_URL: openaiAudio.baseUrl,
      DEEPGRAM_API_KEY: 'dg-fake-key',
      DEEPGRAM_BASE_URL: deepgram.url,
      ELEVENLABS_API_KEY: FAKE_ELEVENLABS_KEY,
      ELEVENLABS_BASE_URL: elevenlabs.url,
    };
    const { results, byName } = await doctorJson(['--online'], env);
    assert.deepEqual(
      results.map((r) => r.check),
      [...CHECKS, 'llm gemini online', 'llm openai online', 'stt deepgram online', 'stt openai online', 'tts elevenlabs online', 'tts openai online'],
    );
    assert.deepEqual(
      results.slice(CHECKS.length).map((r) => [r.check, r.status]),
      [
        ['llm gemini online', 'ok'],
        ['llm openai online', 'ok'],
        ['stt deepgram online', 'ok'],
        ['stt openai online', 'ok'],
        ['tts elevenlabs online', 'ok'],
        ['tts openai online', 'ok'],
      ],
      JSON.stringify(results.slice(CHECKS.length)),
    );
    assert.match(byName.get('llm gemini online')!.detail, /^gemini gemini-2\.5-flash answered in \d+ ms$/);
    assert.match(byName.get('stt deepgram online')!.detail, /^deepgram nova-3 answered in \d+ ms$/);
    assert.equal(byName.get('llm')?.detail, `openai-compatible llama3.2 at ${openai.baseUrl} (VETTA_LLM=openai)`);
    // What each provider saw: a real request, with the key in the header each one reads it from.
    assert.equal(gemini.requests[0]?.apiKey, 'gm-fake-key');
    assert.equal(openai.requests[0]?.model, 'llama3.2');
    assert.deepEqual(
      deepgram.received.connections.map((c) => [c.status, c.log, c.closed?.code]),
      [[101, [{ audio: 10_666 }, { control: 'Finalize' }, { control: 'CloseStream' }], 1000]],
    );
    assert.deepEqual(
      elevenlabs.generated.map((g) => g.text),
      ['ok'],
    );
    assert.deepEqual(
      openaiAudio.transcriptions.map((r) => [r.model, r.authorization, r.format?.sampleRate]),
      [['whisper-1', 'Bearer sk-fake-key', 16_000]],
    );
    assert.deepEqual(
      openaiAudio.speech.map((r) => [r.body.input, r.body.voice]),
      [['ok', 'alloy']],
    );
    assert.match(byName.get('tts openai online')!.detail, new RegExp(`^openai-compatible tts-1 voice alloy at ${openaiAudio.baseUrl} answered in \\d+ ms$`));
  });

  it('fails with one clear line per provider, and exits 1, when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const env = {
      ...NO_SOUND,
      GEMINI_API_KEY: 'gm-secret-5555',
      GEMINI_BASE_URL: `http://127.0.0.1:${port}`,
      DEEPGRAM_API_KEY: 'dg-secret-6666',
      DEEPGRAM_BASE_URL: `ws://127.0.0.1:${port}`,
      ELEVENLABS_API_KEY: 'el-secret-7777',
      ELEVENLABS_BASE_URL: `http://127.0.0.1:${port}`,
      OPENAI_STT_BASE_URL: `http://127.0.0.1:${port}/v1`,
    };
    const { code, stdout, stderr } = await doctor(['--online'], env);
    assert.equal(code, 1);
    assert.equal(stderr, '');
    const url = `127\\.0\\.0\\.1:${port}`;
    assert.match(
      stdout,
      new RegExp(
        `^fail {2}llm gemini online +gemini: cannot reach http://${url} \\(.*ECONNREFUSED.*\\); check GEMINI_API_KEY and that http://${url} is reachable; or use --llm scripted$`,
        'm',
      ),
    );
    assert.match(
      stdout,
      new RegExp(
        `^fail {2}stt deepgram online +deepgram: cannot reach ${url} \\(.+\\): check the network and try again; check DEEPGRAM_API_KEY and that ws://${url} is reachable; or use --stt none and type$`,
        'm',
      ),
    );
    assert.match(
      stdout,
      new RegExp(
        `^fail {2}tts elevenlabs online +elevenlabs: cannot reach .+; check ELEVENLABS_API_KEY and that http://${url} is reachable; or use --tts espeak \\(offline, no key\\)$`,
        'm',
      ),
    );
    assert.match(
      stdout,
      new RegExp(
        `^fail {2}stt openai online +openai: cannot reach http://${url}/v1/audio/transcriptions \\(.*ECONNREFUSED.*\\); start the server at http://${url}/v1, or point OPENAI_STT_BASE_URL at yours; or use --stt none and type$`,
        'm',
      ),
    );
    for (const value of ['gm-secret-5555', 'dg-secret-6666', 'el-secret-7777']) assert.ok(!stdout.includes(value), `a key's value was printed: ${stdout}`);
  });
});
