import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { CliContext } from '../../src/cli/context.ts';
import { choose, chooseBrain, chooseRecognizer, chooseVoice } from '../../src/cli/provider-choice.ts';
import { BRAINS, PROVIDER_NAMES } from '../../src/cli/providers.ts';
import { loadConfig } from '../../src/core/config.ts';
import { VettaError } from '../../src/core/errors.ts';
import { PocketsphinxStt } from '../../src/providers/pocketsphinx/stt.ts';
import { ProblemSet } from '../../src/problems/load.ts';
import { runCli, tempDir, writeTree } from '../helpers.ts';

/** A context whose config file holds `config` (none when undefined), as main builds it. */
function contextWith(env: NodeJS.ProcessEnv, config?: Record<string, unknown>): CliContext {
  const configHome = tempDir('vetta-config-');
  if (config) writeTree(configHome, { 'vetta/config.json': JSON.stringify(config) });
  const fullEnv = { PATH: process.env.PATH, XDG_CONFIG_HOME: configHome, ...env };
  return {
    stdin: new PassThrough(),
    stdout: new PassThrough() as unknown as NodeJS.WriteStream,
    stderr: new PassThrough() as unknown as NodeJS.WriteStream,
    env: fullEnv,
    config: () => loadConfig(fullEnv, PROVIDER_NAMES),
    problemSet: () => new ProblemSet({ env: fullEnv }),
    sandboxName: () => 'auto',
    exitCode: 0,
  };
}

const detected = PocketsphinxStt.detect();
const pocketsphinxMissing = typeof detected === 'string' ? detected : false;

const configFile = (ctx: CliContext) => join(ctx.env.XDG_CONFIG_HOME!, 'vetta', 'config.json');

/** For assert.throws: a VettaError with exactly this one-line message. */
function errorSaying(message: string) {
  return (error: unknown) => {
    assert.ok(error instanceof VettaError, String(error));
    assert.equal(error.message, message);
    return true;
  };
}

describe('auto: what each key turns on', () => {
  it('with no keys and no pocketsphinx: the offline interviewer, typing, and the offline voice', () => {
    const ctx = contextWith({ PATH: tempDir('vetta-bare-path-') });
    const notices: string[] = [];
    assert.equal(chooseBrain({ llm: 'auto' }, ctx, (n) => notices.push(n)).name, 'scripted');
    assert.deepEqual(notices, ['no GEMINI_API_KEY, so the offline interviewer leads; set it, or use --llm openai with a local model']);
    assert.equal(choose(BRAINS, undefined, ctx).description, 'scripted: the offline interviewer (no GEMINI_API_KEY)');
    const ear = chooseRecognizer({}, ctx);
    assert.deepEqual(
      [ear.provider, ear.description, ear.auto],
      [null, 'none: no DEEPGRAM_API_KEY or OPENAI_STT_BASE_URL and pocketsphinx is not installed; you type', true],
    );
    const voice = chooseVoice({}, ctx);
    assert.deepEqual([voice.provider?.name, voice.description], ['espeak', 'espeak-ng, offline (no ELEVENLABS_API_KEY or OPENAI_TTS_BASE_URL)']);
  });

  it('with no Deepgram key, pocketsphinx listens when it is installed', { skip: pocketsphinxMissing }, () => {
    const ear = chooseRecognizer({}, contextWith({}));
    assert.deepEqual(
      [ear.provider?.name, ear.description, ear.auto],
      ['pocketsphinx', 'pocketsphinx, offline (no DEEPGRAM_API_KEY or OPENAI_STT_BASE_URL)', true],
    );
  });

  it('with keys: Gemini, Deepgram and ElevenLabs, each saying which key chose it and never what it is', () => {
    const keys = { GOOGLE_API_KEY: 'g-secret-value', DEEPGRAM_API_KEY: 'd-secret-value', ELEVENLABS_API_KEY: 'e-secret-value' };
    const ctx = contextWith(keys);
    assert.equal(chooseBrain({ llm: 'auto' }, ctx, () => assert.fail('no notice when a key is set')).name, 'gemini');
    const brain = choose(BRAINS, undefined, ctx).description;
    const ear = chooseRecognizer({}, ctx);
    const voice = chooseVoice({}, ctx);
    assert.deepEqual(
      [brain, ear.provider?.name, ear.description, voice.provider?.name, voice.description],
      [
        'gemini gemini-2.5-flash (GOOGLE_API_KEY set)',
        'deepgram',
        'deepgram nova-3 (DEEPGRAM_API_KEY set)',
        'elevenlabs',
        'elevenlabs voice JBFqnCBsd6RMkjVDRZzb (ELEVENLABS_API_KEY set)',
      ],
    );
    for (const text of [brain, ear.description, voice.description]) for (const value of Object.values(keys)) assert.ok(!text.includes(value));
  });

  it('names the model and the voice in force', () => {
    const ctx = contextWith({
      GEMINI_API_KEY: 'k',
      DEEPGRAM_API_KEY: 'k',
      DEEPGRAM_MODEL: 'nova-2',
      ELEVENLABS_API_KEY: 'k',
      ELEVENLABS_VOICE_ID: 'voice-from-env',
    });
    assert.equal(chooseRecognizer({}, ctx).description, 'deepgram nova-2 (DEEPGRAM_API_KEY set)');
    assert.equal(chooseVoice({}, ctx).description, 'elevenlabs voice voice-from-env (ELEVENLABS_API_KEY set)');
  });
});

