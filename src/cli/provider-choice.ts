import { configPath, LLM_NAMES, oneOf, STT_NAMES, TTS_NAMES } from '../core/config.js';
import type { LlmName, SttName, TtsName } from '../core/config.js';
import { VettaError } from '../core/errors.js';
import { DEFAULT_DEEPGRAM_MODEL, DeepgramStt } from '../providers/deepgram/stt.js';
import { DEFAULT_ELEVENLABS_VOICE, ElevenLabsTts } from '../providers/elevenlabs/tts.js';
import { EspeakTts } from '../providers/espeak/tts.js';
import type { Brain } from '../interview/brain.js';
import { ModelBrain } from '../interview/model-brain.js';
import { ScriptedBrain } from '../interview/scripted-brain.js';
import { DEFAULT_GEMINI_MODEL, GeminiModel } from '../providers/gemini/model.js';
import { OpenAiCompatibleModel } from '../providers/openai/model.js';
import { PocketsphinxStt } from '../providers/pocketsphinx/stt.js';
import type { SpeechRecognizer, SpeechSynthesizer } from '../providers/spec.js';
import type { CliContext } from './main.js';

/**
 * Which providers a command uses, from flags, the environment and the config file. One place, so
 * `vetta practice`, `vetta say` and `vetta doctor` never disagree. Precedence: a flag other than
 * "auto", then VETTA_LLM / VETTA_STT / VETTA_TTS, then the config file, then auto. Keys come from
 * the environment only, are read here and never appear in a description or an error.
 */

/** Ollama's OpenAI-compatible endpoint and a small model it serves, for a local interviewer. */
export const DEFAULT_OPENAI_BASE_URL = 'http://127.0.0.1:11434/v1';
export const DEFAULT_OPENAI_MODEL = 'llama3.2';

export interface BrainFlags {
  llm?: LlmName;
  model?: string;
}

export interface RecognizerFlags {
  stt?: SttName;
}

export interface VoiceFlags {
  tts?: TtsName;
}

/** A named choice and where it came from, said the way the user wrote it. */
interface Picked<T extends string> {
  name: T;
  /** `--stt deepgram`, `VETTA_STT=deepgram`, `"stt": "deepgram" in ~/.config/vetta/config.json`; undefined for auto. */
  setBy?: string;
}

function pick<T extends string>(flagName: string, flag: T | undefined, envName: string, names: readonly T[], configKey: 'llm' | 'stt' | 'tts', ctx: CliContext): Picked<T> {
  if (flag && flag !== 'auto') return { name: flag, setBy: `--${flagName} ${flag}` };
  const fromEnv = ctx.env[envName];
  if (fromEnv && fromEnv !== 'auto') {
    if (!(names as readonly string[]).includes(fromEnv)) throw new VettaError('usage', `${envName} is "${fromEnv}": expected ${oneOf(names)}`);
    return { name: fromEnv as T, setBy: `${envName}=${fromEnv}` };
  }
  const fromConfig = ctx.config()[configKey] as T | undefined;
  if (fromConfig && fromConfig !== 'auto') return { name: fromConfig, setBy: `"${configKey}": "${fromConfig}" in ${configPath(ctx.env)}` };
  return { name: 'auto' as T };
}

export type BrainSettings =
  | { llm: 'gemini'; apiKey: string; model: string; baseUrl?: string }
  | { llm: 'openai'; baseUrl: string; model: string; apiKey?: string }
  | { llm: 'scripted' };

export interface BrainPlan {
  settings: BrainSettings;
  /** One line: which brain and why, e.g. "gemini gemini-2.5-flash (GEMINI_API_KEY set)". */
  description: string;
  /** Said to the user when auto settles for less than it could have. */
  notice?: string;
}

