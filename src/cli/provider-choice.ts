import { configPath, oneOf } from '../core/config.js';
import { VettaError } from '../core/errors.js';
import type { Brain } from '../interview/brain.js';
import type { SpeechRecognizer, SpeechSynthesizer } from '../providers/spec.js';
import type { CliContext } from './context.js';
import { autoVariables, BRAINS, choiceNames, EARS, VOICES } from './providers.js';
import type { Built, ProviderEntry, ProviderKind, ProviderSettings } from './providers.js';

/**
 * Which providers a command uses, from flags, the environment and the config file, by the tables
 * in providers.ts. One place, so `vetta practice`, `vetta say` and `vetta doctor` never disagree.
 * Precedence: a flag other than "auto", then VETTA_LLM / VETTA_STT / VETTA_TTS, then the config
 * file, then auto. Keys are read here and never appear in a description or an error.
 */

export interface BrainFlags {
  llm?: string;
  model?: string;
}

export interface RecognizerFlags {
  stt?: string;
}

export interface VoiceFlags {
  tts?: string;
}

/** What a kind's choice came to. */
export interface Choice<T> {
  /** null: done without (the candidate types, the interviewer is read). */
  provider: T | null;
  /** One line: which and why, e.g. "deepgram nova-3 (DEEPGRAM_API_KEY set)". */
  description: string;
  /** Found by auto rather than named by a flag, the environment or the config file. */
  auto: boolean;
  entry?: ProviderEntry<T>;
  built?: Built<T>;
  /** Said to the user when auto settles for less than it could have. */
  notice?: string;
  /** Ends what the provider holds open. */
  close(): Promise<void>;
}

const nothingToClose = async () => {};

function settingsOf(ctx: CliContext, model?: string): ProviderSettings {
  return { env: ctx.env, config: ctx.config(), ...(model ? { model } : {}) };
}

/** The name in force and, unless auto, where it was set, said the way the user wrote it. */
function pick<T>(kind: ProviderKind<T>, flag: string | undefined, ctx: CliContext): { name: string; setBy?: string } {
  if (flag && flag !== 'auto') return { name: flag, setBy: `--${kind.flag} ${flag}` };
  const fromEnv = ctx.env[kind.envName];
  if (fromEnv && fromEnv !== 'auto') {
    const names = choiceNames(kind);
    if (!names.includes(fromEnv)) throw new VettaError('usage', `${kind.envName} is "${fromEnv}": expected ${oneOf(names)}`);
    return { name: fromEnv, setBy: `${kind.envName}=${fromEnv}` };
  }
  const fromConfig = ctx.config()[kind.flag];
  if (fromConfig && fromConfig !== 'auto') return { name: fromConfig, setBy: `"${kind.flag}": "${fromConfig}" in ${configPath(ctx.env)}` };
  return { name: 'auto' };
}

/** The entry built, or an error that says which setting asked for it and what to do. */
export function buildEntry<T>(kind: ProviderKind<T>, entry: ProviderEntry<T>, settings: ProviderSettings, setBy: string): Built<T> {
  const keyName = entry.keys.find((name) => settings.env[name]);
  if (entry.needsKey && !keyName) {
    const keys = entry.keys.map((name, i) => (i === 0 ? name : `(or ${name})`)).join(' ');
    throw new VettaError('usage', `${setBy} needs a key: set ${keys}, or ${kind.instead(entry)}`);
  }
  const built = entry.build(settings, keyName && settings.env[keyName]);
  if (typeof built === 'string') throw new VettaError('invalid_input', `${built}; or ${kind.instead(entry)}`);
  return built;
}

function chosen<T>(entry: ProviderEntry<T>, built: Built<T>, because: string, auto: boolean): Choice<T> {
  return { provider: built.provider, description: `${built.what} (${because})`, auto, entry, built, close: built.close ?? nothingToClose };
}

/** The provider of a kind for this command, by precedence, then auto: a configured online one, else the offline one. */
export function choose<T>(kind: ProviderKind<T>, flag: string | undefined, ctx: CliContext, model?: string): Choice<T> {
  const picked = pick(kind, flag, ctx);
  const settings = settingsOf(ctx, model);
  if (picked.setBy) {
    if (picked.name === 'none') return { provider: null, description: `none (${picked.setBy}); ${kind.without}`, auto: false, close: nothingToClose };
    const entry = kind.entries.find((e) => e.name === picked.name)!;
    return chosen(entry, buildEntry(kind, entry, settings, picked.setBy), picked.setBy, false);
  }
  for (const entry of kind.entries) {
    const set = entry.autoWhen.find((name) => settings.env[name]);
    if (set) return chosen(entry, buildEntry(kind, entry, settings, `${set} set`), `${set} set`, true);
  }
  const unconfigured = `no ${autoVariables(kind)}`;
  const missing: string[] = [];
  for (const entry of kind.entries.filter((e) => e.offline)) {
    const built = entry.build(settings, undefined);
    if (typeof built === 'string') missing.push(built.replace(/ \(.*\)$/, ''));
    else return { ...chosen(entry, built, unconfigured, true), ...(kind.fallbackNotice ? { notice: kind.fallbackNotice } : {}) };
  }
  return { provider: null, description: `none: ${unconfigured} and ${missing.join(' and ')}; ${kind.without}`, auto: true, close: nothingToClose };
}

/** The interviewer's brain from --llm, keys and settings; a notice says when auto settled for the offline one. */
export function chooseBrain(flags: BrainFlags, ctx: CliContext, notice: (message: string) => void): Brain {
  const choice = choose(BRAINS, flags.llm, ctx, flags.model);
  if (choice.notice) notice(choice.notice);
  return choice.provider!;
}

export function chooseRecognizer(flags: RecognizerFlags, ctx: CliContext): Choice<SpeechRecognizer> {
  return choose(EARS, flags.stt, ctx);
}

export function chooseVoice(flags: VoiceFlags, ctx: CliContext): Choice<SpeechSynthesizer> {
  return choose(VOICES, flags.tts, ctx);
}
