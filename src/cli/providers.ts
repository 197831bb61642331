import type { ConfigFile } from '../core/config.js';
import { DEFAULT_DEEPGRAM_MODEL, DeepgramStt } from '../providers/deepgram/stt.js';
import { DEFAULT_ELEVENLABS_VOICE, ElevenLabsTts } from '../providers/elevenlabs/tts.js';
import { EspeakTts } from '../providers/espeak/tts.js';
import { DEFAULT_GEMINI_MODEL, GeminiModel } from '../providers/gemini/model.js';
import { OpenAiCompatibleModel } from '../providers/openai/model.js';
import { DEFAULT_OPENAI_STT_MODEL, OpenAiCompatibleStt } from '../providers/openai/stt.js';
import { DEFAULT_OPENAI_TTS_MODEL, DEFAULT_OPENAI_TTS_VOICE, OpenAiCompatibleTts } from '../providers/openai/tts.js';
import { PocketsphinxStt } from '../providers/pocketsphinx/stt.js';
import type { Brain } from '../interview/brain.js';
import { ModelBrain } from '../interview/model-brain.js';
import { ScriptedBrain } from '../interview/scripted-brain.js';
import type { LanguageModel, SpeechRecognizer, SpeechSynthesizer } from '../providers/spec.js';

/**
 * Every provider Vetta can use, one table per kind: its name, the variables it reads, how it is
 * built and how `vetta doctor --online` asks it. Adding a provider is one adapter file and one
 * entry here; the flags, their help, the config file's names, the choice and doctor follow.
 */

/** What an entry reads: the environment (keys come from it only), the settings file, and --model. */
export interface ProviderSettings {
  env: NodeJS.ProcessEnv;
  config: ConfigFile;
  /** --model: the LLM's model, whichever LLM. */
  model?: string;
}

/** A provider built from the settings, and one line saying which it is. */
export interface Built<T> {
  provider: T;
  /** e.g. "deepgram nova-3", "openai-compatible whisper-1 at http://127.0.0.1:8000/v1". */
  what: string;
  /** Where it is reached, for doctor --online; an offline provider has none and is not asked. */
  endpoint?: string;
  /** The smallest real request, when the kind's own probe does not fit (brains). */
  probe?(signal: AbortSignal): Promise<void>;
  /** Ends what it holds open (ElevenLabs keeps a connection). */
  close?(): Promise<void>;
}

export interface ProviderEntry<T> {
  readonly name: string;
  /** For --help: what turns it on, e.g. "DEEPGRAM_API_KEY" or "offline". */
  readonly help: string;
  /** Secret variables, any one of which is its key, in order of preference; names are shown, never values. */
  readonly keys: readonly string[];
  /** It cannot work without one of `keys` (a local server needs none). */
  readonly needsKey: boolean;
  /** Set, any one of these makes auto choose it. */
  readonly autoWhen: readonly string[];
  /** Needs no network: auto falls back on it when no online one is configured. */
  readonly offline?: boolean;
  /** The variable that points it at a server, for doctor's hint. */
  readonly endpointVariable?: string;
  /** The provider, or one line saying why it cannot be had; a missing key has been caught before. */
  build(settings: ProviderSettings, key: string | undefined): Built<T> | string;
}

export interface ProviderKind<T> {
  /** The flag, the config file's field and the word doctor uses: llm, stt, tts. */
  readonly flag: 'llm' | 'stt' | 'tts';
  /** The environment variable that chooses below the flag. */
  readonly envName: string;
  readonly entries: readonly ProviderEntry<T>[];
  /** When the kind can be done without ("none"): what that means, e.g. "you type". */
  readonly without?: string;
  /** What to do instead when `entry` cannot be had. */
  instead(entry: ProviderEntry<T>): string;
  /** Said when auto settles for the offline fallback although a better one could be configured. */
  readonly fallbackNotice?: string;
}

/** Ollama's OpenAI-compatible endpoint and a small model it serves, for a local interviewer. */
export const DEFAULT_OPENAI_BASE_URL = 'http://127.0.0.1:11434/v1';
export const DEFAULT_OPENAI_MODEL = 'llama3.2';
/** OpenAI's own API: the speech and transcription endpoints' default when no local server is named. */
export const OPENAI_API_URL = 'https://api.openai.com/v1';

/**
 * doctor --online's question to a language model: the first token of a one-token answer, through
 * the adapter practice uses, which checks the key, the model name and the endpoint at once. Not
 * retried: doctor says what happened the first time.
 */