describe('the OpenAI-compatible voice and ear', () => {
  it('are chosen by auto when their own server is set, and say where and with what', () => {
    const ctx = contextWith({
      OPENAI_TTS_BASE_URL: 'http://127.0.0.1:8880/v1',
      OPENAI_TTS_VOICE: 'af_heart',
      OPENAI_STT_BASE_URL: 'http://127.0.0.1:8000/v1',
      OPENAI_STT_MODEL: 'small.en',
    });
    const voice = chooseVoice({}, ctx);
    const ear = chooseRecognizer({}, ctx);
    assert.deepEqual(
      [voice.provider?.name, voice.description, ear.provider?.name, ear.description],
      [
        'openai',
        'openai-compatible tts-1 voice af_heart at http://127.0.0.1:8880/v1 (OPENAI_TTS_BASE_URL set)',
        'openai',
        'openai-compatible small.en at http://127.0.0.1:8000/v1 (OPENAI_STT_BASE_URL set)',
      ],
    );
  });

  it('named, use OPENAI_BASE_URL when they have no server of their own, else OpenAI', () => {
    assert.equal(
      chooseVoice({ tts: 'openai' }, contextWith({ OPENAI_BASE_URL: 'http://127.0.0.1:9000/v1' })).description,
      'openai-compatible tts-1 voice alloy at http://127.0.0.1:9000/v1 (--tts openai)',
    );
    assert.equal(chooseRecognizer({ stt: 'openai' }, contextWith({})).description, 'openai-compatible whisper-1 at https://api.openai.com/v1 (--stt openai)');
  });

  it('an OpenAI key alone, set for the LLM, does not turn on a paid voice or ear', () => {
    const ctx = contextWith({ OPENAI_API_KEY: 'sk-secret' });
    assert.notEqual(chooseVoice({}, ctx).provider?.name, 'openai');
    assert.notEqual(chooseRecognizer({}, ctx).provider?.name, 'openai');
  });
});

describe('precedence: flag, then environment, then config file', () => {
  const config = { llm: 'openai', model: 'model-from-config', stt: 'none', tts: 'none', voiceId: 'voice-from-config' };
  const keys = { GEMINI_API_KEY: 'k', DEEPGRAM_API_KEY: 'k', ELEVENLABS_API_KEY: 'k' };

  it('the config file decides when nothing else does, and is named', () => {
    const ctx = contextWith(keys, config);
    assert.equal(
      choose(BRAINS, 'auto', ctx).description,
      `openai-compatible model-from-config at http://127.0.0.1:11434/v1 ("llm": "openai" in ${configFile(ctx)})`,
    );
    assert.equal(chooseRecognizer({ stt: 'auto' }, ctx).description, `none ("stt": "none" in ${configFile(ctx)}); you type`);
    const voice = chooseVoice({ tts: 'auto' }, ctx);
    assert.deepEqual(
      [voice.provider, voice.auto, voice.description],
      [null, false, `none ("tts": "none" in ${configFile(ctx)}); the interviewer is read, not heard`],
    );
  });

  it('pocketsphinx is chosen by name like any other, and a Deepgram key does not override it', { skip: pocketsphinxMissing }, () => {
    assert.equal(chooseRecognizer({ stt: 'pocketsphinx' }, contextWith(keys)).description, 'pocketsphinx, offline (--stt pocketsphinx)');
    assert.equal(chooseRecognizer({}, contextWith({ ...keys, VETTA_STT: 'pocketsphinx' })).description, 'pocketsphinx, offline (VETTA_STT=pocketsphinx)');
    const ctx = contextWith(keys, { stt: 'pocketsphinx' });
    assert.equal(chooseRecognizer({}, ctx).description, `pocketsphinx, offline ("stt": "pocketsphinx" in ${configFile(ctx)})`);
  });

  it('the environment beats the config file', () => {
    const ctx = contextWith({ ...keys, VETTA_LLM: 'gemini', GEMINI_MODEL: 'model-from-env', VETTA_STT: 'deepgram', VETTA_TTS: 'elevenlabs' }, config);
    assert.equal(choose(BRAINS, undefined, ctx).description, 'gemini model-from-env (VETTA_LLM=gemini)');
    assert.equal(chooseRecognizer({}, ctx).description, 'deepgram nova-3 (VETTA_STT=deepgram)');
    assert.equal(chooseVoice({}, ctx).description, 'elevenlabs voice voice-from-config (VETTA_TTS=elevenlabs)');
  });

  it('a flag beats both', () => {
    const ctx = contextWith({ ...keys, VETTA_LLM: 'openai', VETTA_STT: 'none', VETTA_TTS: 'none', ELEVENLABS_VOICE_ID: 'voice-from-env' }, config);
    assert.equal(choose(BRAINS, 'gemini', ctx, 'model-from-flag').description, 'gemini model-from-flag (--llm gemini)');
    assert.equal(chooseRecognizer({ stt: 'deepgram' }, ctx).description, 'deepgram nova-3 (--stt deepgram)');
    assert.equal(chooseVoice({ tts: 'espeak' }, ctx).description, 'espeak-ng, offline (--tts espeak)');
    assert.equal(chooseVoice({ tts: 'elevenlabs' }, ctx).description, 'elevenlabs voice voice-from-env (--tts elevenlabs)');
  });
});

