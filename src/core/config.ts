import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { VettaError } from './errors.js';
import { configDir } from './paths.js';

/**
 * The user's settings file, $XDG_CONFIG_HOME/vetta/config.json. Flags win over environment
 * variables, which win over this file. Keys other commands will use later are allowed through, so
 * a newer config does not break an older Vetta.
 */
export const LLM_NAMES = ['auto', 'gemini', 'openai', 'scripted'] as const;
export const STT_NAMES = ['auto', 'deepgram', 'pocketsphinx', 'none'] as const;
export const TTS_NAMES = ['auto', 'elevenlabs', 'espeak', 'none'] as const;
export type LlmName = (typeof LLM_NAMES)[number];
export type SttName = (typeof STT_NAMES)[number];
export type TtsName = (typeof TTS_NAMES)[number];

/** "a", "b" or "c", for messages that list the allowed values. */
export function oneOf(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

export const ConfigFile = z.looseObject({
  sandbox: z.enum(['auto', 'nsjail', 'bubblewrap', 'docker', 'unsafe']).optional(),
  problems: z.array(z.string().min(1), { error: 'expected a list of folders' }).optional(),
  store: z.string({ error: 'expected a store URL such as "redis://127.0.0.1:6379" or a file path' }).min(1).optional(),
  sessionRetentionDays: z.number({ error: 'expected a number of days' }).positive().optional(),
  /** Silence after the candidate's voice before a finished-sounding utterance ends their turn. */
  endpointingMinMs: z.number({ error: 'expected a number of milliseconds' }).int().min(0).max(10_000).optional(),
  /** Silence before a plainly unfinished utterance ("so I think I would...") ends their turn anyway. */
  endpointingMaxMs: z.number({ error: 'expected a number of milliseconds' }).int().min(0).max(30_000).optional(),
  /** Start the spoken reply once the candidate has probably finished (false: as --no-preemptive). */
  preemptive: z.boolean({ error: 'expected true or false' }).optional(),
  /** The length of a practice interview in minutes, as --minutes. */
  minutes: z.number({ error: 'expected a number of minutes from 5 to 240' }).min(5, { error: 'expected a number of minutes from 5 to 240' }).max(240, { error: 'expected a number of minutes from 5 to 240' }).optional(),
  /** Record every practice interview for "vetta replay", as --record does. */
  record: z.boolean({ error: 'expected true or false' }).optional(),
  llm: z.enum(LLM_NAMES, { error: `expected ${oneOf(LLM_NAMES)}` }).optional(),
  /** The LLM's model, for whichever LLM is chosen. */
  model: z.string({ error: 'expected a model name such as "gemini-2.5-flash"' }).min(1, { error: 'expected a model name such as "gemini-2.5-flash"' }).optional(),
  stt: z.enum(STT_NAMES, { error: `expected ${oneOf(STT_NAMES)}` }).optional(),
  tts: z.enum(TTS_NAMES, { error: `expected ${oneOf(TTS_NAMES)}` }).optional(),
  /** The ElevenLabs voice. API keys are never read from this file: they stay in the environment. */
  voiceId: z.string({ error: 'expected an ElevenLabs voice id such as "JBFqnCBsd6RMkjVDRZzb"' }).min(1, { error: 'expected an ElevenLabs voice id such as "JBFqnCBsd6RMkjVDRZzb"' }).optional(),
});
export type ConfigFile = z.output<typeof ConfigFile>;

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json');
}

/** The settings, or {} when there is no file; a broken file is an error that names it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigFile {
  const file = configPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new VettaError('invalid_input', `${file} cannot be read (${(e as NodeJS.ErrnoException).code}); fix its permissions or move it aside`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new VettaError('invalid_input', `${file} is not valid JSON (${(e as Error).message}); fix it or move it aside`);
  }
  const parsed = ConfigFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new VettaError('invalid_input', `${file}: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return parsed.data;
}