const modelProbe =
  (model: LanguageModel) =>
  async (signal: AbortSignal): Promise<void> => {
    const enough = new AbortController();
    for await (const _ of model.stream(
      { system: 'Answer in one word.', messages: [{ role: 'user', content: 'Say ok.' }], maxTokens: 1 },
      AbortSignal.any([signal, enough.signal]),
    )) {
      enough.abort();
      break;
    }
  };

/** An offline provider found on this machine, or why not. */
const detected = <T>(found: T | string, what: string): Built<T> | string => (typeof found === 'string' ? found : { provider: found, what });

const openAiSpeechUrl = (env: NodeJS.ProcessEnv, own: string) => env[own] || env.OPENAI_BASE_URL || OPENAI_API_URL;

export const BRAINS: ProviderKind<Brain> = {
  flag: 'llm',
  envName: 'VETTA_LLM',
  instead: () => 'use --llm scripted',
  fallbackNotice: 'no GEMINI_API_KEY, so the offline interviewer leads; set it, or use --llm openai with a local model',
  entries: [
    {
      name: 'gemini',
      help: 'GEMINI_API_KEY',
      keys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
      needsKey: true,
      autoWhen: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
      endpointVariable: 'GEMINI_BASE_URL',
      build({ env, config, model: flagModel }, apiKey) {
        const model = flagModel || env.GEMINI_MODEL || config.model || DEFAULT_GEMINI_MODEL;
        const baseUrl = env.GEMINI_BASE_URL || undefined;
        const settings = { apiKey: apiKey!, model, ...(baseUrl ? { baseUrl } : {}) };
        return {
          provider: new ModelBrain(new GeminiModel(settings)),
          what: `gemini ${model}`,
          endpoint: baseUrl ?? 'the Gemini API',
          probe: modelProbe(new GeminiModel({ ...settings, retries: 0 })),
        };
      },
    },
    {
      name: 'openai',
      help: 'any OpenAI-compatible server: OPENAI_BASE_URL',
      keys: ['OPENAI_API_KEY'],
      needsKey: false,
      autoWhen: [],
      endpointVariable: 'OPENAI_BASE_URL',
      build({ env, config, model: flagModel }, apiKey) {
        const baseUrl = env.OPENAI_BASE_URL || DEFAULT_OPENAI_BASE_URL;
        const model = flagModel || env.OPENAI_MODEL || config.model || DEFAULT_OPENAI_MODEL;
        const settings = { baseUrl, model, ...(apiKey ? { apiKey } : {}) };
        return {
          provider: new ModelBrain(new OpenAiCompatibleModel(settings)),
          what: `openai-compatible ${model} at ${baseUrl}`,
          endpoint: baseUrl,
          probe: modelProbe(new OpenAiCompatibleModel({ ...settings, retries: 0 })),
        };
      },
    },
    {
      name: 'scripted',
      help: 'the offline interviewer',
      keys: [],
      needsKey: false,
      autoWhen: [],
      offline: true,
      build: () => ({ provider: new ScriptedBrain(), what: 'scripted: the offline interviewer' }),
    },
  ],
};

export const EARS: ProviderKind<SpeechRecognizer> = {
  flag: 'stt',
  envName: 'VETTA_STT',
  without: 'you type',
  instead: () => 'use --stt none and type',
  entries: [
    {
      name: 'deepgram',
      help: 'DEEPGRAM_API_KEY',
      keys: ['DEEPGRAM_API_KEY'],
      needsKey: true,
      autoWhen: ['DEEPGRAM_API_KEY'],
      endpointVariable: 'DEEPGRAM_BASE_URL',
      build({ env }, apiKey) {
        const model = env.DEEPGRAM_MODEL || DEFAULT_DEEPGRAM_MODEL;
        const baseUrl = env.DEEPGRAM_BASE_URL || undefined;
        return {
          provider: new DeepgramStt({ apiKey: apiKey!, model, ...(baseUrl ? { baseUrl } : {}) }),
          what: `deepgram ${model}`,
          endpoint: baseUrl ?? 'api.deepgram.com',
        };
      },
    },
    {
      name: 'openai',
      help: 'an OpenAI-compatible transcription server such as whisper.cpp or faster-whisper: OPENAI_STT_BASE_URL',
      keys: ['OPENAI_API_KEY'],
      needsKey: false,
      autoWhen: ['OPENAI_STT_BASE_URL'],
      endpointVariable: 'OPENAI_STT_BASE_URL',
      build({ env }, apiKey) {
        const baseUrl = openAiSpeechUrl(env, 'OPENAI_STT_BASE_URL');
        const model = env.OPENAI_STT_MODEL || DEFAULT_OPENAI_STT_MODEL;
        const provider = new OpenAiCompatibleStt({
          baseUrl,
          model,
          ...(apiKey ? { apiKey } : {}),
          ...(env.OPENAI_STT_LANGUAGE ? { language: env.OPENAI_STT_LANGUAGE } : {}),
        });
        return { provider, what: `openai-compatible ${model} at ${baseUrl}`, endpoint: baseUrl };
      },
    },
    {
      name: 'pocketsphinx',
      help: 'offline',
      keys: [],
      needsKey: false,
      autoWhen: [],
      offline: true,
      build: ({ env }) => detected(PocketsphinxStt.detect(env), 'pocketsphinx, offline'),
    },
  ],
};