describe('choices that cannot be honoured', () => {
  it('a provider named without its key says which setting named it and what to set', () => {
    const ctx = contextWith({}, { stt: 'deepgram', tts: 'elevenlabs' });
    assert.throws(
      () => chooseRecognizer({ stt: 'deepgram' }, ctx),
      errorSaying('--stt deepgram needs a key: set DEEPGRAM_API_KEY, or use --stt none and type'),
    );
    assert.throws(
      () => chooseRecognizer({}, ctx),
      errorSaying(`"stt": "deepgram" in ${configFile(ctx)} needs a key: set DEEPGRAM_API_KEY, or use --stt none and type`),
    );
    assert.throws(
      () => chooseVoice({}, ctx),
      errorSaying(`"tts": "elevenlabs" in ${configFile(ctx)} needs a key: set ELEVENLABS_API_KEY, or use --tts espeak (offline, no key)`),
    );
    assert.throws(() => choose(BRAINS, 'gemini', ctx), errorSaying('--llm gemini needs a key: set GEMINI_API_KEY (or GOOGLE_API_KEY), or use --llm scripted'));
  });

  it('pocketsphinx named but not installed says what to install', () => {
    const ctx = contextWith({ PATH: tempDir('vetta-bare-path-') });
    assert.throws(
      () => chooseRecognizer({ stt: 'pocketsphinx' }, ctx),
      errorSaying('pocketsphinx is not installed (Debian/Ubuntu: apt-get install pocketsphinx pocketsphinx-en-us); or use --stt none and type'),
    );
  });

  it('an unknown name in the environment is a usage error listing the choices', () => {
    assert.throws(
      () => chooseVoice({}, contextWith({ VETTA_TTS: 'polly' })),
      errorSaying('VETTA_TTS is "polly": expected "auto", "elevenlabs", "openai", "espeak" or "none"'),
    );
  });

  it('a wrong value in the config file names the file, the field and what it takes', () => {
    for (const [config, message] of [
      [{ tts: 'polly' }, 'tts: expected "auto", "elevenlabs", "openai", "espeak" or "none"'],
      [{ stt: true }, 'stt: expected "auto", "deepgram", "openai", "pocketsphinx" or "none"'],
      [{ llm: 'claude' }, 'llm: expected "auto", "gemini", "openai" or "scripted"'],
      [{ model: '' }, 'model: expected a model name such as "gemini-2.5-flash"'],
      [{ voiceId: 42 }, 'voiceId: expected an ElevenLabs voice id such as "JBFqnCBsd6RMkjVDRZzb"'],
    ] as const) {
      const ctx = contextWith({}, config);
      assert.throws(() => chooseVoice({}, ctx), errorSaying(`${configFile(ctx)}: ${message}`));
    }
  });
});

describe('vetta say follows the shared choice', () => {
  it('stays silent and prints the chunks when the environment chooses no voice', async () => {
    const { code, stdout, stderr } = await runCli(['say', 'One. Two.'], { VETTA_TTS: 'none' });
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'One.\nTwo.\n');
    assert.equal(stderr, '');
  });

  it('refuses a configured ElevenLabs voice without its key, as practice would', async () => {
    const configHome = tempDir('vetta-config-');
    writeTree(configHome, { 'vetta/config.json': JSON.stringify({ tts: 'elevenlabs' }) });
    const { code, stderr } = await runCli(['say', 'Hello.'], { XDG_CONFIG_HOME: configHome });
    assert.equal(code, 2);
    assert.equal(
      stderr,
      `vetta: "tts": "elevenlabs" in ${join(configHome, 'vetta', 'config.json')} needs a key: set ELEVENLABS_API_KEY, or use --tts espeak (offline, no key)\n`,
    );
  });
});