/** Which brain practice will use and its settings, without building it (doctor checks it online). */
export function planBrain(flags: BrainFlags, ctx: CliContext): BrainPlan {
  const picked = pick('llm', flags.llm, 'VETTA_LLM', LLM_NAMES, 'llm', ctx);
  const keyName = ctx.env.GEMINI_API_KEY ? 'GEMINI_API_KEY' : ctx.env.GOOGLE_API_KEY ? 'GOOGLE_API_KEY' : undefined;
  const llm = picked.name === 'auto' ? (keyName ? 'gemini' : 'scripted') : picked.name;
  const configModel = ctx.config().model;
  if (llm === 'gemini') {
    if (!keyName) throw new VettaError('usage', `${picked.setBy} needs a key: set GEMINI_API_KEY (or GOOGLE_API_KEY)`);
    const model = flags.model || ctx.env.GEMINI_MODEL || configModel || DEFAULT_GEMINI_MODEL;
    return {
      settings: { llm, apiKey: ctx.env[keyName]!, model, ...(ctx.env.GEMINI_BASE_URL ? { baseUrl: ctx.env.GEMINI_BASE_URL } : {}) },
      description: `gemini ${model} (${picked.setBy ?? `${keyName} set`})`,
    };
  }
  if (llm === 'openai') {
    const baseUrl = ctx.env.OPENAI_BASE_URL || DEFAULT_OPENAI_BASE_URL;
    const model = flags.model || ctx.env.OPENAI_MODEL || configModel || DEFAULT_OPENAI_MODEL;
    return {
      settings: { llm, baseUrl, model, ...(ctx.env.OPENAI_API_KEY ? { apiKey: ctx.env.OPENAI_API_KEY } : {}) },
      description: `openai-compatible ${model} at ${baseUrl} (${picked.setBy})`,
    };
  }
  if (picked.setBy) return { settings: { llm }, description: `scripted: the offline interviewer (${picked.setBy})` };
  return {
    settings: { llm },
    description: 'scripted: no GEMINI_API_KEY; the offline interviewer leads',
    notice: 'no GEMINI_API_KEY, so the offline interviewer leads; set it, or use --llm openai with a local model',
  };
}

/** The interviewer's brain from --llm, keys and settings; keys are read, never printed. */
export function chooseBrain(flags: BrainFlags, ctx: CliContext, notice: (message: string) => void): Brain {
  const plan = planBrain(flags, ctx);
  if (plan.notice) notice(plan.notice);
  const { settings } = plan;
  switch (settings.llm) {
    case 'gemini':
      return new ModelBrain(new GeminiModel({ apiKey: settings.apiKey, model: settings.model, ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}) }));
    case 'openai':
      return new ModelBrain(new OpenAiCompatibleModel({ baseUrl: settings.baseUrl, model: settings.model, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) }));
    case 'scripted':
      return new ScriptedBrain();
  }
}

export interface RecognizerChoice {
  /** null: the candidate types. */
  recognizer: SpeechRecognizer | null;
  /** One line: which recogniser and why, e.g. "deepgram nova-3 (DEEPGRAM_API_KEY set)". */
  description: string;
  /** Found by auto rather than named by a flag, VETTA_STT or the config file. */
  auto: boolean;
}