export const VOICES: ProviderKind<SpeechSynthesizer> = {
  flag: 'tts',
  envName: 'VETTA_TTS',
  without: 'the interviewer is read, not heard',
  instead: (entry) => (entry.name === 'espeak' ? 'use --tts none' : 'use --tts espeak (offline, no key)'),
  entries: [
    {
      name: 'elevenlabs',
      help: 'ELEVENLABS_API_KEY',
      keys: ['ELEVENLABS_API_KEY'],
      needsKey: true,
      autoWhen: ['ELEVENLABS_API_KEY'],
      endpointVariable: 'ELEVENLABS_BASE_URL',
      build({ env, config }, apiKey) {
        const voiceId = env.ELEVENLABS_VOICE_ID || config.voiceId || DEFAULT_ELEVENLABS_VOICE;
        const baseUrl = env.ELEVENLABS_BASE_URL || undefined;
        const voice = new ElevenLabsTts({ apiKey: apiKey!, voiceId, ...(baseUrl ? { baseUrl } : {}) });
        return { provider: voice, what: `elevenlabs voice ${voiceId}`, endpoint: baseUrl ?? 'api.elevenlabs.io', close: () => voice.close() };
      },
    },
    {
      name: 'openai',
      help: 'an OpenAI-compatible speech server such as Kokoro: OPENAI_TTS_BASE_URL',
      keys: ['OPENAI_API_KEY'],
      needsKey: false,
      autoWhen: ['OPENAI_TTS_BASE_URL'],
      endpointVariable: 'OPENAI_TTS_BASE_URL',
      build({ env }, apiKey) {
        const baseUrl = openAiSpeechUrl(env, 'OPENAI_TTS_BASE_URL');
        const model = env.OPENAI_TTS_MODEL || DEFAULT_OPENAI_TTS_MODEL;
        const voice = env.OPENAI_TTS_VOICE || DEFAULT_OPENAI_TTS_VOICE;
        return {
          provider: new OpenAiCompatibleTts({ baseUrl, model, voice, ...(apiKey ? { apiKey } : {}) }),
          what: `openai-compatible ${model} voice ${voice} at ${baseUrl}`,
          endpoint: baseUrl,
        };
      },
    },
    {
      name: 'espeak',
      help: 'offline',
      keys: [],
      needsKey: false,
      autoWhen: [],
      offline: true,
      build: ({ env }) => detected(EspeakTts.detect(env), 'espeak-ng, offline'),
    },
  ],
};

/** The names a flag, its environment variable and the config file accept for a kind. */
export function choiceNames(kind: ProviderKind<unknown>): string[] {
  return ['auto', ...kind.entries.map((e) => e.name), ...(kind.without ? ['none'] : [])];
}

/** The names the config file accepts, for its validation. */
export const PROVIDER_NAMES = { llm: choiceNames(BRAINS), stt: choiceNames(EARS), tts: choiceNames(VOICES) };

/** Every key variable, once each, in table order: doctor names the ones that are set. */
export const KEY_NAMES = [...new Set([BRAINS, EARS, VOICES].flatMap((kind: ProviderKind<unknown>) => kind.entries.flatMap((e) => e.keys)))];

/** The variables that make auto choose an online provider of the kind: "DEEPGRAM_API_KEY or OPENAI_STT_BASE_URL". */
export function autoVariables(kind: ProviderKind<unknown>): string {
  const first = kind.entries.flatMap((e) => e.autoWhen.slice(0, 1));
  return first.length > 1 ? `${first.slice(0, -1).join(', ')} or ${first.at(-1)}` : (first[0] ?? '');
}

/** The help of a --llm, --stt or --tts option, from the table. */
export function optionHelp(kind: ProviderKind<unknown>, what: string): string {
  const entries = kind.entries.map((e) => `${e.name} (${e.help})`);
  const none = kind.without ? [`none (${kind.without})`] : [];
  const fallback = kind.entries.filter((e) => e.offline).map((e) => e.name);
  return `${what}: ${[...entries, ...none].join(', ')}, or auto: the first whose ${autoVariables(kind)} is set, else ${fallback.join(' or ')} (default: ${kind.envName}, "${kind.flag}" in the config file, or auto)`;
}