/** The ear: Deepgram when chosen or when its key is set, else pocketsphinx when installed, else none (the candidate types). */
export function chooseRecognizer(flags: RecognizerFlags, ctx: CliContext): RecognizerChoice {
  const picked = pick('stt', flags.stt, 'VETTA_STT', STT_NAMES, 'stt', ctx);
  const auto = picked.name === 'auto';
  const apiKey = ctx.env.DEEPGRAM_API_KEY;
  if (picked.name === 'none') return { recognizer: null, description: `none (${picked.setBy}); you type`, auto };
  if (picked.name === 'deepgram' || (auto && apiKey)) {
    if (!apiKey) throw new VettaError('usage', `${picked.setBy} needs a key: set DEEPGRAM_API_KEY, or use --stt none and type`);
    const model = ctx.env.DEEPGRAM_MODEL || DEFAULT_DEEPGRAM_MODEL;
    return {
      recognizer: new DeepgramStt({ apiKey, model, ...(ctx.env.DEEPGRAM_BASE_URL ? { baseUrl: ctx.env.DEEPGRAM_BASE_URL } : {}) }),
      description: `deepgram ${model} (${picked.setBy ?? 'DEEPGRAM_API_KEY set'})`,
      auto,
    };
  }
  const pocketsphinx = PocketsphinxStt.detect(ctx.env);
  if (picked.name === 'pocketsphinx') {
    if (typeof pocketsphinx === 'string') throw new VettaError('invalid_input', `${pocketsphinx}; or use --stt none and type`);
    return { recognizer: pocketsphinx, description: `pocketsphinx, offline (${picked.setBy})`, auto };
  }
  if (typeof pocketsphinx === 'string') return { recognizer: null, description: 'none: no DEEPGRAM_API_KEY and pocketsphinx is not installed; you type', auto };
  return { recognizer: pocketsphinx, description: 'pocketsphinx, offline (no DEEPGRAM_API_KEY)', auto };
}

export interface VoiceChoice {
  /** null: the interviewer's words are shown, not spoken. */
  voice: SpeechSynthesizer | null;
  /** One line: which voice and why, e.g. "espeak-ng, offline (no ELEVENLABS_API_KEY)". */
  description: string;
  /** Found by auto rather than named by a flag, VETTA_TTS or the config file. */
  auto: boolean;
  /** Ends what the voice holds open (ElevenLabs keeps a connection). */
  close(): Promise<void>;
}

const nothingToClose = async () => {};

/** The voice: ElevenLabs when chosen or when its key is set, else espeak-ng when installed, else none. */
export function chooseVoice(flags: VoiceFlags, ctx: CliContext): VoiceChoice {
  const picked = pick('tts', flags.tts, 'VETTA_TTS', TTS_NAMES, 'tts', ctx);
  const auto = picked.name === 'auto';
  const apiKey = ctx.env.ELEVENLABS_API_KEY;
  if (picked.name === 'none') return { voice: null, description: `none (${picked.setBy}); the interviewer is read, not heard`, auto, close: nothingToClose };
  if (picked.name === 'elevenlabs' || (auto && apiKey)) {
    if (!apiKey) {
      throw new VettaError(
        'invalid_input',
        picked.setBy?.startsWith('--')
          ? 'ELEVENLABS_API_KEY is not set: set it to your ElevenLabs API key, or use --tts espeak (offline, no key)'
          : `${picked.setBy} needs a key: set ELEVENLABS_API_KEY, or use --tts espeak (offline, no key)`,
      );
    }
    const voiceId = ctx.env.ELEVENLABS_VOICE_ID || ctx.config().voiceId || DEFAULT_ELEVENLABS_VOICE;
    const voice = new ElevenLabsTts({ apiKey, voiceId, ...(ctx.env.ELEVENLABS_BASE_URL ? { baseUrl: ctx.env.ELEVENLABS_BASE_URL } : {}) });
    return { voice, description: `elevenlabs voice ${voiceId} (${picked.setBy ?? 'ELEVENLABS_API_KEY set'})`, auto, close: () => voice.close() };
  }
  const espeak = EspeakTts.detect(ctx.env);
  if (picked.name === 'espeak') {
    if (typeof espeak === 'string') throw new VettaError('invalid_input', `${espeak}; or use --tts none`);
    return { voice: espeak, description: `espeak-ng, offline (${picked.setBy})`, auto, close: nothingToClose };
  }
  if (typeof espeak === 'string') {
    return { voice: null, description: 'none: no ELEVENLABS_API_KEY and espeak-ng is not installed; the interviewer is read, not heard', auto, close: nothingToClose };
  }
  return { voice: espeak, description: 'espeak-ng, offline (no ELEVENLABS_API_KEY)', auto, close: nothingToClose };
}
